#!/usr/bin/env bash
# Benchmarks the admission path: POST /mutate over HTTPS against a baseline endpoint of the same server, with the
# mirror reachable and unreachable. Run with --help for what it does; bench/README.md explains the figures.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: bench/run.sh [--warmup SECONDS] [--duration SECONDS] [--jvm-opts "FLAGS"] [--jfr FILE] [--keep]

Builds the webhook if needed, starts it on 127.0.0.1 with a throwaway TLS certificate, the example mirror
configuration pointed at a local Docker Distribution registry, and the benchmark-only baseline endpoint on, then
loads it with wrk:

  phase "reachable"    mirrors on a local docker-registry (replication jobs really run and succeed)
                       - baseline  POST /bench/baseline (reads the body, fixed answer)
                       - webhook   POST /mutate
  phase "unreachable"  the same configuration with mirror ports where nothing listens
                       - webhook   POST /mutate

each for two AdmissionReviews (bench/review-deployment-pod.json, bench/review-large-pod.json) at 1 connection
(wrk -t1 -c1) and 32 connections (wrk -t2 -c32), and prints requests/s, p50/p90/p99 latency, the webhook's CPU
time per request, its resident memory after each phase, and the figures as ratios to the baseline.

Options:
  --warmup SECONDS     load before the first measurement (default 10)
  --duration SECONDS   length of each measurement (default 15; 12 measurements)
  --jvm-opts "FLAGS"   JVM flags of the webhook (default: -Xms128m -Xmx128m -XX:+UseSerialGC; see
                       bench/README.md for why)
  --jfr FILE           record a JFR profile (settings=profile) of the webhook from the end of the warm-up to
                       the end of the run into FILE; read it with jfr print --events jdk.ExecutionSample FILE
  --keep               keep the temporary directory (logs, configuration, certificate) and print its path
  -h, --help           this text

Environment: BENCH_SSL_PORT (18443), BENCH_MANAGEMENT_PORT (19000), BENCH_REGISTRY_PORT (15000),
BENCH_DEAD_PORT (15001): loopback ports it uses; all traffic stays on 127.0.0.1.
Needs: java 17, wrk, openssl, curl, docker-registry (apt-get install -y wrk openssl curl docker-registry).
EOF
}

WARMUP=10
DURATION=15
JVM_OPTS="-Xms128m -Xmx128m -XX:+UseSerialGC"
KEEP=false
JFR_FILE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --warmup) WARMUP="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --jvm-opts) JVM_OPTS="$2"; shift 2 ;;
    --jfr) JFR_FILE="$2"; shift 2 ;;
    --keep) KEEP=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$WARMUP" "$DURATION"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "--warmup and --duration take whole seconds" >&2; exit 2; }
done

SSL_PORT="${BENCH_SSL_PORT:-18443}"
MANAGEMENT_PORT="${BENCH_MANAGEMENT_PORT:-19000}"
REGISTRY_PORT="${BENCH_REGISTRY_PORT:-15000}"
DEAD_PORT="${BENCH_DEAD_PORT:-15001}"
HOST=127.0.0.1

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
BENCH="$ROOT/bench"
BODIES=(review-deployment-pod.json review-large-pod.json)
SCENARIOS=(deployment-pod large-pod)

# --- prerequisites ---------------------------------------------------------------------------------------------
missing=()
for tool in java wrk openssl curl docker-registry; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}" >&2
  echo "install with: apt-get install -y wrk openssl curl docker-registry  (and a JDK 17 for java)" >&2
  exit 1
fi
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
for port in "$SSL_PORT" "$MANAGEMENT_PORT" "$REGISTRY_PORT" "$DEAD_PORT"; do
  if port_in_use "$port"; then
    echo "port $port on $HOST is in use; choose others with BENCH_*_PORT (see --help)" >&2
    exit 1
  fi
done

# --- build -----------------------------------------------------------------------------------------------------
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src/main pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "Building (./mvnw -B -q package -DskipTests) ..."
  ./mvnw -B -q package -DskipTests
fi

# --- processes and cleanup -------------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/oci-mirror-bench.XXXXXX")"
WEBHOOK_PID=""
REGISTRY_PID=""
cleanup() {
  local pid
  for pid in "$WEBHOOK_PID" "$REGISTRY_PID"; do
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  if [ "$KEEP" = true ]; then
    echo "Kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  echo "error: $*" >&2
  for log in "$TMP/webhook.log" "$TMP/registry.log"; do
    [ -s "$log" ] && { echo "--- last lines of $log" >&2; tail -n 20 "$log" >&2; }
  done
  exit 1
}

