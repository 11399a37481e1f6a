#!/bin/bash
# deploy_script.sh - 'migdoctor plan -o deploy.sql' does on PostgreSQL what
# 'prisma migrate deploy' would do (issue 11, doc/deploy-script.md).
#
#   A. a family of cases: a database deployed by the emulator to a prefix of
#      a directory (the project's fixtures/migrations; LiteLLM's migrations
#      when ../shared/litellm is present; an empty database), with canary
#      rows; exported with pg_dump -Fc; 'plan -m ALL -o deploy.sql'; the
#      script run with psql. Then: the emulator's deploy has nothing to do;
#      pg_dump -s equals a clean deploy; every new row is as deploy writes
#      it (finished, 1 step, logs NULL, the file's sha256, a v4 uuid); the
#      canary rows are kept; a second run stops at its guard with nothing
#      changed.
#   B. refusals: a plan that predicts a failure (a table made by hand, a
#      failed row: P3009) writes no script, exits 1 and removes a stale one.
#   C. at run time: the database changed after the export (the guard
#      stops, nothing changed); psql -1 (stops before anything); a failure
#      no guard can see (a UNIQUE index over duplicate rows): the earlier
#      migration stays applied, nothing of the failing one is, its row is
#      failed with the error in logs, and deploy then stops with P3009;
#      Prisma's advisory lock held by another session (the script waits
#      10 s, as the engine does, then stops).
source "$(dirname "$0")/lib/common.sh"
source "$IT_LIB/export.sh"
it_start
cd "$WORK" || exit 1 # psql runs here: a backslash command that escaped would leave a file
"$MIGDOCTOR" plan --help 2>/dev/null | grep -q -- '-o, --output' || skip_all "migdoctor plan -o not built"

FX=$FIXTURES/migrations
LL=$SHARED/litellm/migrations
have_ll=0
[ -f "$LL/migration_lock.toml" ] && have_ll=1
GUARD='migdoctor: '

snap() { # db out: schema and history rows
	schema_dump "$1" "$2.schema"
	rows_dump "$1" "$2.rows" 2>/dev/null || echo '<no _prisma_migrations>' >"$2.rows"
}
same_snap() { cmp -s "$1.schema" "$2.schema" && cmp -s "$1.rows" "$2.rows"; }

# refs: one clean deploy per directory, its pg_dump -s
declare -A REF
ref_schema() { # name dir
	local db=ref_$1
	[ -n "${REF[$1]:-}" ] && return 0
	db_new "$db" >/dev/null && deploy deploy -d "$db" -m "$2" >"$WORK/ref_$1.log" 2>&1 ||
		{ cat "$WORK/ref_$1.log" | tap_diag; return 1; }
	schema_dump "$db" "$WORK/ref_$1.schema"
	REF[$1]=$WORK/ref_$1.schema
}

