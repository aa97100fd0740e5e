#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas up to the version of this
# temporalio/admin-tools image. Runs before the server on every `docker compose up`: a no-op when nothing
# changed, and the schema migration step when the image versions are raised (same version for server and
# admin-tools, one minor version at a time — see docs/PRODUCTION.md).
#
# Connection: SQL_HOST, SQL_PORT, SQL_USER, SQL_PASSWORD, SQL_PLUGIN (read by temporal-sql-tool itself).
set -eu

schema_root=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
db=${TEMPORAL_DB_NAME:-temporal}
visibility_db=${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}

log() { printf '[temporal-schema] %s\n' "$*" >&2; }

# `create` ignores an existing database; `setup-schema -v 0.0` only creates the version tables when missing;
# `update-schema` applies the versioned migrations not yet applied.
setup() {
  name=$1
  dir=$2
  log "database $name: schema from $dir"
  temporal-sql-tool --db "$name" create
  temporal-sql-tool --db "$name" setup-schema -v 0.0
  temporal-sql-tool --db "$name" update-schema -d "$dir"
}

setup "$db" "$schema_root/temporal/versioned"
setup "$visibility_db" "$schema_root/visibility/versioned"
log "schemas are up to date"
