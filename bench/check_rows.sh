#!/bin/bash
# check_rows.sh - 'migdoctor check' on a history of 100,000 rows (a CSV
# export; no migrations folder): the analysis must not compare every row
# with every other, and the time is given with the report's size in lines
# and bytes (text and JSON), which should follow the findings, not the rows.
set -u
: "${MIGDOCTOR:?}" "${BENCH_TMP:?}"
f=$BENCH_TMP/rows100k.csv
{
	echo 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count'
	awk 'BEGIN { for (i = 0; i < 100000; i++)
		printf "%08d-0000-4000-8000-%012d,%064d,2026-01-16 14:27:56.123456+00,2026%010d_m%d,,,2026-01-16 14:27:56.012+00,1\n", i, i, i, i, i }'
} >"$f"
for fmt in text json; do
	best=
	for _ in 1 2 3; do
		/usr/bin/time -f '%e %U %S %M' -o "$BENCH_TMP/time" "$MIGDOCTOR" check -H "$f" --format "$fmt" \
			>"$BENCH_TMP/out" 2>/dev/null
		read -r w u s m <"$BENCH_TMP/time"
		c=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')
		if [ -z "$best" ] || awk -v a="$c" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$c; bw=$w; bm=$m; fi
	done
	printf 'check --format %-4s on 100,000 rows: %5.2f s wall, %s s cpu, peak RSS %d MB; report %d lines, %d bytes\n' \
		"$fmt" "$bw" "$best" $((bm / 1024)) "$(wc -l <"$BENCH_TMP/out")" "$(wc -c <"$BENCH_TMP/out")"
done
# 40,000 failed rows: each its own finding (MD001), so the report is long by
# right; what is measured is that the analysis and the report stay linear
g=$BENCH_TMP/failed40k.csv
{
	echo 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count'
	awk 'BEGIN { for (i = 0; i < 40000; i++)
		printf "%08d-0000-4000-8000-%012d,%064d,,2026%010d_m%d,boom,,2026-01-16 14:27:56.012+00,0\n", i, i, i, i, i }'
} >"$g"
/usr/bin/time -f '%e %U %S %M' -o "$BENCH_TMP/time" "$MIGDOCTOR" check -H "$g" >"$BENCH_TMP/out" 2>/dev/null
read -r w u s m < <(tail -n 1 "$BENCH_TMP/time")  # the last line: time adds one for exit 1
printf 'check on 40,000 failed rows: %5.2f s wall, %s s user, peak RSS %d MB; report %d lines\n' \
	"$w" "$u" $((m / 1024)) "$(wc -l <"$BENCH_TMP/out")"
rm -f "$f" "$g" "$BENCH_TMP/out" "$BENCH_TMP/time"
