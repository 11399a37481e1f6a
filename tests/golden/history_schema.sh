#!/bin/bash
# history_schema.sh - 'migdoctor history --schema': the schema read from a
# dump's DDL is the schema the migrations build. A database migrated with
# the fixture migrations and dumped (tests/scenarios/healthy, in plain,
# custom and -s form) must show exactly the facts that replaying the
# migrations gives ('touches --schema'), _prisma_migrations aside.
source "$MD_ROOT/tests/lib/tap.sh"
S="$MD_TESTS_DIR/scenarios"
facts() { grep -E '^(table|column|constraint|index|unique index|enum|extension) ' | grep -v '_prisma_migrations'; }

"$MIGDOCTOR" touches --schema "$FIXTURES/migrations" | facts >"$WORK/replay.txt"
for f in healthy/dump.sql interrupted/dump.custom failed-partial/schema.sql; do
	"$MIGDOCTOR" history --schema "$S/$f" 2>"$WORK/err" | facts >"$WORK/dump.txt"
	case $f in
	healthy/*) golden "history --schema $f equals the replay of the migrations" "$WORK/replay.txt" "$WORK/dump.txt" ;;
	*) ok_if "history --schema $f reads tables, columns, constraints and indexes" \
		test "$(grep -c '^table ' "$WORK/dump.txt")" -ge 6 -a "$(grep -c '^unique index ' "$WORK/dump.txt")" -ge 6 ;;
	esac
done
"$MIGDOCTOR" history --schema --format json "$S/healthy/dump.sql" >"$WORK/s.json"
ok_if "history --schema --format json is valid JSON" python3 -m json.tool "$WORK/s.json"
expect_exit 3 "history --schema of a CSV (no DDL): exit 3" "$MIGDOCTOR" history --schema "$S/failed-partial/history.csv"
ok_if "... saying what was expected" grep -q "holds no schema statements.*expected a pg_dump with DDL" "$WORK/.err"
tap_done