# Polls a command for at most $1 seconds.
wait_for() {
  local seconds="$1"; shift
  local tries=$((seconds * 5))
  for _ in $(seq 1 "$tries"); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  return 1
}

# --- TLS certificate -------------------------------------------------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -keyout "$TMP/tls.key" -out "$TMP/tls.crt" -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null

# --- local mirror: Docker Distribution on loopback --------------------------------------------------------------
mkdir -p "$TMP/registry"
cat >"$TMP/registry.yml" <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $TMP/registry
http:
  addr: $HOST:$REGISTRY_PORT
  secret: oci-mirror-bench
EOF
docker-registry serve "$TMP/registry.yml" >"$TMP/registry.log" 2>&1 &
REGISTRY_PID=$!
wait_for 20 curl -fsS "http://$HOST:$REGISTRY_PORT/v2/" || fail "docker-registry did not start"

# --- mirror configuration: the example's mirrors, on 127.0.0.1 ---------------------------------------------------
# The example (examples/mirror-config.yaml) with every mirror moved to a loopback port, plain HTTP allowed, and no
# primaryMirror or secretName (nothing outside this machine is contacted, no credentials are needed).
mirror_config() {
  local port="$1"
  cat <<EOF
registryMirrors:
  docker.io:
    baseDomain: $HOST:$port
    subPath: dockerhub-mirror
    insecure: true
  ghcr.io:
    baseDomain: $HOST:$port
    subPath: ghcr-mirror
    insecure: true
  quay.io:
    baseDomain: $HOST:$port
    subPath: quay-mirror
    insecure: true
  registry.k8s.io:
    baseDomain: $HOST:$port
    subPath: k8s-mirror
    insecure: true
exclude:
  ownerApiGroups:
    - postgresql.cnpg.io
    - asdb.aerospike.com
  images:
    - "ghcr.io/cloudnative-pg/**"
replication:
  mode: full
  platforms: [linux/amd64]
EOF
}
mirror_config "$REGISTRY_PORT" >"$TMP/mirror-config.yaml"

