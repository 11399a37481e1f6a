#!/bin/bash
# events.sh - 'migdoctor events' on a generated LiteLLM log of BENCH_GB GB
# (default 1) of realistic request noise with a few migration events,
# beside 'grep -c' of one literal and 'grep -c -F' on the same literals as
# the reader's prefilter; then the worst case, a log whose every line holds
# a literal. Goals (issue 14): 2x one-literal grep -c; worst case 2x grep -F.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
: "${MIGDOCTOR:?}" "${BENCH_TMP:?}"
gb=${BENCH_LOG_GB:-${BENCH_GB:-1}}
log=$BENCH_TMP/litellm-bench.log
E=$'\x1b'

# about 1 MiB of noise: uvicorn access lines, LiteLLM debug lines with
# ANSI colours, JSON spend records, router lines
block=$BENCH_TMP/noise.block
for i in $(seq 1 1200); do
	printf 'INFO:     10.42.%d.%d:%d - "POST /chat/completions HTTP/1.1" 200 OK\n' $((i % 7)) $((i % 250)) $((40000 + i))
	printf '%s[92m14:%02d:%02d - LiteLLM Proxy:DEBUG%s[0m: proxy_server.py:3%03d - Request received by LiteLLM:\n' "$E" $((i % 60)) $((i * 7 % 60)) "$E" $((i % 1000))
	printf '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "summarise ticket %d"}], "user": "team-%d", "metadata": {"user_api_key_hash": "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"}}\n' $i $((i % 13))
	printf '%s[92m14:%02d:%02d - LiteLLM Router:INFO%s[0m: router.py:1%03d - litellm.acompletion(model=azure/gpt-4o-mini)%s[32m 200 OK%s[0m\n' "$E" $((i % 60)) $((i * 3 % 60)) "$E" $((i % 1000)) "$E" "$E"
	printf '{"message": "spend update: key=sk-...%04d spend=0.000%d tokens=%d", "level": "DEBUG", "timestamp": "2026-02-17T14:%02d:%02d.%06d"}\n' $i $((i % 10)) $((i * 37 % 4000)) $((i % 60)) $((i % 60)) $((i * 7919 % 1000000))
	printf '%s[92m14:%02d:%02d - LiteLLM:DEBUG%s[0m: utils.py:4%03d - response_cost: 0.0001%02d, cache_hit: False, api_base: https://eastus.openai.azure.com/\n' "$E" $((i % 60)) $((i % 60)) "$E" $((i % 1000)) $((i % 100))
done >"$block"
bsize=$(stat -c %s "$block")
blocks=$(( gb * 1024 * 1024 * 1024 / bsize ))
events=$here/fixtures/logs/extras_p3018.log
echo "generating $gb GB ($blocks blocks of $bsize bytes, 5 event blocks)"
{
	for ((b = 0; b < blocks; b++)); do
		cat "$block"
		if (( b % (blocks / 5 + 1) == 0 )); then cat "$events"; fi
	done
} >"$log"
size=$(stat -c %s "$log")

# the literals of src/logs/prefilter.c
mapfile -t lits < <(sed -n '/lf_literals\[\] = {/,/NULL/p' "$here/src/logs/prefilter.c" | grep -o '^\s*"[^"]*"' | sed 's/^\s*"//; s/"$//')
gargs=()
for l in "${lits[@]}"; do gargs+=(-e "$l"); done

cat "$log" >/dev/null # warm the page cache for both
# best of $runs (3): "wall cpu maxrss_kb" (cpu = user+sys, less disturbed by other jobs)
runs=3
best() {
	for ((k = 0; k < runs; k++)); do
		/usr/bin/time -f '%e %U %S %M' -o "$BENCH_TMP/time" "$@" >"$BENCH_TMP/out" 2>/dev/null
		tail -n 1 "$BENCH_TMP/time"
	done | awk 'NR == 1 || $1 < w { w = $1 } NR == 1 || $2 + $3 < c { c = $2 + $3 } { r = $4 }
		END { printf "%.2f %.2f %d\n", w, c, r }'
}
read -r g1s g1c _ < <(best grep -c -F 'gpt-4o-mini-nothing' "$log")
read -r gs gc gm < <(best grep -c -F "${gargs[@]}" "$log")
gcount=$(cat "$BENCH_TMP/out")
read -r ms mc mm < <(best "$MIGDOCTOR" events --no-summary "$log")
mcount=$(wc -l <"$BENCH_TMP/out")
read -r js jc jm < <(best "$MIGDOCTOR" events --format json "$log")
mbps=$(awk "BEGIN{printf \"%.0f\", $size / 1048576 / ($ms > 0 ? $ms : 0.001)}")
echo "log: $size bytes, ${#lits[@]} literals; grep matched $gcount lines, migdoctor printed $mcount events"
echo "grep -c (one literal):      ${g1s} s wall, ${g1c} s cpu"
echo "grep -c -F (the literals):  ${gs} s wall, ${gc} s cpu, max RSS ${gm} KB"
echo "migdoctor events:           ${ms} s wall, ${mc} s cpu, max RSS ${mm} KB ($mbps MiB/s)"
echo "migdoctor --format json:    ${js} s wall, ${jc} s cpu, max RSS ${jm} KB"
awk -v ms="$ms" -v mc="$mc" -v g1s="$g1s" -v g1c="$g1c" -v gs="$gs" -v gc="$gc" 'BEGIN {
	printf "ratio migdoctor/grep -c one literal: %.2f wall, %.2f cpu (goal <= 2)\n", ms / g1s, mc / g1c
	printf "ratio migdoctor/grep -F literals:    %.2f wall, %.2f cpu\n", ms / gs, mc / gc }'
rm -f "$log" "$block"

# The worst case: every line holds one of the literals, none is an event
# (a proxy whose request paths or bodies happen to say "migration" ...).
# Goal: within 2x of grep -F with the same literals.
worst=$BENCH_TMP/worst.log
for l in "${lits[@]}"; do
	printf 'INFO:     10.1.2.3:4567 - "GET /v1/notes?q=%s HTTP/1.1" 200 OK\n' "$l"
	printf '{"message": "user asked about %s in chat", "level": "DEBUG", "timestamp": "2026-02-17T14:00:00.000001"}\n' "$l"
done >"$block"
n=$(( gb * 128 * 1024 * 1024 / $(stat -c %s "$block") ))
for ((i = 0; i < n; i++)); do cat "$block"; done >"$worst"
cat "$worst" >/dev/null
runs=5 # the worst case runs fast: best of 5
read -r gs gc _ < <(best grep -c -F "${gargs[@]}" "$worst")
gcount=$(cat "$BENCH_TMP/out")
read -r ms mc mm < <(best "$MIGDOCTOR" events --no-summary "$worst")
mcount=$(grep -c . "$BENCH_TMP/out")
echo "worst case: $(stat -c %s "$worst") bytes, grep matched $gcount lines, migdoctor printed $mcount lines"
awk -v ms="$ms" -v mc="$mc" -v mm="$mm" -v gs="$gs" -v gc="$gc" 'BEGIN {
	printf "grep -c -F: %.2f s wall, %.2f s cpu; migdoctor events: %.2f s wall, %.2f s cpu, max RSS %d KB\n", gs, gc, ms, mc, mm
	printf "ratio migdoctor/grep -F literals (worst case): %.2f wall, %.2f cpu (goal <= 2)\n", ms / gs, mc / gc }'
rm -f "$worst" "$block"
