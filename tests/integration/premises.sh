#!/bin/bash
# premises.sh - a repair never makes a database worse (issue 9).
#
# The repair script trusts an export; the database it runs on may hold more
# than the export showed (a partial pg_dump, a dump that lacks the history
# or the schema, a hand fix made after the export, a second schema with its
# own _prisma_migrations).  Every script must check its premises on the live
# database and either repair or stop with nothing changed.
#
#   A. healthy databases, exported partially in each usual way: no MD003,
#      and whatever script check writes changes neither the schema nor
#      _prisma_migrations of the complete database; deploy then finds
#      nothing to apply.  Families: the scenario fixtures, the project's
#      fixtures/migrations, LiteLLM's migrations (when shared/ is present).
#   B. a broken database exported, then fixed by hand before the script
#      runs: the script stops at its guard (psql exit 3, a "migdoctor:"
#      message) and nothing changes.
#   C. two schemas each holding a _prisma_migrations: --schema-name picks
#      one; the repair of that one leaves the other untouched.
#   D. a migration PostgreSQL rejects (syntax error, unbalanced parentheses,
#      unterminated statement, UTF-8 BOM) is predicted to fail with 42601,
#      and deploy on PostgreSQL confirms it.
source "$(dirname "$0")/lib/common.sh"
source "$IT_LIB/break.sh"
it_start
"$MIGDOCTOR" check --help >/dev/null 2>&1 || skip_all "migdoctor check not built"
have_python=0
command -v python3 >/dev/null && have_python=1

V2=$FIX_MIG
GUARD_SCHEMA='migdoctor: the database is not as the export showed'

# snap DB OUT: schema (without migdoctor's backups) and history rows
snap() {
	schema_dump "$1" "$2.schema"
	rows_dump "$1" "$2.rows" 2>/dev/null || echo '<no _prisma_migrations>' >"$2.rows"
}
same_snap() { # a b: identical schema and rows (diff on stdout when not)
	diff -u "$1.schema" "$2.schema" | head -n 20 && diff -u "$1.rows" "$2.rows" | head -n 20 &&
		cmp -s "$1.schema" "$2.schema" && cmp -s "$1.rows" "$2.rows"
}

# json_codes FILE: the finding codes of a --format json report, one a line
json_codes() {
	if [ $have_python = 1 ]; then
		python3 -c 'import json,sys
for f in json.load(open(sys.argv[1]))["findings"]: print(f["code"], f["severity"], f.get("migration"))' "$1"
	else
		grep -o '"code": *"MD[0-9]*"' "$1" | sed 's/.*"\(MD[0-9]*\)"/\1 ? ?/'
	fi
}
# no_md003 FILE: no MD003 finding of severity error (prints them when there
# are; without python every MD003 counts)
no_md003() { ! json_codes "$1" | grep -E '^MD003 (error|\?) '; }
# json_all_null FILE FIELD: every migration's FIELD is null (no conclusion)
json_all_null() {
	python3 -c 'import json,sys
ms = json.load(open(sys.argv[1]))["migrations"]
bad = [m["name"] + ": " + str(m[sys.argv[2]]) for m in ms if m.get(sys.argv[2]) is not None]
print("\n".join(bad[:10])); sys.exit(1 if bad or not ms else 0)' "$1" "$2"
}
# json_none_null FILE FIELD: FIELD known for every migration folder
json_none_null() {
	python3 -c 'import json,sys
ms = [m for m in json.load(open(sys.argv[1]))["migrations"] if m.get("local")]
bad = [m["name"] for m in ms if m.get(sys.argv[2]) is None]
print("\n".join(bad[:10])); sys.exit(1 if bad or not ms else 0)' "$1" "$2"
}

# try_script DB SCRIPT: apply SCRIPT with psql to a fresh copy "try" of DB
# (left in place for the caller); TRY_RC = psql's status, $WORK/try.err
# its stderr; $WORK/try.before / try.after the snapshots
try_script() {
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS try" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE try TEMPLATE \"$1\"" >/dev/null
	snap try "$WORK/try.before"
	psql -X -q -v ON_ERROR_STOP=1 -d try -f "$2" >"$WORK/try.out" 2>"$WORK/try.err"; TRY_RC=$?
	snap try "$WORK/try.after"
}
nothing_pending() { # db dir
	deploy deploy -d "$1" -m "$2" >"$WORK/np.out" 2>&1 || { cat "$WORK/np.out"; return 1; }
	grep -qx 'No pending migrations to apply.' "$WORK/np.out" || { cat "$WORK/np.out"; return 1; }
}

