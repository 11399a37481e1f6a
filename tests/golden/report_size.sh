#!/bin/bash
# report_size.sh - the report of 'check' (text and JSON) is sized by its
# findings, not by the rows of the history: long runs of alike rows and
# evidence lines are shown by their first 10 and last 3 items and a count
# where the rest was (issue 14). Runs of 20 or fewer are shown whole; a row
# that needs a look is never left out.
source "$MD_ROOT/tests/lib/tap.sh"
FX=$MD_ROOT/fixtures/migrations
T=$WORK/t
mkdir "$T"

HEADER='id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count'
# rows N [FIRST]: N applied rows of migrations no folder knows, from FIRST
rows() {
	awk -v n="$1" -v first="${2:-0}" 'BEGIN { for (i = first; i < first + n; i++)
		printf "%08d-0000-4000-8000-%012d,%064d,2026-01-16 14:27:56.1+00,2026%010d_m%d,,,2026-01-16 14:27:56+00,1\n",
			i, i, i, i, i }'
}
# dup N NAME: N applied rows of migration NAME (a retry loop)
dup() {
	awk -v n="$1" -v name="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "%08d-0000-4000-8000-%012d,%064d,2026-01-16 14:27:56.1+00,%s,,,2026-01-16 14:27:56+00,1\n",
			i, i, i, name }'
}
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }

# --- 100,000 rows without a local folder ---
{ echo "$HEADER"; rows 100000; } >"$T/big.csv"
"$MIGDOCTOR" check -q -H "$T/big.csv" >"$T/big.txt" 2>"$T/err"
rc=$?
ok_if "100,000 unknown rows: exit 0" test "$rc" -eq 0
ok_if "100,000 unknown rows: the text report stays under 60 lines" \
	test "$(wc -l <"$T/big.txt")" -lt 60
ok_if "the table shows the first and the last rows" \
	eval 'grep -q "20260000000000_m0 " "$T/big.txt" && grep -q "20260000000009_m9 " "$T/big.txt" &&
		grep -q "20260000099999_m99999 " "$T/big.txt" && ! grep -q "_m10 " "$T/big.txt"'
ok_if "the table counts the rows left out" grep -q '^  \.\.\. 99987 more rows like these' "$T/big.txt"
ok_if "MD017's evidence counts the rows left out" grep -q 'row       \.\.\. 99987 more like these' "$T/big.txt"
ok_if "MD017's evidence keeps the last row with its line" grep -q 'big.csv:100001: 20260000099999_m99999' "$T/big.txt"

"$MIGDOCTOR" check -q -H "$T/big.csv" --format json >"$T/big.json" 2>"$T/err"
ok_if "100,000 unknown rows: JSON under 20 kB" test "$(wc -c <"$T/big.json")" -lt 20000
ok_if "JSON: 13 migrations listed, migrations_omitted 99987" \
	test "$(json "$T/big.json" '(len(d["migrations"]), d["migrations_omitted"])')" = "(13, 99987)"
ok_if "JSON: the evidence marks what it leaves out (omitted 99987)" \
	test "$(json "$T/big.json" '[e.get("omitted") for e in d["findings"][0]["evidence"]].count(99987)')" = 1
ok_if "JSON: 13 evidence lines with a line number, 1 without" \
	test "$(json "$T/big.json" '[e["line"] is None for e in d["findings"][0]["evidence"]].count(False)')" = 13

# --- the boundary: 20 rows whole, 21 shortened ---
{ echo "$HEADER"; rows 20; } >"$T/r20.csv"
{ echo "$HEADER"; rows 21; } >"$T/r21.csv"
"$MIGDOCTOR" check -q -H "$T/r20.csv" >"$T/r20.txt"
"$MIGDOCTOR" check -q -H "$T/r21.csv" >"$T/r21.txt"
ok_if "20 rows: every row listed, nothing counted" \
	eval '[ "$(grep -c "(unknown)" "$T/r20.txt")" -eq 20 ] && ! grep -q "more rows like these" "$T/r20.txt"'
ok_if "21 rows: 13 listed, 8 counted" \
	eval '[ "$(grep -c "(unknown)" "$T/r21.txt")" -eq 13 ] && grep -q "\.\.\. 8 more rows like these" "$T/r21.txt"'

# --- a failed row in the middle of the run is shown, and splits it ---
{ echo "$HEADER"; rows 50; echo "ffffffff-0000-4000-8000-000000000000,$(printf '%064d' 7),,20260000000050_broken,boom,,2026-01-16 14:27:56+00,0"; rows 50 51; } \
	>"$T/mixed.csv"
"$MIGDOCTOR" check -q -H "$T/mixed.csv" >"$T/mixed.txt"
ok_if "a failed row among 100 unknown ones is listed" grep -q "20260000000050_broken" "$T/mixed.txt"
ok_if "the runs on each side are counted apart (37 and 37)" \
	test "$(grep -c '\.\.\. 37 more rows like these' "$T/mixed.txt")" -eq 2

# --- 5,000 rows of one migration (MD010): its rows in JSON ---
first=$(ls "$FX" | head -n 1)
{ echo "$HEADER"; dup 5000 "$first"; } >"$T/dup.csv"
"$MIGDOCTOR" check -q -m "$FX" -H "$T/dup.csv" >"$T/dup.txt"
"$MIGDOCTOR" check -q -m "$FX" -H "$T/dup.csv" --format json >"$T/dup.json"
ok_if "5,000 rows of one migration: the text report stays under 80 lines" \
	test "$(wc -l <"$T/dup.txt")" -lt 80
ok_if "JSON: 13 of its rows, rows_omitted 4987" \
	test "$(json "$T/dup.json" "[(len(m['rows']), m['rows_omitted']) for m in d['migrations'] if m['name'] == '$first']")" = "[(13, 4987)]"
ok_if "JSON: the other migrations omit no row" \
	test "$(json "$T/dup.json" "sum(m['rows_omitted'] for m in d['migrations'] if m['name'] != '$first')")" = 0
ok_if "JSON under 40 kB" test "$(wc -c <"$T/dup.json")" -lt 40000

tap_done
