#!/bin/bash
# make-archive-fixtures.sh - regenerate fixtures/archive/ with the local
# PostgreSQL (Debian's postgresql package: pg_dump 15 writes archive 1.14).
#
# Starts a throw-away server (tests/lib/pg.sh), loads a _prisma_migrations
# table (prisma.md §1.1 DDL) with awkward rows and a "LiteLLM_SpendLogs"
# table whose data sits before it in every archive, then dumps it in every
# archive form pg_dump 15 can write. The expected rows come from the
# database itself (expected*.json: a query that emits JSON, timestamps as
# PostgreSQL prints them in UTC, in the order pg_dump writes them).
#
# pg_dump 15 has no lz4/zstd for archives (PG 16+): those cases are covered
# by the pg_dump 18 samples in $MIGDOCTOR_SHARED/samples when present.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/fixtures/archive
source "$root/tests/lib/pg.sh"
WORK=$(mktemp -d)
pg_start
chmod 777 "$WORK"

pg_psql -c "CREATE DATABASE app"
export PGDATABASE=app
pg_psql <<'SQL'
CREATE TABLE _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE "LiteLLM_SpendLogs" (
    request_id text PRIMARY KEY,
    "startTime" timestamp(3) NOT NULL,
    spend double precision DEFAULT 0.0,
    messages jsonb DEFAULT '{}'::jsonb
);
INSERT INTO "LiteLLM_SpendLogs"
SELECT 'req-' || g, timestamp '2026-01-01' + g * interval '1 second', g * 0.001,
       jsonb_build_object('n', g, 'text', repeat('x', g % 50))
FROM generate_series(1, 1000) g;
SET timezone = 'UTC';
INSERT INTO _prisma_migrations VALUES
-- applied by deploy; microseconds
('0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01', '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
 '2026-01-16 14:27:56.123456+00', '20260116142700_init', NULL, NULL, '2026-01-16 14:27:56.012+00', 1),
-- failed: multi-line logs with tab, CR, backslashes, quotes, a "\." line and a "\N" line
('7d3f8c2a-9b41-4e6d-8f21-3c5e9a7b1d02', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
 NULL, '20260117093000_add_spend_logs',
 E'Database error code: 42P07\n\nERROR: relation "LiteLLM_SpendLogs" already exists\n\tat C:\\app\\x.rs:1\r\n\\.\n\\N\nend; ''quoted'' $$dollar$$ -- not a comment',
 NULL, '2026-01-17 09:30:00+00', 0),
-- resolve --applied: logs is the empty string, started_at = finished_at
('a1b2c3d4-0000-4000-8000-000000000003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9',
 '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0),
-- logs is the two characters \N, not NULL; rolled back; non-ASCII
('a1b2c3d4-0000-4000-8000-000000000004', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9',
 NULL, '20260119000000_rolled_ünïcødé', E'\\N', '2026-01-19 12:05:00.000001+00', '2026-01-19 12:00:00.5+00', 2),
-- a long, poorly compressible logs value (spans several compressed chunks)
-- and a name with ; and '
('e5e5e5e5-0000-4000-8000-000000000005', 'aaaa5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d15',
 NULL, '20260120000000_semi;colon''quote', (SELECT string_agg(md5(g::text), E'\t\n') FROM generate_series(1, 700) g), NULL,
 '1999-12-31 23:59:59+00', 0),
-- timestamps at the edges
('f6f6f6f6-0000-4000-8000-000000000006', 'bbbb5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d15',
 'infinity', '20260121000000_edge', NULL, NULL, '2026-01-21 05:53:28.1+00', 1);
CREATE SCHEMA "Tenant One";
CREATE TABLE "Tenant One"._prisma_migrations (LIKE public._prisma_migrations INCLUDING ALL);
INSERT INTO "Tenant One"._prisma_migrations SELECT * FROM public._prisma_migrations
WHERE applied_steps_count = 1;
SQL

expected() { # schema -> JSON array of the rows, as the database sees them
	pg_psql -At -c "SET timezone = 'UTC'" -c "
SELECT coalesce(json_agg(json_build_object(
  'id', id, 'checksum', checksum, 'finished_at', finished_at::text,
  'migration_name', migration_name, 'logs', logs, 'rolled_back_at', rolled_back_at::text,
  'started_at', started_at::text, 'applied_steps_count', applied_steps_count) ORDER BY ctid), '[]')
FROM \"$1\"._prisma_migrations" | jq -S .
}

rm -rf "$out"
mkdir -p "$out"
cd "$WORK"
expected public >"$out/expected.json"
expected "Tenant One" >"$out/expected_tenant.json"

# dumps of the public schema only (one _prisma_migrations); the data is
# written in a non-UTC session so offsets must be normalised
only="-n public"
dump() { PGTZ=America/St_Johns pg_dump "$@"; }
dump $only -Fc -f custom.dump
dump $only -Fc -Z0 -f custom_z0.dump
dump $only -Fc -Z9 -f custom_z9.dump
dump $only -Fc | cat >custom_pipe.dump
dump $only -Fc -Z0 | cat >custom_pipe_z0.dump
dump $only -Fc --inserts -f custom_inserts.dump
dump $only -Fc --column-inserts --rows-per-insert=2 -f custom_colins.dump
dump $only -Fd -f dir
dump $only -Fd -Z0 -f dir_z0
dump $only -Ft -f tar.tar
tar -czf dir.tar.gz dir
# both schemas: reading needs --schema-name
dump -Fc -f two_schemas.dump
# no rows: schema only; and a dump without the table at all
dump $only -Fc -s -f schema_only.dump
dump -Fc -t '"LiteLLM_SpendLogs"' -f no_table.dump
cp -r custom.dump custom_z0.dump custom_z9.dump custom_pipe.dump custom_pipe_z0.dump \
	custom_inserts.dump custom_colins.dump dir dir_z0 tar.tar dir.tar.gz two_schemas.dump \
	schema_only.dump no_table.dump "$out/"
chmod -R u+rwX,go+rX "$out"
pg_dump --version | sed 's/^/made with: /' >"$out/VERSION"
du -sh "$out"
