#!/usr/bin/env bash
# A stand-in for kubectl in tests of certs-scripts/webhook-certs.sh: answers the few calls the script makes from
# a state directory instead of a cluster, and records what it was asked to change.
#   FAKE_KUBECTL_STATE   directory: calls.log (one call a line), webhooks (names, one a line),
#                        patch-N.json (each JSON patch), applied-N.yaml (each applied manifest)
set -euo pipefail
state=${FAKE_KUBECTL_STATE:?FAKE_KUBECTL_STATE must be set}
echo "$*" >>"$state/calls.log"

next() {
  local n=0
  while [[ -e "$state/$1-$n.$2" ]]; do n=$((n + 1)); done
  echo "$state/$1-$n.$2"
}

args=("$@")
if [[ "${args[0]:-}" == --context ]]; then
  args=("${args[@]:2}")
fi

case "${args[0]:-} ${args[1]:-}" in
  "get namespace")
    echo "namespace/${args[2]}"
    ;;
  "get mutatingwebhookconfiguration")
    [[ -f "$state/webhooks" ]] || { echo "Error from server (NotFound)" >&2; exit 1; }
    cat "$state/webhooks"
    ;;
  "get secret")
    latest=""
    n=0
    while [[ -e "$state/applied-$n.yaml" ]]; do latest="$state/applied-$n.yaml"; n=$((n + 1)); done
    [[ -n "$latest" ]] || { echo "Error from server (NotFound)" >&2; exit 1; }
    sed -n 's/^  tls.crt: //p' "$latest"
    ;;
  "create secret")
    name=${args[3]} namespace="" cert="" key=""
    for arg in "${args[@]}"; do
      case "$arg" in
        --cert=*) cert=${arg#--cert=} ;;
        --key=*) key=${arg#--key=} ;;
      esac
    done
    for ((i = 0; i < ${#args[@]}; i++)); do
      [[ "${args[i]}" == --namespace ]] && namespace=${args[i + 1]}
    done
    cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $name
  namespace: $namespace
type: kubernetes.io/tls
data:
  tls.crt: $(openssl base64 -A -in "$cert")
  tls.key: $(openssl base64 -A -in "$key")
YAML
    ;;
  "apply -f")
    cat >"$(next applied yaml)"
    echo "secret/applied"
    ;;
  "patch mutatingwebhookconfiguration")
    for ((i = 0; i < ${#args[@]}; i++)); do
      [[ "${args[i]}" == -p ]] && printf '%s' "${args[i + 1]}" >"$(next patch json)"
    done
    echo "mutatingwebhookconfiguration.admissionregistration.k8s.io/${args[2]} patched"
    ;;
  *)
    echo "fake kubectl: unexpected call: $*" >&2
    exit 3
    ;;
esac