# === A. healthy databases, partial exports
# healthy LABEL DIR BIG T1 T2: BIG is left out with -Fc -T, T1 and T2 with
# two -T (plain)
healthy() {
	local label=$1 dir=$2 big=$3 t1=$4 t2=$5 db=h_$1 out=$WORK/a/$1 kind rc args
	mkdir -p "$out"
	if ! { db_new "$db" >/dev/null && deploy deploy -d "$db" -m "$dir" >"$out/deploy.log" 2>&1; }; then
		tap_not_ok "$label: the directory deploys on a clean database"; tap_diag <"$out/deploy.log"
		return
	fi
	pg_dump -d "$db" -t _prisma_migrations -f "$out/history-only.sql" &&
		pg_dump -Fc -d "$db" -T "\"$big\"" -f "$out/minus-big.dump" &&
		pg_dump -d "$db" -T "\"$t1\"" -T "\"$t2\"" -f "$out/minus-two.sql" &&
		pg_dump -s -d "$db" -T _prisma_migrations -f "$out/schema-no-history.sql" &&
		pg_dump -d "$db" -f "$out/full.sql"
	ok_if "$label: partial exports written" test $? = 0
	for kind in history-only minus-big minus-two schema-no-history full-as-s; do
		case $kind in
		history-only) args=(-H "$out/history-only.sql") ;;
		minus-big) args=(-H "$out/minus-big.dump") ;;
		minus-two) args=(-H "$out/minus-two.sql") ;;
		schema-no-history) args=(-s "$out/schema-no-history.sql") ;;
		full-as-s) args=(-s "$out/full.sql") ;;
		esac
		local sc="$label healthy, $kind export"
		rm -f "$out/$kind.repair.sql"
		"$MIGDOCTOR" check -m "$dir" "${args[@]}" -o "$out/$kind.repair.sql" >"$out/$kind.txt" 2>"$out/$kind.err"; rc=$?
		"$MIGDOCTOR" check -m "$dir" "${args[@]}" --format json >"$out/$kind.json" 2>/dev/null
		if [ $rc -le 1 ]; then tap_ok "$sc: check reads it (exit $rc)"
		else tap_not_ok "$sc: check reads it (exit $rc)"; tap_diag <"$out/$kind.err" | head -n 10; fi
		ok_if "$sc: no MD003 error (nothing proves an applied migration's objects missing)" no_md003 "$out/$kind.json"
		case $kind in
		history-only)
			if [ $have_python = 1 ]; then
				ok_if "$sc: history only: no schema conclusion for any migration (json schema = null)" \
					json_all_null "$out/$kind.json" schema
			fi
			ok_if "$sc: the report says the schema was not given" grep -Eiq 'give the schema|schema[^.]{0,30}not given|not given[^.]{0,30}schema' "$out/$kind.txt" ;;
		minus-big | minus-two)
			ok_if "$sc: the report says the dump may be partial" grep -qi 'partial' "$out/$kind.txt" ;;
		full-as-s)
			expect_exit 0 "$sc: a full dump given as -s: healthy, exit 0" \
				"$MIGDOCTOR" check -m "$dir" "${args[@]}"
			ok_if "$sc: no repair script for a healthy database" test ! -e "$out/$kind.repair.sql"
			if [ $have_python = 1 ]; then
				ok_if "$sc: the rows of the full dump given as -s are read (json status known)" \
					json_none_null "$out/$kind.json" status
			fi ;;
		esac
		if [ -s "$out/$kind.repair.sql" ]; then
			try_script "$db" "$out/$kind.repair.sql"
			ok_if "$sc: the script written, applied to the complete database, changes neither schema nor _prisma_migrations (psql exit $TRY_RC)" \
				same_snap "$WORK/try.before" "$WORK/try.after"
			[ $TRY_RC = 0 ] || ok_if "$sc: the script stops at a migdoctor guard" grep -q 'migdoctor:' "$WORK/try.err"
			ok_if "$sc: deploy afterwards finds nothing to apply" nothing_pending try "$dir"
		else
			ok_if "$sc: no script written, or it changes nothing" test ! -e "$out/$kind.repair.sql"
		fi
	done
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS try" >/dev/null 2>&1
}

healthy scn "$V2" SpendLog DeletedTeam Team
if [ -d "$FIXTURES/migrations" ]; then
	healthy fx "$FIXTURES/migrations" Proxy_SpendLogs Proxy_DeletedTeamTable Proxy_KeyTable
else
	tap_skip "fx: partial exports of a healthy database" "fixtures/migrations absent"
fi
LL=$SHARED/litellm/migrations
if [ -d "$LL" ] && [ -d "$LL/20250326162113_baseline" ]; then
	healthy litellm "$LL" LiteLLM_SpendLogs LiteLLM_DailyUserSpend LiteLLM_VerificationToken
