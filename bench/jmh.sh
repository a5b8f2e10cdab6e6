#!/usr/bin/env bash
# In-process benchmark of the admission code (parse, rewrite, patch) with JMH, beside Jackson's own floor for the
# same bodies. Usage: bench/jmh.sh [JMH options], e.g. bench/jmh.sh -f 1 -wi 3 -i 5 -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath
if [ $# -eq 0 ]; then
    set -- -f 1 -wi 5 -w 2s -i 5 -r 2s -prof gc
fi
exec java -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" org.openjdk.jmh.Main AdmissionBenchmark "$@"
