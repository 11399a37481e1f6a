#!/bin/bash
# history_plain.sh - 'migdoctor history' on a BENCH_GB (default 2) GB plain
# pg_dump whose bulk is a request-log table's COPY data, with the
# _prisma_migrations block near the end, beside 'grep -c' of a literal on
# the same file (both with the file in the page cache). Goal: within 1.25x
# of grep -c, peak RSS under 64 MB. Then 'check -o' on the same file (goal:
# 1.5x history), and a --inserts dump.
set -u
: "${MIGDOCTOR:?}" "${BENCH_TMP:?}"
gb=${BENCH_GB:-2}
f=$BENCH_TMP/history_plain.sql
chunk=$BENCH_TMP/chunk.tsv

# ~1 MiB of rows shaped like LiteLLM_SpendLogs (ids, timestamps, JSON, NULLs)
awk 'BEGIN { for (i = 0; i < 2600; i++)
	printf "req-%08d\tchatcmpl-%d\t2026-01-%02d 12:%02d:%02d.%03d\t0.00%d\t%d\t{\"model\": \"gpt-4o\", \"user\": \"u%d\", \"tags\": [\"a\", \"b\"]}\t\\N\t\\N\tsk-%x\n",
		i, i * 7, i % 28 + 1, i % 60, i % 60, i % 1000, i % 97, i % 5000, i % 300, i * 2654435761 }' >"$chunk"
{
	printf -- '--\n-- PostgreSQL database dump\n--\n\n\\restrict bench\n\nSET statement_timeout = 0;\nSET standard_conforming_strings = on;\n\n'
	printf 'CREATE TABLE public."LiteLLM_SpendLogs" (\n    request_id text NOT NULL,\n    call_id text,\n    "startTime" timestamp(3) without time zone,\n    spend double precision,\n    total_tokens integer,\n    metadata jsonb,\n    cache_key text,\n    end_user text,\n    api_key text\n);\n\n'
	printf 'COPY public."LiteLLM_SpendLogs" (request_id, call_id, "startTime", spend, total_tokens, metadata, cache_key, end_user, api_key) FROM stdin;\n'
	n=$(( gb * 1024 * 1024 * 1024 / $(stat -c %s "$chunk") + 1 ))
	for ((i = 0; i < n; i++)); do cat "$chunk"; done
	printf '\\.\n\n\n'
	printf 'COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;\n'
	for ((i = 0; i < 80; i++)); do
		printf '%08d-0000-4000-8000-000000000000\t%064d\t2026-01-16 14:27:56.123456+00\t2026%010d_m%d\t\\N\t\\N\t2026-01-16 14:27:56.012+00\t1\n' $i $i $i $i
	done
	printf '\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict bench\n\n'
} >"$f"
rm -f "$chunk"
size=$(stat -c %s "$f")
echo "input: $f, $((size / 1024 / 1024)) MiB"

secs() { # command... -> "wall cpu": best elapsed and best user+sys seconds of 5 runs
	local w c
	for _ in 1 2 3 4 5; do
		/usr/bin/time -f '%e %U %S' -o "$BENCH_TMP/time" "$@" >/dev/null 2>&1
		tail -n 1 "$BENCH_TMP/time"
	done | awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
		END { printf "%.2f %.2f\n", w, c }'
}
cat "$f" >/dev/null # page cache
g=$(secs grep -c -F 'gpt-4o-mini-nothing' "$f")
m=$(secs "$MIGDOCTOR" history --format json "$f")
/usr/bin/time -f %M -o "$BENCH_TMP/time" "$MIGDOCTOR" history --format json "$f" >/dev/null 2>&1
rss=$(tail -n 1 "$BENCH_TMP/time")
rows=$("$MIGDOCTOR" history --format json "$f" 2>/dev/null | grep -c '^    {')
awk -v g="$g" -v m="$m" -v s="$size" -v rss="$rss" -v rows="$rows" 'BEGIN {
	split(g, G, " "); split(m, M, " ")
	printf "grep -c:           %5.2f s wall (%.2f GB/s), %.2f s cpu\n", G[1], s / G[1] / 1e9, G[2]
	printf "migdoctor history: %5.2f s wall (%.2f GB/s), %.2f s cpu, %d rows, peak RSS %.1f MB\n", M[1], s / M[1] / 1e9, M[2], rows, rss / 1024
	printf "ratio migdoctor/grep: %.2f wall, %.2f cpu (goal <= 1.25); RSS goal < 64 MB: %s\n", M[1] / G[1], M[2] / G[2], rss / 1024 < 64 ? "met" : "NOT met"
}'