else
	tap_skip "litellm: partial exports of a healthy database" "shared/litellm/migrations absent"
fi

# === B. the database changed by hand after the export
db_new tpl_v2 >/dev/null && deploy deploy -d tpl_v2 -m "$V2" >/dev/null 2>&1
ok_if "template v2 deploys" test "$(q tpl_v2 "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL")" = 6
DB_=$WORK/dirs/b; mig_prefix "$DB_" "$V2" 20240401000000_add_role
db_new tpl_b >/dev/null && deploy deploy -d tpl_b -m "$DB_" >/dev/null 2>&1

# handfix NAME TEMPLATE BREAK FIX WANT: BREAK (a function of the database)
# makes the state, it is exported and checked; FIX (a function) is what the
# operator did by hand afterwards; the script must stop with a message
# starting with WANT and change nothing
handfix() {
	local name=$1 tpl=$2 brk=$3 fix=$4 want=$5 db=hf_$1 out=$WORK/b/$1
	mkdir -p "$out"
	db_new "$db" "$tpl" >/dev/null
	$brk "$db"
	pg_dump -Fc -d "$db" -f "$out/full.dump"
	"$MIGDOCTOR" check -m "$V2" -H "$out/full.dump" --schema-complete -o "$out/repair.sql" >"$out/report.txt" 2>&1
	if [ ! -s "$out/repair.sql" ]; then
		tap_not_ok "hand-fixed $name: check writes a repair script for the exported state"
		tap_diag <"$out/report.txt" | head -n 20
		return
	fi
	tap_ok "hand-fixed $name: check writes a repair script for the exported state"
	$fix "$db"
	snap "$db" "$out/before"
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$out/repair.sql" >"$out/psql.out" 2>"$out/psql.err"
	local rc=$?
	snap "$db" "$out/after"
	if [ $rc = 3 ]; then tap_ok "hand-fixed $name: the script stops (psql exit 3)"
	else tap_not_ok "hand-fixed $name: the script stops (psql exit $rc, expected 3)"; tap_diag <"$out/psql.err" | head -n 10; fi
	ok_if "hand-fixed $name: its message starts with '$want'" grep -qF -- "$want" "$out/psql.err"
	ok_if "hand-fixed $name: schema and _prisma_migrations unchanged" same_snap "$out/before" "$out/after"
}

# a table dropped while its rows stay applied; the operator restores it
brk_table() { break_drop "$1" 'DROP TABLE "DeletedTeam"'; }
fix_table() {
	pg_dump -d tpl_v2 -t '"DeletedTeam"' --no-owner | pg_psql -d "$1" >/dev/null
}
handfix table-recreated tpl_v2 brk_table fix_table "$GUARD_SCHEMA"

# a column dropped (an old backup of the table restored); re-added by hand
brk_column() { break_drop "$1" 'ALTER TABLE "DeletedTeam" DROP COLUMN "router_settings"'; }
fix_column() { break_manual "$1" "ALTER TABLE \"DeletedTeam\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}'"; }
handfix column-re-added tpl_v2 brk_column fix_column "$GUARD_SCHEMA"

# an older copy of "Team" restored (router_settings, budget_id and the
# foreign key gone); the operator re-adds what the later migrations made
brk_restore() { break_restore_table "$1" Team tpl_b; }
fix_restore() {
	break_manual "$1" "ALTER TABLE \"Team\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}', ADD COLUMN \"budget_id\" TEXT" &&
		break_manual "$1" 'ALTER TABLE "Team" ADD CONSTRAINT "Team_budget_id_fkey" FOREIGN KEY ("budget_id") REFERENCES "Budget"("id") ON DELETE SET NULL ON UPDATE CASCADE'
}
handfix restored-table-completed tpl_v2 brk_restore fix_restore "$GUARD_SCHEMA"

# an index dropped; re-created by hand
brk_index() { break_drop "$1" 'DROP INDEX "SpendLog_startTime_idx"'; }
fix_index() { break_manual "$1" 'CREATE INDEX "SpendLog_startTime_idx" ON "SpendLog"("startTime")'; }
handfix index-re-created tpl_v2 brk_index fix_index "$GUARD_SCHEMA"

# a failed migration (recipe 2: a hand-added column made it fail 42701);
# the operator already ran resolve --rolled-back by hand
brk_failed() {
	break_manual "$1" "ALTER TABLE \"Team\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}'"
	deploy deploy -d "$1" -m "$V2" >/dev/null 2>&1
	test "$(q "$1" "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL")" = 1 ||
		echo "# brk_failed: no failed row" >&2
}
fix_failed() { deploy resolve -d "$1" -m "$V2" --rolled-back 20240501000000_update_deleted_team_settings >/dev/null; }
handfix failed-row-rolled-back tpl_b brk_failed fix_failed 'migdoctor: row '

