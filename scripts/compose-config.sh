#!/usr/bin/env bash
# Validates docker-compose.yml with `docker compose config` (no Docker engine needed). Where the Compose v2
# plugin is missing, it is built once from the Go module proxy (github.com/docker/compose/v2, whose go.mod has
# `exclude` directives that `go install pkg@version` refuses: so it is built from a tiny module of ours that
# repeats them) and cached next to the Temporal tools.
set -euo pipefail
cd "$(dirname "$0")/.."
COMPOSE_VERSION=v2.40.3
log() { printf '[compose] %s\n' "$*" >&2; }

if docker compose version >/dev/null 2>&1; then
  exec docker compose config -q
fi
tools="${BAOCAO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/baocao/tools}"
plugin="$tools/docker-compose-$COMPOSE_VERSION/docker-compose"
if [ ! -x "$plugin" ]; then
  command -v go >/dev/null || { log "neither the docker compose plugin nor Go is installed: install Go (apt-get install golang-go) or Docker Compose v2"; exit 1; }
  log "building Docker Compose $COMPOSE_VERSION from the Go module proxy (first run only, a few minutes)…"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  gomod=$(cd "$work" && go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  {
    echo "module baocao.local/compose-build"
    echo
    echo "go 1.24"
    echo
    echo "require github.com/docker/compose/v2 $COMPOSE_VERSION"
    sed -n '/^exclude (/,/^)/p' "$gomod"
  } >"$work/go.mod"
  (cd "$work" && go get "github.com/docker/compose/v2/cmd@$COMPOSE_VERSION" >/dev/null 2>&1)
  (cd "$work" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -o "$work/docker-compose" github.com/docker/compose/v2/cmd)
  mkdir -p "$(dirname "$plugin")"
  mv "$work/docker-compose" "$plugin"
fi
# the plugin binary also runs standalone: `docker-compose config` is `docker compose config`
exec "$plugin" config -q
