#!/bin/bash
# make-history-fixtures.sh - export one _prisma_migrations table in every
# format the local pg_dump/psql (PostgreSQL 15) can write, into
# fixtures/history/, with the rows 'migdoctor history --format json' must
# print for them, computed by PostgreSQL itself (not by migdoctor).
#
#   scripts/make-history-fixtures.sh [OUTDIR]     (default fixtures/history)
#
# Expected rows (one JSON object per line, compared sorted):
#   expected.jsonl          public._prisma_migrations of database app
#   expected_display.jsonl  the same as psql displays it (aligned/expanded/
#                           unaligned/psql --csv): NULL and '' alike in logs
#                           (null + "ambiguous": ["logs"]), tabs expanded,
#                           CR shown as \r, other control characters as \xNN
#   expected_display_exact.jsonl  the same with \pset null set: NULL and '' apart
#   expected_psqlcsv.jsonl  psql --csv: values exact, NULL and '' alike
#   expected_tenant.jsonl   "Tenant One"._prisma_migrations
#   expected_app2.jsonl     database app2 (pg_dumpall)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/fixtures/history}
WORK=$(mktemp -d)
. "$root/tests/lib/pg.sh"
pg_start
mkdir -p "$out"

pg_psql -c "CREATE DATABASE app" -c "CREATE DATABASE app2"
export PGDATABASE=app
pg_psql <<'SQL'
-- Prisma's DDL, exactly (reference/prisma.md 1.1)
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
SET TimeZone = 'UTC';
INSERT INTO _prisma_migrations VALUES
 -- applied by deploy: finished, steps 1, logs NULL, 6 fractional digits
 ('0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01', '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8',
  '2026-01-16 14:27:56.123456+00', '20260116142700_init', NULL, NULL, '2026-01-16 14:27:56.012+00', 1),
 -- failed: multi-line logs with quotes, backslashes, tabs, CR, ANSI escapes, unicode, | , ;
 ('7d3f8c2a-9b41-4e6d-8f21-3c5e9a7b1d02', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
  NULL, '20260117093000_add_spend_logs',
  E'Database error code: 42P07\n\nDatabase error:\nERROR: relation "LiteLLM_SpendLogs" already exists\n'
  || E'DbError { message: "relation \\"x\\" exists", file: Some("heap.c") }\n'
  || E'\tat C:\\app\\x.rs:106\r\n\x1b[31mred\x1b[0m ünïcødé € 日本 | a, b; ''q''\n'
  || E'\\N is not NULL here\nlast line',
  NULL, '2026-01-17 09:30:00+00', 0),
 -- prisma migrate resolve --applied: logs '', finished_at = started_at, steps 0
 ('a1b2c3d4-0000-4000-8000-000000000003', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9',
  '2026-01-18 00:00:00+00', '20260118000000_baseline', '', NULL, '2026-01-18 00:00:00+00', 0),
 -- rolled back after a failure (resolve --rolled-back), 1 and 5 fractional digits
 ('a1b2c3d4-0000-4000-8000-000000000004', 'fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9',
  NULL, '20260119000000_rolled', 'Database error code: 23505', '2026-01-19 12:05:00.00001+00',
  '2026-01-19 12:00:00.5+00', 0),
 -- interrupted: no finish, no logs
 ('a1b2c3d4-0000-4000-8000-000000000005', '0000000000000000000000000000000000000000000000000000000000000000',
  NULL, '20260120000000_interrupted', NULL, NULL, '2026-01-20 08:00:00.000001+00', 1),
 -- an old instant: in Asia/Kolkata it prints with the LMT offset +05:53:28
 ('a1b2c3d4-0000-4000-8000-000000000006', 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  '1850-01-01 00:00:00+00', '18500101000000_old', NULL, NULL, '1850-01-01 00:00:00+00', 1);

CREATE TABLE "LiteLLM_SpendLogs" (request_id text PRIMARY KEY, "startTime" timestamp(3) NOT NULL,
  spend double precision DEFAULT 0.0, messages jsonb DEFAULT '{}'::jsonb);
