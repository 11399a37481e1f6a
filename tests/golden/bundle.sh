#!/bin/bash
# bundle.sh - 'migdoctor bundle' on every golden scenario (tests/scenarios):
# check on the bundle must exit as check on the scenario's files, with the
# same finding codes and migrations and the same repair script (but the
# header's list of inputs); the bundle is the same bytes on a second run.
# The PostgreSQL proof (every dump format, canary secrets) is
# tests/integration/bundle.sh.
source "$(dirname "$0")/../lib/tap.sh"

"$MIGDOCTOR" bundle --help >/dev/null 2>&1 || skip_all "no 'migdoctor bundle' in this build"
command -v python3 >/dev/null || skip_all "no python3 to read the JSON reports"

codes() { # json report -> "CODE migration" lines, sorted
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["code"], f.get("migration") or "-")
' "$1" | LC_ALL=C sort
}
body() { sed '/^-- Inputs:/,/^--$/d' "$1"; }

for d in "$MD_ROOT"/tests/scenarios/*/; do
	name=$(basename "$d")
	[ -f "$d/args" ] || continue
	read -r -a args <"$d/args"
	# the bundle takes the exports; the migrations folder and check's options stay with check
	bargs=() cargs=()
	for ((i = 0; i < ${#args[@]}; i++)); do
		a=${args[i]}
		case $a in
		-m) cargs+=(-m "${args[i + 1]}"); i=$((i + 1)) ;;
		--fail-on) cargs+=(--fail-on "${args[i + 1]}"); i=$((i + 1)) ;;
		migrations) cargs+=(-m migrations) ;;
		*) bargs+=("$a") ;;
		esac
	done
	(cd "$d" && "$MIGDOCTOR" bundle -q "${bargs[@]}" -o "$WORK/$name.tar") 2>"$WORK/$name.berr"
	ok_if "$name: bundle is written" sh -c "cat '$WORK/$name.berr'; test -s '$WORK/$name.tar'"
	(cd "$d" && "$MIGDOCTOR" bundle -q "${bargs[@]}" -o "$WORK/$name.2.tar") 2>/dev/null
	ok_if "$name: the same bytes on a second run" cmp "$WORK/$name.tar" "$WORK/$name.2.tar"
	(cd "$d" && "$MIGDOCTOR" check "${args[@]}" -o "$WORK/$name.orig.sql" --format json \
		>"$WORK/$name.orig.json" 2>/dev/null)
	rc_o=$?
	(cd "$d" && "$MIGDOCTOR" check "${cargs[@]}" "$WORK/$name.tar" -o "$WORK/$name.bundle.sql" \
		--format json >"$WORK/$name.bundle.json" 2>"$WORK/$name.cerr")
	rc_b=$?
	ok_if "$name: check exits as on the files ($rc_o)" sh -c "cat '$WORK/$name.cerr'; test $rc_o = $rc_b"
	codes "$WORK/$name.orig.json" >"$WORK/$name.orig.codes" 2>&1
	codes "$WORK/$name.bundle.json" >"$WORK/$name.bundle.codes" 2>&1
	golden "$name: the same finding codes and migrations" "$WORK/$name.orig.codes" "$WORK/$name.bundle.codes"
	if [ -f "$WORK/$name.orig.sql" ]; then
		body "$WORK/$name.orig.sql" >"$WORK/$name.orig.body"
		body "$WORK/$name.bundle.sql" >"$WORK/$name.bundle.body" 2>&1
		golden "$name: the same repair script (but the inputs list)" "$WORK/$name.orig.body" "$WORK/$name.bundle.body"
	else
		ok_if "$name: no repair script from the bundle either" test ! -e "$WORK/$name.bundle.sql"
	fi
done

# a bundle compressed on its way (mail gateways, 'gzip bundle.tar') is read the same
R=$MD_ROOT/tests/scenarios/recipe1
gzip -c "$WORK/recipe1.tar" >"$WORK/recipe1.tar.gz"
(cd "$R" && "$MIGDOCTOR" check -m migrations "$WORK/recipe1.tar.gz" --format json >"$WORK/gz.json" 2>/dev/null)
codes "$WORK/gz.json" >"$WORK/gz.codes" 2>&1
golden "recipe1: a gzip-compressed bundle gives the same findings" "$WORK/recipe1.orig.codes" "$WORK/gz.codes"
(cd "$R" && "$MIGDOCTOR" bundle -q dump.sql startup.log -o - >"$WORK/stdout.tar")
ok_if "bundle -o - writes the same bytes to standard output" cmp "$WORK/stdout.tar" "$WORK/recipe1.tar"
expect_exit 0 "history reads a bundle's rows" "$MIGDOCTOR" history "$WORK/recipe1.tar"
ok_if "... named as the bundle's member, from the original format" sh -c "grep -q 'recipe1.tar\[dump.sql\]' '$WORK/.out' && grep -q 'bundle of dump.sql: pg_dump plain SQL' '$WORK/.out'"
tap_done