# check -o: the repair script's header names each input by its sha256. The
# file is hashed while the history reader reads it (one read); SHA-256 itself
# (about 1.8 GB/s with SHA-NI) is then most of the time, so openssl dgst is
# the floor. A custom dump with data offsets is read by seeking: its hash is
# a sequential read of its own.
o=$(secs "$MIGDOCTOR" check -H "$f" -o "$BENCH_TMP/repair.sql")
d=$(secs openssl dgst -sha256 "$f")
awk -v m="$m" -v o="$o" -v d="$d" 'BEGIN {
	split(m, M, " "); split(o, O, " "); split(d, D, " ")
	printf "openssl dgst -sha256: %5.2f s wall, %.2f s cpu\n", D[1], D[2]
	printf "migdoctor check -o:   %5.2f s wall, %.2f s cpu\n", O[1], O[2]
	printf "ratio check -o/history: %.2f wall, %.2f cpu (goal <= 1.5; sha256 alone: %.2f cpu)\n",
		O[1] / M[1], O[2] / M[2], D[2] / M[2]
}'
rm -f "$f" "$BENCH_TMP/time" "$BENCH_TMP/repair.sql"

# The same for a --inserts dump (one INSERT per row: runs of INSERTs into
# other tables are skipped from 64-byte quote and newline masks, the lexer
# only where they cannot be exact): a quarter of the size. Goal 1.25x.
f=$BENCH_TMP/history_inserts.sql
awk 'BEGIN { for (i = 0; i < 2600; i++)
	printf "INSERT INTO public.\"LiteLLM_SpendLogs\" VALUES (\x27req-%08d\x27, \x27chatcmpl-%d\x27, \x272026-01-%02d 12:%02d:%02d.%03d\x27, 0.00%d, %d, \x27{\"model\": \"gpt-4o\", \"user\": \"u%d\"; \"it\x27\x27s\"}\x27, NULL, NULL, \x27sk-%x\x27);\n",
		i, i * 7, i % 28 + 1, i % 60, i % 60, i % 1000, i % 97, i % 5000, i % 300, i * 2654435761 }' >"$chunk"
{
	printf -- '--\n-- PostgreSQL database dump\n--\n\nSET standard_conforming_strings = on;\n\n'
	n=$(( gb * 1024 * 1024 * 1024 / 4 / $(stat -c %s "$chunk") + 1 ))
	for ((i = 0; i < n; i++)); do cat "$chunk"; done
	for ((i = 0; i < 80; i++)); do
		printf "INSERT INTO public._prisma_migrations VALUES ('%08d-0000-4000-8000-000000000000', '%064d', '2026-01-16 14:27:56.123456+00', '2026%010d_m%d', NULL, NULL, '2026-01-16 14:27:56.012+00', 1);\n" $i $i $i $i
	done
} >"$f"
rm -f "$chunk"
size=$(stat -c %s "$f")
echo "input: $f (--inserts), $((size / 1024 / 1024)) MiB"
cat "$f" >/dev/null
g=$(secs grep -c -F 'gpt-4o-mini-nothing' "$f")
m=$(secs "$MIGDOCTOR" history --format json "$f")
/usr/bin/time -f %M -o "$BENCH_TMP/time" "$MIGDOCTOR" history --format json "$f" >/dev/null 2>&1
rss=$(tail -n 1 "$BENCH_TMP/time")
awk -v g="$g" -v m="$m" -v s="$size" -v rss="$rss" 'BEGIN {
	split(g, G, " "); split(m, M, " ")
	printf "grep -c:           %5.2f s wall (%.2f GB/s), %.2f s cpu\n", G[1], s / G[1] / 1e9, G[2]
	printf "migdoctor history: %5.2f s wall (%.2f GB/s), %.2f s cpu, peak RSS %.1f MB\n", M[1], s / M[1] / 1e9, M[2], rss / 1024
	printf "ratio migdoctor/grep: %.2f wall, %.2f cpu (goal <= 1.25)\n", M[1] / G[1], M[2] / G[2]
}'
rm -f "$f" "$BENCH_TMP/time"
