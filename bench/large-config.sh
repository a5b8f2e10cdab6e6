#!/usr/bin/env bash
# Times `validate` on a configuration of N mirrors (default 20,000) on one host, each under its own sub-path.
# Measured on 2 shared cores: 47 s in LargeConfigurationTest before the overlap check was made near-linear; after,
# 3 s in the test and 3.0 s for this script (the whole JVM run).
set -euo pipefail
n=${1:-20000}; file=$(mktemp --suffix=.yaml); trap 'rm -f "$file"' EXIT
{ echo "registryMirrors:"; for ((i = 0; i < n; i++)); do echo "  r$i.example.com: {baseDomain: m.example.com, subPath: team/r$i}"; done; } > "$file"
time java -jar "$(dirname "$0")/../target/quarkus-app/quarkus-run.jar" validate "$file" | cut -c1-120