# --- the webhook -----------------------------------------------------------------------------------------------
if [ -n "$JFR_FILE" ]; then
  case "$JFR_FILE" in /*) ;; *) JFR_FILE="$ROOT/$JFR_FILE" ;; esac
  # Starts after start-up, seeding and warm-up (about 15 s plus the warm-up); written when the webhook stops.
  JVM_OPTS="$JVM_OPTS -XX:StartFlightRecording=delay=$((WARMUP + 15))s,settings=profile,dumponexit=true,filename=$JFR_FILE"
fi
# shellcheck disable=SC2086 # JVM_OPTS holds several flags
OCI_MIRROR_CONFIG_FILE="$TMP/mirror-config.yaml" \
OCI_MIRROR_TLS_CERT_FILE="$TMP/tls.crt" \
OCI_MIRROR_TLS_KEY_FILE="$TMP/tls.key" \
OCI_MIRROR_REPLICATION_ENABLED=true \
  java $JVM_OPTS \
    -Doci-mirror.bench.baseline-endpoint=true \
    -Dquarkus.http.host=$HOST -Dquarkus.http.ssl-port="$SSL_PORT" \
    -Dquarkus.management.host=$HOST -Dquarkus.management.port="$MANAGEMENT_PORT" \
    -jar "$JAR" >"$TMP/webhook.log" 2>&1 &
WEBHOOK_PID=$!
wait_for 60 curl -fsS "http://$HOST:$MANAGEMENT_PORT/q/health/ready" || fail "the webhook did not become ready"

metric() { # sum of a Prometheus counter over the series whose labels contain $2
  curl -fsS "http://$HOST:$MANAGEMENT_PORT/q/metrics" \
    | awk -v name="$1" -v label="$2" \
        'index($0, name) == 1 && (label == "" || index($0, label)) { sum += $NF } END { printf "%d", sum }'
}

# --- seed the mirror -------------------------------------------------------------------------------------------
# Every reference the reviews are rewritten to gets a small image on the local registry, so replication jobs walk
# real manifests and blobs. The references come from the webhook itself (a dry run: no replication yet).
push_blob() { # repository file -> digest
  local repository="$1" file="$2" digest location
  digest="sha256:$(sha256sum "$file" | cut -d' ' -f1)"
  location="$(curl -fsS -o /dev/null -D - -X POST "http://$HOST:$REGISTRY_PORT/v2/$repository/blobs/uploads/" \
    | tr -d '\r' | awk 'tolower($1) == "location:" { print $2 }')"
  case "$location" in http*) ;; *) location="http://$HOST:$REGISTRY_PORT$location" ;; esac
  case "$location" in *\?*) location="$location&digest=$digest" ;; *) location="$location?digest=$digest" ;; esac
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$file" "$location"
  echo "$digest"
}
seed_image() { # host/repository:tag on the local registry
  local reference="$1" path repository tag config layer manifest
  path="${reference#"$HOST:$REGISTRY_PORT/"}"
  repository="${path%:*}"
  tag="${path##*:}"
  layer="$TMP/seed/layer.tar.gz"
  config="$TMP/seed/config.json"
  mkdir -p "$TMP/seed/content"
  echo "$reference" >"$TMP/seed/content/reference"
  tar -C "$TMP/seed/content" -czf "$layer" reference
  printf '{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$(gzip -dc "$layer" | sha256sum | cut -d' ' -f1)" >"$config"
  local config_digest layer_digest
  config_digest="$(push_blob "$repository" "$config")"
  layer_digest="$(push_blob "$repository" "$layer")"
  manifest="$(printf '{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'\
'"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":%d,"digest":"%s"},'\
'"layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":%d,"digest":"%s"}]}' \
    "$(stat -c %s "$config")" "$config_digest" "$(stat -c %s "$layer")" "$layer_digest")"
  curl -fsS -o /dev/null -X PUT -H 'Content-Type: application/vnd.docker.distribution.manifest.v2+json' \
    --data-binary "$manifest" "http://$HOST:$REGISTRY_PORT/v2/$repository/manifests/$tag"
}
mirrored_references() { # body -> the references /mutate rewrites it to (one a line)
  sed 's/"dryRun":false/"dryRun":true/' "$BENCH/$1" >"$TMP/dry-run.json"
  curl -fsSk -H 'Content-Type: application/json' --data-binary "@$TMP/dry-run.json" \
      "https://$HOST:$SSL_PORT/mutate" \
    | sed -n 's/.*"patch":"\([^"]*\)".*/\1/p' | base64 -d \
    | grep -o "\"value\":\"$HOST:$REGISTRY_PORT/[^\"]*\"" | sed 's/^"value":"//; s/"$//'
}
references=()
for body in "${BODIES[@]}"; do
  while IFS= read -r reference; do references+=("$reference"); done < <(mirrored_references "$body")
