#!/usr/bin/env bash
# Prints how long the replication code takes to warm N images of M layers (a few MiB to tens of MiB each) through an
# empty proxy-mode Docker Distribution mirror, and its CPU per warmed MiB, as ratios to curl | sha256sum fetching the
# same objects through another empty mirror of the same upstream with as many requests at once; also the time to the
# first and last image warm, the bytes moved and the JVM's CPU by thread. All on 127.0.0.1. Needs docker-registry,
# curl, sha256sum, bash and xargs.
# Usage: bench/replication.sh [images [layers [sizes-in-MiB, e.g. 2,5,10,20]]]   (defaults: 4 4 2,5,10,20)
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in docker-registry curl sha256sum xargs; do
    command -v "$tool" >/dev/null || { echo "$tool is missing (apt-get install docker-registry curl coreutils findutils)" >&2; exit 1; }
done
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/replication.classpath
# BENCH_JAVA_OPTS: extra JVM flags, e.g. -Doci-mirror.replication.per-job-concurrency=1 for walks one call at a time,
# -Dbench.warm-up-rounds=1 for one unmeasured round before the measured one (default: as many as warm 400 MiB).
exec java -Xmx512m ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/replication.classpath)" \
    io.ocimirror.replication.WarmUpFigures "$@"
