#!/bin/bash
# run.sh - run every test and print one closing "N passed, N failed" line.
#
# Every test speaks TAP: the cmocka unit programs (CMOCKA_MESSAGE_OUTPUT=TAP)
# and the shell suites in tests/golden and tests/integration (tests/lib/tap.sh).
# Environment: MIGDOCTOR (the binary under test), TESTBIN (unit test
# programs), MD_VALGRIND=1 to run everything under valgrind,
# MD_TESTS="pattern" to run only the suites whose name matches,
# MIGDOCTOR_SHARED (default ../shared next to the repository) for material
# kept outside it. The closing lines list every skipped test and why, and
# the suites MD_TESTS left out, so a run elsewhere shows what it did not do.
set -u
here=$(cd "$(dirname "$0")" && pwd)
export MD_TESTS_DIR="$here"
export MD_ROOT="$(dirname "$here")"
: "${MIGDOCTOR:?MIGDOCTOR must name the migdoctor binary}"
: "${TESTBIN:?TESTBIN must name the unit test directory}"
export MIGDOCTOR TESTBIN LC_ALL=C TZ=UTC
unset NO_COLOR

# leaks inside libraries (documented in the files) are not ours
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# full stacks at malloc, so a suppression can name a caller inside a library
export ASAN_OPTIONS="fast_unwind_on_malloc=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
if [ "${MD_VALGRIND:-}" = 1 ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$here/valgrind.supp"
	wrap=$(mktemp)
	printf '#!/bin/sh\nexec %s %s "$@"\n' "$vg" "$MIGDOCTOR" >"$wrap"
	chmod +x "$wrap"
	export MIGDOCTOR="$wrap"
else
	vg=""
fi

pass=0 fail=0 skip=0
failed_names=() skipped_names=() unselected=0
log=$(mktemp)
trap 'rm -f "$log" ${wrap:-}' EXIT

count() { # suite-name < TAP
	local name=$1 line
	while IFS= read -r line; do
		case "$line" in
		"ok "*"# SKIP"* | "ok "*"# skip"*)
			skip=$((skip + 1)); echo "  $line"
			skipped_names+=("$name: $(skip_text "$line")") ;;
		"ok "*) pass=$((pass + 1)) ;;
		"not ok "*) fail=$((fail + 1)); failed_names+=("$name: ${line#not ok }"); echo "  $line" ;;
		"#"*) echo "  $line" ;;
		esac
	done
}

# "ok 3 - litellm: known facts # SKIP no ..." -> "litellm: known facts (no ...)"
skip_text() {
	local what=${1#ok } why
	what=${what#* - }
	why=${what#*# [Ss][Kk][Ii][Pp]}
	what=${what%%# [Ss][Kk][Ii][Pp]*}
	what=${what% }
	why=${why# }
	echo "$what (${why:-no reason given})"
}

suite() { # name command...
	local name=$1 rc
	shift
	echo "== $name"
	"$@" >"$log" 2>&1
	rc=$?
	count "$name" <"$log"
	if [ $rc -ne 0 ] && ! grep -q '^not ok' "$log"; then
		# a crash or a failing suite setup is a failure even without TAP lines
		fail=$((fail + 1))
		failed_names+=("$name: exited with status $rc")
		tail -n 20 "$log" | sed 's/^/  | /'
	fi
}

want() { [ -z "${MD_TESTS:-}" ] || [[ "$1" == *${MD_TESTS}* ]]; }

for t in "$TESTBIN"/test_*; do
	[ -x "$t" ] || continue
	want "unit/$(basename "$t")" || { unselected=$((unselected + 1)); continue; }
	CMOCKA_MESSAGE_OUTPUT=TAP suite "unit/$(basename "$t")" $vg "$t"
done
for t in "$here"/golden/*.sh "$here"/integration/*.sh; do
	[ -f "$t" ] || continue
	name="$(basename "$(dirname "$t")")/$(basename "$t" .sh)"
	want "$name" || { unselected=$((unselected + 1)); continue; }
	suite "$name" bash "$t"
done

if [ ${#skipped_names[@]} -gt 0 ]; then
	echo
	echo "skipped:"
	printf '  %s\n' "${skipped_names[@]}"
fi
if [ "$unselected" -gt 0 ]; then
	echo
	echo "not run: $unselected suite$([ "$unselected" = 1 ] || echo s) not matching MD_TESTS=$MD_TESTS"
fi
if [ ${#failed_names[@]} -gt 0 ]; then
	echo
	echo "failures:"
	printf '  %s\n' "${failed_names[@]}"
fi
echo
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
