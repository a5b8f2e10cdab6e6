#!/usr/bin/env bash
# Prints, with the default settings and in real time, how soon a mirror host's circuit breaker opens for each way
# an HTTPS mirror fails (refused, failed TLS handshake, 503, never answering), and a healthy HTTPS mirror's warm-up
# alone and beside two never-answering mirrors. Needs docker-registry and openssl. Takes about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/breaker.classpath
exec java -Xmx256m -cp "target/test-classes:target/classes:$(cat target/breaker.classpath)" \
    io.ocimirror.replication.BreakerFigures
