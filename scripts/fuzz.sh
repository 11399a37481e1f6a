#!/bin/bash
# fuzz.sh SECONDS - build every libFuzzer target in fuzz/ and run each.
#
# A target is fuzz/fuzz_NAME.c defining LLVMFuzzerTestOneInput; its seed
# corpus is fuzz/corpus/NAME/ (committed). New inputs found go to
# build-fuzz/corpus/NAME/ (not committed); crashes to build-fuzz/crash-NAME-*.
# Prints "N passed, N failed": a target passes when it ran without a crash.
set -u
secs=${1:-60}
cd "$(dirname "$0")/.."
B=build-fuzz
CC=${FUZZ_CC:-clang}
flags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc -D_GNU_SOURCE -std=gnu11"
libs="-lpg_query -ljansson -lpcre2-8 -lz -llz4 -lzstd -lcrypto -lm"
mkdir -p $B/obj
objs=()
for f in src/*/*.c; do
	o=$B/obj/$(echo "${f#src/}" | tr / _).o
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ -n "$(find include src -name '*.h' -newer "$o" 2>/dev/null | head -1)" ]; then
		$CC $flags -c -o "$o" "$f" || exit 1
	fi
	objs+=("$o")
done
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="fast_unwind_on_malloc=0"
pass=0 fail=0
for t in fuzz/fuzz_*.c; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .c); name=${name#fuzz_}
	bin=$B/fuzz_$name
	$CC $flags -fsanitize=fuzzer -o "$bin" "$t" "${objs[@]}" $libs || { fail=$((fail + 1)); continue; }
	mkdir -p "$B/corpus/$name"
	seeds=()
	[ -d "fuzz/corpus/$name" ] && seeds=("fuzz/corpus/$name")
	echo "== fuzz $name for ${secs}s"
	if "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
		-artifact_prefix="$B/crash-$name-" -print_final_stats=1 \
		"$B/corpus/$name" "${seeds[@]}" >"$B/$name.log" 2>&1; then
		pass=$((pass + 1))
		grep -E 'stat::number_of_executed_units' "$B/$name.log" | sed "s/^/  $name: /"
	else
		fail=$((fail + 1))
		echo "not ok - fuzz $name"; tail -n 40 "$B/$name.log"
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