# rows_as_deploy DB DIR NAMES...: each named row is as the engine writes it
rows_as_deploy() {
	local db=$1 dir=$2 name sum got bad=0
	shift 2
	for name in "$@"; do
		sum=$(sha256sum <"$dir/$name/migration.sql" | cut -d' ' -f1)
		got=$(q "$db" "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$name'
			AND finished_at IS NOT NULL AND finished_at >= started_at AND rolled_back_at IS NULL
			AND logs IS NULL AND applied_steps_count = 1 AND checksum = '$sum'
			AND id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$'")
		[ "$got" = 1 ] || { echo "$name: $got rows as deploy writes them"; bad=1; }
	done
	[ "$(q "$db" "SELECT count(DISTINCT id) = count(*) FROM _prisma_migrations")" = t ] || bad=1
	return $bad
}

# case_prefix FAMILY DIR LAST CANARY_INSERT CANARY_SELECT
# LAST "" is an empty database (no _prisma_migrations).
n=0
case_prefix() {
	local fam=$1 dir=$2 last=$3 ins=$4 sel=$5 db out want d
	local -a pending=()
	n=$((n + 1))
	db=ds_$n out=$WORK/c$n
	mkdir -p "$out"
	db_new "$db" >/dev/null
	if [ -n "$last" ]; then
		mig_prefix "$out/prefix" "$dir" "$last"
		deploy deploy -d "$db" -m "$out/prefix" >"$out/deploy0.log" 2>&1 ||
			{ tap_not_ok "$fam/$last: emulator deploy of the prefix"; tap_diag <"$out/deploy0.log"; return; }
		q "$db" "$ins" >/dev/null
	fi
	for d in "$dir"/*/; do
		d=$(basename "$d")
		[ -n "$last" ] && [[ ! "$d" > "$last" ]] && continue
		pending+=("$d")
	done
	export_all "$db" "$out" >/dev/null 2>&1
	want=$([ -n "$last" ] && q "$db" "$sel")
	expect_exit 0 "$fam/${last:-empty}: plan -o writes the deploy script" \
		"$MIGDOCTOR" plan -m "$dir" -H "$out/full.dump" -o "$out/deploy.sql"
	[ -n "${KEEP_WORK:-}" ] && cp -r "$out" "$KEEP_WORK/$fam-${last:-empty}" 2>/dev/null
	expect_exit 0 "$fam/${last:-empty}: psql runs it" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$out/deploy.sql"
	deploy deploy -d "$db" -m "$dir" >"$out/deploy1.log" 2>&1
	ok_if "$fam/${last:-empty}: then deploy has nothing to apply" \
		grep -q 'No pending migrations to apply' "$out/deploy1.log"
	ref_schema "$fam" "$dir"
	schema_dump "$db" "$out/after.schema"
	ok_if "$fam/${last:-empty}: the schema equals a clean deploy" diff -u "${REF[$fam]}" "$out/after.schema"
	ok_if "$fam/${last:-empty}: every new row as deploy writes it (${#pending[@]} rows)" \
		rows_as_deploy "$db" "$dir" "${pending[@]}"
	if [ -n "$last" ]; then
		ok_if "$fam/$last: canary rows kept" test "$(q "$db" "$sel")" = "$want"
	fi
	snap "$db" "$out/s1"
	expect_exit 3 "$fam/${last:-empty}: a second run stops (psql exit 3)" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$out/deploy.sql"
	ok_if "... at its guard" grep -q -e "$GUARD.*already in _prisma_migrations" \
		-e "$GUARD.*table \"_prisma_migrations\" exists" "$WORK/.err"
	snap "$db" "$out/s2"
	ok_if "... with nothing changed" same_snap "$out/s1" "$out/s2"
}

# --- A. families of prefixes
FX_INS="INSERT INTO \"Proxy_UserTable\" (user_id, user_email, updated_at) VALUES ('canary', 'c@example.com', '2024-01-01')"
FX_SEL="SELECT user_id, user_email, spend FROM \"Proxy_UserTable\" ORDER BY user_id"
for last in 20240101000000_init 20240402170000_idempotent_guardrails 20240701000000_add_deleted_team_table; do
	case_prefix fixtures "$FX" "$last" "$FX_INS" "$FX_SEL"
done
case_prefix fixtures "$FX" "" "" ""

# the scenario fixtures: the pending enum rewrite runs its own BEGIN; ... COMMIT;
V2_INS="INSERT INTO \"User\" (id, email) VALUES ('canary', 'c@example.com')"
V2_SEL="SELECT id, email FROM \"User\" ORDER BY id"
for last in 20240301000000_add_deleted_team 20240501000000_update_deleted_team_settings; do
	case_prefix scenarios "$FIX_MIG" "$last" "$V2_INS" "$V2_SEL"
done

# what psql must not read (tests/golden/deploy/pending): a line starting with
# a backslash, a :variable, the script's own dollar tag; psql runs in $WORK
mig_prefix "$WORK/hostile" "$FX" 99999999999999 "$MD_TESTS_DIR/golden/deploy/pending"
case_prefix hostile "$WORK/hostile" 20240715120000_deleted_team_routing_settings "$FX_INS" "$FX_SEL"
ok_if "hostile: no backslash command of a migration ran (no migdoctor-pwned)" test ! -e "$WORK/migdoctor-pwned"
ok_if "hostile: the default holds the backslash and the :x as written" \
	test "$(q ds_$n "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef
		WHERE adrelid = '\"Proxy_Notes\"'::regclass")" = "'a\\b :x'::text"

if [ $have_ll = 1 ]; then
	LL_INS="INSERT INTO \"LiteLLM_VerificationToken\" (token, key_alias, spend, models) VALUES ('canary-key', 'canary', 4.5, '{gpt-4}')"
	LL_SEL="SELECT token, key_alias, spend, models FROM \"LiteLLM_VerificationToken\" ORDER BY token"
	lls=$(cd "$LL" && ls -d */ | tr -d / | LC_ALL=C sort)
	ll_first=$(echo "$lls" | head -n 1)
	ll_mid=$(echo "$lls" | sed -n "$(( $(echo "$lls" | wc -l) / 2 ))p")
	ll_late=$(echo "$lls" | tail -n 4 | head -n 1)
	for last in "$ll_first" "$ll_mid" "$ll_late"; do
		case_prefix litellm "$LL" "$last" "$LL_INS" "$LL_SEL"
	done
else
	tap_skip "litellm: prefixes of LiteLLM's migrations" "LiteLLM's migrations directory (../shared/litellm/migrations) absent"
fi

# --- B. refusals: no script, exit 1, a stale one removed
db_new b_hand >/dev/null
mig_prefix "$WORK/b/prefix" "$FX" 20240611090000_rename_alias_to_key_name
deploy deploy -d b_hand -m "$WORK/b/prefix" >/dev/null 2>&1
q b_hand 'CREATE TABLE "Proxy_DeletedTeamTable" (team_id TEXT PRIMARY KEY)' >/dev/null
export_all b_hand "$WORK/b" >/dev/null 2>&1
echo '-- migdoctor deploy script (an earlier run)' >"$WORK/b/deploy.sql"
expect_exit 1 "refused: a pending CREATE TABLE of a table made by hand (exit 1)" \
	"$MIGDOCTOR" plan -m "$FX" -H "$WORK/b/full.dump" -o "$WORK/b/deploy.sql"
ok_if "... the reason on stderr, and the repair first" \
	grep -q "refusing to write the deploy script: 'migrate deploy' is predicted to fail.*42P07.*migdoctor check" "$WORK/.err"
ok_if "... the stale script removed" test ! -e "$WORK/b/deploy.sql"

q b_hand "DROP TABLE \"Proxy_DeletedTeamTable\"; INSERT INTO _prisma_migrations (id, checksum, migration_name)
	VALUES ('00000000-0000-4000-8000-000000000001', 'x', '20240701000000_add_deleted_team_table')" >/dev/null
export_all b_hand "$WORK/b" >/dev/null 2>&1
expect_exit 1 "refused: a failed row, P3009 (exit 1)" \
	"$MIGDOCTOR" plan -m "$FX" -H "$WORK/b/full.dump" -o "$WORK/b/deploy.sql"
ok_if "... says P3009, writes nothing" \
	sh -c "grep -q P3009 '$WORK/.err' && test ! -e '$WORK/b/deploy.sql'"
echo 'not a script' >"$WORK/b/other.sql"
expect_exit 1 "refused: a file that is no deploy script is kept" \
	"$MIGDOCTOR" plan -m "$FX" -H "$WORK/b/full.dump" -o "$WORK/b/other.sql"
ok_if "... as it was, with a warning" \
	sh -c "grep -q 'not a migdoctor deploy script' '$WORK/.err' && grep -qx 'not a script' '$WORK/b/other.sql'"

# --- C. at run time
# the database changed after the export: a guard sees it
db_new c_stale >/dev/null
mig_prefix "$WORK/cs/prefix" "$FX" 20240611090000_rename_alias_to_key_name
deploy deploy -d c_stale -m "$WORK/cs/prefix" >/dev/null 2>&1
export_all c_stale "$WORK/cs" >/dev/null 2>&1
expect_exit 0 "stale export: plan -o" "$MIGDOCTOR" plan -m "$FX" -H "$WORK/cs/full.dump" -o "$WORK/cs/deploy.sql"
q c_stale 'CREATE TABLE "Proxy_DeletedTeamTable" (team_id TEXT PRIMARY KEY)' >/dev/null
snap c_stale "$WORK/cs/s1"
expect_exit 3 "stale export: the script stops (psql exit 3)" \
	psql -X -q -v ON_ERROR_STOP=1 -d c_stale -f "$WORK/cs/deploy.sql"
ok_if "... at the guard on the table" \
	grep -q 'migdoctor: the database is not as the export showed: table "Proxy_DeletedTeamTable" exists' "$WORK/.err"
snap c_stale "$WORK/cs/s2"
ok_if "... with nothing changed" same_snap "$WORK/cs/s1" "$WORK/cs/s2"
q c_stale 'DROP TABLE "Proxy_DeletedTeamTable"' >/dev/null
snap c_stale "$WORK/cs/s1"
expect_exit 3 "psql -1: the script stops before anything" \
	psql -X -q -1 -v ON_ERROR_STOP=1 -d c_stale -f "$WORK/cs/deploy.sql"
ok_if "... at DISCARD ALL" grep -q 'DISCARD ALL cannot run inside a transaction block' "$WORK/.err"
snap c_stale "$WORK/cs/s2"
ok_if "... with nothing changed" same_snap "$WORK/cs/s1" "$WORK/cs/s2"

# Prisma's advisory lock held elsewhere: the script waits 10 s, then stops
psql -X -q -d c_stale -c "SELECT pg_advisory_lock(72707369), pg_sleep(14)" >/dev/null 2>&1 &
holder=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(q c_stale "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369")" = 1 ] && break
	sleep 0.3
done
expect_exit 3 "advisory lock held by another session: the script stops" \
	psql -X -q -v ON_ERROR_STOP=1 -d c_stale -f "$WORK/cs/deploy.sql"
ok_if "... after the engine's lock timeout" grep -q 'lock timeout' "$WORK/.err"
snap c_stale "$WORK/cs/s2"
ok_if "... with nothing changed" same_snap "$WORK/cs/s1" "$WORK/cs/s2"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
expect_exit 0 "... and runs once the lock is free" \
	psql -X -q -v ON_ERROR_STOP=1 -d c_stale -f "$WORK/cs/deploy.sql"
ok_if "... releasing it at the end" \
	test "$(q c_stale "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0

# a failure no guard can see: a UNIQUE index over duplicate rows
mkdir -p "$WORK/cf/extra/20990101000000_key_note" "$WORK/cf/extra/20990102000000_unique_alias"
printf -- '-- AlterTable\nALTER TABLE "Proxy_KeyTable" ADD COLUMN "note" TEXT;\n' \
	>"$WORK/cf/extra/20990101000000_key_note/migration.sql"
printf -- '-- AlterTable\nALTER TABLE "Proxy_KeyTable" ADD COLUMN "flag" BOOLEAN;\n\n-- CreateIndex\nCREATE UNIQUE INDEX "Proxy_KeyTable_key_name_key" ON "Proxy_KeyTable"("key_name");\n' \
	>"$WORK/cf/extra/20990102000000_unique_alias/migration.sql"
mig_prefix "$WORK/cf/all" "$FX" 99999999999999 "$WORK/cf/extra"
db_new c_fail >/dev/null
deploy deploy -d c_fail -m "$FX" >/dev/null 2>&1
q c_fail "INSERT INTO \"Proxy_KeyTable\" (token, key_name) VALUES ('k1', 'same'), ('k2', 'same')" >/dev/null
export_all c_fail "$WORK/cf" >/dev/null 2>&1
expect_exit 0 "data-dependent failure: plan cannot see it, writes the script" \
	"$MIGDOCTOR" plan -m "$WORK/cf/all" -H "$WORK/cf/full.dump" -o "$WORK/cf/deploy.sql"
expect_exit 3 "... psql stops (exit 3)" psql -X -q -v ON_ERROR_STOP=1 -d c_fail -f "$WORK/cf/deploy.sql"
ok_if "... naming the failed migration" grep -q 'migdoctor: migration 20990102000000_unique_alias failed' "$WORK/.err"
ok_if "... the earlier migration applied, as deploy writes it" \
	rows_as_deploy c_fail "$WORK/cf/all" 20990101000000_key_note
ok_if "... its row failed: finished_at NULL, 0 steps, 23505 in logs" \
	test "$(q c_fail "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20990102000000_unique_alias'
		AND finished_at IS NULL AND rolled_back_at IS NULL AND applied_steps_count = 0
		AND logs LIKE 'A migration failed to apply.%Database error code: 23505%could not create unique index%'")" = 1
ok_if "... nothing of it applied (no column flag, no index)" \
	test "$(q c_fail "SELECT to_regclass('\"Proxy_KeyTable_key_name_key\"') IS NULL
		AND NOT EXISTS (SELECT FROM information_schema.columns WHERE column_name = 'flag')")" = t
ok_if "... the lock released" \
	test "$(q c_fail "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")" = 0
deploy deploy -d c_fail -m "$WORK/cf/all" >"$WORK/cf/deploy2.log" 2>&1
ok_if "... then deploy stops with P3009, as after Prisma's own failure" grep -q P3009 "$WORK/cf/deploy2.log"
export_all c_fail "$WORK/cf2" >/dev/null 2>&1
"$MIGDOCTOR" check -m "$WORK/cf/all" -H "$WORK/cf2/full.dump" >"$WORK/cf/check.txt" 2>&1
ok_if "... and check calls it a failed migration (MD001)" grep -q 'MD001' "$WORK/cf/check.txt"


# --- D. what a migration does to its session does not reach the row's
# bookkeeping (doc/deploy-script.md, "The session"): search_path to another
# schema or to '', SET ROLE to a role that may not write _prisma_migrations,
# RESET ALL, SET of migdoctor.row (the custom setting earlier scripts kept
# the row's id in) to the id of another row, a read-only default; each with
# a dump (the schema named) and a CSV history (no schema: read from the
# session). A second migration runs after, in the session the first left.
q postgres "CREATE ROLE md_noperm NOLOGIN" >/dev/null
db_new d_base >/dev/null
deploy deploy -d d_base -m "$FX" >/dev/null 2>&1
d_other=$(q d_base "SELECT id FROM _prisma_migrations ORDER BY migration_name LIMIT 1")
D_OLD="SELECT md5(string_agg(id || checksum || coalesce(finished_at::text, '') || applied_steps_count
	|| coalesce(logs, '') || coalesce(rolled_back_at::text, ''), ',' ORDER BY id))
	FROM _prisma_migrations WHERE migration_name < '2099'"
