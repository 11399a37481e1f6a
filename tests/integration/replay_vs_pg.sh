#!/bin/bash
# replay_vs_pg.sh - the replay's predictions are PostgreSQL's answers.
#
# Runs every case of tests/replay/cases.txt on a real PostgreSQL, on a
# database holding tests/replay/base.sql, and checks the SQLSTATE and
# message (or, for a success, the fact in the catalog) that the case
# expects: the same file tests/unit/test_replay.c holds the replay to.
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"

pg_start || skip_all "cannot start PostgreSQL"
createdb replay_base && psql -X -q -v ON_ERROR_STOP=1 -d replay_base -f "$MD_ROOT/tests/replay/base.sql" ||
	{ tap_not_ok "base.sql applies"; tap_done; exit 1; }

n=0
run_case() { # name sqlfile kind expect
	local name=$1 sql=$2 kind=$3 expect=$4 db got
	n=$((n + 1)); db="case_$n"
	createdb -T replay_base "$db"
	if [ "$kind" = err ]; then
		# VERBOSITY verbose prints "ERROR:  SQLSTATE: message"
		got=$(psql -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -d "$db" -c "$(cat "$sql")" 2>&1 |
			sed -n 's/^ERROR:  //p' | head -n 1)
		if [ "$got" = "$expect" ]; then tap_ok "$name"
		else tap_not_ok "$name"; echo "# expected: $expect"; echo "# got:      $got"; fi
	else
		if psql -X -q -v ON_ERROR_STOP=1 -d "$db" -c "$(cat "$sql")" >"$WORK/out" 2>&1 &&
			psql -X -q -At -v schema=public -d "$db" -f "$MD_ROOT/tests/lib/catalog.sql" |
			grep -qxF -- "$expect"; then
			tap_ok "$name"
		else
			tap_not_ok "$name"; echo "# expected the fact: $expect"; tap_diag <"$WORK/out"
		fi
	fi
	dropdb "$db"
}

name=""
: >"$WORK/sql"
while IFS= read -r line; do
	case "$line" in
	"#"*) ;;
	"== "*) name=${line#== }; : >"$WORK/sql" ;;
	"-- expect-ok "*) run_case "$name" "$WORK/sql" ok "${line#-- expect-ok }" ;;
	"-- expect "*) e=${line#-- expect }; run_case "$name" "$WORK/sql" err "${e:0:5}: ${e:6}" ;;
	*) [ -n "$name" ] && printf '%s\n' "$line" >>"$WORK/sql" ;;
	esac
done <"$MD_ROOT/tests/replay/cases.txt"
tap_done
