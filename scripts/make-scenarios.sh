#!/bin/bash
# make-scenarios.sh - rebuild the golden scenarios of tests/scenarios/.
#
# Each scenario is a broken (or healthy) database made for real on
# PostgreSQL with the fixture migrations and the deploy emulator of the
# integration suite, then exported the way an operator would send it.
# tests/scenarios/NAME/ holds the inputs and 'args' (the check command
# line, relative to that folder); tests/golden/scenarios.sh runs check on
# them and compares with expected.txt, expected.json and expected.sql
# (regenerate those with MD_UPDATE_GOLDEN=1 make check MD_TESTS=scenarios).
# The dumps carry the time they were made: run this only when a scenario
# itself must change.
set -eu
MD_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export MD_ROOT
source "$MD_ROOT/tests/integration/lib/common.sh"
source "$IT_LIB/break.sh"
source "$IT_LIB/litellm.sh"
it_start >/dev/null
M=$MD_ROOT/fixtures/migrations
S=$MD_ROOT/tests/scenarios
upto() { mig_prefix "$WORK/$1" "$M" "$1"; echo "$WORK/$1"; }
plain() { pg_dump -d "$1" | grep -v -e '^\\restrict ' -e '^\\unrestrict '; }
schema() { pg_dump -s -d "$1" | grep -v -e '^\\restrict ' -e '^\\unrestrict '; }
new() { # name: a fresh scenario folder with the migrations linked
	rm -rf "${S:?}/$1"; mkdir -p "$S/$1"
	ln -s ../../../fixtures/migrations "$S/$1/migrations"
	db_new "$1" >/dev/null
}

# healthy: every migration applied by deploy; exit 0, no script
new healthy
deploy deploy -d healthy -m "$M" >/dev/null
plain healthy >"$S/healthy/dump.sql"
echo "-m migrations -H dump.sql" >"$S/healthy/args"

# recipe 2: a hand-added column makes the last migration fail (P3018
# 42701); it blocks deploy (P3009) and is partly present: re-create the
# rest, mark it applied. History as CSV, schema from pg_dump -s.
new failed-partial
deploy deploy -d failed-partial -m "$(upto 20240701000000_add_deleted_team_table)" >/dev/null
break_manual failed-partial "ALTER TABLE \"Proxy_TeamTable\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}'"
deploy deploy -d failed-partial -m "$M" >"$WORK/fp.out" 2>&1 || true
psql -X -q -d failed-partial -c "\\copy _prisma_migrations to '$S/failed-partial/history.csv' csv header"
schema failed-partial >"$S/failed-partial/schema.sql"
cp "$WORK/fp.out" "$S/failed-partial/deploy.log"
echo "-m migrations -H history.csv -s schema.sql -l deploy.log" >"$S/failed-partial/args"

# P3005: the schema made by hand (or db push), no _prisma_migrations
new not-baselined
break_unbaselined not-baselined "$M"
plain not-baselined >"$S/not-baselined/dump.sql"
echo "-m migrations -H dump.sql" >"$S/not-baselined/args"

# a pending migration's table made by hand: plan predicts 42P07; its
# objects all exist, so check marks it applied
new manual-create
deploy deploy -d manual-create -m "$(upto 20240611090000_rename_alias_to_key_name)" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d manual-create -c "$(cat "$M/20240701000000_add_deleted_team_table/migration.sql")"
plain manual-create >"$S/manual-create/dump.sql"
echo "-m migrations -H dump.sql" >"$S/manual-create/args"

# LiteLLM 1.66.3-1.80.4 marked every P3018 applied: a migration whose SQL
# never ran has an applied row (steps 0, logs ''); its objects are missing.
# The history is pasted psql output, the schema a pg_dump -s.
new resolved-without-running
deploy deploy -d resolved-without-running -m "$(upto 20240611090000_rename_alias_to_key_name)" >/dev/null
mig_prefix "$WORK/upto0701" "$M" 20240701000000_add_deleted_team_table
break_resolved_without_running resolved-without-running "$WORK/upto0701" 20240701000000_add_deleted_team_table
psql -X -d resolved-without-running -c 'select * from _prisma_migrations' >"$S/resolved-without-running/history.txt"
schema resolved-without-running >"$S/resolved-without-running/schema.sql"
echo "-m migrations -H history.txt -s schema.sql" >"$S/resolved-without-running/args"

# interrupted after the script committed (steps 1, finished_at NULL):
# P3009; its objects exist, so it is marked applied. Custom-format dump.
new interrupted
deploy deploy -d interrupted -m "$(upto 20240611090000_rename_alias_to_key_name)" >/dev/null
break_interrupted interrupted "$M" 20240701000000_add_deleted_team_table 1
pg_dump -Fc -d interrupted -f "$S/interrupted/dump.custom"
echo "-m migrations -H dump.custom" >"$S/interrupted/args"

# upgrade, then rollback: rows of a newer version (not in this directory),
# LiteLLM's own 0_init and *_baseline_diff rows; this version is healthy
new newer-rows
deploy deploy -d newer-rows -m "$M" >/dev/null
pg_psql -d newer-rows >/dev/null <<'SQL'
INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES
 ('5d9c1a3e-4b2f-4c7d-9e8a-0f1b2c3d4e5f', repeat('a', 64), now(), '20250101000000_future_feature', NULL, now(), 1),
 ('6e0d2b4f-5c3a-4d8e-8f9b-1a2b3c4d5e6f', repeat('b', 64), now(), '20240801000000_baseline_diff', NULL, now(), 1),
 ('7f1e3c5a-6d4b-4e9f-9a0c-2b3c4d5e6f70', repeat('c', 64), now(), '0_init', '', now(), 0);
SQL
plain newer-rows >"$S/newer-rows/dump.sql"
echo "-m migrations -H dump.sql --fail-on warning" >"$S/newer-rows/args"
# drift: a healthy history, and objects no migration made (a hand-made
# index and table): warnings, no script
new drift
deploy deploy -d drift -m "$M" >/dev/null
pg_psql -d drift -c 'CREATE INDEX "Proxy_TeamTable_alias_idx" ON "Proxy_TeamTable" ("team_alias")' \
	-c 'CREATE TABLE "handmade_audit" (id int)' >/dev/null
plain drift >"$S/drift/dump.sql"
echo "-m migrations -H dump.sql" >"$S/drift/args"
echo "scenarios written to $S"