d_old=$(q d_base "$D_OLD")
HELPER='CREATE TABLE "Helper" ("id" INTEGER NOT NULL);'
AFTER=$'-- runs in the session the migration before left\nSELECT 1;\n'

# d_case NAME HIST SQL EXPECT_EXIT CHECK_SQL: HIST dump (full.dump) or csv
# (history.csv + schema.sql); SQL the first pending migration
d_case() {
	local name=$1 hist=$2 sql=$3 rc=$4 check=$5 db=d_$1_$2 out=$WORK/d/$1_$2
	local -a h
	mkdir -p "$out/extra/20990101000000_session" "$out/extra/20990102000000_after"
	printf '%s\n' "$sql" >"$out/extra/20990101000000_session/migration.sql"
	printf '%s' "$AFTER" >"$out/extra/20990102000000_after/migration.sql"
	mig_prefix "$out/all" "$FX" 99999999999999 "$out/extra"
	db_new "$db" d_base >/dev/null
	export_all "$db" "$out" >/dev/null 2>&1
	if [ "$hist" = dump ]; then h=(-H "$out/full.dump"); else h=(-H "$out/history.csv" -s "$out/schema.sql"); fi
	expect_exit 0 "session/$name/$hist: plan -o" "$MIGDOCTOR" plan -m "$out/all" "${h[@]}" -o "$out/deploy.sql"
	if [ "$hist" = dump ]; then
		ok_if "... the table named with the dump's schema" \
			grep -q '^UPDATE "public"."_prisma_migrations" SET finished_at' "$out/deploy.sql"
	else
		ok_if "... the table named with the schema read at the start" \
			grep -q '^UPDATE :"migdoctor_schema"."_prisma_migrations" SET finished_at' "$out/deploy.sql"
	fi
	[ -n "${KEEP_WORK:-}" ] && cp -r "$out" "$KEEP_WORK/session-$1-$2" 2>/dev/null
	expect_exit "$rc" "session/$name/$hist: psql exit $rc" \
		psql -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$out/deploy.sql"
	cp "$WORK/.err" "$out/psql.err"; cp "$WORK/.out" "$out/psql.out"
	ok_if "... the other rows unchanged" test "$(q "$db" "$D_OLD")" = "$d_old"
	[ -z "$check" ] || ok_if "... the migration's effect is there" test "$(q "$db" "$check")" = t
	if [ "$rc" = 0 ]; then
		ok_if "... both rows finished as deploy writes them" rows_as_deploy "$db" "$out/all" \
			20990101000000_session 20990102000000_after
		deploy deploy -d "$db" -m "$out/all" >"$out/deploy1.log" 2>&1
		ok_if "... then deploy has nothing to apply" grep -q 'No pending migrations to apply' "$out/deploy1.log"
	fi
}
for hist in dump csv; do
	d_case schema "$hist" 'CREATE SCHEMA IF NOT EXISTS "util";
