#!/bin/bash
# events.sh - 'migdoctor events' on every fixture log (text and JSON
# goldens), compressed and rotated logs, over-long lines, usage errors.
# MD_UPDATE_GOLDEN=1 rewrites the expected files (review the diff!).
source "$MD_ROOT/tests/lib/tap.sh"
cd "$MD_ROOT" || exit 1
L=fixtures/logs

for log in $L/*.log; do
	name=$(basename "$log" .log)
	"$MIGDOCTOR" events "$log" >"$WORK/$name.txt" 2>"$WORK/$name.err"
	golden "events $name (text)" "$L/$name.expected" "$WORK/$name.txt"
	"$MIGDOCTOR" events --format json "$log" >"$WORK/$name.json" 2>/dev/null
	golden "events $name (json)" "$L/$name.expected.json" "$WORK/$name.json"
	if command -v python3 >/dev/null; then
		ok_if "events $name: JSON parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$name.json"
	fi
done

# gzip (by content, not by name) gives the same events as the plain file
gzip -c $L/extras_p3018.log >"$WORK/p3018.bin"
"$MIGDOCTOR" events "$WORK/p3018.bin" | sed "s#^$WORK/p3018.bin:#$L/extras_p3018.log:#" >"$WORK/gz.txt"
golden "events: gzip-compressed log" "$L/extras_p3018.expected" "$WORK/gz.txt"

# zstd too, when the tool is here to make one
if command -v zstd >/dev/null; then
	zstd -q -c $L/extras_p3009.log >"$WORK/p3009.zst"
	"$MIGDOCTOR" events "$WORK/p3009.zst" | sed "s#^$WORK/p3009.zst:#$L/extras_p3009.log:#" >"$WORK/zst.txt"
	golden "events: zstd-compressed log" "$L/extras_p3009.expected" "$WORK/zst.txt"
else
	tap_skip "events: zstd-compressed log" "no zstd command"
fi

# standard input, gzip-compressed too
gzip -c $L/extras_p3018.log | "$MIGDOCTOR" events - | sed "s#^/dev/stdin:#$L/extras_p3018.log:#" >"$WORK/stdin.txt"
golden "events: '-' reads standard input (gzip)" "$L/extras_p3018.expected" "$WORK/stdin.txt"

# rotated logs, oldest first: events in order, summary over both files
"$MIGDOCTOR" events $L/extras_p3009.log $L/dup_1_80.log >"$WORK/rot.txt"
{ grep -v '^  \|^summary\|^$' $L/extras_p3009.expected; grep -v '^  \|^summary\|^$' $L/dup_1_80.expected; } >"$WORK/rot.want"
grep -v '^  \|^summary\|^$' "$WORK/rot.txt" >"$WORK/rot.got"
golden "events: two files in order" "$WORK/rot.want" "$WORK/rot.got"
ok_if "events: summary spans both files" grep -q '^summary: 3 migrations named' "$WORK/rot.txt"

# a block split across the two files of a rotation is still one event
head -n 8 $L/extras_p3018.log >"$WORK/part1.log"
tail -n +9 $L/extras_p3018.log >"$WORK/part2.log"
"$MIGDOCTOR" events "$WORK/part1.log" "$WORK/part2.log" >"$WORK/split.txt"
ok_if "events: P3018 cut by rotation keeps name and SQLSTATE" \
	grep -q 'part1.log:2: failed migration="20251122125322_Add organization_id to spend logs" code=P3018 sqlstate=42701' "$WORK/split.txt"

# a line longer than the 1 MiB cap: warning with file:line, the rest still read
{ echo "Applying migration \`20240101000000_a\`"; head -c 3000000 /dev/zero | tr '\0' x; echo;
  echo "Applying migration \`20240102000000_b\`"; } >"$WORK/long.log"
expect_exit 0 "events: over-long line is skipped, exit 0" "$MIGDOCTOR" events "$WORK/long.log"
keep() { cp "$WORK/.out" "$WORK/kept.out"; cp "$WORK/.err" "$WORK/kept.err"; }
keep
ok_if "events: over-long line warning names file and line" grep -q "long.log:2: line is longer than 1 MiB" "$WORK/kept.err"
ok_if "events: events after the over-long line" grep -q "long.log:3: applying 20240102000000_b" "$WORK/kept.out"
{ printf 'Applying migration `20240103000000_c` '; head -c 2000000 /dev/zero | tr '\0' z; echo; } >"$WORK/longev.log"
"$MIGDOCTOR" events "$WORK/longev.log" >"$WORK/longev.out" 2>"$WORK/longev.err"
ok_if "events: an over-long line with an event: warning" grep -q "longev.log:1: line is longer than 1 MiB" "$WORK/longev.err"
ok_if "events: an over-long line with an event: its first MiB is searched" grep -q "longev.log:1: applying 20240103000000_c" "$WORK/longev.out"
head -c 2000000 /dev/zero | tr '\0' y >"$WORK/oneline.log"
expect_exit 0 "events: one huge line without newline" "$MIGDOCTOR" events "$WORK/oneline.log"
keep
ok_if "events: ... says no events" grep -q "no migration events found" "$WORK/kept.out"

# more events than kept: a warning, "truncated", bounded memory
yes 'Applying migration `20240101000000_init`' | head -n 270000 >"$WORK/many.log"
"$MIGDOCTOR" events --format json "$WORK/many.log" >"$WORK/many.json" 2>"$WORK/many.err"
ok_if "events: event cap warns" grep -q "many.log:262145: more than 262144 migration events" "$WORK/many.err"
ok_if "events: event cap sets truncated" grep -q '"truncated": true' "$WORK/many.json"
ok_if "events: lines after the cap are still counted" grep -q '"lines_read": 270000' "$WORK/many.json"

# not a text log: exit 3 naming the file and the offset, never MD007 from an executable's strings
R=fixtures/logs/not_text/random.bin
want_random="migdoctor: error: $R: not a text log (NUL byte at offset 88; 53% of the first 2048 bytes are NUL, control or not UTF-8); expected the text output of the proxy or of prisma (plain, or compressed with gzip, zstd or lz4)"
expect_exit 3 "events: random bytes are not a text log (exit 3)" "$MIGDOCTOR" events "$R"
keep
ok_if "events: random bytes: file, offset and what was expected" test "$(cat "$WORK/kept.err")" = "$want_random"
ok_if "events: random bytes: nothing on stdout" test ! -s "$WORK/kept.out"
expect_exit 3 "check -l: random bytes are not a text log (exit 3)" "$MIGDOCTOR" check -l "$R"
keep
ok_if "check -l: random bytes: the same message" test "$(cat "$WORK/kept.err")" = "$want_random"
ok_if "check -l: random bytes: no report" test ! -s "$WORK/kept.out"
# an ELF executable (migdoctor itself), plain and gzip-compressed
# (under valgrind MIGDOCTOR is a wrapper script: the binary is its exec's last word)
elf=$MIGDOCTOR
[ "$(head -c 2 "$elf")" = '#!' ] && elf=$(sed -n 's/^exec .* \([^ ]*\) "\$@"$/\1/p' "$MIGDOCTOR")
cp "$elf" "$WORK/elf.log"
# the first NUL: 7 in a dynamic binary, 8 in the static one (its ELF header names GNU's ABI)
nul=$(od -An -v -tu1 -N 64 "$WORK/elf.log" | tr -s ' ' '\n' | grep -v '^$' | grep -nx 0 | head -n1 | cut -d: -f1)
nul=$((nul - 1))
expect_exit 3 "events: an ELF executable is not a text log (exit 3)" "$MIGDOCTOR" events "$WORK/elf.log"
keep
ok_if "events: ELF: NUL byte at its first NUL ($nul), named an ELF executable" \
	grep -qE "^migdoctor: error: $WORK/elf.log: not a text log \(NUL byte at offset $nul; [0-9]+% of the first 65536 bytes are NUL, control or not UTF-8\); it looks like an ELF executable; expected " "$WORK/kept.err"
expect_exit 3 "check -l: an ELF executable is not a text log (exit 3)" "$MIGDOCTOR" check -m fixtures/migrations -l "$WORK/elf.log"
keep
ok_if "check -l: ELF: the message names the file" grep -q "^migdoctor: error: $WORK/elf.log: not a text log (NUL byte at offset $nul;" "$WORK/kept.err"
ok_if "check -l: ELF: no MD007 from its strings" sh -c '! grep -q MD007 "$1"' _ "$WORK/kept.out"
gzip -c "$WORK/elf.log" >"$WORK/elf.gz"
expect_exit 3 "events: a gzip that decompresses to an executable (exit 3)" "$MIGDOCTOR" events "$WORK/elf.gz"
keep
ok_if "events: gzip of ELF: the offset is in the decompressed data" grep -q "elf.gz: not a text log (NUL byte at offset $nul once decompressed;" "$WORK/kept.err"
printf 'Applying migration `a`\n' | iconv -f UTF-8 -t UTF-16 >"$WORK/u16.log"
expect_exit 3 "events: UTF-16 text is refused (exit 3)" "$MIGDOCTOR" events "$WORK/u16.log"
keep
ok_if "events: UTF-16: says how to convert it" grep -q "it looks like UTF-16 text.*iconv -f UTF-16 -t UTF-8" "$WORK/kept.err"
# the limit: up to 25% binary bytes in the first 64 KiB is a damaged text log, still read
python3 -c '
import sys
line = b"Applying migration `20240101000000_a`\n"          # 38 bytes
junk = lambda n: b"\0" * n + b"\n"
open(sys.argv[1], "wb").write((line + junk(11)) * 100)     # 11 of 50 bytes: 22%
open(sys.argv[2], "wb").write((line + junk(14)) * 100)     # 14 of 53 bytes: 26%
' "$WORK/damaged22.log" "$WORK/damaged26.log"
expect_exit 0 "events: 22% NUL bytes: a damaged text log, read" "$MIGDOCTOR" events "$WORK/damaged22.log"
keep
ok_if "events: 22% NUL bytes: its events are found" grep -q "damaged22.log:1: applying 20240101000000_a" "$WORK/kept.out"
expect_exit 3 "events: 26% NUL bytes: not a text log" "$MIGDOCTOR" events "$WORK/damaged26.log"

# empty input, errors, usage
: >"$WORK/empty.log"
expect_exit 0 "events: empty log" "$MIGDOCTOR" events "$WORK/empty.log"
keep
ok_if "events: empty log says so" grep -q "no migration events found (1 file, 0 lines read)" "$WORK/kept.out"
expect_exit 3 "events: missing file is exit 3" "$MIGDOCTOR" events "$WORK/nope.log"
keep
ok_if "events: missing file message names it" grep -q "cannot open '$WORK/nope.log'" "$WORK/kept.err"
expect_exit 3 "events: a directory is exit 3" "$MIGDOCTOR" events "$WORK"
expect_exit 2 "events: no LOG is a usage error" "$MIGDOCTOR" events
expect_exit 2 "events: unknown option" "$MIGDOCTOR" events --frobnicate $L/noise.log
expect_exit 2 "events: bad --format" "$MIGDOCTOR" events --format csv $L/noise.log
expect_exit 0 "events --help" "$MIGDOCTOR" events --help
keep
ok_if "events --help has usage, options, examples, exit codes" \
	sh -c 'grep -q "^usage: migdoctor events" "$1" && grep -q "^options:" "$1" && grep -q "^examples:" "$1" && grep -q "^exit codes:" "$1"' _ "$WORK/kept.out"
expect_exit 0 "events --no-summary" "$MIGDOCTOR" events --no-summary $L/extras_p3018.log
keep
ok_if "events --no-summary prints no summary" sh -c '! grep -q "^summary" "$1" && grep -q failed "$1"' _ "$WORK/kept.out"
tap_done
