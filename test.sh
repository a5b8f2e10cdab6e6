#!/usr/bin/env bash
# Runs every test: installs what the tests need where it can (as root, with apt-get), checks kubectl, then
# ./mvnw -B verify. Arguments are passed on to Maven (./test.sh -Dtest=... -Dsurefire.failIfNoSpecifiedTests=false).
set -euo pipefail
cd "$(dirname "$0")"

# The Debian packages of src/test/java/io/ocimirror/testing/RequiredTool.java.
packages=(openssl docker-registry apache2-utils prometheus)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "The tests need these Debian packages: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v kubectl >/dev/null; then
  echo "kubectl is needed to render deploy/ (kubectl kustomize). Install kubectl 1.27 or newer: from the" \
    "Kubernetes apt repository (pkgs.k8s.io, then apt-get install -y kubectl) or the release binary, see" \
    "https://kubernetes.io/docs/tasks/tools/" >&2
  exit 1
fi

./mvnw -B verify "$@"
