#!/bin/bash
# history.sh - every export in fixtures/history/ (made from a real
# PostgreSQL 15 by scripts/make-history-fixtures.sh) reads back as exactly
# the rows PostgreSQL itself rendered (expected*.jsonl).
source "$MD_ROOT/tests/lib/tap.sh"
F=$FIXTURES/history

rows() { # migdoctor args... -> the row objects, sorted
	"$MIGDOCTOR" history --format json "$@" 2>"$WORK/stderr" | sed -n 's/^    \({.*}\),\{0,1\}$/\1/p' | LC_ALL=C sort
}

same_rows() { # expected-file args...
	local exp=$1; shift
	rows "$@" >"$WORK/got"
	golden "rows of $(basename "${@: -1}") $([ $# -gt 1 ] && echo "(${*:1:$#-1})")" "$F/$exp" "$WORK/got"
}

for f in csv_copy.csv csv_client_ny.csv csv_bom.csv csv_reordered.csv csv_semicolon.csv \
	copy.txt copy_header_kolkata.txt plain.sql inserts.sql column_inserts.sql \
	rows_per_insert.sql quote_all.sql inserts_nostd.sql plain_gz.sql.gz; do
	same_rows expected.jsonl "$F/$f"
done
same_rows expected.jsonl --database app "$F/all.sql"
same_rows expected_app2.jsonl --database app2 "$F/all.sql"
same_rows expected_tenant.jsonl --schema-name "Tenant One" "$F/plain.sql"
same_rows expected_tenant.jsonl --schema-name "Tenant One" "$F/inserts.sql"
same_rows expected_tenant.jsonl --schema-name "Tenant One" --database app "$F/all.sql"

# formats that print NULL and '' alike
for f in psql_csv.csv psql_aligned.txt psql_old_ascii.txt psql_border0.txt psql_border2.txt psql_unicode.txt \
	psql_unicode_b1.txt psql_expanded.txt psql_expanded_b2.txt psql_expanded_b0.txt psql_expanded_b0_wrapped.txt psql_wrapped.txt \
	psql_expanded_wrapped.txt psql_unaligned.txt psql_tuples.txt psql_unaligned_tuples.txt; do
	# psql --csv and unaligned print values raw; the others show them as on screen
	case $f in psql_csv.csv | psql_unaligned*) exp=expected_psqlcsv.jsonl ;;
	*) exp=expected_display.jsonl ;; esac
	same_rows "$exp" "$F/$f"
done

# \pset null set, and its notice pasted: NULL and '' told apart
same_rows expected_display_exact.jsonl "$F/psql_null_marker.txt"
same_rows expected_display_exact.jsonl "$F/psql_null_marker_expanded.txt"

# pasted into a ticket: prompt and query lines around, trailing spaces lost
{ echo 'app=> SELECT * FROM _prisma_migrations;'; sed 's/ *$//' "$F/psql_aligned.txt"; echo 'app=> '; } >"$WORK/paste_aligned.txt"
same_rows expected_display.jsonl "$WORK/paste_aligned.txt"
{ echo 'app=> \x'; echo 'Expanded display is on.'; sed 's/ *$//' "$F/psql_expanded.txt"; } >"$WORK/paste_expanded.txt"
same_rows expected_display.jsonl "$WORK/paste_expanded.txt"

# files that went through a LF -> CRLF conversion (ticket systems, Windows editors)
for f in plain.sql inserts.sql rows_per_insert.sql copy.txt; do
	sed 's/$/\r/' "$F/$f" >"$WORK/crlf_$f"
	same_rows expected.jsonl "$WORK/crlf_$f"
done
sed 's/$/\r/' "$F/psql_aligned.txt" >"$WORK/crlf_psql_aligned.txt"
same_rows expected_display.jsonl "$WORK/crlf_psql_aligned.txt"
sed 's/$/\r/' "$F/psql_expanded.txt" >"$WORK/crlf_psql_expanded.txt"
same_rows expected_display.jsonl "$WORK/crlf_psql_expanded.txt"

