#!/bin/bash
# touches.sh - parse and replay a whole migrations directory.
#
# Goal (BENCHMARKS.md): LiteLLM's ~80 migrations parsed and replayed in well
# under 100 ms. Times 'migdoctor touches --print-schema' (read, sha256, split,
# parse every statement with libpg_query, effects, replay) over 50 runs,
# process start included, on LiteLLM's directory when
# $MIGDOCTOR_SHARED/litellm (default: ../shared next to the repository) is
# there and on the project's fixtures.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
runs=50
shared=${MIGDOCTOR_SHARED:-$here/../shared}

bench_dir() { # label dir
	local label=$1 dir=$2 t0 t1 best=999999999 i s e
	"$MIGDOCTOR" touches --print-schema "$dir" >/dev/null || { echo "$label: migdoctor failed"; return; }
	t0=$(date +%s%N)
	for ((i = 0; i < runs; i++)); do
		s=$(date +%s%N)
		"$MIGDOCTOR" touches --print-schema "$dir" >/dev/null
		e=$(date +%s%N)
		[ $((e - s)) -lt "$best" ] && best=$((e - s))
	done
	t1=$(date +%s%N)
	printf '%-28s %3d migrations  mean %6.2f ms  best %6.2f ms  (goal < 100 ms)\n' "$label" \
		"$(find "$dir" -mindepth 1 -maxdepth 1 -type d | wc -l)" \
		"$(awk "BEGIN{print ($t1 - $t0) / $runs / 1e6}")" "$(awk "BEGIN{print $best / 1e6}")"
}

bench_dir "fixtures/migrations" "$here/fixtures/migrations"
if [ -d "$shared/litellm/migrations" ]; then
	bench_dir "litellm (shared)" "$shared/litellm/migrations"
fi