CREATE INDEX "LiteLLM_SpendLogs_startTime_idx" ON "LiteLLM_SpendLogs" ("startTime");
INSERT INTO "LiteLLM_SpendLogs" SELECT 'req-' || g, timestamp '2026-01-01' + g * interval '1 second',
  g * 0.001, jsonb_build_object('n', g, 'text', E'a\tb\\c "q"\n;') FROM generate_series(1, 120) g;
CREATE TYPE "UserRole" AS ENUM ('ADMIN', 'USER');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."startTime" := now(); -- a ';' inside a dollar-quoted body
  RETURN NEW;
END $$;

CREATE SCHEMA "Tenant One";
CREATE TABLE "Tenant One"._prisma_migrations (LIKE public._prisma_migrations INCLUDING ALL);
INSERT INTO "Tenant One"._prisma_migrations
  SELECT * FROM public._prisma_migrations WHERE migration_name IN ('20260116142700_init', '20260118000000_baseline');
SQL
PGDATABASE=app2 pg_psql <<'SQL'
CREATE TABLE _prisma_migrations (
    id VARCHAR(36) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL, finished_at TIMESTAMPTZ,
    migration_name VARCHAR(255) NOT NULL, logs TEXT, rolled_back_at TIMESTAMPTZ,
    started_at TIMESTAMPTZ NOT NULL DEFAULT now(), applied_steps_count INTEGER NOT NULL DEFAULT 0);
INSERT INTO _prisma_migrations VALUES ('99999999-0000-4000-8000-000000000001',
  'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee', '2026-02-01 00:00:00+00',
  '20260201000000_other_db', NULL, NULL, '2026-02-01 00:00:00+00', 1);
SQL

# --- expected rows, rendered by PostgreSQL ---
row_sql() { # table, logs expression, extra
	cat <<SQL
SET TimeZone = 'UTC';
CREATE FUNCTION pg_temp.j(t text) RETURNS text LANGUAGE sql AS \$\$ SELECT coalesce(to_json(t)::text, 'null') \$\$;
-- what psql shows of a value: tabs expanded to 8 columns, CR as \r, other control characters as \xNN
CREATE FUNCTION pg_temp.disp(t text) RETURNS text LANGUAGE plpgsql AS \$\$
DECLARE r text := ''; col int := 0; c text;
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  FOR i IN 1 .. length(t) LOOP
    c := substr(t, i, 1);
    IF c = E'\n' THEN r := r || c; col := 0;
    ELSIF c = E'\t' THEN r := r || repeat(' ', 8 - col % 8); col := col + 8 - col % 8;
    ELSIF c = E'\r' THEN r := r || '\r'; col := col + 2;
    ELSIF ascii(c) < 32 OR ascii(c) = 127 THEN r := r || '\x' || upper(lpad(to_hex(ascii(c)), 2, '0')); col := col + 4;
    ELSE r := r || c; col := col + 1;
    END IF;
  END LOOP;
  RETURN r;
END \$\$;
SELECT '{"id": ' || pg_temp.j(id) || ', "checksum": ' || pg_temp.j(checksum)
  || ', "finished_at": ' || pg_temp.j(finished_at::text)
  || ', "migration_name": ' || pg_temp.j(migration_name)
  || ', "logs": ' || pg_temp.j($2)
  || ', "rolled_back_at": ' || pg_temp.j(rolled_back_at::text)
  || ', "started_at": ' || pg_temp.j(started_at::text)
  || ', "applied_steps_count": ' || coalesce(applied_steps_count::text, 'null')
  || $3 || '}'
FROM $1;
SQL
}
expected() { # file table logs-expr extra [db]
	row_sql "$2" "$3" "$4" | PGDATABASE=${5:-app} psql -X -q -A -t -v ON_ERROR_STOP=1 | LC_ALL=C sort >"$out/$1"
}
expected expected.jsonl _prisma_migrations logs "''"
expected expected_tenant.jsonl '"Tenant One"._prisma_migrations' logs "''"
expected expected_app2.jsonl _prisma_migrations logs "''" app2
expected expected_psqlcsv.jsonl _prisma_migrations "nullif(logs, '')" \
	"CASE WHEN coalesce(logs, '') = '' THEN ', \"ambiguous\": [\"logs\"]' ELSE '' END"
