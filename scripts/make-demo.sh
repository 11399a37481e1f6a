#!/bin/bash
# make-demo.sh - rebuild examples/recipe1/, the bundle 'make demo' reads.
#
# Recipe 1 of LiteLLM's troubleshooting guide, made for real on
# PostgreSQL with the project's fixture migrations: a database migrated up
# to 20240701000000_add_deleted_team_table loses "Proxy_DeletedTeamTable"
# (an old schema backup restored after a rollback) while its row stays
# applied; the next start-up of the new version fails in
# 20240715120000_deleted_team_routing_settings with
# relation "Proxy_DeletedTeamTable" does not exist, and LiteLLM retries.
# Writes examples/recipe1/{dump.sql,startup.log}; migrations/ is a link
# to fixtures/migrations.
set -eu
MD_ROOT=$(cd "$(dirname "$0")/.." && pwd)
export MD_ROOT
source "$MD_ROOT/tests/integration/lib/common.sh"
source "$IT_LIB/break.sh"
source "$IT_LIB/litellm.sh"
out=$MD_ROOT/examples/recipe1
mkdir -p "$out"
it_start >/dev/null
mig=$MD_ROOT/fixtures/migrations
old=$WORK/old; mig_prefix "$old" "$mig" 20240701000000_add_deleted_team_table
db_new demo >/dev/null
deploy deploy -d demo -m "$old" >/dev/null
break_drop demo 'DROP TABLE "Proxy_DeletedTeamTable"'
litellm_start demo "$mig" "$WORK/startup.log" 1.80.17 || true
# the log's timestamps are today's: keep them, they are what a ticket holds
cp "$WORK/startup.log" "$out/startup.log"
pg_dump -d demo | grep -v -e '^\\restrict ' -e '^\\unrestrict ' >"$out/dump.sql"
[ -e "$out/migrations" ] || ln -s ../../fixtures/migrations "$out/migrations"
echo "wrote $out"
