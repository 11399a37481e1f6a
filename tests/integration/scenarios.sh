#!/bin/bash
# scenarios.sh - the proof that repair scripts repair (issue 5).
#
# One PostgreSQL for the suite, one database per scenario.  For each
# scenario: build the broken state the way the field does (lib/break.sh,
# lib/litellm.sh, the Prisma deploy emulator lib/deploy.sh), prove the state
# is really broken (a probe copy of the database is deployed: it must fail
# as Prisma would), export it (lib/export.sh), run `migdoctor check` on the
# exports, apply its repair script with psql, then deploy again: deploy must
# succeed and `pg_dump -s` must equal that of a clean database migrated with
# the same directory.  Until `migdoctor check` is built, everything after
# "run migdoctor" is reported as skipped.
source "$(dirname "$0")/lib/common.sh"
source "$IT_LIB/break.sh"
source "$IT_LIB/export.sh"
source "$IT_LIB/litellm.sh"
it_start

have_check=0 have_plan=0
"$MIGDOCTOR" check --help >/dev/null 2>&1 && have_check=1
"$MIGDOCTOR" plan --help >/dev/null 2>&1 && have_plan=1
have_python=0
command -v python3 >/dev/null && have_python=1

# --- directories: the fixture history at several versions
V2=$FIX_MIG                                     # the version under test
DA=$WORK/dirs/a; mig_prefix "$DA" "$V2" 20240301000000_add_deleted_team
DB_=$WORK/dirs/b; mig_prefix "$DB_" "$V2" 20240401000000_add_role
DC=$WORK/dirs/c; mig_prefix "$DC" "$V2" 20240501000000_update_deleted_team_settings
V3=$WORK/dirs/v3; mig_prefix "$V3" "$V2" 99999999999999 "$FIXTURES/scenarios/newer"

# --- templates (one deploy each) and the reference schemas
tpl() { # name dir
	db_new "$1" >/dev/null && deploy deploy -d "$1" -m "$2" >"$WORK/tpl.$1.log" 2>&1 ||
		{ tap_not_ok "template $1 deploys"; tap_diag <"$WORK/tpl.$1.log"; }
}
tpl tpl_a "$DA"; tpl tpl_b "$DB_"; tpl tpl_c "$DC"; tpl tpl_v2 "$V2"; tpl tpl_v3 "$V3"
schema_dump tpl_v2 "$WORK/ref_v2.sql"
schema_dump tpl_v3 "$WORK/ref_v3.sql"
ok_if "reference schema v2 holds every fixture table" grep -q 'CREATE TABLE public."Budget"' "$WORK/ref_v2.sql"

# probe DB DIR: deploy a throw-away copy of DB (the broken state itself
# must not change); output in $WORK/probe.out / probe.err, status returned
probe() {
	local rc
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS probe" -c "CREATE DATABASE probe TEMPLATE \"$1\"" >/dev/null 2>&1
	deploy deploy -d probe -m "$2" >"$WORK/probe.out" 2>"$WORK/probe.err"; rc=$?
	pg_psql -d postgres -c "DROP DATABASE probe" >/dev/null
	return $rc
}
probe_fails_with() { # db dir code [sqlstate]
	if probe "$1" "$2"; then echo "deploy succeeded"; return 1; fi
	grep -qx "Error: $3" "$WORK/probe.err" || { cat "$WORK/probe.err"; return 1; }
	[ -z "${4:-}" ] || grep -qx "Database error code: $4" "$WORK/probe.err" || { cat "$WORK/probe.err"; return 1; }
}
probe_fails_in() { # db dir migration: P3018 42P01 in that migration
	probe_fails_with "$1" "$2" P3018 42P01 && grep -qx "Migration name: $3" "$WORK/probe.err"
}
# a _prisma_migrations_backup* table holding exactly the rows seen before:
# in schema migdoctor_backup (issue 9), or next to _prisma_migrations (the
# place before issue 9; backup_in_own_schema tells them apart)
backup_tables() { # db [schema]
	q "$1" "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c
		JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname LIKE '\_prisma\_migrations\_backup%' AND c.relkind = 'r'
		${2:+AND n.nspname = '$2'} ORDER BY n.nspname = 'migdoctor_backup' DESC, 1"
}
backup_matches() { # db rows-before [schema]
	local t
	for t in $(backup_tables "$1" "${3:-}"); do
		pg_psql -At -F '|' -d "$1" -c "SELECT id, checksum, finished_at, migration_name,
			coalesce(md5(logs), '<null>'), rolled_back_at, started_at, applied_steps_count
			FROM $t ORDER BY id" | cmp -s - "$2" && return 0
	done
	echo "no _prisma_migrations_backup* table${3:+ in schema $3} with the rows of the dump; backup tables:"
	backup_tables "$1"
	return 1
}
probe_succeeds() { probe "$1" "$2" || { cat "$WORK/probe.err"; return 1; }; }