# what the header says
"$MIGDOCTOR" history --format json "$F/plain.sql" >"$WORK/plain.json" 2>"$WORK/plain.err"
ok_if "plain: format, schema and count" grep -q '"row_count": 6' "$WORK/plain.json"
ok_if "plain: warns about the second schema" grep -q "several schemas (Tenant One, public)" "$WORK/plain.err"
"$MIGDOCTOR" history --format json "$F/psql_aligned.txt" >"$WORK/al.json" 2>/dev/null
ok_if "psql aligned: says NULL/'' are ambiguous" grep -q '"null_ambiguous": true' "$WORK/al.json"
ok_if "COPY csv: not ambiguous" sh -c "'$MIGDOCTOR' history --format json '$F/csv_copy.csv' | grep -q '\"null_ambiguous\": false'"

# choosing among databases and schemas
expect_exit 3 "pg_dumpall: several databases need --database" "$MIGDOCTOR" history "$F/all.sql"
ok_if "pg_dumpall: the error lists the databases" grep -q "several databases: app, app2; pick one with --database" "$WORK/.err"
expect_exit 3 "unknown --database" "$MIGDOCTOR" history --database nope "$F/all.sql"
ok_if "unknown --database lists them" grep -q "no database 'nope'.*databases: .*app" "$WORK/.err"
expect_exit 3 "unknown --schema-name" "$MIGDOCTOR" history --schema-name nope "$F/plain.sql"
ok_if "unknown --schema-name lists the schemas" grep -q "schemas that have one: Tenant One, public" "$WORK/.err"
expect_exit 3 "schema-only dump: no rows" "$MIGDOCTOR" history "$F/schema_only.sql"
ok_if "schema-only dump: says so" grep -q "holds the _prisma_migrations table but no rows" "$WORK/.err"
expect_exit 3 "restore.sql of a tar dump alone: no rows" "$MIGDOCTOR" history "$F/restore.sql"
ok_if "restore.sql alone: says the rows are in .dat files" grep -q "holds the _prisma_migrations table but no rows (.*restore.sql without its .dat files)" "$WORK/.err"
expect_exit 3 "dump without the table" "$MIGDOCTOR" history "$F/no_migrations.sql"
ok_if "dump without the table: lists the tables" grep -q 'no _prisma_migrations data in .*no_migrations.sql; tables found: public.LiteLLM_SpendLogs' "$WORK/.err"

# csv output: NULL unquoted empty, '' as ""
"$MIGDOCTOR" history --format csv "$F/plain.sql" >"$WORK/out.csv" 2>/dev/null
ok_if "csv output: '' is \"\"" grep -q '^a1b2c3d4-0000-4000-8000-000000000003,.*,20260118000000_baseline,"",,' "$WORK/out.csv"
ok_if "csv output: NULL is empty" grep -q '^0b6a1c3e-1f0e-4c59-9d0a-5b3c7a1e2f01,.*,20260116142700_init,,,2026' "$WORK/out.csv"
same_rows expected.jsonl "$WORK/out.csv"
"$MIGDOCTOR" history "$F/plain.sql" >"$WORK/out.txt" 2>/dev/null
ok_if "text output: header lines" grep -q '^rows:     6$' "$WORK/out.txt"
ok_if "text output: '' shown as ''" grep -q "20260118000000_baseline .* ''$" "$WORK/out.txt"
expect_exit 0 "--help" "$MIGDOCTOR" history --help
cp "$WORK/.out" "$WORK/help.txt"
ok_if "--help names the exit codes" grep -q "exit codes" "$WORK/help.txt"
expect_exit 2 "no FILE is a usage error" "$MIGDOCTOR" history
expect_exit 2 "bad --format is a usage error" "$MIGDOCTOR" history --format xml "$F/plain.sql"
tap_done
