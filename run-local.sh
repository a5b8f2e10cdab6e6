#!/usr/bin/env bash
# Runs the webhook on this machine with the example mirror configuration: no cluster needed.
# Serves POST /mutate on https://localhost:8443 (a certificate from a local CA in local/tls) and health and
# metrics on http://localhost:9000.
set -euo pipefail
cd "$(dirname "$0")"

tls=local/tls
# A local CA and a certificate for localhost (kept while valid); curl --cacert local/tls/ca.crt trusts it.
certs-scripts/webhook-certs.sh generate --dir "$tls" --dns localhost --ip 127.0.0.1 >/dev/null
# Rebuild when the jar is missing or older than anything it is built from (after a pull or an edit).
jar=target/quarkus-app/quarkus-run.jar
if [ ! -f "$jar" ] || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
  ./mvnw -B -q package -DskipTests
fi

export OCI_MIRROR_CONFIG_FILE="${OCI_MIRROR_CONFIG_FILE:-examples/mirror-config.yaml}"
export OCI_MIRROR_TLS_CERT_FILE="$tls/tls.crt"
export OCI_MIRROR_TLS_KEY_FILE="$tls/tls.key"
# Loopback only: this is a trial run, not a server for the network.
export QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1
# The example mirrors do not exist: replicate only when pointed at real ones.
export OCI_MIRROR_REPLICATION_ENABLED="${OCI_MIRROR_REPLICATION_ENABLED:-false}"
# No cluster to watch Pods or workload templates in.
export OCI_MIRROR_RESCUE_ENABLED="${OCI_MIRROR_RESCUE_ENABLED:-false}"
export OCI_MIRROR_WARM_AHEAD_ENABLED="${OCI_MIRROR_WARM_AHEAD_ENABLED:-false}"
exec java ${JAVA_OPTS:--Xmx256m} -jar "$jar"
