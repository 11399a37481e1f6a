#!/bin/bash
# history_bad.sh - bad input: each case exits 3 with one clear line naming
# the file and the line or byte offset (and the limit, where one applies).
source "$MD_ROOT/tests/lib/tap.sh"
F=$FIXTURES/history

bad() { # name expected-message-regex file [args]
	local name=$1 re=$2 file=$3 rc; shift 3
	"$MIGDOCTOR" history "$@" "$file" >"$WORK/out" 2>"$WORK/err"; rc=$?
	if [ $rc -eq 3 ] && [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -Eq -- "$re" "$WORK/err" &&
		[ ! -s "$WORK/out" ]; then
		tap_ok "$name"
	else
		tap_not_ok "$name (exit $rc)"
		{ echo "expected /$re/"; cat "$WORK/err"; } | tap_diag | head -n 5
	fi
}

: >"$WORK/empty"
bad "empty file" "empty: byte 0: the file is empty; expected a pg_dump" "$WORK/empty"
# 4 KiB of every byte value in a fixed scrambled order (not /dev/urandom:
# a random start is now and then a gzip or UTF-16 mark, another message)
for ((i = 0; i < 4096; i++)); do
	printf -v o '%03o' $(((i * 167 + 89) % 256))
	printf "\\$o"
done >"$WORK/garbage"
printf '\0\0\0' >>"$WORK/garbage"
bad "binary garbage" "garbage: byte 0: binary data; expected a text export" "$WORK/garbage"
printf '\377\376i\0d\0,\0' >"$WORK/utf16.csv"
bad "UTF-16 (PowerShell redirect)" "utf16.csv: byte 0: the file is UTF-16 \(a Windows PowerShell" "$WORK/utf16.csv"
gzip -c "$F/csv_copy.csv" | gzip -c >"$WORK/twice.csv.gz"
bad "compressed twice" "twice.csv.gz: byte 0: gzip-compressed data inside the file's compression; expected it compressed once" "$WORK/twice.csv.gz"
bad "missing file" "cannot open '.*nope.sql'" "$WORK/nope.sql"
mkdir "$WORK/folder"
bad "a folder that is not a -Fd dump" "folder' is a directory" "$WORK/folder"

# truncated dumps
n=$(grep -n '^COPY public._prisma_migrations' "$F/plain.sql" | cut -d: -f1)
head -n $((n + 2)) "$F/plain.sql" >"$WORK/trunc_copy.sql"
bad "truncated in the COPY block" "trunc_copy.sql:$((n + 3)): the file ends inside the COPY data of _prisma_migrations \(started at line $((n + 1))\); expected a '\\\\.' line" "$WORK/trunc_copy.sql"
n=$(grep -n '^COPY public."LiteLLM_SpendLogs"' "$F/plain.sql" | cut -d: -f1)
head -n $((n + 40)) "$F/plain.sql" >"$WORK/trunc_other.sql"
bad "truncated in another table's COPY data" "trunc_other.sql:$((n + 41)): the file ends inside the COPY data that starts at line $n" "$WORK/trunc_other.sql"
n=$(grep -n "^INSERT INTO public._prisma_migrations VALUES ('7d3f8c2a" "$F/inserts.sql" | cut -d: -f1)
head -n $((n + 1)) "$F/inserts.sql" >"$WORK/trunc_insert.sql"
bad "truncated in the middle of an INSERT" "trunc_insert.sql:$n: the file ends inside this INSERT statement; expected its closing ';'" "$WORK/trunc_insert.sql"

# line numbers stay exact after skipping a large COPY block (read in many buffers)
{
	echo 'COPY public.big (a, b) FROM stdin;'
	awk 'BEGIN { for (i = 0; i < 300000; i++) printf "row %d\t\\N\tsome \\\\ text.\\.x\n", i }'
	echo '\.'
	echo
	echo "INSERT INTO public._prisma_migrations (id, migration_name) VALUES ('a', 'b'"
} >"$WORK/big_then_bad.sql"
bad "exact line after a skipped 10 MB block" "big_then_bad.sql:300004: the file ends inside this INSERT statement" "$WORK/big_then_bad.sql"

# CSV
head -n 3 "$F/csv_copy.csv" >"$WORK/open_quote.csv"
bad "unterminated CSV quote" "open_quote.csv:3: unterminated quoted field" "$WORK/open_quote.csv"
sed '1s/^id,checksum/id,foo,checksum,bar/' "$F/csv_copy.csv" >"$WORK/unknown.csv"
bad "unknown header columns" "unknown.csv:1: unknown columns 'foo', 'bar' in the header" "$WORK/unknown.csv"
printf 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count\nx,y,yesterday,m,,,2026-01-01 00:00:00+00,1\n' >"$WORK/bad_ts.csv"
bad "a value that is not a timestamp" "bad_ts.csv:2: column 'finished_at': 'yesterday' is not a timestamp with time zone" "$WORK/bad_ts.csv"
printf 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count\nx,y,,m,,,2026-01-01 00:00:00+00\n' >"$WORK/short.csv"
bad "a CSV record with too few fields" "short.csv:2: 7 fields in a CSV record; expected 8" "$WORK/short.csv"
printf 'a1b2c3d4-0000-4000-8000-000000000003\tx\t\\N\n' >"$WORK/short.tsv"
bad "COPY text with too few fields" "short.tsv:1: COPY text without a header has 3 fields" "$WORK/short.tsv"

# psql
head -n -2 "$F/psql_aligned.txt" >"$WORK/no_footer.txt"
bad "psql output with a missing footer" "no_footer.txt:[0-9]+: psql table ends without its '\(N rows\)' footer" "$WORK/no_footer.txt"
sed 's/^(6 rows)$/(7 rows)/' "$F/psql_aligned.txt" >"$WORK/footer_count.txt"
bad "psql footer that does not match the rows" "footer says 7 rows but 6 were read" "$WORK/footer_count.txt"

# nothing to read
bad "a dump without the table" "no _prisma_migrations data in .*; tables found: public.LiteLLM_SpendLogs" "$F/no_migrations.sql"
printf 'hello world\nthis is not an export\n' >"$WORK/prose.txt"
bad "prose" "prose.txt:1: not a format holding _prisma_migrations rows" "$WORK/prose.txt"

# limits: a 100 MB single line (generated here, never committed)
{ echo 'COPY public._prisma_migrations (id, migration_name, logs) FROM stdin;'; head -c 100000000 /dev/zero | tr '\0' a; echo; } >"$WORK/long.sql"
bad "a 100 MB line in the COPY data" "long.sql:2: line is longer than 64 MiB" "$WORK/long.sql"
{ echo 'id,migration_name,logs'; printf 'x,m,"'; head -c 20000000 /dev/zero | tr '\0' a; printf '"\n'; } >"$WORK/long.csv"
bad "a 20 MB CSV field" "long.csv:2: CSV field longer than 16 MiB \(HIST_MAX_FIELD\)" "$WORK/long.csv"
rm -f "$WORK/long.sql" "$WORK/long.csv"
tap_done
