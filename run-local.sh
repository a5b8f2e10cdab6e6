#!/usr/bin/env bash
# Runs the webhook on this machine with the example mirror configuration: no cluster needed.
# Serves POST /mutate on https://localhost:8443 (a self-signed certificate in local/tls) and health and
# metrics on http://localhost:9000.
set -euo pipefail
cd "$(dirname "$0")"

tls=local/tls
if [ ! -s "$tls/tls.crt" ] || [ ! -s "$tls/tls.key" ]; then
  command -v openssl >/dev/null || { echo "openssl is needed: apt-get install -y openssl" >&2; exit 1; }
  mkdir -p "$tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
    -keyout "$tls/tls.key" -out "$tls/tls.crt" -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
fi
if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q package -DskipTests
fi

export OCI_MIRROR_CONFIG_FILE="${OCI_MIRROR_CONFIG_FILE:-examples/mirror-config.yaml}"
export OCI_MIRROR_TLS_CERT_FILE="$tls/tls.crt"
export OCI_MIRROR_TLS_KEY_FILE="$tls/tls.key"
# The example mirrors do not exist: replicate only when pointed at real ones.
export OCI_MIRROR_REPLICATION_ENABLED="${OCI_MIRROR_REPLICATION_ENABLED:-false}"
exec java ${JAVA_OPTS:--Xmx256m} -jar target/quarkus-app/quarkus-run.jar
