#!/bin/sh
# Registers the baocao namespace and its custom search attributes on a self-hosted Temporal cluster, with the
# `temporal` CLI (the temporalio/admin-tools image has it). Safe to run on every deploy: existing settings are
# kept, the retention follows TEMPORAL_NAMESPACE_RETENTION, and a search attribute registered with another
# type stops the deploy instead of being silently reused.
#
# The CLI reads the same connection variables as baocao: TEMPORAL_ADDRESS, TEMPORAL_TLS_CERT/KEY/CA,
# TEMPORAL_API_KEY. (Temporal Cloud namespaces are managed in the Cloud console or with tcld instead.)
set -eu

namespace=${TEMPORAL_NAMESPACE:-baocao}
retention=${TEMPORAL_NAMESPACE_RETENTION:-30d}
attempts=${TEMPORAL_SETUP_ATTEMPTS:-60}
pause=${TEMPORAL_SETUP_PAUSE_SECONDS:-2}

# name=Type for every key in workflows/search-attributes.ts (test/deploy/ fails when the two lists differ).
SEARCH_ATTRIBUTES="BaocaoCycle=Keyword BaocaoUnit=Keyword BaocaoParent=Keyword BaocaoPhase=Keyword BaocaoOverdue=Bool BaocaoCampaign=Keyword"

log() { printf '[temporal-setup] %s\n' "$*" >&2; }

# Runs "$@" until it succeeds; output of the last failure is shown. A failure whose output matches $fatal
# (when set) is not retried: it will not fix itself.
retry() {
  what=$1
  shift
  n=1
  while :; do
    if out=$("$@" 2>&1); then
      return 0
    fi
    if [ -n "${fatal:-}" ] && printf '%s' "$out" | grep -q "$fatal"; then
      log "$what failed: $out"
      return 1
    fi
    if [ "$n" -ge "$attempts" ]; then
      log "$what still failing after $attempts attempts: $out"
      return 1
    fi
    n=$((n + 1))
    sleep "$pause"
  done
}

log "waiting for Temporal at ${TEMPORAL_ADDRESS:-localhost:7233}…"
retry "cluster health" temporal operator cluster health

if temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; then
  log "namespace $namespace exists; setting its retention to $retention"
  retry "namespace update" temporal operator namespace update --namespace "$namespace" --retention "$retention"
else
  log "registering namespace $namespace (retention $retention)"
  retry "namespace create" temporal operator namespace create --namespace "$namespace" --retention "$retention"
fi

for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  # A new namespace takes a few seconds to reach every frontend cache: retry, except on a type clash.
  fatal='different type' retry "search attribute $name ($type)" \
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type"
done

# Check the result as the server sees it, not as we asked for it.
listed=$(temporal operator search-attribute list --namespace "$namespace")
for pair in $SEARCH_ATTRIBUTES; do
  name=${pair%%=*}
  type=${pair#*=}
  actual=$(printf '%s\n' "$listed" | awk -v n="$name" '$1 == n { print $2 }')
  if [ "$actual" != "$type" ]; then
    log "search attribute $name is '${actual:-missing}' on namespace $namespace, expected $type"
    exit 1
  fi
done
log "namespace $namespace is ready with search attributes: $SEARCH_ATTRIBUTES"