done
mapfile -t references < <(printf '%s\n' "${references[@]}" | sort -u)
[ ${#references[@]} -gt 0 ] || fail "the webhook rewrote no reference of the benchmark reviews"
for reference in "${references[@]}"; do
  seed_image "$reference" || fail "could not push $reference to the local registry"
done

# --- measurement -----------------------------------------------------------------------------------------------
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$WEBHOOK_PID/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$WEBHOOK_PID/status"; }
CLK_TCK="$(getconf CLK_TCK)"

load() { # path connections seconds body [quiet]
  local path="$1" connections="$2" seconds="$3" body="$4" threads=2
  [ "$connections" -eq 1 ] && threads=1
  BENCH_BODY="$BENCH/$body" wrk -t"$threads" -c"$connections" -d"${seconds}s" --timeout 5s \
    -s "$BENCH/post.lua" "https://$HOST:$SSL_PORT$path"
}

RESULTS="$TMP/results"
: >"$RESULTS"
measure() { # phase endpoint path scenario body connections
  local phase="$1" endpoint="$2" path="$3" scenario="$4" body="$5" connections="$6" before after output line
  before="$(cpu_ticks)"
  output="$(load "$path" "$connections" "$DURATION" "$body")"
  after="$(cpu_ticks)"
  line="$(grep '^RESULT ' <<<"$output")" || fail "wrk printed no result: $output"
  local requests=0
  [[ "$line" =~ requests=([0-9]+) ]] && requests="${BASH_REMATCH[1]}"
  [ "$requests" -gt 0 ] || fail "no request completed ($path, $connections connections)"
  echo "$phase $endpoint $scenario $connections ${line#RESULT } cpu_us=$(( (after - before) * 1000000 / CLK_TCK / requests ))" \
    | tee -a "$RESULTS" | awk '{ printf "  %-11s %-8s %-14s c=%-3s %s %s %s %s %s %s\n", $1, $2, $3, $4, $7, $8, $9, $10, $13, $14 }'
}

replication_summary() {
  echo "  replication jobs so far: succeeded $(metric oci_mirror_replication_jobs_total 'outcome="succeeded"')," \
    "failed $(metric oci_mirror_replication_jobs_total 'outcome="failed"')," \
    "deduplicated $(metric oci_mirror_replication_jobs_total 'outcome="deduplicated"')," \
    "dropped $(metric oci_mirror_replication_jobs_total 'outcome="dropped"')," \
    "retries $(metric oci_mirror_replication_retries_total '')," \
    "mirror-unavailable $(metric oci_mirror_replication_jobs_total 'outcome="mirror-unavailable"');" \
    "circuit opened $(metric oci_mirror_circuit_opened_total '') times," \
    "rewrites held back $(metric oci_mirror_rewrites_held_back_total '')"
}

declare -A RSS_AFTER
echo "Warming up for ${WARMUP}s ..."
share=$(( (WARMUP + 3) / 4 ))
for body in "${BODIES[@]}"; do
  load /mutate 32 "$share" "$body" >/dev/null
  load /bench/baseline 32 "$share" "$body" >/dev/null
done

echo "Phase reachable: mirrors on docker-registry at $HOST:$REGISTRY_PORT"
for i in "${!BODIES[@]}"; do
  for connections in 1 32; do
    measure reachable baseline /bench/baseline "${SCENARIOS[$i]}" "${BODIES[$i]}" "$connections"
    measure reachable webhook /mutate "${SCENARIOS[$i]}" "${BODIES[$i]}" "$connections"
  done
done
RSS_AFTER[reachable]="$(rss_kib)"
replication_summary
succeeded="$(metric oci_mirror_replication_jobs_total 'outcome="succeeded"')"
[ "$succeeded" -ge ${#references[@]} ] \
  || echo "  warning: only $succeeded of ${#references[@]} references replicated in the reachable phase"

echo "Phase unreachable: mirrors at $HOST:$DEAD_PORT (nothing listens)"
reloads="$(metric oci_mirror_config_reloads_total 'outcome="applied"')"
mirror_config "$DEAD_PORT" >"$TMP/mirror-config.yaml.new"
mv "$TMP/mirror-config.yaml.new" "$TMP/mirror-config.yaml"
reloaded() { [ "$(metric oci_mirror_config_reloads_total 'outcome="applied"')" -gt "$reloads" ]; }
wait_for 15 reloaded || fail "the webhook did not pick up the unreachable mirror configuration"
for body in "${BODIES[@]}"; do
  load /mutate 32 3 "$body" >/dev/null # first jobs to the dead port
done
for i in "${!BODIES[@]}"; do
  for connections in 1 32; do
    measure unreachable webhook /mutate "${SCENARIOS[$i]}" "${BODIES[$i]}" "$connections"
  done
done
RSS_AFTER[unreachable]="$(rss_kib)"
replication_summary

# --- report ----------------------------------------------------------------------------------------------------
field() { # phase endpoint scenario connections key
  awk -v p="$1" -v e="$2" -v s="$3" -v c="$4" -v k="$5" \
    '$1 == p && $2 == e && $3 == s && $4 == c { for (i = 5; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' \
    "$RESULTS"
}
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
change() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%+.0f%%", (a / b - 1) * 100; else print "n/a" }'; }

echo
echo "=== Machine"
echo "  $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
  "$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  $(java -version 2>&1 | sed -n 2p)"
echo "  $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2), docker-registry $(docker-registry --version 2>&1 | awk '{ print $NF }')"
echo "  webhook JVM flags: $JVM_OPTS; wrk on the same CPUs; warm-up ${WARMUP}s, ${DURATION}s per measurement"

echo
echo "=== Ratios to the baseline (same server, same body, POST /bench/baseline)"
for scenario in "${SCENARIOS[@]}"; do
  echo "  $scenario:"
  echo "    throughput at 32 connections:  $(ratio "$(field reachable webhook "$scenario" 32 rps)" \
    "$(field reachable baseline "$scenario" 32 rps)") of the baseline"
  for p in p50 p99; do
    echo "    $p at 1 connection:           $(ms "$(field reachable webhook "$scenario" 1 "${p}_us")") ms vs" \
      "$(ms "$(field reachable baseline "$scenario" 1 "${p}_us")") ms baseline" \
      "(+$(ms $(( $(field reachable webhook "$scenario" 1 "${p}_us") - $(field reachable baseline "$scenario" 1 "${p}_us") ))) ms)"
  done
  for connections in 1 32; do
    echo "    unreachable vs reachable, $connections conn: p99 $(change "$(field unreachable webhook "$scenario" "$connections" p99_us)" \
      "$(field reachable webhook "$scenario" "$connections" p99_us)")," \
      "req/s $(change "$(field unreachable webhook "$scenario" "$connections" rps)" \
      "$(field reachable webhook "$scenario" "$connections" rps)")"
  done
done

echo
echo "=== Absolute figures"
printf '  %-12s %-9s %-15s %5s %9s %8s %8s %8s %12s\n' phase endpoint scenario conns "req/s" "p50 ms" "p90 ms" "p99 ms" "CPU us/req"
while read -r phase endpoint scenario connections _; do
  printf '  %-12s %-9s %-15s %5s %9.0f %8s %8s %8s %12s\n' "$phase" "$endpoint" "$scenario" "$connections" \
    "$(field "$phase" "$endpoint" "$scenario" "$connections" rps)" \
    "$(ms "$(field "$phase" "$endpoint" "$scenario" "$connections" p50_us)")" \
    "$(ms "$(field "$phase" "$endpoint" "$scenario" "$connections" p90_us)")" \
    "$(ms "$(field "$phase" "$endpoint" "$scenario" "$connections" p99_us)")" \
    "$(field "$phase" "$endpoint" "$scenario" "$connections" cpu_us)"
done <"$RESULTS"
errors="$(awk '{ for (i = 5; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "non2xx" || kv[1] == "errors") sum += kv[2] } } END { print sum + 0 }' "$RESULTS")"
echo "  non-2xx responses and socket errors over all measurements: $errors"
echo "  CPU us/req: the webhook process's CPU time (user + system, all threads) divided by the requests served"

echo
echo "=== Resident memory of the webhook (VmRSS)"
for phase in reachable unreachable; do
  echo "  after $phase: $(( RSS_AFTER[$phase] / 1024 )) MiB"
done
echo "  peak (VmHWM): $(( $(awk '/^VmHWM:/ { print $2 }' "/proc/$WEBHOOK_PID/status") / 1024 )) MiB"

echo
echo "=== Targets"
target() { # description met?
  if [ "$2" = 1 ]; then echo "  met      $1"; else echo "  NOT met  $1"; fi
}
for scenario in "${SCENARIOS[@]}"; do
  r="$(ratio "$(field reachable webhook "$scenario" 32 rps)" "$(field reachable baseline "$scenario" 32 rps)")"
  target "$scenario: throughput at 32 connections >= 0.80 of the baseline ($r)" \
    "$(awk -v r="$r" 'BEGIN { print (r >= 0.8) }')"
  p50="$(field reachable webhook "$scenario" 1 p50_us)"
  p99="$(field reachable webhook "$scenario" 1 p99_us)"
  target "$scenario: p50 at 1 connection <= 0.5 ms ($(ms "$p50") ms)" "$(( p50 <= 500 ))"
  target "$scenario: p99 at 1 connection <= 2 ms ($(ms "$p99") ms)" "$(( p99 <= 2000 ))"
  for connections in 1 32; do
    un="$(field unreachable webhook "$scenario" "$connections" p99_us)"
    re="$(field reachable webhook "$scenario" "$connections" p99_us)"
    target "$scenario: unreachable p99 within 10% of reachable at $connections conn ($(ms "$un") vs $(ms "$re") ms)" \
      "$(( un * 10 <= re * 11 ))"
  done
done
max_rss="$(( RSS_AFTER[reachable] > RSS_AFTER[unreachable] ? RSS_AFTER[reachable] : RSS_AFTER[unreachable] ))"
target "resident memory <= 256 MiB after each phase ($(( max_rss / 1024 )) MiB)" "$(( max_rss <= 256 * 1024 ))"
