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

tap_done
