#!/usr/bin/env bash
# Measures whether Docker Distribution in proxy mode stores a blob when its client stops reading early: pushes a
# 32 MiB blob to an upstream registry on 127.0.0.1, GETs it through an empty proxy-mode mirror reading only its
# first MiB (then closing the connection), waits, and looks for the blob in the mirror's storage; then does the
# same with a full read as the control. Needs docker-registry, curl, openssl, sha256sum. Takes about 30 s.
set -euo pipefail

UPSTREAM_PORT=${BENCH_UPSTREAM_PORT:-15100}
MIRROR_PORT=${BENCH_MIRROR_PORT:-15101}
WAIT_SECONDS=${BENCH_EARLY_STOP_WAIT:-10}
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

registry() { # name port [remoteurl]
    mkdir -p "$work/$1"
    {
        printf 'version: 0.1\nlog: {level: info}\nstorage:\n  filesystem: {rootdirectory: %s}\n' "$work/$1/storage"
        printf 'http: {addr: "127.0.0.1:%s", secret: "%s"}\n' "$2" "$(openssl rand -hex 16)"
        [ -n "${3:-}" ] && printf 'proxy: {remoteurl: "%s"}\n' "$3"
        true
    } >"$work/$1/config.yml"
    docker-registry serve "$work/$1/config.yml" >"$work/$1/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 50); do
        curl -fs "http://127.0.0.1:$2/v2/" >/dev/null && return 0
        sleep 0.2
    done
    echo "registry $1 did not start: $(tail -5 "$work/$1/log")" >&2
    exit 1
}

push_blob() { # file -> digest
    local digest location
    digest="sha256:$(sha256sum "$1" | cut -d' ' -f1)"
    location=$(curl -fsS -X POST -D - -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/v2/bench/early/blobs/uploads/" \
        | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')
    case "$location" in http*) ;; *) location="http://127.0.0.1:$UPSTREAM_PORT$location" ;; esac
    curl -fsS -X PUT -H 'Content-Type: application/octet-stream' --data-binary "@$1" \
        "$location&digest=$digest" -o /dev/null
    echo "$digest"
}

stored() { # digest -> yes/no
    local hex=${1#sha256:}
    [ -f "$work/mirror/storage/docker/registry/v2/blobs/sha256/${hex:0:2}/$hex/data" ] && echo yes || echo no
}

registry upstream "$UPSTREAM_PORT"
registry mirror "$MIRROR_PORT" "http://127.0.0.1:$UPSTREAM_PORT"

head -c $((32 * 1024 * 1024)) /dev/urandom >"$work/early.bin"
head -c $((32 * 1024 * 1024)) /dev/urandom >"$work/full.bin"
early=$(push_blob "$work/early.bin")
full=$(push_blob "$work/full.bin")

# Reads the first MiB and closes: head ends, curl gets SIGPIPE/EPIPE and drops the connection.
curl -sS "http://127.0.0.1:$MIRROR_PORT/v2/bench/early/blobs/$early" 2>/dev/null | head -c $((1024 * 1024)) >/dev/null || true
curl -fsS "http://127.0.0.1:$MIRROR_PORT/v2/bench/early/blobs/$full" -o /dev/null
sleep "$WAIT_SECONDS"

upstream_gets() { grep -c "GET /v2/bench/early/blobs/$1" "$work/upstream/log" || true; }
echo "blob read 1 MiB of 32 MiB, then closed: stored by the mirror after ${WAIT_SECONDS}s: $(stored "$early"), GETs at the upstream: $(upstream_gets "$early")"
echo "blob read in full (control):            stored by the mirror after ${WAIT_SECONDS}s: $(stored "$full"), GETs at the upstream: $(upstream_gets "$full")"
