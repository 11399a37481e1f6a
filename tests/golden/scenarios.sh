#!/bin/bash
# scenarios.sh - golden 'check' scenarios: for each tests/scenarios/NAME
# (recipe1 links the 'make demo' bundle), run 'migdoctor check $(cat args)' in that folder
# and compare the report, the JSON and the repair script with
# expected.txt, expected.json and expected.sql. Regenerate with
# MD_UPDATE_GOLDEN=1. Inputs are made for real by scripts/make-scenarios.sh.
source "$MD_ROOT/tests/lib/tap.sh"

run_one() { # dir
	local d=$1 name rc want
	name=$(basename "$d")
	read -r -a args <"$d/args"
	want=$(cat "$d/exit" 2>/dev/null || echo any)
	(cd "$d" && NO_COLOR=1 "$MIGDOCTOR" check "${args[@]}" -o "$WORK/$name.sql" \
		--backup-suffix golden >"$WORK/$name.txt" 2>"$WORK/$name.err")
	rc=$?
	# the report names the script's path: the temp folder is not part of the golden
	sed -i "s|$WORK/||g" "$WORK/$name.txt"
	if [ "$want" = any ] || [ "$rc" = "$want" ]; then tap_ok "$name: exit $rc"
	else tap_not_ok "$name: exit $rc, expected $want"; tap_diag <"$WORK/$name.err"; fi
	[ "${MD_UPDATE_GOLDEN:-}" = 1 ] && echo "$rc" >"$d/exit"
	golden "$name: report" "$d/expected.txt" "$WORK/$name.txt"
	(cd "$d" && "$MIGDOCTOR" check "${args[@]}" --format json >"$WORK/$name.json" 2>/dev/null)
	sed -i "s|$WORK/||g" "$WORK/$name.json"
	golden "$name: json report" "$d/expected.json" "$WORK/$name.json"
	ok_if "$name: json is valid" python3 -m json.tool "$WORK/$name.json"
	if [ -f "$WORK/$name.sql" ]; then
		golden "$name: repair script" "$d/expected.sql" "$WORK/$name.sql"
		# byte-identical when run again (no time or randomness in the script)
		(cd "$d" && "$MIGDOCTOR" check "${args[@]}" -o "$WORK/$name.2.sql" --backup-suffix golden \
			>/dev/null 2>&1)
		ok_if "$name: the same script when run again" cmp "$WORK/$name.sql" "$WORK/$name.2.sql"
	else
		if [ "${MD_UPDATE_GOLDEN:-}" = 1 ]; then rm -f "$d/expected.sql"; fi
		ok_if "$name: no repair script (as expected)" test ! -e "$d/expected.sql"
	fi
}

for d in "$MD_TESTS_DIR"/scenarios/*/; do
	d=${d%/}
	[ -f "$d/args" ] || continue
	run_one "$d"
done
tap_done
