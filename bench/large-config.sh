#!/usr/bin/env bash
# Times `validate` on a configuration of N mirrors (default 20,000) on one host, each under its own sub-path.
# Measured on 2 shared cores, by LargeConfigurationTest: 47 s before the overlap check was made near-linear, 3 s after.
set -euo pipefail
n=${1:-20000}; file=$(mktemp --suffix=.yaml); trap 'rm -f "$file"' EXIT
{ echo "registryMirrors:"; for ((i = 0; i < n; i++)); do echo "  r$i.example.com: {baseDomain: m.example.com, subPath: team/r$i}"; done; } > "$file"
time java -jar "$(dirname "$0")/../target/quarkus-app/quarkus-run.jar" validate "$file" | cut -c1-120