# the failed migration's hand-added column dropped by hand instead
fix_failed_col() { break_manual "$1" 'ALTER TABLE "Team" DROP COLUMN "router_settings"'; }
handfix failed-cause-removed tpl_b brk_failed fix_failed_col 'migdoctor:'

# === C. two schemas, each with its own _prisma_migrations
DA=$WORK/dirs/a; mig_prefix "$DA" "$V2" 20240301000000_add_deleted_team
out=$WORK/c; mkdir -p "$out"
db_new two >/dev/null
deploy deploy -d two -m "$V2" >/dev/null 2>&1
pg_psql -d two -c 'CREATE SCHEMA tenant2' >/dev/null
DEPLOY_SCHEMA_NAME=tenant2 deploy deploy -d two -m "$DA" >"$out/t2.log" 2>&1
ok_if "two schemas: tenant2 has its own _prisma_migrations (deploy with schema tenant2)" \
	test "$(q two "SELECT count(*) FROM tenant2._prisma_migrations")/$(q two "SELECT count(*) FROM public._prisma_migrations")" = 3/6
# recipe 1 in tenant2 only: DeletedTeam dropped, the next deploy fails 42P01
break_drop two 'DROP TABLE tenant2."DeletedTeam"'
DEPLOY_SCHEMA_NAME=tenant2 deploy deploy -d two -m "$V2" >"$out/t2.fail" 2>&1
ok_if "two schemas: deploy into tenant2 fails with 42P01" grep -qx 'Database error code: 42P01' "$out/t2.fail"
pg_dump -s -x -n public -d two | grep -v -e '^\\restrict ' -e '^\\unrestrict ' >"$out/public.before"
pg_psql -At -d two -c 'SELECT * FROM public._prisma_migrations ORDER BY id' >"$out/public.rows.before"
pg_dump -Fc -d two -f "$out/full.dump"
"$MIGDOCTOR" check -m "$V2" -H "$out/full.dump" --schema-name tenant2 -o "$out/repair.sql" >"$out/report.txt" 2>&1; rc=$?
"$MIGDOCTOR" check -m "$V2" -H "$out/full.dump" --schema-name tenant2 --format json >"$out/report.json" 2>/dev/null
ok_if "two schemas: check --schema-name tenant2 finds the failure (exit 1)" test $rc = 1
ok_if "two schemas: MD003 for 20240301000000_add_deleted_team (public.\"DeletedTeam\" does not count)" \
	sh -c "grep -q 'MD003' '$out/report.txt' && grep -q '20240301000000_add_deleted_team' '$out/report.txt'"
ok_if "two schemas: a repair script is written" test -s "$out/repair.sql"
ok_if "two schemas: the script applies (plain psql, default search_path)" \
	psql -X -q -v ON_ERROR_STOP=1 -d two -f "$out/repair.sql"
run_exit 0 "two schemas: deploy into tenant2 succeeds after the repair" env DEPLOY_SCHEMA_NAME=tenant2 bash "$DEPLOY" deploy -d two -m "$V2"
db_new two_ref >/dev/null
pg_psql -d two_ref -c 'CREATE SCHEMA tenant2' >/dev/null
DEPLOY_SCHEMA_NAME=tenant2 deploy deploy -d two_ref -m "$V2" >/dev/null 2>&1
pg_dump -s -x -n tenant2 -d two_ref | grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^-- Dumped' >"$out/t2.ref"
pg_dump -s -x -n tenant2 -T 'tenant2._prisma_migrations_backup*' -d two | grep -v -e '^\\restrict ' -e '^\\unrestrict ' -e '^-- Dumped' >"$out/t2.after"
golden "two schemas: tenant2 equals a clean deploy into tenant2 (backup tables aside)" "$out/t2.ref" "$out/t2.after"
pg_dump -s -x -n public -d two | grep -v -e '^\\restrict ' -e '^\\unrestrict ' >"$out/public.after"
pg_psql -At -d two -c 'SELECT * FROM public._prisma_migrations ORDER BY id' >"$out/public.rows.after"
ok_if "two schemas: public untouched (schema and _prisma_migrations)" \
	sh -c "diff -u '$out/public.before' '$out/public.after' && diff -u '$out/public.rows.before' '$out/public.rows.after'"
