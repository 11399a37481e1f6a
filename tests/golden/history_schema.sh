#!/bin/bash
# history_schema.sh - 'migdoctor history --print-schema': the schema read from a
# dump's DDL is the schema the migrations build. Databases migrated with
# the fixture migrations and dumped (plain, custom and -s form) must show
# exactly the facts that replaying the migrations they ran gives
# ('touches --print-schema'), _prisma_migrations aside.
source "$MD_ROOT/tests/lib/tap.sh"
S="$MD_TESTS_DIR/scenarios"
facts() { grep -E '^(table|column|constraint|index|unique index|enum|extension) ' | grep -v '_prisma_migrations'; }

"$MIGDOCTOR" touches --print-schema "$FIXTURES/migrations" | facts >"$WORK/replay.txt"
# the migrations up to 20240701000000 (what the interrupted and failed-partial databases ran)
mkdir -p "$WORK/upto"
for d in "$FIXTURES"/migrations/*/; do
	[[ "$(basename "$d")" > 20240701000000_add_deleted_team_table ]] || cp -r "$d" "$WORK/upto/"
done
"$MIGDOCTOR" touches --print-schema "$WORK/upto" | facts >"$WORK/replay_upto.txt"
# failed-partial also has the column added by hand before its failing deploy
{ cat "$WORK/replay_upto.txt"; echo 'column public."Proxy_TeamTable".router_settings jsonb default'; } |
	LC_ALL=C sort >"$WORK/replay_partial.txt"
for f in healthy/dump.sql:replay interrupted/dump.custom:replay_upto failed-partial/schema.sql:replay_partial; do
	"$MIGDOCTOR" history --print-schema "$S/${f%%:*}" 2>"$WORK/err" | facts >"$WORK/dump.txt"
	golden "history --print-schema ${f%%:*} equals the replay of the migrations it ran" "$WORK/${f##*:}.txt" "$WORK/dump.txt"
done
"$MIGDOCTOR" history --print-schema --format json "$S/healthy/dump.sql" >"$WORK/s.json"
ok_if "history --print-schema --format json is valid JSON" python3 -m json.tool "$WORK/s.json"
expect_exit 3 "history --print-schema of a CSV (no DDL): exit 3" "$MIGDOCTOR" history --print-schema "$S/failed-partial/history.csv"
ok_if "... saying what was expected" grep -q "holds no schema statements.*expected a pg_dump with DDL" "$WORK/.err"
tap_done