SET search_path TO "util";
CREATE TABLE "util"."Helper" ("id" INTEGER NOT NULL);' 0 "SELECT to_regclass('util.\"Helper\"') IS NOT NULL"
	d_case empty_path "$hist" "$HELPER
SET search_path TO '';" 0 "SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	d_case role "$hist" "$HELPER
SET ROLE md_noperm;" 0 "SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	d_case reset_all "$hist" "RESET ALL;
$HELPER" 0 "SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	d_case row_setting "$hist" "$HELPER
SET migdoctor.row TO '$d_other';" 0 "SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	d_case read_only "$hist" "$HELPER
SET default_transaction_read_only TO on;" 0 "SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	# it fails after it changed the session and committed that change
	d_case fails "$hist" "SET migdoctor.row TO '$d_other';
SET search_path TO '';
SET ROLE md_noperm;
COMMIT;
$HELPER" 3 "SELECT to_regclass('public.\"Helper\"') IS NULL"
	ok_if "... naming the failed migration" \
		grep -q 'migdoctor: migration 20990101000000_session failed; its row is left failed' "$WORK/d/fails_$hist/psql.err"
	ok_if "... its row failed: finished_at NULL, 0 steps, 3F000 in logs" \
		test "$(q "d_fails_$hist" "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20990101000000_session'
			AND finished_at IS NULL AND rolled_back_at IS NULL AND applied_steps_count = 0
			AND logs LIKE 'A migration failed to apply.%Database error code: 3F000%no schema has been selected%'")" = 1
	deploy deploy -d "d_fails_$hist" -m "$WORK/d/fails_$hist/all" >"$WORK/d/fails_$hist/deploy1.log" 2>&1
	ok_if "... then deploy stops with P3009" grep -q P3009 "$WORK/d/fails_$hist/deploy1.log"
	# the row vanished under the script: a stop that says so, not "applied"
	d_case row_gone "$hist" "$HELPER