# --- the cross test (issue 9): every scenario's script, applied to every
# other scenario's broken database, changes nothing there (it stops at a
# guard, or succeeds without a change).  finish keeps each broken database
# (x_N, a template copy) and its script before the repair is applied;
# cross_run at the end tries the pairs: all of them with MD_CROSS=1 (.ci/run),
# else a small sample
X_SC=() X_DB=() X_SCRIPT=()
cross_keep() { # script
	local k=${#X_SC[@]} f=""
	pg_psql -d postgres -c "CREATE DATABASE x_$k TEMPLATE \"$DB\"" >/dev/null || return 0
	mkdir -p "$WORK/x"
	if [ -s "$1" ]; then f=$WORK/x/$k.sql; cp "$1" "$f"; fi
	X_SC+=("$SC") X_DB+=("x_$k") X_SCRIPT+=("$f")
}
# the pairs of the plain make check (script scenario > database scenario):
# a healthy target, a target where the script's premises half hold, and a
# target without _prisma_migrations
CROSS_SAMPLE=(
	"recipe1-relation-missing>healthy"
	"recipe3-upgrade-rollback-upgrade>recipe1-relation-missing"
	"recipe2-failed-blocks>not-baselined"
)
cross_pair() { # i j
	local i=$1 j=$2 rc
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS xc" >/dev/null 2>&1
	pg_psql -d postgres -c "CREATE DATABASE xc TEMPLATE \"${X_DB[j]}\"" >/dev/null
	psql -X -q -v ON_ERROR_STOP=1 -d xc -f "${X_SCRIPT[i]}" >"$WORK/xc.out" 2>"$WORK/xc.err"; rc=$?
	schema_dump xc "$WORK/xc.schema"
	rows_dump xc "$WORK/xc.rows" 2>/dev/null || echo '<no _prisma_migrations>' >"$WORK/xc.rows"
	pg_psql -d postgres -c "DROP DATABASE xc" >/dev/null
	if ! cmp -s "$WORK/x/$j.schema" "$WORK/xc.schema" || ! cmp -s "$WORK/x/$j.rows" "$WORK/xc.rows"; then
		tap_not_ok "cross: the script of ${X_SC[i]} on the database of ${X_SC[j]} changes nothing (psql exit $rc: it changed it)"
		{ diff -u "$WORK/x/$j.schema" "$WORK/xc.schema"; diff -u "$WORK/x/$j.rows" "$WORK/xc.rows"; } | tap_diag | head -n 20
	elif [ $rc != 0 ] && ! grep -q 'ERROR:  migdoctor:' "$WORK/xc.err"; then
		tap_not_ok "cross: the script of ${X_SC[i]} on the database of ${X_SC[j]} changes nothing (psql exit $rc, not at a migdoctor guard)"
		tap_diag <"$WORK/xc.err" | head -n 5
	else
		tap_ok "cross: the script of ${X_SC[i]} on the database of ${X_SC[j]} changes nothing (psql exit $rc)"
	fi
}
cross_run() {
	local n=${#X_SC[@]} i j p tried=0 same=0
	[ $n -gt 1 ] || return 0
	for ((j = 0; j < n; j++)); do
		schema_dump "${X_DB[j]}" "$WORK/x/$j.schema"
		rows_dump "${X_DB[j]}" "$WORK/x/$j.rows" 2>/dev/null || echo '<no _prisma_migrations>' >"$WORK/x/$j.rows"
	done
	for ((i = 0; i < n; i++)); do
		[ -n "${X_SCRIPT[i]}" ] || continue
		for ((j = 0; j < n; j++)); do
			[ $i != $j ] || continue
			if [ "${MD_CROSS:-}" != 1 ]; then
				for p in "${CROSS_SAMPLE[@]}"; do [ "$p" = "${X_SC[i]}>${X_SC[j]}" ] && break; done
				[ "$p" = "${X_SC[i]}>${X_SC[j]}" ] || continue
			fi
			# the same broken state twice: the script is meant for it
			if cmp -s "$WORK/x/$i.schema" "$WORK/x/$j.schema" && cmp -s "$WORK/x/$i.rows" "$WORK/x/$j.rows"; then
				same=$((same + 1)); continue
			fi
			cross_pair $i $j
			tried=$((tried + 1))
		done
	done
	echo "# cross test: $tried pairs tried, $same skipped (identical broken states)${MD_CROSS:+, MD_CROSS=$MD_CROSS}"
	[ "${MD_CROSS:-}" = 1 ] || [ $tried -gt 0 ] ||
		tap_not_ok "cross: the sample pairs exist (${CROSS_SAMPLE[*]})"
}

# --- the common second half of every scenario
# Set by each scenario before calling finish:
#   SC name; DB database; DIR migrations dir for check and the re-deploy;
#   H which export is the history input (full.sql full.dump history.csv
#   history.txt; the last two are given with -s schema.sql); LOG a start-up
#   log or ""; EXPECT exit status of check (0, 1, or "any"); SCRIPT yes|no|any;
#   TEXT words the report must contain; CHANGE regex of the migration names
#   whose rows the repair may touch (all other rows must stay as they are);
#   REF reference schema or ""; JSON 1 to also run --format json; BUNDLE 1
#   to also run check on one folder holding every input (sniffed);
#   DEPLOY_AS role for the final deploy ("" = postgres); ORACLE a
#   hand-written repair other than fixtures/scenarios/repairs/SC.sql
reset_sc() { BUNDLE=0 ORACLE="" LOG="" EXPECT=1 SCRIPT=yes TEXT=() CHANGE='^$' REF="$WORK/ref_v2.sql" JSON=0 H=full.sql DIR=$V2 DEPLOY_AS=""; }

# The scenario's hand-written repair (fixtures/scenarios/repairs/SC.sql),
# applied to a copy: proves the broken state can be repaired to exactly the
# reference schema, independently of migdoctor.  psql variables given to it:
# sum_<migration> (sha256 of each migration.sql).
oracle() {
	local f=${ORACLE:-$FIXTURES/scenarios/repairs/$SC.sql} d vars=()
	[ -f "$f" ] || return 0
	for d in "$DIR"/*/; do
		# psql variable names: only plain folder names (LiteLLM has one with spaces)
		[[ "$(basename "$d")" =~ ^[A-Za-z0-9_]+$ ]] && [ -f "$d/migration.sql" ] && vars+=(-v "sum_$(basename "$d")=$(sha256sum <"$d/migration.sql" | cut -d' ' -f1)")
	done
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS oracle" -c "CREATE DATABASE oracle TEMPLATE \"$DB\"" >/dev/null 2>&1
	ok_if "$SC: oracle: the hand-written repair applies" psql -X -q -v ON_ERROR_STOP=1 "${vars[@]}" -d oracle -f "$f"
	ok_if "$SC: oracle: deploy succeeds after it" deploy deploy -d oracle -m "$DIR"
	if [ -n "$REF" ]; then
		schema_dump oracle "$WORK/oracle.sql"
		golden "$SC: oracle: schema equals a clean deploy" "$REF" "$WORK/oracle.sql"
	fi
	pg_psql -d postgres -c "DROP DATABASE oracle" >/dev/null
}

finish() {
	local out=$WORK/sc/$SC rc w args
	mkdir -p "$out"
	ok_if "$SC: exports (plain, custom, schema, csv, psql)" export_all "$DB" "$out"
	oracle
	if [ -f "$out/history.csv" ]; then
		ok_if "$SC: csv export has Prisma's eight columns" test \
			"$(head -n1 "$out/history.csv")" = "id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count"
		ok_if "$SC: custom dump lists the _prisma_migrations data" sh -c "pg_restore -l '$out/full.dump' | grep -q 'TABLE DATA public _prisma_migrations'"
	fi
	if [ $have_check = 0 ]; then
		tap_skip "$SC: migdoctor check, repair, deploy, schema = reference" "migdoctor check not built yet"
		return
	fi
	args=(-m "$DIR" -H "$out/$H")
	case "$H" in history.*) args+=(-s "$out/schema.sql") ;; esac
	[ -n "$LOG" ] && args+=(-l "$LOG")
	rm -f "$out/repair.sql"
	"$MIGDOCTOR" check "${args[@]}" -o "$out/repair.sql" >"$out/report.txt" 2>"$out/stderr.txt"; rc=$?
	if [ "$EXPECT" = any ] && [ $rc -le 1 ] || [ "$rc" = "$EXPECT" ]; then tap_ok "$SC: check exits $rc"
	else tap_not_ok "$SC: check exits $rc, expected $EXPECT"; cat "$out/stderr.txt" "$out/report.txt" | tap_diag | head -n 30; fi
	for w in "${TEXT[@]}"; do
		ok_if "$SC: report mentions $w" grep -qF -- "$w" "$out/report.txt"
	done
	if [ "$BUNDLE" = 1 ]; then
		# the support-bundle use: one folder, inputs sniffed by content
		mkdir -p "$out/bundle"
		cp -r "$DIR" "$out/bundle/migrations"
		cp "$out/$H" "$out/bundle/"
		case "$H" in history.*) cp "$out/schema.sql" "$out/bundle/" ;; esac
		[ -n "$LOG" ] && cp "$LOG" "$out/bundle/startup.log"
		"$MIGDOCTOR" check "$out/bundle" >"$out/bundle.txt" 2>&1
		ok_if "$SC: check BUNDLE/ (sniffed inputs) exits as with flags ($rc)" test $? = $rc
		for w in "${TEXT[@]}"; do
			ok_if "$SC: bundle report mentions $w" grep -qF -- "$w" "$out/bundle.txt"
		done
	fi
	if [ "$JSON" = 1 ]; then
		"$MIGDOCTOR" check "${args[@]}" --format json >"$out/report.json" 2>/dev/null
		if [ $have_python = 1 ]; then
			ok_if "$SC: --format json is valid JSON" python3 -m json.tool "$out/report.json"
		else
			ok_if "$SC: --format json is an object" grep -q '^{' "$out/report.json"
		fi
	fi
	cross_keep "$out/repair.sql"
	case "$SCRIPT" in
	no) ok_if "$SC: no repair script" test ! -e "$out/repair.sql"; return ;;
	yes) ok_if "$SC: a repair script is written" test -s "$out/repair.sql" ;;
	esac
	if [ -s "$out/repair.sql" ]; then
		rows_dump "$DB" "$out/rows.before" 2>/dev/null || : >"$out/rows.before"
		ok_if "$SC: repair script applies with psql ON_ERROR_STOP" \
			psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$out/repair.sql"
		rows_dump "$DB" "$out/rows.after"
		if [ -s "$out/rows.before" ]; then
			ok_if "$SC: the script kept a backup of _prisma_migrations as it was" backup_matches "$DB" "$out/rows.before"
			ok_if "$SC: the backup is in schema migdoctor_backup" backup_matches "$DB" "$out/rows.before" migdoctor_backup
		fi
		awk -F'|' -v re="$CHANGE" '$4 !~ re' "$out/rows.before" >"$out/rows.keep.before"
		awk -F'|' -v re="$CHANGE" '$4 !~ re' "$out/rows.after" >"$out/rows.keep.after"
		golden "$SC: repair changed only the rows of /$CHANGE/" "$out/rows.keep.before" "$out/rows.keep.after"
		# a second run must not change anything (guards or idempotence)
		schema_dump "$DB" "$out/schema.once"
		psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$out/repair.sql" >/dev/null 2>"$out/twice.err"; rc=$?
		rows_dump "$DB" "$out/rows.twice"; schema_dump "$DB" "$out/schema.twice"
		ok_if "$SC: applying the script again changes nothing" \
			sh -c "cmp -s '$out/rows.after' '$out/rows.twice' && cmp -s '$out/schema.once' '$out/schema.twice'"
		ok_if "$SC: the second run stops at the script's own guard (psql exit $rc, a 'migdoctor:' message)" \
			sh -c "test $rc = 3 && grep -q 'ERROR:  migdoctor:' '$out/twice.err' || { cat '$out/twice.err'; exit 1; }"
	fi
	if [ -n "$DEPLOY_AS" ]; then
		PGUSER=$DEPLOY_AS run_exit 0 "$SC: deploy succeeds after the repair" deploy deploy -d "$DB" -m "$DIR"
	else
		run_exit 0 "$SC: deploy succeeds after the repair" deploy deploy -d "$DB" -m "$DIR"
	fi
	if [ -n "$REF" ]; then
		schema_dump "$DB" "$out/schema.final"
		golden "$SC: schema equals a clean deploy of the same directory" "$REF" "$out/schema.final"
	fi
	if [ -s "$out/repair.sql" ] && [ -s "$out/rows.before" ]; then
		# the backup the script left must not read as drift (MD015)
		pg_dump -Fc -d "$DB" -f "$out/after.dump"
		"$MIGDOCTOR" check -m "$DIR" -H "$out/after.dump" >"$out/report.after" 2>&1
		ok_if "$SC: check after the repair does not report migdoctor's backup" \
			sh -c "! grep -F '_prisma_migrations_backup' '$out/report.after'"
	fi
}

# === 1. healthy: no findings, no script
reset_sc; SC=healthy DB=s_healthy
db_new $DB tpl_v2 >/dev/null
probe_succeeds $DB "$V2" >/dev/null && grep -qx 'No pending migrations to apply.' "$WORK/probe.out" &&
	tap_ok "$SC: No pending migrations to apply" || tap_not_ok "$SC: No pending migrations to apply"
EXPECT=0 SCRIPT=no JSON=1
finish

# === 2. recipe 1: rollback restored a backup without DeletedTeam; the next
# LiteLLM start fails with relation "DeletedTeam" does not exist
reset_sc; SC=recipe1-relation-missing DB=s_recipe1
db_new $DB tpl_a >/dev/null
break_drop $DB 'DROP TABLE "DeletedTeam"'
LOG=$WORK/sc-recipe1.log
litellm_start $DB "$V2" "$LOG" 1.80.17
ok_if "$SC: LiteLLM start-up fails" test $? -ne 0
ok_if "$SC: log shows P3018 42P01" sh -c "grep -qx 'Database error code: 42P01' '$LOG' && grep -q 'relation \"DeletedTeam\" does not exist' '$LOG'"
ok_if "$SC: LiteLLM retried: rolled-back rows pile up" test "$(q $DB "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name = '20240501000000_update_deleted_team_settings' AND rolled_back_at IS NOT NULL")" -ge 2
ok_if "$SC: deploy on the broken state fails with P3018 42P01" probe_fails_with $DB "$V2" P3018 42P01
H=full.dump JSON=1 BUNDLE=1 CHANGE='^2024(03|05)' TEXT=(MD003 20240301000000_add_deleted_team DeletedTeam)
finish

# === 3. recipe 2: a failed migration blocks deploy (P3009); its objects are
# partly present (a hand-added column it also adds)
reset_sc; SC=recipe2-failed-blocks DB=s_recipe2
db_new $DB tpl_b >/dev/null
break_manual $DB "ALTER TABLE \"Team\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}'"
deploy deploy -d $DB -m "$V2" >"$WORK/r2.out" 2>"$WORK/r2.err"
ok_if "$SC: first deploy fails with P3018 42701" grep -qx 'Database error code: 42701' "$WORK/r2.err"
ok_if "$SC: nothing of the failed script stays (one batch)" test "$(q $DB "SELECT count(*) FROM information_schema.columns
	WHERE table_name = 'DeletedTeam' AND column_name = 'router_settings'")" = 0
ok_if "$SC: deploy on the broken state fails with P3009" probe_fails_with $DB "$V2" P3009
LOG=$WORK/sc-recipe2.log
{ cat "$WORK/r2.out"; cat "$WORK/r2.err"; } >"$LOG"
H=history.csv BUNDLE=1 CHANGE='^20240501' TEXT=(MD001 20240501000000_update_deleted_team_settings router_settings)
finish

# === 4. recipe 3: upgrade -> rollback -> upgrade: a restored old "Team"
# and a dropped "Budget" while their rows stay applied
reset_sc; SC=recipe3-upgrade-rollback-upgrade DB=s_recipe3
db_new $DB tpl_v3 >/dev/null
break_restore_table $DB Team tpl_b
break_drop $DB 'DROP TABLE "Budget"'
ok_if "$SC: deploy reports nothing pending (the rows say applied)" probe_succeeds $DB "$V3"
schema_dump $DB "$WORK/r3.schema"
ok_if "$SC: yet the schema differs from a clean deploy" sh -c "! cmp -s '$WORK/ref_v3.sql' '$WORK/r3.schema'"
DIR=$V3 REF=$WORK/ref_v3.sql H=history.txt CHANGE='^2024(05|06)' TEXT=(MD003 20240601000000_role_viewer_and_budget Budget)
finish

# === 5. plan: a pending migration will fail (a hotfix created its table)
reset_sc; SC=plan-predicts-42P07 DB=s_plan
db_new $DB tpl_c >/dev/null
break_manual $DB 'CREATE TABLE "Budget" (
    "id" TEXT NOT NULL,
    "max_budget" DOUBLE PRECISION,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
)'
export_all $DB "$WORK/sc/$SC.plan" >/dev/null 2>&1
if [ $have_plan = 1 ]; then
	"$MIGDOCTOR" plan -m "$V2" -H "$WORK/sc/$SC.plan/full.sql" >"$WORK/plan.txt" 2>&1
	ok_if "$SC: plan names the migration that will fail" grep -qF 20240601000000_role_viewer_and_budget "$WORK/plan.txt"
	ok_if "$SC: plan predicts SQLSTATE 42P07" grep -qF 42P07 "$WORK/plan.txt"
else
	tap_skip "$SC: plan predicts the failing migration and 42P07" "migdoctor plan not built yet"
fi
ok_if "$SC: the prediction is real: deploy fails with P3018 42P07" probe_fails_with $DB "$V2" P3018 42P07
ok_if "$SC: ... in 20240601000000_role_viewer_and_budget" grep -qx 'Migration name: 20240601000000_role_viewer_and_budget' "$WORK/probe.err"
CHANGE='^20240601' TEXT=(MD006 20240601000000_role_viewer_and_budget)
finish

# === 6. not baselined: tables, no _prisma_migrations (P3005)
reset_sc; SC=not-baselined DB=s_p3005
db_new $DB >/dev/null
break_unbaselined $DB "$V2"
ok_if "$SC: deploy fails with P3005" probe_fails_with $DB "$V2" P3005
LOG=$WORK/sc-p3005.log
litellm_start $DB "$V2" "$LOG" 1.65.1
ok_if "$SC: LiteLLM 1.65.1 only logs P3005" grep -q 'Error: Database schema is not empty' "$LOG"
CHANGE='.' TEXT=(MD005 20240101000000_init)
finish

# === 7. LiteLLM's P3005 baseline: 0_init + every folder resolved (steps 0)
reset_sc; SC=litellm-baseline-0_init DB=s_0init
db_new $DB >/dev/null
break_unbaselined $DB "$V2"
llpkg=$WORK/dirs/ll-0init; mig_prefix "$llpkg" "$V2" 99999999999999
LOG=$WORK/sc-0init.log
litellm_start $DB "$llpkg" "$LOG" 1.81.13
ok_if "$SC: rows 0_init + every migration, all resolved without running" test "$(q $DB "SELECT count(*) FROM _prisma_migrations
	WHERE applied_steps_count = 0 AND logs = '' AND finished_at = started_at")" = 7
ok_if "$SC: deploy with the package directory succeeds" probe_succeeds $DB "$V2"
EXPECT=0 SCRIPT=no TEXT=(MD009 0_init)
finish

# === 8. interrupted run, script committed (steps 1, finished NULL)
reset_sc; SC=interrupted-steps1 DB=s_int1
db_new $DB tpl_b >/dev/null
break_interrupted $DB "$V2" 20240501000000_update_deleted_team_settings 1
ok_if "$SC: deploy fails with P3009" probe_fails_with $DB "$V2" P3009
CHANGE='^20240501' TEXT=(MD002 20240501000000_update_deleted_team_settings)
finish

# === 9. interrupted run, nothing committed (steps 0, logs NULL)
reset_sc; SC=interrupted-steps0 DB=s_int0
db_new $DB tpl_b >/dev/null
break_interrupted $DB "$V2" 20240501000000_update_deleted_team_settings 0
ok_if "$SC: deploy fails with P3009" probe_fails_with $DB "$V2" P3009
H=history.csv CHANGE='^20240501' TEXT=(MD002 20240501000000_update_deleted_team_settings)
finish

# === 10. checksum drift: an applied migration edited locally
reset_sc; SC=checksum-drift DB=s_drift
db_new $DB tpl_v2 >/dev/null
drift=$WORK/dirs/drift; mig_prefix "$drift" "$V2" 99999999999999
break_edit_migration "$drift" 20240201000000_add_spend
ok_if "$SC: deploy never compares checksums (nothing pending)" probe_succeeds $DB "$drift"
DIR=$drift EXPECT=0 SCRIPT=no TEXT=(MD008 20240201000000_add_spend)
finish

# === 11. rows from a newer version (rollback from v3 to v2)
reset_sc; SC=newer-version-rows DB=s_newer
db_new $DB tpl_v3 >/dev/null
ok_if "$SC: deploy of the older directory succeeds (rows ignored)" probe_succeeds $DB "$V2"
EXPECT=any SCRIPT=any REF=$WORK/ref_v3.sql TEXT=(MD004 20240801000000_add_tags)
finish

# === 12. partial failure: explicit BEGIN/COMMIT committed the enum rewrite
# before the script failed on a hand-added column
reset_sc; SC=partial-explicit-commit DB=s_partial
db_new $DB tpl_c >/dev/null
break_manual $DB 'ALTER TABLE "Team" ADD COLUMN "budget_id" TEXT'
deploy deploy -d $DB -m "$V2" >/dev/null 2>"$WORK/p.err"
ok_if "$SC: deploy fails with P3018 42701" grep -qx 'Database error code: 42701' "$WORK/p.err"
ok_if "$SC: the enum part committed, Budget did not" test "$(q $DB "SELECT (SELECT count(*) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
	WHERE t.typname = 'Role' AND e.enumlabel = 'viewer') || ',' || (to_regclass('\"Budget\"') IS NULL)")" = "1,true"
ok_if "$SC: deploy on the broken state fails with P3009" probe_fails_with $DB "$V2" P3009
CHANGE='^20240601' TEXT=(MD001 20240601000000_role_viewer_and_budget Budget)
finish

# === 13. partial failure, JS/WASM engine: statements before the error stay
reset_sc; SC=partial-wasm DB=s_wasm
db_new $DB tpl_c >/dev/null
break_manual $DB 'CREATE TABLE "Budget" (
    "id" TEXT NOT NULL,
    "max_budget" DOUBLE PRECISION,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("id")
)'
deploy deploy -d $DB -m "$V2" --engine wasm >/dev/null 2>"$WORK/w.err"
ok_if "$SC: wasm deploy fails (external connector error)" grep -qx 'Error: external connector error' "$WORK/w.err"
ok_if "$SC: enum rewritten, budget_id not added" test "$(q $DB "SELECT (SELECT count(*) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid
	WHERE t.typname = 'Role' AND e.enumlabel = 'viewer') || ',' || (SELECT count(*) FROM information_schema.columns
	WHERE table_name = 'Team' AND column_name = 'budget_id')")" = "1,0"
H=history.txt CHANGE='^20240601' TEXT=(MD001 20240601000000_role_viewer_and_budget)
finish

# === 14. LiteLLM 1.66.3-1.80.4 marked the failed migration applied (steps 0,
# logs ''): duplicate rows, and its objects are missing (log in JSON form)
reset_sc; SC=litellm-resolved-without-running DB=s_autoresolve
db_new $DB tpl_b >/dev/null
break_manual $DB "ALTER TABLE \"Team\" ADD COLUMN \"router_settings\" JSONB DEFAULT '{}'"
LOG=$WORK/sc-autoresolve.log
LITELLM_JSON_LOGS=1 litellm_start $DB "$V2" "$LOG" 1.70.0
ok_if "$SC: LiteLLM start-up 'succeeds'" test $? -eq 0
ok_if "$SC: the log is JSON, one object per record" sh -c "grep -v '^{\"message\": \".*\", \"level\": \"[A-Z]*\", \"timestamp\": \"[0-9T:.-]*\"}\$' '$LOG' | wc -l | grep -qx 0"
ok_if "$SC: log shows the blanket resolution" grep -q 'Migration already exists, resolving specific migration' "$LOG"
ok_if "$SC: one rolled-back row with logs + one resolved row (steps 0, logs '')" test "$(q $DB "SELECT
	count(*) FILTER (WHERE rolled_back_at IS NOT NULL AND logs LIKE 'A migration failed%') || ',' ||
	count(*) FILTER (WHERE rolled_back_at IS NULL AND applied_steps_count = 0 AND logs = '')
	FROM _prisma_migrations WHERE migration_name = '20240501000000_update_deleted_team_settings'")" = "1,1"
ok_if "$SC: DeletedTeam.router_settings is missing" test "$(q $DB "SELECT count(*) FROM information_schema.columns
	WHERE table_name = 'DeletedTeam' AND column_name = 'router_settings'")" = 0
ok_if "$SC: deploy finds nothing to do" probe_succeeds $DB "$V2"
CHANGE='^20240501' TEXT=(MD003 MD010 20240501000000_update_deleted_team_settings router_settings)
finish

# === 15. permission error (42501): a role that owns nothing
reset_sc; SC=permission-42501 DB=s_perm
db_new $DB tpl_c >/dev/null
break_no_create_role $DB migrator
LOG=$WORK/sc-perm.log
PGUSER=migrator litellm_start $DB "$V2" "$LOG" 1.81.13
ok_if "$SC: LiteLLM stops with the permission error" grep -q 'failed due to insufficient permissions' "$LOG"
ok_if "$SC: log shows 42501" grep -qx 'Database error code: 42501' "$LOG"
ok_if "$SC: as the owner, deploy would succeed (a grant problem)" probe_succeeds $DB "$V2"
SCRIPT=any CHANGE='^20240601' TEXT=(MD013 42501)
finish

# === 15b. permission error under plain deploy: a failed row whose logs say
# 42501 (no LiteLLM to roll it back)
reset_sc; SC=permission-42501-failed-row DB=s_perm2
db_new $DB tpl_c >/dev/null
break_no_create_role $DB migrator
PGUSER=migrator deploy deploy -d $DB -m "$V2" >/dev/null 2>"$WORK/perm2.err"
ok_if "$SC: deploy as the role fails with P3018 42501" grep -qx 'Database error code: 42501' "$WORK/perm2.err"
ok_if "$SC: deploy as the owner now fails with P3009" probe_fails_with $DB "$V2" P3009
H=full.dump CHANGE='^20240601' TEXT=(MD001 MD013 42501 grant 20240601000000_role_viewer_and_budget)
finish

# === 15c. a pending folder without migration.sql (P3015): the fix is a file
reset_sc; SC=missing-migration-file DB=s_p3015
db_new $DB tpl_c >/dev/null
nofile=$WORK/dirs/nofile; mig_prefix "$nofile" "$V2" 99999999999999
rm "$nofile/20240601000000_role_viewer_and_budget/migration.sql"
ok_if "$SC: deploy fails with P3015" probe_fails_with $DB "$nofile" P3015
DIR=$nofile SCRIPT=no TEXT=(MD011 20240601000000_role_viewer_and_budget)
finish

# === 15d. migration_lock.toml for another provider (P3019): the fix is a file
reset_sc; SC=provider-mismatch DB=s_p3019
db_new $DB tpl_v2 >/dev/null
lockdir=$WORK/dirs/lock; mig_prefix "$lockdir" "$V2" 99999999999999
printf '# Please do not edit this file manually\nprovider = "mysql"\n' >"$lockdir/migration_lock.toml"
ok_if "$SC: deploy fails with P3019" probe_fails_with $DB "$lockdir" P3019
DIR=$lockdir SCRIPT=no TEXT=(MD012)
finish

# === 15e. timeouts: LiteLLM's 60 s limit kills deploy inside a slow
# migration, P3009 on the next attempt, rolled back, killed again; the pod is
# restarted during the third attempt: an interrupted row
reset_sc; SC=litellm-timeout DB=s_timeout
db_new $DB tpl_c >/dev/null
LOG=$WORK/sc-timeout.log
LITELLM_TIMEOUT_AT=20240601000000_role_viewer_and_budget LITELLM_ATTEMPTS=3 litellm_start $DB "$V2" "$LOG" 1.81.13
ok_if "$SC: log shows the timeouts" test "$(grep -c 'Attempt [0-9] timed out' "$LOG")" = 2
ok_if "$SC: one rolled-back and one interrupted row, logs NULL" test "$(q $DB "SELECT string_agg((rolled_back_at IS NULL)::int::text, ',' ORDER BY started_at)
	FROM _prisma_migrations WHERE migration_name = '20240601000000_role_viewer_and_budget' AND logs IS NULL AND finished_at IS NULL")" = "0,1"
ok_if "$SC: deploy fails with P3009" probe_fails_with $DB "$V2" P3009
CHANGE='^20240601' TEXT=(MD002 MD014 20240601000000_role_viewer_and_budget)
finish

# === 16. LiteLLM's local *_baseline_diff row (post-deploy sanity check)
reset_sc; SC=litellm-baseline-diff DB=s_bdiff
db_new $DB tpl_c >/dev/null
llpkg=$WORK/dirs/ll-bdiff; mig_prefix "$llpkg" "$V2" 99999999999999
LOG=$WORK/sc-bdiff.log
LITELLM_BASELINE_DIFF=1 litellm_start $DB "$llpkg" "$LOG" 1.81.13
sleep 1 # the folder name has a one-second timestamp
litellm_start $DB "$llpkg" "$LOG" 1.81.13
ok_if "$SC: a local *_baseline_diff row exists" test "$(q $DB "SELECT count(*) FROM _prisma_migrations WHERE migration_name LIKE '%\\_baseline\\_diff'")" = 1
EXPECT=0 SCRIPT=no TEXT=(MD009 _baseline_diff)
finish


# === generic scenarios, for any migrations directory (the project's
# fixtures/migrations, LiteLLM's): LABEL DIR [LAST_FIRST LAST_SECOND]
# The optional pair names a migration creating a table and a later one
# altering it (recipe 1 on that directory).  PARTS selects scenarios
# (default: all of healthy rwr interrupted p3005 newer recipe1).
generic() {
	local parts=" ${PARTS:-healthy rwr interrupted p3005 newer recipe1} "
	local label=$1 dir=$2 first=${3:-} second=${4:-} names=() n last prev
	mapfile -t names < <(find "$dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort)
	n=${#names[@]}
	last=${names[n - 1]} prev=${names[n - 2]}
	local dprev=$WORK/dirs/$label-prev
	mig_prefix "$dprev" "$dir" "$prev"
	has() { [[ "$parts" == *" $1 "* ]]; }
	if ! { db_new g_${label}_all >/dev/null && deploy deploy -d g_${label}_all -m "$dir" >"$WORK/g.log" 2>&1; }; then
		tap_not_ok "$label: the directory deploys on a clean database"; tap_diag <"$WORK/g.log"
		return
	fi
	tap_ok "$label: the directory deploys on a clean database"
	if has rwr || has interrupted; then
		db_new g_${label}_prev >/dev/null; deploy deploy -d g_${label}_prev -m "$dprev" >/dev/null 2>&1
	fi
	local ref=$WORK/ref_$label.sql
	schema_dump g_${label}_all "$ref"

	if has healthy; then
	reset_sc; SC=$label-healthy DB=g_${label}_h DIR=$dir REF=$ref
	db_new $DB g_${label}_all >/dev/null
	EXPECT=0 SCRIPT=no
	finish
	fi

	# LiteLLM's automatic resolution of the newest migration: applied, never run
	if has rwr; then
	reset_sc; SC=$label-resolved-without-running DB=g_${label}_rwr DIR=$dir REF=$ref
	db_new $DB g_${label}_prev >/dev/null
	break_resolved_without_running $DB "$dir" "$last"
	ok_if "$SC: deploy finds nothing to do" probe_succeeds $DB "$dir"
	schema_dump $DB "$WORK/g.schema"
	ok_if "$SC: yet the schema differs from a clean deploy" sh -c "! cmp -s '$ref' '$WORK/g.schema'"
	ORACLE=$WORK/oracle-$SC.sql; cp "$dir/$last/migration.sql" "$ORACLE"
	CHANGE="^$last\$" TEXT=(MD003 "$last")
	finish
	fi

	# interrupted before its implicit transaction committed
	if has interrupted; then
	reset_sc; SC=$label-interrupted DB=g_${label}_int DIR=$dir REF=$ref
	db_new $DB g_${label}_prev >/dev/null
	break_interrupted $DB "$dir" "$last" 0
	ok_if "$SC: deploy fails with P3009" probe_fails_with $DB "$dir" P3009
	ORACLE=$WORK/oracle-$SC.sql
	printf 'UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL AND rolled_back_at IS NULL;\n' >"$ORACLE"
	CHANGE="^$last\$" TEXT=(MD002 "$last")
	finish
	fi

	# not baselined: every migration run by hand, no history table
	if has p3005; then
	reset_sc; SC=$label-not-baselined DB=g_${label}_p3005 DIR=$dir REF=$ref H=full.dump
	# the same SQL as a clean deploy, minus the history: a clone without
	# _prisma_migrations (running every script by hand again is slow on
	# LiteLLM's directory; scenario 6 does that on the fixtures)
	db_new $DB g_${label}_all >/dev/null
	ok_if "$SC: history table dropped" break_drop $DB 'DROP TABLE _prisma_migrations'
	ok_if "$SC: deploy fails with P3005" probe_fails_with $DB "$dir" P3005
	ORACLE=$WORK/oracle-$SC.sql
	{
		echo 'BEGIN;'
		sed -n '/^CREATE TABLE _prisma_migrations/,/^);/p' "$FIXTURES/scenarios/repairs/not-baselined.sql"
		local m
		for m in "${names[@]}"; do
			[ -f "$dir/$m/migration.sql" ] || continue
			printf "INSERT INTO \"_prisma_migrations\" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count) VALUES (gen_random_uuid()::text, '%s', '', now(), now(), '%s', 0);\n" \
				"$(sha256sum <"$dir/$m/migration.sql" | cut -d' ' -f1)" "${m//\'/\'\'}"
		done
		echo 'COMMIT;'
	} >"$ORACLE"
	CHANGE='.' TEXT=(MD005 "${names[0]}")
	finish
	fi

	# rows from a newer version: the database is at DIR, the operator runs
	# the version before the newest migration
	if has newer; then
	reset_sc; SC=$label-newer-rows DB=g_${label}_newer DIR=$dprev REF=$ref
	db_new $DB g_${label}_all >/dev/null
	ok_if "$SC: deploy of the older directory succeeds" probe_succeeds $DB "$dprev"
	EXPECT=any SCRIPT=any TEXT=(MD004 "$last")
	finish
	fi

	has recipe1 && [ -n "$first" ] && [ -d "$dir/$first" ] && [ -d "$dir/$second" ] || return 0
	# recipe 1: a rollback restored a backup older than FIRST; LiteLLM's
	# next start fails in SECOND with 42P01
	local tables
	tables=$(sed -n 's/^CREATE TABLE \(IF NOT EXISTS \)\{0,1\}"\([^"]*\)".*/\2/p' "$dir/$first/migration.sql")
	reset_sc; SC=$label-recipe1 DB=g_${label}_r1 DIR=$dir REF=$ref H=full.dump
	local dold=$WORK/dirs/$label-old
	mig_prefix "$dold" "$dir" "$(printf '%s\n' "${names[@]}" | LC_ALL=C sort | awk -v s="$second" '$0 < s' | tail -n1)"
	db_new $DB >/dev/null
	deploy deploy -d $DB -m "$dold" >/dev/null 2>&1
	local t
	for t in $tables; do break_drop $DB "DROP TABLE \"$t\" CASCADE"; done
	LOG=$WORK/sc-$SC.log
	litellm_start $DB "$dir" "$LOG" 1.80.17
	ok_if "$SC: LiteLLM's start fails with P3018 42P01" grep -qx 'Database error code: 42P01' "$LOG"
	ok_if "$SC: deploy on the broken state fails with P3018 42P01 in $second" probe_fails_in $DB "$dir" "$second"
	ORACLE=$WORK/oracle-$SC.sql
	sed -n '/^CREATE TABLE\|^CREATE INDEX\|^CREATE UNIQUE INDEX/,/;$/p' "$dir/$first/migration.sql" >"$ORACLE"
	CHANGE="^($first|$second)\$" TEXT=(MD003 "$first" "$(echo $tables | cut -d' ' -f1)")
	finish
}

if [ -d "$FIXTURES/migrations" ]; then
	generic fx "$FIXTURES/migrations" 20240701000000_add_deleted_team_table 20240715120000_deleted_team_routing_settings
else
	tap_skip "fx: scenarios on fixtures/migrations" "fixtures/migrations absent"
fi

# === LiteLLM's real migrations (when shared/ is present): recipe 1 on the
# 20251219110931 / 20260116142756 pair, and the P3005 baseline
LL=$SHARED/litellm/migrations
if [ -d "$LL/20251219110931_add_deleted_keys_and_deleted_teams_tables" ] &&
	[ -d "$LL/20260116142756_update_deleted_keys_teams_table_routing_settings" ]; then
	PARTS="p3005 recipe1" generic litellm "$LL" 20251219110931_add_deleted_keys_and_deleted_teams_tables \
		20260116142756_update_deleted_keys_teams_table_routing_settings
else
	tap_skip "litellm: recipe 1 and P3005 on LiteLLM's migrations" "no $LL (set MIGDOCTOR_SHARED)"
fi

cross_run

echo "# $tap_n checks in ${SECONDS}s"
# KEEP_WORK=DIR keeps every scenario's exports, report and repair script
[ -n "${KEEP_WORK:-}" ] && cp -r "$WORK/sc" "$KEEP_WORK/"
tap_done
