#!/bin/bash
# history_custom.sh - 'migdoctor history' on pg_dump custom archives at two
# sizes, with data offsets and written to a pipe (no offsets).
#
# A PostgreSQL started here (tests/lib/pg.sh) holds a small
# _prisma_migrations and a "LiteLLM_SpendLogs" table of BENCH_GB GiB of
# poorly compressible rows (md5 text), and a tenth of that for the small
# size; real pg_dump -Fc (default gzip) writes both, to a file and through
# a pipe. Expected: with offsets the time does not depend on the size (one
# seek to the block); through a pipe migdoctor walks the chunk headers of
# the big block without decompressing it, so it runs near 'cat' speed and
# far below the time to decompress the data (pg_restore --data-only).
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
MIGDOCTOR=${MIGDOCTOR:-$root/build/migdoctor}
BENCH_TMP=${BENCH_TMP:-$(mktemp -d /var/tmp/migdoctor-bench.XXXXXX)}
gb=${BENCH_GB:-2}
source "$root/tests/lib/pg.sh"
WORK=$BENCH_TMP/custom
mkdir -p "$WORK"
pg_start >/dev/null || { echo "no PostgreSQL: skipped"; exit 0; }
export PGDATABASE=postgres

secs() { # command... -> wall seconds (ms resolution) and peak RSS (KiB), "S RSS"
	local t0 t1
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
		{ echo "failed: $*" >&2; cat "$WORK/stderr" >&2; }
	t1=$(date +%s%N)
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }') $(cat "$WORK/time")"
}
best() { # best wall time of 5 runs (page cache warm), and its RSS
	for i in 1 2 3 4 5; do secs "$@"; done | sort -n | head -n 1
}
read_kb() { # command... -> KiB the command read (strace), or "-" without strace
	command -v strace >/dev/null || { echo -; return; }
	strace -f -e trace=read,pread64 -o "$WORK/strace" "$@" >/dev/null 2>&1
	awk '/= [0-9]+$/ { s += $NF } END { printf "%d", s / 1024 }' "$WORK/strace"
}

pg_psql -c "CREATE TABLE _prisma_migrations (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL,
  finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)" \
  -c "INSERT INTO _prisma_migrations SELECT gen_random_uuid(), md5(g::text) || md5(g::text),
  now(), lpad(g::text, 14, '0') || '_m', NULL, NULL, now(), 1 FROM generate_series(1, 200) g" \
  -c 'CREATE TABLE "LiteLLM_SpendLogs" (request_id text, "startTime" timestamp, messages text)' >/dev/null

# one row is about 300 bytes of text
fill_to() { # total GiB of spend logs wanted (awk float)
	local rows
	rows=$(awk -v g="$1" 'BEGIN { printf "%d", g * 1073741824 / 300 }')
	pg_psql -c "TRUNCATE \"LiteLLM_SpendLogs\"" \
		-c "INSERT INTO \"LiteLLM_SpendLogs\" SELECT 'req-' || g, timestamp '2026-01-01' + g * interval '1 ms',
		    md5((8*g)::text) || md5((8*g+1)::text) || md5((8*g+2)::text) || md5((8*g+3)::text) ||
		    md5((8*g+4)::text) || md5((8*g+5)::text) || md5((8*g+6)::text) || md5((8*g+7)::text)
		    FROM generate_series(1, $rows) g" >/dev/null
}

small=$(awk -v g="$gb" 'BEGIN { printf "%.2f", g / 10 }')
printf '%-8s %-8s %8s %9s %8s %10s %8s %10s %7s\n' size variant file_MB migdoc_s rss_KB read_KB cat_s restore_s ratio
for size in "$small" "$gb"; do
	fill_to "$size"
	pg_dump -Fc -f "$WORK/offsets.dump"
	pg_dump -Fc | cat >"$WORK/pipe.dump"
	for v in offsets pipe; do
		f=$WORK/$v.dump
		mb=$(( $(stat -c %s "$f") / 1048576 ))
		read -r t rss < <(best "$MIGDOCTOR" history --format json "$f")
		rkb=$(read_kb "$MIGDOCTOR" history --format json "$f")
		read -r tc _ < <(best cat "$f")
		# the reference: decompressing the spend logs data, as any reader that
		# does not skip blocks must
		read -r tr _ < <(secs pg_restore --data-only -t LiteLLM_SpendLogs -f /dev/null "$f")
		ratio=$(awk -v a="$t" -v b="$tr" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')
		printf '%-8s %-8s %8s %9s %8s %10s %8s %10s %7s\n' "${size}G" "$v" "$mb" "$t" "$rss" "$rkb" "$tc" "$tr" "$ratio"
	done
done
echo "read_KB = bytes migdoctor read (strace); ratio = migdoctor time / time to decompress"
echo "the spend logs (pg_restore --data-only -f /dev/null)"
rm -f "$WORK"/*.dump