DELETE FROM \"public\".\"_prisma_migrations\" WHERE \"finished_at\" IS NULL;" 3 \
		"SELECT to_regclass('public.\"Helper\"') IS NOT NULL"
	ok_if "... saying its row was not found, not that it applied" sh -c "
		grep -q 'migdoctor: migration 20990101000000_session ran, but its row was not found to mark it finished' '$WORK/d/row_gone_$hist/psql.err' &&
		! grep -q 'migrations applied' '$WORK/d/row_gone_$hist/psql.out'"
done

# CSV history: the schema comes from the session; none that exists: stop
PGOPTIONS='-c search_path=md_no_such_schema' expect_exit 3 "session/csv: search_path names no schema: psql stops" \
	psql -X -q -v ON_ERROR_STOP=1 -d d_base -f "$WORK/d/schema_csv/deploy.sql"
ok_if "... saying so, nothing changed" sh -c "grep -q 'migdoctor: search_path names no schema that exists; nothing was changed' '$WORK/.err' &&
	test \"\$(psql -X -At -d d_base -c \"SELECT count(*) FROM _prisma_migrations WHERE migration_name > '2099'\")\" = 0"

# --- E. psql too old for the script: it stops before any change. Only
# psql 15 is here: the two versions are simulated on the script's text.
# psql 10 has \if but no ERROR variable: the probe's variable renamed.
# psql 9.6 knows no \if ("invalid command", an error under ON_ERROR_STOP):
# the probe's command renamed. Nothing may run before the probe.
E=$WORK/d/schema_dump/deploy.sql
ok_if "psql probe: \\if is the script's first command after \\set ON_ERROR_STOP on" \
	test "$(grep -v -e '^--' -e '^$' "$E" | head -n 2 | tr '\n' '|')" = '\set ON_ERROR_STOP on|\if true|'