expected expected_display_exact.jsonl _prisma_migrations "pg_temp.disp(logs)" "''"
expected expected_display.jsonl _prisma_migrations "nullif(pg_temp.disp(logs), '')" \
	"CASE WHEN coalesce(logs, '') = '' THEN ', \"ambiguous\": [\"logs\"]' ELSE '' END"

# --- exports ---
q='SELECT * FROM _prisma_migrations'
cd "$out"
# CSV
psql -X -q -c "COPY _prisma_migrations TO STDOUT WITH (FORMAT csv, HEADER)" >csv_copy.csv
PGTZ=America/New_York psql -X -q -c "\\copy _prisma_migrations to 'csv_client_ny.csv' csv header"
printf '\357\273\277' | cat - csv_copy.csv >csv_bom.csv
psql -X -q -c "COPY (SELECT migration_name, started_at, id, finished_at, applied_steps_count, logs, checksum, rolled_back_at FROM _prisma_migrations) TO STDOUT WITH (FORMAT csv, HEADER)" >csv_reordered.csv
psql -X -q -c "COPY _prisma_migrations TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')" >csv_semicolon.csv
psql -X -q --csv -c "$q" >psql_csv.csv
# COPY text
psql -X -q -c "COPY _prisma_migrations TO STDOUT" >copy.txt
PGTZ=Asia/Kolkata psql -X -q -c "COPY _prisma_migrations TO STDOUT WITH (HEADER)" >copy_header_kolkata.txt
# plain pg_dump and friends
PGTZ=Asia/Kathmandu pg_dump app >plain.sql
pg_dump --inserts app >inserts.sql
pg_dump --column-inserts app >column_inserts.sql
pg_dump --rows-per-insert=3 app >rows_per_insert.sql
pg_dump --quote-all-identifiers app >quote_all.sql
PGOPTIONS='-c standard_conforming_strings=off' pg_dump --inserts -t _prisma_migrations app >inserts_nostd.sql
pg_dump -s app >schema_only.sql
pg_dump --no-owner -T '"Tenant One".*' app | gzip -n -9 >plain_gz.sql.gz
pg_dumpall >all.sql
pg_dump -t '"LiteLLM_SpendLogs"' app >no_migrations.sql
pg_dump -Ft -f "$WORK/app.tar" app && tar -xOf "$WORK/app.tar" restore.sql >restore.sql
# psql screen output
psql -X -c "$q" >psql_aligned.txt
psql -X -P border=0 -c "$q" >psql_border0.txt
psql -X -P linestyle=old-ascii -c "$q" >psql_old_ascii.txt
psql -X -P border=2 -c "$q" >psql_border2.txt
psql -X -P border=2 -P linestyle=unicode -c "$q" >psql_unicode.txt
psql -X -P linestyle=unicode -c "$q" >psql_unicode_b1.txt
psql -X -x -c "$q" >psql_expanded.txt
psql -X -x -P border=2 -c "$q" >psql_expanded_b2.txt
psql -X -x -P border=0 -c "$q" >psql_expanded_b0.txt
psql -X -x -P border=0 -P format=wrapped -P columns=60 -c "$q" >psql_expanded_b0_wrapped.txt
psql -X -P format=wrapped -P columns=130 -c "$q" >psql_wrapped.txt
psql -X -x -P format=wrapped -P columns=60 -c "$q" >psql_expanded_wrapped.txt
psql -X -A -c "$q" >psql_unaligned.txt
psql -X -t -c "$q" >psql_tuples.txt
psql -X -A -t -c "$q" >psql_unaligned_tuples.txt
psql -X -c '\pset null (null)' -c "$q" >psql_null_marker.txt
psql -X -x -c '\pset null ∅' -c "$q" >psql_null_marker_expanded.txt
pg_stop
ls -l "$out" | awk '{ s += $5 } END { print "fixtures: " NR - 1 " files, " s " bytes" }'
