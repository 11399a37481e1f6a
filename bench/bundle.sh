#!/bin/bash
# bundle.sh - 'migdoctor bundle' of a BENCH_GB (default 2) GB plain pg_dump
# (a request-log table's COPY data, _prisma_migrations near the end) beside
# 'migdoctor history' of the same file (both with the file in the page
# cache). Goal (issue 12): a dump bundles in about the time history reads
# it; the bundle adds the sha256 of the file and the tables' sizes.
set -u
: "${MIGDOCTOR:?}" "${BENCH_TMP:?}"
gb=${BENCH_GB:-2}
f=$BENCH_TMP/bundle_plain.sql
chunk=$BENCH_TMP/chunk.tsv

awk 'BEGIN { for (i = 0; i < 2600; i++)
	printf "req-%08d\tchatcmpl-%d\t2026-01-%02d 12:%02d:%02d.%03d\t0.00%d\t%d\t{\"model\": \"gpt-4o\", \"user\": \"u%d\", \"tags\": [\"a\", \"b\"]}\t\\N\t\\N\tsk-%x\n",
		i, i * 7, i % 28 + 1, i % 60, i % 60, i % 1000, i % 97, i % 5000, i % 300, i * 2654435761 }' >"$chunk"
{
	printf -- '--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\nSET standard_conforming_strings = on;\n\n'
	printf 'CREATE TABLE public."LiteLLM_SpendLogs" (\n    request_id text NOT NULL,\n    call_id text,\n    "startTime" timestamp(3) without time zone,\n    spend double precision,\n    total_tokens integer,\n    metadata jsonb,\n    cache_key text,\n    end_user text,\n    api_key text\n);\n\n'
	printf 'COPY public."LiteLLM_SpendLogs" (request_id, call_id, "startTime", spend, total_tokens, metadata, cache_key, end_user, api_key) FROM stdin;\n'
	n=$(( gb * 1024 * 1024 * 1024 / $(stat -c %s "$chunk") + 1 ))
	for ((i = 0; i < n; i++)); do cat "$chunk"; done
	printf '\\.\n\n\n'
	printf 'COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;\n'
	for ((i = 0; i < 80; i++)); do
		printf '%08d-0000-4000-8000-000000000000\t%064d\t2026-01-16 14:27:56.123456+00\t2026%010d_m%d\t\\N\t\\N\t2026-01-16 14:27:56.012+00\t1\n' $i $i $i $i
	done
	printf '\\.\n\n\n--\n-- PostgreSQL database dump complete\n--\n\n'
} >"$f"
rm -f "$chunk"
size=$(stat -c %s "$f")
echo "input: $f, $((size / 1024 / 1024)) MiB"

secs() { # command... -> "wall cpu": best elapsed and best user+sys seconds of 3 runs
	for _ in 1 2 3; do
		/usr/bin/time -f '%e %U %S' -o "$BENCH_TMP/time" "$@" >/dev/null 2>&1
		tail -n 1 "$BENCH_TMP/time"
	done | awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 }
		END { printf "%.2f %.2f\n", w, c }'
}
cat "$f" >/dev/null # page cache
h=$(secs "$MIGDOCTOR" history --format json "$f")
b=$(secs "$MIGDOCTOR" bundle -q "$f" -o "$BENCH_TMP/b.tar")
/usr/bin/time -f %M -o "$BENCH_TMP/time" "$MIGDOCTOR" bundle -q "$f" -o "$BENCH_TMP/b.tar" >/dev/null 2>&1
rss=$(tail -n 1 "$BENCH_TMP/time")
out=$(stat -c %s "$BENCH_TMP/b.tar")
awk -v h="$h" -v b="$b" -v s="$size" -v rss="$rss" -v out="$out" 'BEGIN {
	split(h, H, " "); split(b, B, " ")
	printf "migdoctor history: %5.2f s wall (%.2f GB/s), %.2f s cpu\n", H[1], s / H[1] / 1e9, H[2]
	printf "migdoctor bundle:  %5.2f s wall (%.2f GB/s), %.2f s cpu, peak RSS %.1f MB, bundle %d bytes\n", B[1], s / B[1] / 1e9, B[2], rss / 1024, out
	printf "ratio bundle/history: %.2f wall, %.2f cpu\n", B[1] / H[1], B[2] / H[2]
}'
rm -f "$f" "$BENCH_TMP/time" "$BENCH_TMP/b.tar"