db_new e_old d_base >/dev/null
snap e_old "$WORK/e1"
sed 's/^\\if :{?ERROR}$/\\if :{?MD_NO_ERROR_VARIABLE}/' "$E" >"$WORK/e10.sql"
ok_if "... (psql 10 simulated: the probe's variable renamed)" sh -c '! cmp -s "$1" "$2"' _ "$E" "$WORK/e10.sql"
expect_exit 3 "psql 10 (no ERROR variable): the script stops" psql -X -q -v ON_ERROR_STOP=1 -d e_old -f "$WORK/e10.sql"
ok_if "... saying it needs psql 11" grep -q 'migdoctor: this script needs psql 11 or later' "$WORK/.err"
snap e_old "$WORK/e2"
ok_if "... with nothing changed" same_snap "$WORK/e1" "$WORK/e2"
sed 's/^\\if true$/\\if_not_in_this_psql true/' "$E" >"$WORK/e96.sql"
ok_if "... (psql 9.6 simulated: the probe's command unknown)" sh -c '! cmp -s "$1" "$2"' _ "$E" "$WORK/e96.sql"
expect_exit 3 "psql 9.6 (no \\if): the script stops" psql -X -q -v ON_ERROR_STOP=1 -d e_old -f "$WORK/e96.sql"
ok_if "... at the probe" grep -q 'invalid command \\if_not_in_this_psql' "$WORK/.err"
snap e_old "$WORK/e2"
ok_if "... with nothing changed" same_snap "$WORK/e1" "$WORK/e2"

tap_done