ok_if "two schemas: no migdoctor backup inside public or tenant2" \
	test "$(q two "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname IN ('public', 'tenant2') AND c.relname LIKE '\_prisma\_migrations\_backup%'")" = 0

# === D. what PostgreSQL rejects is predicted to fail (42601): a statement
# that does not parse, unbalanced parentheses, an unterminated last
# statement, a UTF-8 byte order mark.  Prisma sends the file as one query:
# PostgreSQL rejects the whole file.  The prediction (plan, and check's
# plan) is confirmed by deploying on PostgreSQL.
DC=$WORK/dirs/c; mig_prefix "$DC" "$V2" 20240501000000_update_deleted_team_settings
db_new tpl_c >/dev/null && deploy deploy -d tpl_c -m "$DC" >/dev/null 2>&1
mkdir -p "$WORK/d"
pg_dump -Fc -d tpl_c -f "$WORK/d/c.dump"
# plan_fails JSON NAME: the json plan fails in NAME with 42601
plan_fails() {
	python3 -c 'import json,sys
p = json.load(open(sys.argv[1]))["plan"]
f = p.get("fails") or {}
print(p.get("outcome"), f.get("migration"), f.get("sqlstate"))
sys.exit(0 if p.get("outcome") == "fails" and f.get("migration") == sys.argv[2] and f.get("sqlstate") == "42601" else 1)' "$1" "$2"
}
plan_line() { # JSON LINE: the predicted failure is at that line of migration.sql
	# (where PostgreSQL points, error_line, else the failing statement's line)
	python3 -c 'import json,sys
f = json.load(open(sys.argv[1]))["plan"].get("fails") or {}
line = f.get("error_line") or f.get("line")
print("line", line)
sys.exit(0 if str(line) == sys.argv[2] else 1)' "$1" "$2"
}
for v in syntax-error unbalanced-parentheses unterminated-statement utf8-bom; do
	name=20240601000000_$v dir=$WORK/d/$v
	mig_prefix "$dir" "$V2" 20240501000000_update_deleted_team_settings
	mkdir -p "$dir/$name"
	case $v in # the line PostgreSQL reports
	syntax-error) line=2 ;; unbalanced-parentheses) line=4 ;; unterminated-statement) line=2 ;; utf8-bom) line=1 ;;
	esac
	case $v in
	syntax-error) printf 'CREATE TABLE "Budget" ("id" TEXT NOT NULL);\nALTER TABLEE "Team" ADD COLUMN "budget_id" TEXT;\n' ;;
	unbalanced-parentheses) printf 'CREATE TABLE "Budget" (\n    "id" TEXT NOT NULL,\n    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")\n;\n' ;;
	unterminated-statement) printf 'CREATE TABLE "Budget" ("id" TEXT NOT NULL);\nINSERT INTO "Budget" ("id") VALUES (%s);\n' "'b1" ;;
	utf8-bom) printf '\xef\xbb\xbfCREATE TABLE "Budget" ("id" TEXT NOT NULL);\n' ;;
	esac >"$dir/$name/migration.sql"
	db_new "d_$v" tpl_c >/dev/null
	deploy deploy -d "d_$v" -m "$dir" >/dev/null 2>"$WORK/d/$v.deploy"
	ok_if "$v: PostgreSQL rejects the migration (deploy: P3018, 42601, in $name)" \
		sh -c "grep -qx 'Database error code: 42601' '$WORK/d/$v.deploy' && grep -qx 'Migration name: $name' '$WORK/d/$v.deploy'"
	ok_if "$v: ... at line $line (the Position block)" grep -q "^.\[1;31m *$line " "$WORK/d/$v.deploy"
	if [ $have_python = 1 ]; then
		"$MIGDOCTOR" plan -m "$dir" -H "$WORK/d/c.dump" --format json >"$WORK/d/$v.plan.json" 2>"$WORK/d/$v.plan.err"
		ok_if "$v: plan predicts that $name fails with 42601" plan_fails "$WORK/d/$v.plan.json" "$name"
		ok_if "$v: plan gives the line PostgreSQL gives ($line)" plan_line "$WORK/d/$v.plan.json" "$line"
		"$MIGDOCTOR" check -m "$dir" -H "$WORK/d/c.dump" --format json >"$WORK/d/$v.check.json" 2>"$WORK/d/$v.check.err"
		ok_if "$v: check's plan predicts that $name fails with 42601" plan_fails "$WORK/d/$v.check.json" "$name"
	fi
done

echo "# $tap_n checks in ${SECONDS}s"
[ -n "${KEEP_WORK:-}" ] && cp -r "$WORK/a" "$WORK/b" "$WORK/c" "$WORK/d" "$KEEP_WORK/"
tap_done
