# tap.sh - sourced by the shell suites: TAP output and golden comparisons.
#
#   ok_if "name" command...        passes when the command succeeds
#   expect_exit N "name" cmd...    passes when cmd exits with status N
#   golden "name" expected actual  passes when the files are identical
#   skip_all "reason"              the whole suite is skipped
set -u
tap_n=0
tap_failed=0
MD_ROOT=${MD_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FIXTURES="$MD_ROOT/fixtures"
# material that is not in the repository (LiteLLM's migrations, pg_dump
# samples): suites that need it skip, and say so, when it is absent
MIGDOCTOR_SHARED=${MIGDOCTOR_SHARED:-$MD_ROOT/../shared}
export MIGDOCTOR_SHARED
SHARED=$MIGDOCTOR_SHARED
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1"; }
tap_not_ok() {
	tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
}
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP ${2:-}"; }
tap_diag() { sed 's/^/# /'; }

ok_if() {
	local name=$1; shift
	# its own file: checks often read the .out/.err that expect_exit left
	if "$@" >"$WORK/.ok_out" 2>&1; then tap_ok "$name"
	else tap_not_ok "$name"; tap_diag <"$WORK/.ok_out" | head -n 30; fi
}

expect_exit() {
	local want=$1 name=$2 rc; shift 2
	"$@" >"$WORK/.out" 2>"$WORK/.err"; rc=$?
	if [ "$rc" -eq "$want" ]; then tap_ok "$name"
	else
		tap_not_ok "$name (exit $rc, expected $want)"
		cat "$WORK/.err" "$WORK/.out" | tap_diag | head -n 30
	fi
}

golden() {
	local name=$1 expected=$2 actual=$3
	if [ "${MD_UPDATE_GOLDEN:-}" = 1 ]; then
		mkdir -p "$(dirname "$expected")"; cp "$actual" "$expected"
	fi
	if diff -u "$expected" "$actual" >"$WORK/.diff" 2>&1; then tap_ok "$name"
	else tap_not_ok "$name"; tap_diag <"$WORK/.diff" | head -n 40; fi
}

skip_all() { echo "1..0 # SKIP $1"; echo "ok 1 - the whole suite # SKIP $1"; exit 0; }

tap_done() { echo "1..$tap_n"; [ "$tap_failed" -eq 0 ]; }
