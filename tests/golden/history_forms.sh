#!/bin/bash
# history_forms.sh - inputs as users hand them over: on standard input
# ('-', archives included, with no seeking), in containers the readers
# cannot open (zip, xz, bzip2: exit 3 saying what to do), and the export
# forms of scripts/make-history-fixtures-forms.sh (made on PostgreSQL 15).
source "$MD_ROOT/tests/lib/tap.sh"
F=$FIXTURES/history
A=$FIXTURES/archive

rows() { # migdoctor args... -> the row objects, sorted
	"$MIGDOCTOR" history --format json "$@" 2>"$WORK/stderr" | sed -n 's/^    \({.*}\),\{0,1\}$/\1/p' | LC_ALL=C sort
}

same_rows() { # expected-file args...
	local exp=$1; shift
	rows "$@" >"$WORK/got"
	golden "rows of $(basename "${@: -1}") $([ $# -gt 1 ] && echo "(${*:1:$#-1})")" "$F/$exp" "$WORK/got"
}

# --- standard input ---
exp_archive() { # archive fixture: its rows read from the file
	rows "$A/$1" >"$WORK/exp_$1"
	[ -s "$WORK/exp_$1" ]
}
for f in custom.dump custom_pipe.dump custom_z0.dump custom_inserts.dump tar.tar dir.tar.gz; do
	exp_archive "$f"
	# through a pipe: the reader can neither seek nor reopen it
	cat "$A/$f" | rows - >"$WORK/got"
	golden "stdin: $f piped reads as the file does" "$WORK/exp_$f" "$WORK/got"
done
zstd -q -c "$A/custom_pipe.dump" 2>/dev/null | rows - >"$WORK/got"
if command -v zstd >/dev/null; then
	golden "stdin: a zstd-compressed custom dump piped" "$WORK/exp_custom_pipe.dump" "$WORK/got"
else
	tap_skip "stdin: a zstd-compressed custom dump piped" "no zstd"
fi
for f in csv_copy.csv plain.sql copy.txt; do
	cat "$F/$f" | rows - >"$WORK/got"
	golden "stdin: $f piped" "$F/expected.jsonl" "$WORK/got"
done
gzip -c "$F/csv_copy.csv" | rows - >"$WORK/got"
golden "stdin: a gzip-compressed CSV piped" "$F/expected.jsonl" "$WORK/got"
cat "$F/psql_aligned.txt" | rows - >"$WORK/got"
golden "stdin: psql output piped" "$F/expected_display.jsonl" "$WORK/got"
"$MIGDOCTOR" history - <"$F/csv_copy.csv" >"$WORK/out" 2>&1
ok_if "stdin: the source is named <stdin>" grep -q '^source: *<stdin>' "$WORK/out"
: | "$MIGDOCTOR" history - >"$WORK/out" 2>"$WORK/err"
ok_if "stdin: empty input is exit 3 naming <stdin>" \
	sh -c "[ $? -eq 3 ] && grep -q '<stdin>: byte 0: the file is empty' '$WORK/err'"
head -c 3000 "$A/custom.dump" | "$MIGDOCTOR" history - >"$WORK/out" 2>"$WORK/err"
ok_if "stdin: a truncated custom dump is exit 3 naming <stdin>" \
	sh -c "[ $? -eq 3 ] && grep -q '^migdoctor: error: <stdin>' '$WORK/err' && [ ! -s '$WORK/out' ]"
cat "$A/custom.dump" | "$MIGDOCTOR" check -H - >"$WORK/out" 2>"$WORK/err"
ok_if "check -H -: reads the dump from a pipe" grep -q 'pg_dump custom.*6 rows' "$WORK/out"
cat "$FIXTURES/logs/compose.log" | "$MIGDOCTOR" check -l - >"$WORK/out" 2>"$WORK/err"
ok_if "check -l -: reads the log from a pipe" grep -q 'log .*migration events in 1 file' "$WORK/out"
expect_exit 2 "check: '-' twice is a usage error" "$MIGDOCTOR" check -H - -l -
ok_if "check: '-' twice says why" grep -q "standard input.*is given 2 times; it can be read once" "$WORK/.err"
echo x | "$MIGDOCTOR" check - >"$WORK/out" 2>"$WORK/err"
ok_if "check: a bare '-' needs a role" \
	sh -c "[ $? -eq 3 ] && grep -q 'give it with -H, -s or -l' '$WORK/err'"

# --- containers the readers cannot open ---
bad() { # name regex file
	"$MIGDOCTOR" history "$3" >"$WORK/out" 2>"$WORK/err"; local rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -Eq -- "$2" "$WORK/err" &&
		[ ! -s "$WORK/out" ]; then
		tap_ok "$1"
	else
		tap_not_ok "$1 (exit $rc)"
		{ echo "expected /$2/"; cat "$WORK/err"; } | tap_diag
	fi
}
if command -v zip >/dev/null; then
	(cd "$A" && zip -q "$WORK/dump.zip" custom.dump)
	bad "zip: says to unzip" "dump.zip: byte 0: a zip archive: unzip it and give the dump inside" "$WORK/dump.zip"
	expect_exit 3 "check: a zip is exit 3 with the advice" "$MIGDOCTOR" check "$WORK/dump.zip"
	ok_if "check: the zip advice" grep -q "a zip archive: unzip it" "$WORK/.err"
else
	tap_skip "zip" "no zip"; tap_skip "zip check" "no zip"; tap_skip "zip check advice" "no zip"
fi
if command -v xz >/dev/null; then
	xz -c "$F/plain.sql" >"$WORK/plain.sql.xz"
	bad "xz: says to run xz -d" "plain.sql.xz: byte 0: xz-compressed: run 'xz -d'" "$WORK/plain.sql.xz"
else
	tap_skip "xz" "no xz"
fi
if command -v bzip2 >/dev/null; then
	bzip2 -c "$F/csv_copy.csv" >"$WORK/h.csv.bz2"
	bad "bzip2: says to run bzip2 -d" "h.csv.bz2: byte 0: bzip2-compressed: run 'bzip2 -d'" "$WORK/h.csv.bz2"
	bzip2 -c "$F/csv_copy.csv" | "$MIGDOCTOR" history - >"$WORK/out" 2>"$WORK/err"
	ok_if "bzip2 on stdin: exit 3 with the advice" \
		sh -c "[ $? -eq 3 ] && grep -q '<stdin>: byte 0: bzip2-compressed' '$WORK/err'"
else
	tap_skip "bzip2" "no bzip2"; tap_skip "bzip2 stdin" "no bzip2"
fi

# --- export forms (scripts/make-history-fixtures-forms.sh) ---
# exact: JSON keeps null apart from "", FORCE_QUOTE * CSV quotes every non-NULL value,
# pgAdmin-style TAB export quotes strings
for f in json_agg.json row_to_json.jsonl csv_force_quote.csv tsv_quoted.tsv; do
	same_rows expected.jsonl "$F/$f"
done
# values raw, NULL and '' alike
for f in tsv_psql.tsv markdown.md psql_html.txt psql_asciidoc.txt; do
	same_rows expected_psqlcsv.jsonl "$F/$f"
done
"$MIGDOCTOR" history "$F/tsv_psql.tsv" >"$WORK/out" 2>&1
ok_if "psql -A -F TAB: format named" grep -q '^format: *psql unaligned, TAB-separated' "$WORK/out"
"$MIGDOCTOR" history "$F/markdown.md" >"$WORK/out" 2>&1
ok_if "Markdown: format named, NULL/'' said" sh -c "grep -q '^format: *Markdown table' '$WORK/out' && grep -q 'prints NULL and .. alike' '$WORK/out'"
# DBeaver-style: raw TAB export without psql's footer
grep -v '^(6 rows)$' "$F/tsv_psql.tsv" >"$WORK/dbeaver.tsv"
same_rows expected_psqlcsv.jsonl "$WORK/dbeaver.tsv"
# Markdown with NULL written as NULL: told apart from ''
sed 's/|  |  | 2026-01-16/| NULL | NULL | 2026-01-16/' "$F/markdown.md" >"$WORK/md_null.md"
rows "$WORK/md_null.md" | grep 20260116142700_init >"$WORK/got"
ok_if "Markdown: a NULL cell is NULL, not ambiguous" sh -c "grep -q '\"logs\": null, ' '$WORK/got' && ! grep -q ambiguous '$WORK/got'"

# FORCE_QUOTE *: exact even with no '' anywhere; a plain csv header export is not
grep -v 20260118000000_baseline "$F/expected.jsonl" >"$WORK/exp_noempty"
rows "$F/csv_force_quote_noempty.csv" >"$WORK/got"
golden "FORCE_QUOTE * without any '': NULL is NULL" "$WORK/exp_noempty" "$WORK/got"
"$MIGDOCTOR" history --format json "$F/csv_force_quote_noempty.csv" >"$WORK/out" 2>&1
ok_if "FORCE_QUOTE *: not ambiguous, format named" sh -c "grep -q '\"null_ambiguous\": false' '$WORK/out' && grep -q 'FORCE_QUOTE' '$WORK/out'"
grep -v 20260118000000_baseline "$F/expected_psqlcsv.jsonl" >"$WORK/exp_noempty_amb"
rows "$F/csv_noempty.csv" >"$WORK/got"
golden "csv header without any '': logs NULL/'' uncertain" "$WORK/exp_noempty_amb" "$WORK/got"
cat "$F/csv_force_quote.csv" | "$MIGDOCTOR" check -H - >"$WORK/out" 2>"$WORK/err"
ok_if "check on a FORCE_QUOTE * CSV: no uncertainty warning" sh -c "! grep -q 'cannot tell NULL from' '$WORK/err'"

# Markdown code blocks: indented by 4 spaces or a TAB, or fenced
sed 's/^/    /' "$F/psql_aligned.txt" >"$WORK/indented.txt"
same_rows expected_display.jsonl "$WORK/indented.txt"
sed 's/^/\t/' "$F/psql_border2.txt" >"$WORK/tab_indented.txt"
same_rows expected_display.jsonl "$WORK/tab_indented.txt"
{ echo '```'; sed 's/^/    /' "$F/psql_expanded.txt"; echo '```'; } >"$WORK/fenced.txt"
same_rows expected_display.jsonl "$WORK/fenced.txt"
{ echo '```text'; cat "$F/psql_unaligned.txt"; echo '```'; } >"$WORK/fenced_unaligned.txt"
same_rows expected_psqlcsv.jsonl "$WORK/fenced_unaligned.txt"

# an HTML table from elsewhere: <thead> and <tbody>, cells on one line
printf '<table>\n<thead><tr><th>id</th><th>migration_name</th></tr></thead>\n<tbody>\n<tr><td>a</td><td>m&amp;1</td></tr>\n</tbody></table>\n' >"$WORK/thead.html"
"$MIGDOCTOR" history --format csv "$WORK/thead.html" >"$WORK/out" 2>&1
ok_if "html with <thead>: header and rows read" sh -c "printf 'id,migration_name\\na,m&1\\n' | cmp -s - '$WORK/out'"

# formats named, not read
expect_exit 3 "psql latex: exit 3" "$MIGDOCTOR" history "$F/psql_latex.txt"
ok_if "psql latex: the format is named" grep -q 'psql_latex.txt:1: psql \\pset format latex output, which is not read' "$WORK/.err"
expect_exit 3 "psql troff-ms: exit 3" "$MIGDOCTOR" history "$F/psql_troff-ms.txt"
ok_if "psql troff-ms: the format is named" grep -q 'psql \\pset format troff-ms output, which is not read' "$WORK/.err"

# a subset of the columns: "not exported", never NULL
same_rows expected_subset.jsonl "$F/csv_subset.csv"
"$MIGDOCTOR" history "$F/csv_subset.csv" >"$WORK/out" 2>&1
ok_if "subset: text says which columns were not exported" grep -q '^note: *not exported (absent from the input, values unknown): id logs rolled_back_at' "$WORK/out"
ok_if "subset: text cells say not exported" sh -c "grep '20260117093000_add_spend_logs' '$WORK/out' | grep -q 'NULL  *not exported  *0  *not exported'"
ok_if "subset: no NULL/'' uncertainty claimed" sh -c "! grep -q \"NULL/''\" '$WORK/out'"
"$MIGDOCTOR" history --format csv "$F/csv_subset.csv" >"$WORK/subset_out.csv"
ok_if "subset: csv leaves the columns out" sh -c "head -1 '$WORK/subset_out.csv' | grep -qx 'checksum,finished_at,migration_name,started_at,applied_steps_count'"
same_rows expected_subset.jsonl "$WORK/subset_out.csv"
"$MIGDOCTOR" history --format json "$F/csv_subset.csv" >"$WORK/out"
ok_if "subset: json lists missing_columns" grep -q '"missing_columns": \["id", "logs", "rolled_back_at"\]' "$WORK/out"
# a JSON row set without logs keys: not exported; one object lacking a key: NULL there
grep -v 7d3f8c2a "$F/row_to_json.jsonl" | sed 's/"logs":\(null\|""\|"[^"]*"\),//' >"$WORK/nologs.jsonl"
"$MIGDOCTOR" history --format json "$WORK/nologs.jsonl" >"$WORK/out" 2>&1
ok_if "json without logs: logs not exported" grep -q '"missing_columns": \["logs"\]' "$WORK/out"

# psql pastes over 64 MiB are streamed (the rows are kept, not the paste); generated here
if [ "${MD_VALGRIND:-}" = 1 ]; then
	tap_skip "psql unaligned over 64 MiB" "valgrind"; tap_skip "psql aligned over 64 MiB" "valgrind"
	tap_skip "memory of a 70 MiB paste" "valgrind"; tap_skip "psql: a line over 64 MiB" "valgrind"
else
	awk 'BEGIN { s = "xxxxxxxxxxxxxxxx"; while (length(s) < 32768) s = s s
		print "id|checksum|finished_at|migration_name|logs|rolled_back_at|started_at|applied_steps_count"
		for (i = 0; i < 2200; i++) {
			printf "%08d-0000-4000-8000-000000000000|%064d|2026-01-16 14:27:56+00|%014d_m|", i, 0, i
			printf "%s", s; print "||2026-01-16 14:27:56+00|1"
		}
		print "(2200 rows)" }' >"$WORK/big_unaligned.txt"
	"$MIGDOCTOR" history --format json "$WORK/big_unaligned.txt" >"$WORK/out" 2>"$WORK/err"
	ok_if "psql unaligned over 64 MiB: all rows read" \
		sh -c "[ \$(stat -c %s '$WORK/big_unaligned.txt') -gt 67108864 ] && grep -q '\"row_count\": 2200' '$WORK/out'"
	if grep -qa __asan_init "$MIGDOCTOR"; then
		tap_skip "memory of a 70 MiB paste" "AddressSanitizer keeps freed memory in quarantine"
	elif [ -x /usr/bin/time ]; then
		kb=$(/usr/bin/time -f %M "$MIGDOCTOR" history "$WORK/big_unaligned.txt" 2>&1 >/dev/null | tail -n 1)
		# the 70 MiB of logs are kept as rows; the paste itself is not held (it was, 8 times over)
		ok_if "memory of a 70 MiB paste: under 300 MB ($kb KB)" test "$kb" -lt 300000
	else
		tap_skip "memory of a 70 MiB paste" "no /usr/bin/time"
	fi
	rm -f "$WORK/big_unaligned.txt"
	awk 'function rep(c, n, s) { s = c; while (length(s) < n) s = s s; return substr(s, 1, n) }
	BEGIN { s = rep("x", 32768)
		split("36 64 22 16 32768 14 22 19", w, " ")
		split("id checksum finished_at migration_name logs rolled_back_at started_at applied_steps_count", h, " ")
		for (k = 1; k <= 8; k++) {
			hdr = hdr (k > 1 ? "|" : "") " " h[k] rep(" ", w[k] - length(h[k]) + 1)
			rule = rule (k > 1 ? "+" : "") rep("-", w[k] + 2)
		}
		print hdr; print rule
		for (i = 0; i < 2100; i++) {
			printf " %08d-0000-4000-8000-000000000000 | %064d | 2026-01-16 14:27:56+00 | %014d_m | ", i, 0, i
			printf "%s", s; print " |                | 2026-01-16 14:27:56+00 |                   1"
		}
		print "(2100 rows)" }' >"$WORK/big_aligned.txt"
	"$MIGDOCTOR" history --format json "$WORK/big_aligned.txt" >"$WORK/out" 2>"$WORK/err"
	ok_if "psql aligned over 64 MiB: all rows read" \
		sh -c "[ \$(stat -c %s '$WORK/big_aligned.txt') -gt 67108864 ] && grep -q '\"row_count\": 2100' '$WORK/out' && grep -q '\"logs\": \"xxxxxxxx' '$WORK/out'"
	rm -f "$WORK/big_aligned.txt" "$WORK/out"
	# a line past the 64 MiB line limit is still an error naming it
	{ printf 'id|checksum|finished_at|migration_name|logs|rolled_back_at|started_at|applied_steps_count\n'
	  head -c 70000000 /dev/zero | tr '\0' 'x'; printf '\n(1 row)\n'; } >"$WORK/longline.txt"
	bad "psql: a line over 64 MiB is exit 3 naming the line" "longline.txt:2: line is longer than 64 MiB" "$WORK/longline.txt"
	rm -f "$WORK/longline.txt"
fi

# bad JSON: exit 3 naming the line
printf '[{"id": "x", "migration_name": "a"},\n {"nope": 1}]\n' >"$WORK/badkey.json"
bad "json: unknown key named" "badkey.json:2: unknown key 'nope'" "$WORK/badkey.json"
printf '[{"migration_name": "a", "logs": "x"\n' >"$WORK/trunc.json"
bad "json: truncated" "trunc.json:1: the input ends inside this JSON object" "$WORK/trunc.json"
printf '{"migration_name": 5}\n' >"$WORK/num.json"
bad "json: a number for a string column" "num.json:1: key 'migration_name' holds a JSON number; expected a string" "$WORK/num.json"
printf '<table border="1">\n  <tr>\n    <th align="center">migration_name</th>\n  </tr>\n  <tr valign="top">\n    <td align="left">a\n' >"$WORK/trunc.html"
bad "html: truncated row" "trunc.html:5: HTML table row never closed" "$WORK/trunc.html"

tap_done
