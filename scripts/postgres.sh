#!/usr/bin/env bash
# A private PostgreSQL server for tests and development on Debian, without Docker.
#
#   bash scripts/postgres.sh          start (or reuse) the server, create the database, print DATABASE_URL
#   bash scripts/postgres.sh status   print DATABASE_URL if the server is running, exit 3 if not
#   bash scripts/postgres.sh stop     stop the server (the data stays; the next start reuses it)
#
#   export DATABASE_URL=$(bash scripts/postgres.sh)
#
# Progress goes to stderr; the URL is the last (and only) line on stdout. The cluster lives in .tools/pg/
# (ignored by git), listens on 127.0.0.1:55432 only and trusts loopback connections: it is a throw-away test
# database, never a production one. PostgreSQL refuses to run as root, so as root (CI) the server runs as the
# `postgres` system user that Debian's package creates.
#
# Settings (environment): BAOCAO_PG_DIR (default <project>/.tools/pg), BAOCAO_PG_PORT (55432),
# BAOCAO_PG_DB (baocao_test).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
port=${BAOCAO_PG_PORT:-55432}
host=127.0.0.1
db=${BAOCAO_PG_DB:-baocao_test}
# The database superuser of this private cluster (not an OS user).
pg_user=baocao

log() { printf '[postgres] %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

# Newest PostgreSQL installed from Debian's packages (the server binaries are not on PATH there).
find_bindir() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/pg_ctl' -printf '%h\n' 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && printf '%s\n' "$dir"
}

install_postgres() {
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and this is not a Debian-like system (no apt-get). Install PostgreSQL 13 or newer, then run again."
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    # password-less sudo only: this runs unattended under npm test
    sudo -n true 2>/dev/null || die "PostgreSQL is not installed. Install it once with: sudo apt-get update && sudo apt-get install -y postgresql — then run this script again."
    as_root=(sudo -n)
  fi
  log "installing PostgreSQL from Debian's packages (first run only)…"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  case "${1:-start}" in
    stop | status) die "PostgreSQL is not installed, so no server is running." ;;
  esac
  install_postgres
  bindir=$(find_bindir || true)
  [ -n "$bindir" ] || die "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/pg_ctl was found."
fi

# Who runs the server: ourselves, or the unprivileged `postgres` user when we are root.
if [ "$(id -u)" -eq 0 ]; then
  run_user=postgres
  id "$run_user" >/dev/null 2>&1 || die "running as root, but there is no '$run_user' user to run the server as (it comes with Debian's postgresql package)."
  as_server() { (cd / && runuser -u "$run_user" -- "$@"); }
else
  run_user=$(id -un)
  as_server() { (cd / && "$@"); }
fi

# The cluster lives under the project unless the server's user cannot reach it (a checkout under /root, say):
# then in a private folder under /tmp named after the project path, so start and stop agree on where it is.
pick_dir() {
  local wanted=${BAOCAO_PG_DIR:-$here/.tools/pg}
  mkdir -p "$wanted"
  [ "$(id -u)" -eq 0 ] && chown "$run_user" "$wanted"
  if as_server test -w "$wanted" -a -x "$wanted"; then
    printf '%s\n' "$wanted"
    return
  fi
  [ -n "${BAOCAO_PG_DIR:-}" ] && die "BAOCAO_PG_DIR=$wanted is not writable by the '$run_user' user."
  local fallback
  fallback=/tmp/baocao-pg-$(printf '%s' "$here" | cksum | cut -d' ' -f1)
  mkdir -p "$fallback"
  chown "$run_user" "$fallback"
  chmod 700 "$fallback"
  log "the '$run_user' user cannot write $wanted (a parent folder is private); using $fallback instead"
  printf '%s\n' "$fallback"
}
pgdir=$(pick_dir)
data=$pgdir/data
sockets=$pgdir/run
logfile=$pgdir/postgres.log
url="postgres://$pg_user@$host:$port/$db"

pg_ctl() { as_server "$bindir/pg_ctl" -D "$data" "$@"; }
is_running() { [ -f "$data/PG_VERSION" ] && pg_ctl status >/dev/null 2>&1; }
sql() { "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$host" -p "$port" -U "$pg_user" -d postgres -tA -c "$1"; }

init_cluster() {
  log "creating a private cluster in $data (PostgreSQL $("$bindir/pg_ctl" --version | awk '{print $3}'))"
  as_server mkdir -p "$data" "$sockets"
  as_server chmod 700 "$data" "$sockets"
  local locale=C
  locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8 # Unicode-aware lower()/upper() for Vietnamese
  as_server "$bindir/initdb" -D "$data" -U "$pg_user" --auth=trust --encoding=UTF8 --locale="$locale" >/dev/null
  # Loopback only, trusted: a disposable test database. No durability needed, so no fsync (much faster tests).
  as_server sh -c "cat >> '$data/postgresql.conf'" <<EOF

# --- baocao scripts/postgres.sh ---
listen_addresses = '$host'
port = $port
unix_socket_directories = '$sockets'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
timezone = 'UTC'
EOF
  as_server sh -c "cat > '$data/pg_hba.conf'" <<EOF
# baocao test cluster: trust on the private socket and on 127.0.0.1 only.
local all all trust
host  all all 127.0.0.1/32 trust
EOF
}

start() {
  if is_running; then
    log "reusing the running server in $data"
  else
    if "$bindir/pg_isready" -q -h "$host" -p "$port"; then
      die "another PostgreSQL already listens on $host:$port. Stop it, or choose another port with BAOCAO_PG_PORT."
    fi
    [ -f "$data/PG_VERSION" ] || init_cluster
    log "starting PostgreSQL on $host:$port (log: $logfile)"
    as_server touch "$logfile"
    pg_ctl -l "$logfile" -w -t 60 start >/dev/null || {
      tail -n 20 "$logfile" >&2 || true
      die "PostgreSQL did not start (see $logfile)."
    }
  fi
  "$bindir/pg_isready" -q -h "$host" -p "$port" -t 30 || die "the server in $data runs but does not answer on $host:$port (another port in its postgresql.conf?)."
  if [ "$(sql "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
    log "creating database $db"
    sql "CREATE DATABASE \"$db\" ENCODING 'UTF8' TEMPLATE template0" >/dev/null
  fi
  printf '%s\n' "$url"
}

stop() {
  if is_running; then
    pg_ctl -m fast -w stop >/dev/null
    log "stopped the server in $data"
  else
    log "no server running in $data"
  fi
}

status() {
  if is_running; then
    log "running in $data"
    printf '%s\n' "$url"
  else
    log "not running ($data)"
    exit 3
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) die "usage: bash scripts/postgres.sh [start|status|stop]" ;;
esac
