#!/usr/bin/env bash
# Serving certificates for oci-mirror-webhook without cert-manager: a private CA and a serving certificate for
# the Service DNS names (openssl), the TLS Secret the Deployment mounts, and the caBundle of the
# MutatingWebhookConfiguration (kubectl). Every command can be re-run: it changes only what needs changing.
# Run "webhook-certs.sh --help" for the commands and options.
set -euo pipefail

readonly PROG=${0##*/}

NAMESPACE=oci-mirror-system
SERVICE=oci-mirror-webhook
SECRET=oci-mirror-webhook-tls
WEBHOOK_CONFIGURATION=oci-mirror-webhook
DIR=${OCI_MIRROR_CERTS_DIR:-./oci-mirror-webhook-certs}
DAYS=365
CA_DAYS=3650
# A certificate with fewer days left than this is re-issued by generate/install.
RENEW_WITHIN_DAYS=30
EXTRA_DNS=()
EXTRA_IPS=()
RENEW=false
RENEW_CA=false
KUBECTL_ARGS=()

usage() {
  cat <<EOF
Usage: $PROG COMMAND [OPTIONS]

Certificates for oci-mirror-webhook when cert-manager is not used.

Commands:
  generate            Create the CA and the serving certificate in --dir (openssl only; no kubectl needed).
                      Keeps an existing CA and serving certificate while they are valid for more than
                      --renew-within days and the certificate covers every requested name.
  install             generate, then patch the CA bundle into every webhook of the MutatingWebhookConfiguration
                      and create or update the TLS Secret (in that order, so the API server trusts the issuing CA
                      before the webhook serves a certificate from it).
  rotate              Renew the serving certificate (new key, same CA: the caBundle stays valid) and install it.
                      With --ca, also replace the CA: the bundle then holds the new and the previous CA, so calls
                      keep working while the pods switch certificates.
  finish-ca-rotation  After "rotate --ca" has reached the pods (allow 2 minutes: kubelet sync plus the 30 s
                      reload period), drop the previous CA from the bundle and patch it again.
  show                Print what is in --dir: subjects, names, expiry dates, fingerprints.

Options:
  --dir DIR               Where the keys and certificates live (default: \$OCI_MIRROR_CERTS_DIR or
                          ./oci-mirror-webhook-certs). Keep it private: it holds the CA key.
  -n, --namespace NS      Namespace of the webhook Service and Secret (default: $NAMESPACE).
  --service NAME          Name of the webhook Service (default: $SERVICE).
  --secret NAME           Name of the TLS Secret (default: $SECRET).
  --webhook-configuration NAME
                          Name of the MutatingWebhookConfiguration (default: $WEBHOOK_CONFIGURATION).
  --dns NAME              Another DNS name for the serving certificate (repeatable), e.g. localhost.
  --ip ADDRESS            An IP address for the serving certificate (repeatable), e.g. 127.0.0.1.
  --days N                Validity of a new serving certificate in days (default: $DAYS).
  --ca-days N             Validity of a new CA in days (default: $CA_DAYS).
  --renew-within N        Re-issue certificates that expire within N days (default: $RENEW_WITHIN_DAYS).
  --renew                 generate: issue a new serving certificate even if the current one is fine.
  --renew-ca, --ca        generate/rotate: make a new CA (keeping the previous one in the bundle) and a new
                          serving certificate.
  --context NAME          kubectl context to use (default: the current context; KUBECONFIG is honoured).
  -h, --help              Show this help.

Files in DIR: ca.key, ca.crt (current CA), ca-previous.crt (the CA before the last CA rotation, while it is
still trusted), ca-bundle.crt (what goes into caBundle), tls.key, tls.crt (the serving certificate).

The certificate names the Service DNS names SERVICE, SERVICE.NAMESPACE, SERVICE.NAMESPACE.svc and
SERVICE.NAMESPACE.svc.cluster.local, plus every --dns and --ip.

Examples:
  $PROG install                                       # first install, after: kubectl apply -k deploy/base
  $PROG rotate                                        # new serving certificate, same CA
  $PROG rotate --ca && sleep 120 && $PROG finish-ca-rotation
  $PROG generate --dir target/tls --dns localhost --ip 127.0.0.1   # a local run, no cluster
EOF
}

die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

log() {
  echo "$PROG: $*" >&2
}

require_openssl() {
  command -v openssl >/dev/null 2>&1 \
    || die "openssl is not installed or not on PATH; install it (Debian/Ubuntu: apt-get install openssl," \
      "Fedora/RHEL: dnf install openssl, macOS: brew install openssl) and run again"
}

require_kubectl() {
  command -v kubectl >/dev/null 2>&1 \
    || die "kubectl is not installed or not on PATH; '$1' needs it to talk to the cluster (install kubectl as" \
      "described in the Kubernetes documentation, 'Install Tools'). 'generate' works without kubectl."
}

# ${array[@]+"${array[@]}"} expands an empty array under set -u in bash 3.2 (macOS) too.
kube() {
  kubectl ${KUBECTL_ARGS[@]+"${KUBECTL_ARGS[@]}"} "$@"
}

# --- certificate inspection --------------------------------------------------------------------------------

# True if the certificate in $1 is still valid in $2 days' time.
valid_for_days() {
  openssl x509 -noout -checkend $(($2 * 86400)) -in "$1" >/dev/null 2>&1
}

# True if the private key in $2 belongs to the certificate in $1.
key_matches() {
  local cert_key private_key
  cert_key=$(openssl x509 -noout -pubkey -in "$1" 2>/dev/null) || return 1
  private_key=$(openssl pkey -pubout -in "$2" 2>/dev/null) || return 1
  [[ -n "$cert_key" && "$cert_key" == "$private_key" ]]
}

# True if the certificate in $1 chains to the CA certificate in $2.
issued_by() {
  openssl verify -CAfile "$2" "$1" >/dev/null 2>&1
}

# True if the certificate in $1 carries every requested DNS name and IP address. openssl compares IP addresses
# in binary, so ::1 and 0:0:0:0:0:0:0:1 are the same address.
covers_names() {
  local name address
  for name in "${DNS_NAMES[@]}"; do
    [[ $(openssl x509 -noout -checkhost "$name" -in "$1" 2>/dev/null) == *" does match "* ]] || return 1
  done
  for address in ${EXTRA_IPS[@]+"${EXTRA_IPS[@]}"}; do
    [[ $(openssl x509 -noout -checkip "$address" -in "$1" 2>/dev/null) == *" does match "* ]] || return 1
  done
}

fingerprint() {
  openssl x509 -noout -fingerprint -sha256 -in "$1" | sed 's/^.*=//'
}

# --- generation --------------------------------------------------------------------------------------------

WORK=""
cleanup() {
  if [[ -n "$WORK" ]]; then
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT

openssl_config() {
  local san="" name address
  for name in "${DNS_NAMES[@]}"; do
    san+="${san:+, }DNS:$name"
  done
  for address in ${EXTRA_IPS[@]+"${EXTRA_IPS[@]}"}; do
    san+="${san:+, }IP:$address"
  done
  cat <<EOF
[req]
distinguished_name = dn
prompt = no

[dn]
CN = oci-mirror-webhook

[v3_ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $san
EOF
}

# ECDSA P-256 in PKCS#8 ("BEGIN PRIVATE KEY"): accepted by the API server, kubectl and the JDK.
new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null \
    || die "openssl could not generate an EC P-256 key"
}

# A random positive 128-bit serial number, so that every certificate is told apart.
new_serial() {
  echo "0x$(openssl rand -hex 16)"
}

make_ca() {
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  new_key "$WORK/ca.key"
  openssl req -x509 -new -sha256 -key "$WORK/ca.key" -days "$CA_DAYS" -set_serial "$(new_serial)" \
    -subj "/CN=oci-mirror-webhook CA $stamp" -config "$WORK/openssl.cnf" -extensions v3_ca \
    -out "$WORK/ca.crt" 2>"$WORK/openssl.log" \
    || die "openssl could not create the CA: $(cat "$WORK/openssl.log")"
  if [[ -f "$DIR/ca.crt" ]] && valid_for_days "$DIR/ca.crt" 0; then
    # The API server must keep trusting the old CA until the pods serve a certificate from the new one.
    cp "$DIR/ca.crt" "$WORK/ca-previous.crt"
    mv -f "$WORK/ca-previous.crt" "$DIR/ca-previous.crt"
    log "kept the previous CA in $DIR/ca-previous.crt (in the bundle until finish-ca-rotation)"
  fi
  mv -f "$WORK/ca.key" "$DIR/ca.key"
  mv -f "$WORK/ca.crt" "$DIR/ca.crt"
  log "created a new CA: $(openssl x509 -noout -subject -in "$DIR/ca.crt")"
}

make_serving_certificate() {
  new_key "$WORK/tls.key"
  openssl req -new -sha256 -key "$WORK/tls.key" -subj "/CN=$SERVICE.$NAMESPACE.svc" \
    -config "$WORK/openssl.cnf" -out "$WORK/tls.csr" 2>"$WORK/openssl.log" \
    || die "openssl could not create the certificate request: $(cat "$WORK/openssl.log")"
  openssl x509 -req -sha256 -in "$WORK/tls.csr" -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" \
    -set_serial "$(new_serial)" -days "$DAYS" -extfile "$WORK/openssl.cnf" -extensions v3_server \
    -out "$WORK/tls.crt" 2>"$WORK/openssl.log" \
    || die "openssl could not sign the serving certificate: $(cat "$WORK/openssl.log")"
  # Two renames: a server reading the pair in between sees a new key with the old certificate until its next
  # reload. In Kubernetes the kubelet swaps the whole Secret volume at once, so this only concerns local runs.
  mv -f "$WORK/tls.key" "$DIR/tls.key"
  mv -f "$WORK/tls.crt" "$DIR/tls.crt"
  log "issued a serving certificate for ${DNS_NAMES[*]}${EXTRA_IPS[*]+ ${EXTRA_IPS[*]}} (valid $DAYS days)"
}

write_bundle() {
  cat "$DIR/ca.crt" >"$WORK/ca-bundle.crt"
  if [[ -f "$DIR/ca-previous.crt" ]]; then
    if valid_for_days "$DIR/ca-previous.crt" 0; then
      cat "$DIR/ca-previous.crt" >>"$WORK/ca-bundle.crt"
    else
      log "the previous CA has expired; dropping it from the bundle"
      rm -f "$DIR/ca-previous.crt"
    fi
  fi
  mv -f "$WORK/ca-bundle.crt" "$DIR/ca-bundle.crt"
}

generate() {
  require_openssl
  # Keys, and the directory holding the CA key, are for the owner only.
  umask 077
  mkdir -p "$DIR"
  WORK=$(mktemp -d "$DIR/.work.XXXXXX")
  openssl_config >"$WORK/openssl.cnf"

  local new_ca=false
  if [[ -f "$DIR/ca.crt" && ! -f "$DIR/ca.key" ]]; then
    die "$DIR/ca.crt exists but $DIR/ca.key does not: cannot sign with this CA (use --renew-ca for a new one)"
  fi
  if [[ "$RENEW_CA" == true ]]; then
    new_ca=true
  elif [[ ! -f "$DIR/ca.crt" ]]; then
    new_ca=true
  elif ! key_matches "$DIR/ca.crt" "$DIR/ca.key"; then
    die "$DIR/ca.key does not belong to $DIR/ca.crt (use --renew-ca for a new CA)"
  elif ! valid_for_days "$DIR/ca.crt" "$((RENEW_WITHIN_DAYS + DAYS))"; then
    # A serving certificate must not outlive its CA; renew the CA early enough to issue a full-term one.
    log "the CA expires within $((RENEW_WITHIN_DAYS + DAYS)) days; replacing it"
    new_ca=true
  fi
  if [[ "$new_ca" == true ]]; then
    make_ca
  fi

  local reason=""
  if [[ "$new_ca" == true ]]; then
    reason="the CA is new"
  elif [[ "$RENEW" == true ]]; then
    reason="renewal was asked for"
  elif [[ ! -f "$DIR/tls.crt" || ! -f "$DIR/tls.key" ]]; then
    reason="there is none"
  elif ! key_matches "$DIR/tls.crt" "$DIR/tls.key"; then
    reason="tls.key does not belong to tls.crt"
  elif ! issued_by "$DIR/tls.crt" "$DIR/ca.crt"; then
    reason="it was not issued by the current CA"
  elif ! valid_for_days "$DIR/tls.crt" "$RENEW_WITHIN_DAYS"; then
    reason="it expires within $RENEW_WITHIN_DAYS days"
  elif ! covers_names "$DIR/tls.crt"; then
    reason="it lacks some of the requested names"
  fi
  if [[ -n "$reason" ]]; then
    log "issuing a serving certificate: $reason"
    make_serving_certificate
  else
    log "keeping the serving certificate in $DIR/tls.crt (valid, issued by the current CA, names covered)"
  fi
  write_bundle
  chmod 600 "$DIR/ca.key" "$DIR/tls.key"
}

# --- cluster -----------------------------------------------------------------------------------------------

patch_ca_bundle() {
  local names bundle patch="" index=0 name
  names=$(kube get mutatingwebhookconfiguration "$WEBHOOK_CONFIGURATION" \
    -o jsonpath='{range .webhooks[*]}{.name}{"\n"}{end}') \
    || die "cannot read MutatingWebhookConfiguration $WEBHOOK_CONFIGURATION (apply the manifests first:" \
      "kubectl apply -k deploy/base)"
  [[ -n "$names" ]] || die "MutatingWebhookConfiguration $WEBHOOK_CONFIGURATION has no webhooks"
  bundle=$(openssl base64 -A -in "$DIR/ca-bundle.crt")
  while IFS= read -r name; do
    [[ -z "$name" ]] && continue
    [[ "$name" =~ ^[a-z0-9.-]+$ ]] || die "unexpected webhook name '$name' in $WEBHOOK_CONFIGURATION"
    # The test guards against the list changing between the read above and this patch.
    patch+="${patch:+,}{\"op\":\"test\",\"path\":\"/webhooks/$index/name\",\"value\":\"$name\"}"
    patch+=",{\"op\":\"add\",\"path\":\"/webhooks/$index/clientConfig/caBundle\",\"value\":\"$bundle\"}"
    index=$((index + 1))
  done <<<"$names"
  kube patch mutatingwebhookconfiguration "$WEBHOOK_CONFIGURATION" --type=json -p "[$patch]" >/dev/null
  log "patched the CA bundle into $index webhook(s) of MutatingWebhookConfiguration $WEBHOOK_CONFIGURATION"
}

apply_secret() {
  kube create secret tls "$SECRET" --namespace "$NAMESPACE" --cert="$DIR/tls.crt" --key="$DIR/tls.key" \
    --dry-run=client -o yaml | kube apply -f - >/dev/null
  log "applied Secret $NAMESPACE/$SECRET (serving certificate $(fingerprint "$DIR/tls.crt"))"
}

check_namespace() {
  local output
  output=$(kube get namespace "$NAMESPACE" -o name 2>&1) \
    || die "cannot read namespace $NAMESPACE (apply the manifests first: kubectl apply -k deploy/base):" \
      "$output"
}

install() {
  require_kubectl "$COMMAND"
  generate
  check_namespace
  patch_ca_bundle
  apply_secret
  log "done; running pods serve the new certificate within about two minutes (kubelet sync of the Secret" \
    "volume, then the server's 30 s reload period)"
}

finish_ca_rotation() {
  require_openssl
  require_kubectl "$COMMAND"
  [[ -f "$DIR/ca.crt" && -f "$DIR/tls.crt" ]] || die "no CA or serving certificate in $DIR"
  issued_by "$DIR/tls.crt" "$DIR/ca.crt" \
    || die "$DIR/tls.crt was not issued by the current CA; run '$PROG rotate' first"
  local deployed
  deployed=$(kube get secret "$SECRET" --namespace "$NAMESPACE" -o jsonpath='{.data.tls\.crt}') \
    || die "cannot read Secret $NAMESPACE/$SECRET"
  [[ "$deployed" == "$(openssl base64 -A -in "$DIR/tls.crt")" ]] \
    || die "Secret $NAMESPACE/$SECRET does not hold $DIR/tls.crt; run '$PROG install' first"
  if [[ ! -f "$DIR/ca-previous.crt" ]]; then
    log "no previous CA in $DIR; the bundle holds only the current CA"
  fi
  rm -f "$DIR/ca-previous.crt"
  WORK=$(mktemp -d "$DIR/.work.XXXXXX")
  write_bundle
  patch_ca_bundle
}

show_certificate() {
  local label=$1 file=$2
  [[ -f "$file" ]] || return 0
  echo "$label ($file)"
  openssl x509 -noout -subject -issuer -serial -startdate -enddate -in "$file" | sed 's/^/  /'
  openssl x509 -noout -ext subjectAltName -in "$file" 2>/dev/null | sed -n '2,$s/^ */  names: /p'
  echo "  sha256 fingerprint: $(fingerprint "$file")"
}

show() {
  require_openssl
  [[ -d "$DIR" ]] || die "$DIR does not exist; run '$PROG generate' first"
  show_certificate "CA" "$DIR/ca.crt"
  show_certificate "previous CA" "$DIR/ca-previous.crt"
  show_certificate "serving certificate" "$DIR/tls.crt"
  if [[ -f "$DIR/tls.crt" && -f "$DIR/ca-bundle.crt" ]]; then
    if issued_by "$DIR/tls.crt" "$DIR/ca-bundle.crt"; then
      echo "the serving certificate chains to the bundle ($DIR/ca-bundle.crt)"
    else
      echo "the serving certificate does NOT chain to the bundle ($DIR/ca-bundle.crt)"
    fi
  fi
}

# --- command line ------------------------------------------------------------------------------------------

need_value() {
  [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value (see --help)"
}

need_number() {
  [[ "$2" =~ ^[0-9]+$ ]] || die "$1 needs a whole number of days, not '$2'"
}

[[ $# -gt 0 ]] || {
  usage >&2
  exit 2
}
COMMAND=$1
shift
case "$COMMAND" in
  -h | --help | help)
    usage
    exit 0
    ;;
  generate | install | rotate | finish-ca-rotation | show) ;;
  *) die "unknown command '$COMMAND' (see --help)" ;;
esac

while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) need_value "$@"; DIR=$2; shift 2 ;;
    -n | --namespace) need_value "$@"; NAMESPACE=$2; shift 2 ;;
    --service) need_value "$@"; SERVICE=$2; shift 2 ;;
    --secret) need_value "$@"; SECRET=$2; shift 2 ;;
    --webhook-configuration) need_value "$@"; WEBHOOK_CONFIGURATION=$2; shift 2 ;;
    --dns) need_value "$@"; EXTRA_DNS+=("$2"); shift 2 ;;
    --ip) need_value "$@"; EXTRA_IPS+=("$2"); shift 2 ;;
    --days) need_value "$@"; need_number "$1" "$2"; DAYS=$2; shift 2 ;;
    --ca-days) need_value "$@"; need_number "$1" "$2"; CA_DAYS=$2; shift 2 ;;
    --renew-within) need_value "$@"; need_number "$1" "$2"; RENEW_WITHIN_DAYS=$2; shift 2 ;;
    --renew) RENEW=true; shift ;;
    --renew-ca | --ca) RENEW_CA=true; shift ;;
    --context) need_value "$@"; KUBECTL_ARGS+=(--context "$2"); shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

# Otherwise every run would find the new certificate (or CA) already due for renewal.
((DAYS > RENEW_WITHIN_DAYS)) || die "--days ($DAYS) must be more than --renew-within ($RENEW_WITHIN_DAYS)"
((CA_DAYS > DAYS + RENEW_WITHIN_DAYS)) \
  || die "--ca-days ($CA_DAYS) must be more than --days plus --renew-within ($((DAYS + RENEW_WITHIN_DAYS)))"
[[ "$SERVICE" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "--service '$SERVICE' is not a Kubernetes Service name"
[[ "$NAMESPACE" =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || die "--namespace '$NAMESPACE' is not a namespace name"

DNS_NAMES=("$SERVICE" "$SERVICE.$NAMESPACE" "$SERVICE.$NAMESPACE.svc" "$SERVICE.$NAMESPACE.svc.cluster.local")
DNS_NAMES+=(${EXTRA_DNS[@]+"${EXTRA_DNS[@]}"})

case "$COMMAND" in
  generate) generate ;;
  install) install ;;
  rotate)
    RENEW=true
    install
    ;;
  finish-ca-rotation) finish_ca_rotation ;;
  show) show ;;
esac
