#!/bin/bash
# run.sh MIGDOCTOR - run every benchmark in bench/*.sh (not in make check).
#
# Each bench script generates its large inputs in a temp dir, times
# migdoctor beside a reference command and prints a ratio. Set
# BENCH_GB (whole gigabytes) to change the size of the generated inputs
# (default 2).
set -u
case "${BENCH_GB:-2}" in
''|*[!0-9]*) echo "BENCH_GB takes a whole number of gigabytes, not '${BENCH_GB}'" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
export MIGDOCTOR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export BENCH_TMP=${BENCH_TMP:-$(mktemp -d /var/tmp/migdoctor-bench.XXXXXX)}
trap 'rm -rf "$BENCH_TMP"' EXIT
for b in "$here"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	bash "$b" || echo "benchmark $(basename "$b") failed"
done
