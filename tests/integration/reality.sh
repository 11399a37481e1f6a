#!/bin/bash
# reality.sh - what operators really break (issue 10), proven on PostgreSQL.
#
# Families (issue 10 "Done when"):
#   1. tables restored from an older backup (`pg_restore --clean --if-exists
#      -t A -t B old.dump`): only TABLE and TABLE DATA come back, without the
#      primary key, indexes, foreign keys and later columns; each object must
#      come back in its final form (the daily spend unique indexes);
#   2. a 42501 failure marked applied by LiteLLM 1.66.3-1.80.4 (steps 0,
#      logs ''), as a plain ALTER TABLE and as the DO-block rename of the MCP
#      table's "alias" to "server_name";
#   3. a downgrade: LiteLLM's sanity check (>= 1.77.7) drops what the older
#      schema.prisma lacks, an expression index survives; check -m OLDER
#      repairs the rows, the older version deploys, then the re-upgrade;
#   4. check with no -m, compared with the run with -m (same codes and
#      migrations); on the fixtures it must ask for -m;
#   5. a schema made without _prisma_migrations (db push, psql -f), P3005;
#   6. a WASM/7.x engine's partial run (statements before the error stay);
#   7. column types and defaults: a restore that brings back the old type
#      and default of a column a later migration changed (ALTER COLUMN
#      TYPE, SET/DROP DEFAULT, Prisma's enum swap; a change that could
#      lose data, double precision -> numeric(12,4), is left to a person,
#      who then makes it by hand), a type change marked
#      applied without running, an enum swap marked so, and healthy
#      databases on which pg_dump's forms ('x'::text, public."E",
#      CURRENT_TIMESTAMP) must give no finding.
# Each scenario ends with: check writes a repair, psql applies it (as the
# owner), deploy succeeds, `pg_dump -s` equals a clean deploy of the same
# directory, and the canary rows inserted before the damage are kept.
#
# LiteLLM's real directory ($SHARED/litellm/migrations) is needed for most
# scenarios: they are skipped with a reason when it is absent.  The plain
# `make check` runs them all (about 90 s); MD_HEAVY=1 (.ci/run) adds a
# second, wider downgrade (whole tables dropped by the sanity check).
source "$(dirname "$0")/lib/common.sh"
source "$IT_LIB/break.sh"
source "$IT_LIB/export.sh"
source "$IT_LIB/litellm.sh"
it_start
"$MIGDOCTOR" check --help >/dev/null 2>&1 || skip_all "migdoctor check not built"
command -v python3 >/dev/null || skip_all "python3 is needed to compare the JSON reports"
command -v pg_restore >/dev/null || skip_all "no pg_restore"

LL=$SHARED/litellm/migrations
have_ll=0
[ -f "$LL/migration_lock.toml" ] && [ -d "$LL/20250806095134_rename_alias_to_server_name_mcp_table" ] && have_ll=1
heavy() { [ "${MD_HEAVY:-}" = 1 ]; }

# json_findings FILE: "CODE MIGRATION" of every finding, sorted, unique
# MD004 (rows newer than the directory) only exists beside a directory:
# the comparison with a run without -m leaves it out
json_findings() {
	python3 -c 'import json,sys
print("\n".join(sorted({"%s %s" % (f["code"], f.get("migration")) for f in json.load(open(sys.argv[1]))["findings"] if f["code"] != "MD004"})))' "$1"
}

# === the common second half.  Set by each scenario:
#   SC name; DB database; DIR the -m directory (and the re-deploy's);
#   REF reference schema ("" = not compared here); CODES words the report
#   must hold; LOG start-up log or ""; NOM ll (compare the run without -m)
#   or fx (it must ask for -m); CANARY_SQL a query, CANARY_WANT its output
#   after everything; POST a function run after the deploy (two-stage
#   scenarios)
reset_sc() { DIR="" REF="" CODES=() LOG="" NOM="" CANARY_SQL="" CANARY_WANT="" POST="" H=full.dump; }

canary() { q "$DB" "$CANARY_SQL"; }

prove() {
	local out=$WORK/sc/$SC rc c args
	mkdir -p "$out"
	if ! export_all "$DB" "$out" >"$out/export.log" 2>&1; then
		tap_not_ok "$SC: exports"; tap_diag <"$out/export.log"; return
	fi
	args=(-H "$out/$H")
	[ -n "$LOG" ] && args+=(-l "$LOG")
	"$MIGDOCTOR" check -m "$DIR" "${args[@]}" -o "$out/repair.sql" >"$out/report.txt" 2>"$out/stderr.txt"; rc=$?
	if [ $rc = 1 ]; then tap_ok "$SC: check -m exits 1"
	else tap_not_ok "$SC: check -m exits 1 (exit $rc)"; cat "$out/stderr.txt" | tap_diag | head -n 10; fi
	for c in "${CODES[@]}"; do
		ok_if "$SC: report mentions $c" grep -qF -- "$c" "$out/report.txt"
	done
	"$MIGDOCTOR" check -m "$DIR" "${args[@]}" --format json >"$out/m.json" 2>/dev/null
	json_findings "$out/m.json" >"$out/m.codes" 2>&1
	case $NOM in
	ll)
		"$MIGDOCTOR" check "${args[@]}" --format json >"$out/nom.json" 2>"$out/nom.err"
		json_findings "$out/nom.json" >"$out/nom.codes" 2>&1
		golden "$SC: check without -m finds the same codes and migrations as with -m" "$out/m.codes" "$out/nom.codes" ;;
	fx)
		"$MIGDOCTOR" check "${args[@]}" >"$out/nom.txt" 2>&1
		ok_if "$SC: check without -m on a database that is not LiteLLM's asks for -m" \
			grep -qF 'give the migrations directory (-m)' "$out/nom.txt" ;;
	esac
	if [ -s "$out/repair.sql" ]; then
		tap_ok "$SC: a repair script is written"
		if psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$out/repair.sql" >"$out/apply.out" 2>"$out/apply.err"; then
			tap_ok "$SC: the repair applies with psql ON_ERROR_STOP (as the owner)"
		else
			tap_not_ok "$SC: the repair applies with psql ON_ERROR_STOP (as the owner)"
			tap_diag <"$out/apply.err" | head -n 10
		fi
	else
		tap_not_ok "$SC: a repair script is written"
		grep -E '^ *(MD[0-9]+|fix|->)' "$out/report.txt" | head -n 12 | tap_diag
	fi
	run_exit 0 "$SC: deploy succeeds after the repair" deploy deploy -d "$DB" -m "$DIR"
	if [ -n "$REF" ]; then
		schema_dump "$DB" "$out/schema.final"
		golden "$SC: schema equals a clean deploy of the same directory" "$REF" "$out/schema.final"
	fi
	[ -n "$POST" ] && $POST
	if [ -n "$CANARY_SQL" ]; then
		canary >"$out/canary.after" 2>&1
		printf '%s\n' "$CANARY_WANT" >"$out/canary.want"
		golden "$SC: canary rows kept" "$out/canary.want" "$out/canary.after"
	fi
}

# the broken state is silent: deploy (on a copy) finds nothing to apply,
# yet the schema differs from REF
silent_broken() { # db dir ref
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS probe" -c "CREATE DATABASE probe TEMPLATE \"$1\"" >/dev/null 2>&1
	deploy deploy -d probe -m "$2" >"$WORK/probe.out" 2>&1
	local rc=$?
	schema_dump probe "$WORK/probe.schema"
	pg_psql -d postgres -c "DROP DATABASE probe" >/dev/null
	[ $rc = 0 ] && grep -qx 'No pending migrations to apply.' "$WORK/probe.out" || { cat "$WORK/probe.out"; return 1; }
	! cmp -s "$3" "$WORK/probe.schema"
}

# --- LiteLLM templates: one chain of deploys, a template per prefix
# (each deploys the delta onto a copy of the previous one: the same SQL, in
# the same order, as a clean deploy of that prefix)
LL_CUTS=(
	20250507184818_add_mcp_key_team_permission_mgmt       # key backup, before BIGINT
	20250509141545_use_big_int_for_daily_spend_tables     # the BIGINT change
	20250625213625_add_status_to_managed_object_table     # daily spend backup
	20250802162330_prompt_table                           # before the MCP rename
	20250806095134_rename_alias_to_server_name_mcp_table
	20251003165142_add_allowed_tools_to_mcp               # MCP + team backup
	20260105151539_add_allow_all_keys_to_mcp_servers      # before the endpoint columns
	20260106155622_add_endpoint_to_daily_activity_tables  # downgrade: older
	20260116142756_update_deleted_keys_teams_table_routing_settings # downgrade: newer
	20260205091235_allow_team_guardrail_config            # before soft_budget
	20260205144610_add_soft_budget_to_team_table
	zzzz                                                  # all of it
)
llt() { echo "ll_${1%%_*}"; }   # template database of a cut
lld() { echo "$WORK/dirs/ll_${1%%_*}"; }  # its directory
llref() { echo "$WORK/ref_${1%%_*}.sql"; }
if [ $have_ll = 1 ]; then
	prev="" chain_ok=1
	for cut in "${LL_CUTS[@]}"; do
		mig_prefix "$(lld $cut)" "$LL" "$cut"
		db_new "$(llt $cut)" ${prev:+"$(llt $prev)"} >/dev/null &&
			deploy deploy -d "$(llt $cut)" -m "$(lld $cut)" >"$WORK/chain.log" 2>&1 ||
			{ chain_ok=0; tap_not_ok "LiteLLM's directory deploys up to $cut"; tap_diag <"$WORK/chain.log"; break; }
		schema_dump "$(llt $cut)" "$(llref $cut)"
		prev=$cut
	done
	[ $chain_ok = 1 ] && tap_ok "LiteLLM's directory deploys, prefix by prefix (${#LL_CUTS[@]} templates)"
	if [ $chain_ok = 1 ]; then
		# the chain is the same SQL in the same order: its last schema is
		# that of one clean deploy of the whole directory
		db_new ll_clean >/dev/null && deploy deploy -d ll_clean -m "$LL" >/dev/null 2>&1
		schema_dump ll_clean "$WORK/ref_clean.sql"
		golden "the chain's last template equals a clean deploy of LiteLLM's directory" "$WORK/ref_clean.sql" "$(llref zzzz)"
	fi
	[ $chain_ok = 1 ] || have_ll=0
fi
ll_skip() { tap_skip "$1" "LiteLLM's migrations directory (../shared/litellm/migrations) absent"; }

# old_backup CUT DUMP SQL: a database at prefix CUT with rows, dumped -Fc
old_backup() {
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS oldbk" >/dev/null 2>&1
	db_new oldbk "$(llt $1)" >/dev/null && pg_psql -d oldbk -c "$3" >/dev/null &&
		pg_dump -Fc -d oldbk -f "$2" && pg_psql -d postgres -c "DROP DATABASE oldbk" >/dev/null
}

# === 1a. the key table restored from a backup of 1.67-era (before the key
# rotation columns, router_settings, policies, access groups, the indexes)
sc_restore_key() {
	reset_sc; SC=ll-restore-key DB=r_key DIR=$(lld zzzz) REF=$(llref zzzz) NOM=ll
	ok_if "$SC: an older backup with a canary key" old_backup 20250507184818 "$WORK/old-key.dump" \
		"INSERT INTO \"LiteLLM_VerificationToken\" (token, key_alias, spend, models) VALUES ('canary-key', 'canary', 4.5, '{gpt-4}')"
	db_new $DB "$(llt zzzz)" >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t LiteLLM_VerificationToken" \
		break_restore_old $DB "$WORK/old-key.dump" LiteLLM_VerificationToken
	ok_if "$SC: the restored table has no primary key" test "$(q $DB "SELECT count(*) FROM pg_constraint
		WHERE conrelid = '\"LiteLLM_VerificationToken\"'::regclass AND contype = 'p'")" = 0
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 LiteLLM_VerificationToken_pkey LiteLLM_VerificationToken_team_id_idx router_settings)
	CANARY_SQL="SELECT token, key_alias, spend, models, router_settings FROM \"LiteLLM_VerificationToken\" ORDER BY token"
	CANARY_WANT='canary-key|canary|4.5|{gpt-4}|{}'
	prove
}

# === 1b. the daily spend tables, two at once, from a backup before the
# unique index gained mcp_namespaced_tool_name (20250707230009) and then
# endpoint (20260106155622): the index must come back in its final form
sc_restore_daily() {
	reset_sc; SC=ll-restore-daily-spend DB=r_daily DIR=$(lld zzzz) REF=$(llref zzzz) NOM=ll
	ok_if "$SC: an older backup with canary spend rows" old_backup 20250625213625 "$WORK/old-daily.dump" \
		"INSERT INTO \"LiteLLM_DailyUserSpend\" (id, user_id, date, api_key, model, updated_at, spend, prompt_tokens)
			VALUES ('du1', 'u1', '2025-06-01', 'k1', 'gpt-4', now(), 1.25, 10);
		 INSERT INTO \"LiteLLM_DailyTeamSpend\" (id, team_id, date, api_key, model, updated_at, spend, prompt_tokens)
			VALUES ('dt1', 't1', '2025-06-01', 'k1', 'gpt-4', now(), 2.5, 3000000000)"
	db_new $DB "$(llt zzzz)" >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t LiteLLM_DailyUserSpend -t LiteLLM_DailyTeamSpend" \
		break_restore_old $DB "$WORK/old-daily.dump" LiteLLM_DailyUserSpend LiteLLM_DailyTeamSpend
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 LiteLLM_DailyUserSpend_pkey LiteLLM_DailyTeamSpend_pkey LiteLLM_DailyUserSpend_user_id_date_api_key_model_custom_ll_key endpoint)
	CANARY_SQL="SELECT id, spend, prompt_tokens, model FROM \"LiteLLM_DailyUserSpend\" UNION ALL
		SELECT id, spend, prompt_tokens, model FROM \"LiteLLM_DailyTeamSpend\" ORDER BY 1"
	CANARY_WANT=$'dt1|2.5|3000000000|gpt-4\ndu1|1.25|10|gpt-4'
	prove
	ok_if "$SC: the unique index has its final columns (..., mcp_namespaced_tool_name, endpoint)" \
		grep -q 'CREATE UNIQUE INDEX "LiteLLM_DailyUserSpend_user_id_date_api_key_model_custom_ll_key" ON public."LiteLLM_DailyUserSpend" USING btree (user_id, date, api_key, model, custom_llm_provider, mcp_namespaced_tool_name, endpoint)' \
		"$WORK/sc/$SC/schema.final"
}

# === 1c. the MCP server and team tables from a backup of 20251003165142
sc_restore_mcp_team() {
	reset_sc; SC=ll-restore-mcp-team DB=r_mcp DIR=$(lld zzzz) REF=$(llref zzzz) NOM=ll
	ok_if "$SC: an older backup with a canary server and team" old_backup 20251003165142 "$WORK/old-mcp.dump" \
		"INSERT INTO \"LiteLLM_MCPServerTable\" (server_id, server_name, url, alias) VALUES ('srv1', 'canary-server', 'http://mcp', 'a1');
		 INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, max_budget) VALUES ('team1', 'canary-team', 100)"
	db_new $DB "$(llt zzzz)" >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t LiteLLM_MCPServerTable -t LiteLLM_TeamTable" \
		break_restore_old $DB "$WORK/old-mcp.dump" LiteLLM_MCPServerTable LiteLLM_TeamTable
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 LiteLLM_MCPServerTable_pkey LiteLLM_TeamTable_pkey LiteLLM_TeamTable_model_id_key LiteLLM_TeamTable_organization_id_fkey)
	CANARY_SQL="SELECT server_id || '|' || server_name || '|' || url || '|' || alias || '|' || allow_all_keys FROM \"LiteLLM_MCPServerTable\"
		UNION ALL SELECT team_id || '|' || team_alias || '|' || max_budget || '|' || allow_team_guardrail_config FROM \"LiteLLM_TeamTable\" ORDER BY 1"
	CANARY_WANT=$'srv1|canary-server|http://mcp|a1|false\nteam1|canary-team|100|false'
	prove
}

# === 1d. the fixtures: "Team", "Budget" and "SpendLog" restored from a v2
# backup into a v3 database (SpendLog.tags came with v3); "Team" and "User"
# restored from a backup of the first migration (no spend, role, budget_id,
# router_settings, User_email_key)
V2=$FIX_MIG
V3=$WORK/dirs/v3; mig_prefix "$V3" "$V2" 99999999999999 "$FIXTURES/scenarios/newer"
FXA=$WORK/dirs/fxa; mig_prefix "$FXA" "$V2" 20240101000000_init
fx_tpl() { db_new "$1" >/dev/null && deploy deploy -d "$1" -m "$2" >/dev/null 2>&1; }
fx_tpl fx_init "$FXA" && fx_tpl fx_v2 "$V2" && fx_tpl fx_v3 "$V3"
ok_if "fixtures deploy at init, v2, v3" test $? = 0
schema_dump fx_v3 "$WORK/ref_fx_v3.sql"
schema_dump fx_v2 "$WORK/ref_fx_v2.sql"
fx_backup() { # template dump sql
	pg_psql -d postgres -c "DROP DATABASE IF EXISTS oldbk" >/dev/null 2>&1
	db_new oldbk "$1" >/dev/null && pg_psql -d oldbk -c "$3" >/dev/null &&
		pg_dump -Fc -d oldbk -f "$2" && pg_psql -d postgres -c "DROP DATABASE oldbk" >/dev/null
}

sc_fx_restore_v2() {
	reset_sc; SC=fx-restore-team-budget-spendlog DB=r_fx3 DIR=$V3 REF=$WORK/ref_fx_v3.sql NOM=fx
	ok_if "$SC: a v2 backup with canary rows" fx_backup fx_v2 "$WORK/old-fx2.dump" \
		"INSERT INTO \"Budget\" (id, max_budget) VALUES ('b1', 50);
		 INSERT INTO \"Team\" (id, name, budget_id) VALUES ('t1', 'canary-team', 'b1');
		 INSERT INTO \"SpendLog\" (request_id, spend, \"startTime\") VALUES ('r1', 0.5, '2024-07-01')"
	db_new $DB fx_v3 >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t Team -t Budget -t SpendLog" \
		break_restore_old $DB "$WORK/old-fx2.dump" Team Budget SpendLog
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 Team_pkey Budget_pkey Team_budget_id_fkey SpendLog_startTime_idx tags)
	CANARY_SQL="SELECT t.id || '|' || t.name || '|' || b.max_budget FROM \"Team\" t JOIN \"Budget\" b ON b.id = t.budget_id
		UNION ALL SELECT request_id || '|' || spend || '|' || tags::text FROM \"SpendLog\" ORDER BY 1"
	CANARY_WANT=$'r1|0.5|{}\nt1|canary-team|50'
	prove
}

sc_fx_restore_init() {
	reset_sc; SC=fx-restore-team-user-from-init DB=r_fx1 DIR=$V2 REF=$WORK/ref_fx_v2.sql NOM=fx
	ok_if "$SC: a backup of the first migration with canary rows" fx_backup fx_init "$WORK/old-fx1.dump" \
		"INSERT INTO \"User\" (id, email) VALUES ('u1', 'canary@example.com');
		 INSERT INTO \"Team\" (id, name) VALUES ('t1', 'canary-team')"
	db_new $DB fx_v2 >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t Team -t User" \
		break_restore_old $DB "$WORK/old-fx1.dump" Team User
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 User_pkey User_email_key Team_budget_id_fkey role)
	CANARY_SQL="SELECT id || '|' || email || '|' || spend || '|' || role FROM \"User\"
		UNION ALL SELECT id || '|' || name || '|' || router_settings::text FROM \"Team\" ORDER BY 1"
	CANARY_WANT=$'t1|canary-team|{}\nu1|canary@example.com|0|user'
	prove
}

# === 2a. 42501 marked applied (LiteLLM 1.70.0): a plain ALTER TABLE by a
# role that owns nothing
sc_42501_alter() {
	reset_sc; SC=ll-42501-alter-resolved DB=p_alter DIR=$(lld 20260205144610) REF=$(llref 20260205144610) NOM=ll
	db_new $DB "$(llt 20260205091235)" >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, max_budget) VALUES ('team1', 'canary-team', 10)" >/dev/null
	break_no_create_role $DB migrator
	LOG=$WORK/log-$SC.log
	PGUSER=migrator litellm_start $DB "$DIR" "$LOG" 1.70.0
	ok_if "$SC: LiteLLM 1.70.0 start-up 'succeeds'" test $? = 0
	ok_if "$SC: the log shows 42501 then the blanket resolution" sh -c "grep -qx 'Database error code: 42501' '$LOG' &&
		grep -q 'Migration already exists, resolving specific migration' '$LOG'"
	ok_if "$SC: the row says applied, steps 0, logs ''" test "$(q $DB "SELECT count(*) FROM _prisma_migrations
		WHERE migration_name = '20260205144610_add_soft_budget_to_team_table' AND rolled_back_at IS NULL
		AND finished_at IS NOT NULL AND applied_steps_count = 0 AND logs = ''")" = 1
	ok_if "$SC: soft_budget is missing" test "$(q $DB "SELECT count(*) FROM information_schema.columns
		WHERE table_name = 'LiteLLM_TeamTable' AND column_name = 'soft_budget'")" = 0
	CODES=(MD003 MD013 20260205144610_add_soft_budget_to_team_table soft_budget)
	CANARY_SQL="SELECT team_id, team_alias, max_budget, soft_budget IS NULL FROM \"LiteLLM_TeamTable\""
	CANARY_WANT='team1|canary-team|10|t'
	prove
	ok_if "$SC: the fix says the migration role must own the tables (MD013)" grep -qiE 'own(s|er|ership)? (of )?the tables' "$WORK/sc/$SC/report.txt"
}

# === 2b. 42501 marked applied: the DO-block rename of the MCP table's
# "alias" to "server_name" (IF the column exists THEN RENAME); the data of
# "alias" must end where a clean upgrade puts it: in "server_name", with a
# new empty "alias"
sc_42501_rename() {
	reset_sc; SC=ll-42501-do-rename-resolved DB=p_rename DIR=$(lld 20250806095134) REF=$(llref 20250806095134) NOM=ll
	db_new $DB "$(llt 20250802162330)" >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_MCPServerTable\" (server_id, alias, url) VALUES ('srv1', 'canary-server', 'http://mcp')" >/dev/null
	break_no_create_role $DB migrator
	LOG=$WORK/log-$SC.log
	PGUSER=migrator litellm_start $DB "$DIR" "$LOG" 1.74.0
	ok_if "$SC: LiteLLM 1.74.0 start-up 'succeeds'" test $? = 0
	ok_if "$SC: the log shows 42501 (must be owner) in the rename" sh -c "grep -qx 'Database error code: 42501' '$LOG' &&
		grep -qx 'Migration name: 20250806095134_rename_alias_to_server_name_mcp_table' '$LOG'"
	ok_if "$SC: the row says applied, steps 0, logs ''" test "$(q $DB "SELECT count(*) FROM _prisma_migrations
		WHERE migration_name = '20250806095134_rename_alias_to_server_name_mcp_table' AND rolled_back_at IS NULL
		AND applied_steps_count = 0 AND logs = ''")" = 1
	ok_if "$SC: \"alias\" still holds the name, no \"server_name\"" test "$(q $DB "SELECT string_agg(column_name, ',' ORDER BY column_name)
		FROM information_schema.columns WHERE table_name = 'LiteLLM_MCPServerTable' AND column_name IN ('alias', 'server_name')")" = alias
	CODES=(MD003 MD013 20250806095134_rename_alias_to_server_name_mcp_table server_name)
	CANARY_SQL="SELECT server_id, server_name, alias IS NULL, url FROM \"LiteLLM_MCPServerTable\""
	CANARY_WANT='srv1|canary-server|t|http://mcp'
	prove
	ok_if "$SC: the fix says the migration role must own the tables (MD013)" grep -qiE 'own(s|er|ership)? (of )?the tables' "$WORK/sc/$SC/report.txt"
}

# === 3. downgrade: upgraded to NEW, rolled back to the release of OLD; its
# sanity check drops what OLD's schema.prisma lacks, but not an expression
# index; check -m OLD marks the rows whose objects are all gone rolled back
# (or deletes them) and keeps the others applied; the older version then
# deploys cleanly, and so does the re-upgrade to NEW.
#   3a. NEW 20260116142756, OLD 20260106155622: router_settings dropped
#       (20260107111013, 20260116142756), LiteLLM_UserTable_user_email_lower_idx
#       (20260108) survives
#   3b. NEW all of it, OLD 20260116142756: whole tables dropped too (the
#       policy, access group, deprecated key tables), and the indexes of
#       20260209085821
dg_post() {
	local m
	for m in "${DG_GONE[@]}"; do
		ok_if "$SC: the row of $m (its objects all gone) no longer counts as applied" \
			test "$(q $DB "SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NULL AND migration_name = '$m'")" = 0
	done
	for m in "${DG_KEPT[@]}"; do
		ok_if "$SC: the row of $m (its objects survived) stays applied" \
			test "$(q $DB "SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NULL
				AND finished_at IS NOT NULL AND migration_name = '$m'")" = 1
	done
	ok_if "$SC: the running (older) version finds nothing pending" grep -qx 'No pending migrations to apply.' "$WORK/last.out"
	schema_dump "$DB" "$WORK/sc/$SC/schema.older"
	ok_if "$SC: no DDL while the older version runs: its schema is a clean deploy of it, plus the surviving expression index" \
		stage1_schema "$(llref $DG_OLD)" "$WORK/sc/$SC/schema.older"
	run_exit 0 "$SC: the re-upgrade deploys (the newer prefix)" deploy deploy -d "$DB" -m "$(lld $DG_NEW)"
	schema_dump "$DB" "$WORK/sc/$SC/schema.reupgrade"
	golden "$SC: after the re-upgrade the schema equals a clean deploy of the newer prefix" \
		"$(llref $DG_NEW)" "$WORK/sc/$SC/schema.reupgrade"
}
# the lines where SCHEMA differs from REF are those of the expression index
stage1_schema() { # ref schema
	diff "$1" "$2" >"$WORK/stage1.diff"
	! grep '^[<>]' "$WORK/stage1.diff" | grep -v user_email_lower_idx | grep -vE '^[<>] *(--)?$'
}
downgrade() {
	DIR=$(lld $DG_OLD) NOM=ll POST=dg_post
	db_new $DB "$(llt $DG_NEW)" >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_TeamTable\" (team_id, team_alias, router_settings) VALUES ('team1', 'canary-team', '{\"x\": 1}');
		INSERT INTO \"LiteLLM_VerificationToken\" (token, key_alias) VALUES ('canary-key', 'canary');
		INSERT INTO \"LiteLLM_UserTable\" (user_id, user_email) VALUES ('u1', 'Canary@Example.com')" >/dev/null
	LOG=$WORK/log-$SC.log
	LITELLM_SANITY_FROM=$(llt $DG_OLD) litellm_start $DB "$DIR" "$LOG" 1.80.0
	ok_if "$SC: the older LiteLLM starts (deploy: nothing to apply)" test $? = 0
	ok_if "$SC: its sanity check dropped what the older schema lacks" test -s "$WORK/.sanity.sql"
	ok_if "$SC: the expression index survived" test "$(q $DB "SELECT to_regclass('\"LiteLLM_UserTable_user_email_lower_idx\"') IS NOT NULL")" = t
	ok_if "$SC: the re-upgrade would skip the dropped objects (deploy of the newer prefix: nothing pending)" \
		silent_broken $DB "$(lld $DG_NEW)" "$(llref $DG_NEW)"
	CODES=(MD003 "${DG_GONE[@]}")
	# the new columns come back with their defaults on the re-upgrade; the
	# value router_settings had is lost with the sanity check's drop
	CANARY_SQL="SELECT team_id || '|' || team_alias FROM \"LiteLLM_TeamTable\" UNION ALL
		SELECT token || '|' || key_alias FROM \"LiteLLM_VerificationToken\"
		UNION ALL SELECT user_id || '|' || user_email FROM \"LiteLLM_UserTable\" ORDER BY 1"
	CANARY_WANT=$'canary-key|canary\nteam1|canary-team\nu1|Canary@Example.com'
	prove
	ok_if "$SC: the report says no DDL for the newer version while the older one runs" \
		grep -qF 'No DDL now' "$WORK/sc/$SC/report.txt"
	ok_if "$SC: the rows without a folder are verified with the built-in facts of LiteLLM's migrations" \
		grep -qF "known from LiteLLM's migrations" "$WORK/sc/$SC/report.txt"
}
sc_downgrade() {
	reset_sc; SC=ll-downgrade-sanity-check DB=d_down
	DG_OLD=20260106155622_add_endpoint_to_daily_activity_tables
	DG_NEW=20260116142756_update_deleted_keys_teams_table_routing_settings
	DG_GONE=(20260107111013_add_router_settings_to_keys_teams "$DG_NEW")
	DG_KEPT=(20260108_add_user_email_lower_idx)
	downgrade
}
sc_downgrade_tables() {
	reset_sc; SC=ll-downgrade-tables-dropped DB=d_down2
	DG_OLD=20260116142756_update_deleted_keys_teams_table_routing_settings
	DG_NEW=zzzz
	DG_GONE=(20260123131407_add_policy_tables_and_policies_field 20260203120000_add_deprecated_verification_token_table
		20260209085821_add_verificationtoken_indexes 20260212143306_add_access_group_table)
	DG_KEPT=()
	downgrade
}

# === 5. db push-made schema (every migration.sql run by hand, no
# _prisma_migrations): P3005; the repair is a baseline
sc_p3005() {
	reset_sc; SC=ll-db-push-p3005 DB=b_push DIR=$(lld zzzz) REF=$(llref zzzz) NOM=ll
	db_new $DB >/dev/null
	ok_if "$SC: every migration.sql run with psql, in order" break_unbaselined $DB "$DIR"
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_VerificationToken\" (token, key_alias) VALUES ('canary-key', 'canary')" >/dev/null
	LOG=$WORK/log-$SC.log
	litellm_start $DB "$DIR" "$LOG" 1.65.1
	ok_if "$SC: deploy fails with P3005 (LiteLLM 1.65.1 only logs it)" grep -q 'P3005' "$LOG"
	CODES=(MD005 20250326162113_baseline)
	CANARY_SQL="SELECT token, key_alias FROM \"LiteLLM_VerificationToken\""
	CANARY_WANT='canary-key|canary'
	prove
	ok_if "$SC: every folder recorded as applied" test "$(q $DB "SELECT count(DISTINCT migration_name) FROM _prisma_migrations
		WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL")" = "$(find "$DIR" -mindepth 1 -maxdepth 1 -type d | wc -l)"
}

# === 6. WASM/7.x engine: 20260106155622 run statement by statement; a
# hot-fixed "endpoint" column on LiteLLM_DailyTagSpend stops it half-way:
# the six unique indexes are dropped, three tables have their column, the
# rest is missing
sc_wasm() {
	reset_sc; SC=ll-wasm-partial DB=w_part DIR=$(lld 20260106155622) REF=$(llref 20260106155622) NOM=ll
	db_new $DB "$(llt 20260105151539)" >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_DailyTagSpend\" (id, tag, date, api_key, model, updated_at, spend) VALUES ('dg1', 'canary', '2026-01-05', 'k1', 'gpt-4', now(), 7);
		INSERT INTO \"LiteLLM_DailyUserSpend\" (id, user_id, date, api_key, model, updated_at, spend) VALUES ('du1', 'u1', '2026-01-05', 'k1', 'gpt-4', now(), 3)" >/dev/null
	break_manual $DB 'ALTER TABLE "LiteLLM_DailyTagSpend" ADD COLUMN "endpoint" TEXT'
	deploy deploy -d $DB -m "$DIR" --engine wasm >/dev/null 2>"$WORK/wasm.err"
	ok_if "$SC: wasm deploy fails (external connector error, column exists)" sh -c "grep -qx 'Error: external connector error' '$WORK/wasm.err' &&
		grep -q 'already exists' '$WORK/wasm.err'"
	ok_if "$SC: statements before the error committed (unique indexes dropped, 3 endpoint columns)" \
		test "$(q $DB "SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'LiteLLM_Daily%\\_key') || ',' ||
			(SELECT count(*) FROM information_schema.columns WHERE column_name = 'endpoint')")" = "0,4"
	CODES=(MD001 20260106155622_add_endpoint_to_daily_activity_tables)
	CANARY_SQL="SELECT id || '|' || spend FROM \"LiteLLM_DailyTagSpend\" UNION ALL SELECT id || '|' || spend FROM \"LiteLLM_DailyUserSpend\" ORDER BY 1"
	CANARY_WANT=$'dg1|7\ndu1|3'
	prove
}

# === 7. column types and defaults.  The fixtures' "types" folders: Team
# gains a text "tier" with DEFAULT 'free' (20240901), which becomes the enum
# "Tier" as SpendLog.spend becomes DECIMAL(12,4), Team.router_settings gets a
# new default and User.spend loses its own (20240902); then Prisma's enum
# swap adds 'enterprise' (20240903: "Tier_new" renamed "Tier").
FX4=$WORK/dirs/v4; mig_prefix "$FX4" "$V2" 99999999999999 "$FIXTURES/scenarios/newer" "$FIXTURES/scenarios/types"
FX4A=$WORK/dirs/v4a; mig_prefix "$FX4A" "$FX4" 20240901000000_team_tier
FX4B=$WORK/dirs/v4b; mig_prefix "$FX4B" "$FX4" 20240902000000_types_and_defaults
fx_tpl fx_v4a "$FX4A" && fx_tpl fx_v4b "$FX4B" && fx_tpl fx_v4 "$FX4"
ok_if "fixtures deploy with the type and default changes (three prefixes)" test $? = 0
schema_dump fx_v4 "$WORK/ref_fx_v4.sql"
schema_dump fx_v4b "$WORK/ref_fx_v4b.sql"

# spend_decided SC REF: the repair left "SpendLog".spend double precision
# (numeric(12,4) would round its values: a person must decide); the person
# decides for the migration's type, and the schema is then a clean deploy's
spend_decided() {
	local out=$WORK/sc/$1
	ok_if "$1: the repair leaves spend double precision (numeric(12,4) could round it)" \
		test "$(q $DB "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
			WHERE attrelid = '\"SpendLog\"'::regclass AND attname = 'spend'")" = "double precision"
	ok_if "$1: the report and psql say a person must decide" sh -c "
		grep -q 'column \"SpendLog\".\"spend\" is left as double precision' '$out/report.txt' &&
		grep -q 'NOTICE:  migdoctor: column \"SpendLog\".\"spend\" is left' '$out/apply.err'"
	pg_psql -d $DB -c 'ALTER TABLE "SpendLog" ALTER COLUMN "spend" TYPE numeric(12,4)'
	schema_dump $DB "$out/schema.final"
	golden "$1: once decided, the schema equals a clean deploy of the same directory" "$2" "$out/schema.final"
}

# 7a. "Team" and "SpendLog" restored from a backup before 20240902: tier is
# text again, spend double precision, router_settings has its old default
sc_fx_restore_types() {
	reset_sc; SC=fx-restore-types-defaults DB=t_restore DIR=$FX4 REF="" NOM=fx
	POST="spend_decided $SC $WORK/ref_fx_v4.sql"
	ok_if "$SC: a backup before the type changes, with canary rows" fx_backup fx_v4a "$WORK/old-fx4.dump" \
		"INSERT INTO \"Team\" (id, name, tier) VALUES ('t1', 'canary-team', 'pro');
		 INSERT INTO \"SpendLog\" (request_id, spend, \"startTime\") VALUES ('r1', 0.125, '2024-07-01')"
	db_new $DB fx_v4 >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t Team -t SpendLog" \
		break_restore_old $DB "$WORK/old-fx4.dump" Team SpendLog
	ok_if "$SC: the restored tier is text, spend double precision" test "$(q $DB "SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attname)
		FROM pg_attribute WHERE attrelid IN ('\"Team\"'::regclass, '\"SpendLog\"'::regclass) AND attname IN ('tier', 'spend')")" = "double precision,text"
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 20240902000000_types_and_defaults 20240903000000_tier_enterprise
		'column "Team"."tier" has type text, migration 20240903000000_tier_enterprise makes it "Tier"'
		'column "SpendLog"."spend" has type double precision, migration 20240902000000_types_and_defaults makes it numeric(12,4)'
		"column \"Team\".\"router_settings\" has DEFAULT '{}'::jsonb, migration 20240902000000_types_and_defaults makes it DEFAULT '{\"retries\": 3}'")
	CANARY_SQL="SELECT id || '|' || name || '|' || tier FROM \"Team\" UNION ALL SELECT request_id || '|' || spend FROM \"SpendLog\" ORDER BY 1"
	CANARY_WANT=$'r1|0.1250\nt1|canary-team|pro'
	prove
	ok_if "$SC: the repair changes the type with the migration's USING, renamed to the final enum" \
		grep -qF 'ALTER TABLE "Team" ALTER COLUMN tier TYPE "Tier" USING tier::text::"Tier"' "$WORK/sc/$SC/repair.sql"
	ok_if "$SC: the guard checks the type the dump shows on the live catalog (format_type)" \
		grep -qF "AND pg_catalog.format_type(a.atttypid, a.atttypmod) = 'double precision'" "$WORK/sc/$SC/repair.sql"
	# lit() writes '{}'::jsonb hex-encoded (277b...): a brace is not in its plain alphabet
	ok_if "$SC: the guard checks the default the dump shows on the live catalog (pg_get_expr)" \
		grep -qF "a.attrelid) = convert_from(decode('277b7d273a3a6a736f6e62', 'hex'), 'UTF8')" "$WORK/sc/$SC/repair.sql"
}

# 7b. the type and default changes marked applied without running (steps 0,
# logs ''): made from the migration's statements, its row kept
sc_fx_types_resolved() {
	reset_sc; SC=fx-types-resolved-without-running DB=t_resolved DIR=$FX4B REF="" NOM=fx
	POST="spend_decided $SC $WORK/ref_fx_v4b.sql"
	db_new $DB fx_v4a >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"Team\" (id, name, tier) VALUES ('t1', 'canary-team', 'pro');
		INSERT INTO \"User\" (id, email) VALUES ('u1', 'canary@example.com')" >/dev/null
	ok_if "$SC: resolve --applied without running 20240902" \
		break_resolved_without_running $DB "$DIR" 20240902000000_types_and_defaults
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 20240902000000_types_and_defaults 'type "Tier"'
		"column \"User\".\"spend\" has DEFAULT 0.0, migration 20240902000000_types_and_defaults drops it")
	CANARY_SQL="SELECT id || '|' || name || '|' || tier FROM \"Team\" UNION ALL SELECT id || '|' || spend FROM \"User\" ORDER BY 1"
	CANARY_WANT=$'t1|canary-team|pro\nu1|0'
	prove
}

# 7c. Prisma's enum swap marked applied without running: the column keeps
# the old "Tier", which lacks 'enterprise'
sc_fx_enum_swap_resolved() {
	reset_sc; SC=fx-enum-swap-resolved-without-running DB=t_swap DIR=$FX4 REF=$WORK/ref_fx_v4.sql NOM=fx
	db_new $DB fx_v4b >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"Team\" (id, name, tier) VALUES ('t1', 'canary-team', 'pro')" >/dev/null
	ok_if "$SC: resolve --applied without running 20240903" \
		break_resolved_without_running $DB "$DIR" 20240903000000_tier_enterprise
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 20240903000000_tier_enterprise "enum value 'enterprise'")
	CANARY_SQL="SELECT id || '|' || tier || '|' || 'enterprise'::\"Tier\" FROM \"Team\""
	CANARY_WANT='t1|pro|enterprise'
	prove
	ok_if "$SC: no type change for the column, whose type has the final name already" \
		sh -c "! grep -q 'ALTER COLUMN tier TYPE' '$WORK/sc/$SC/repair.sql'"
}

# 7d. healthy databases: check on the exports of a clean deploy finds
# nothing and writes no script; pg_dump's forms of types and defaults are
# those the migrations wrote
healthy_types() { # name db dir
	local out=$WORK/sc/healthy-$1 rc
	mkdir -p "$out"
	export_all "$2" "$out" >/dev/null 2>&1 || { tap_not_ok "healthy $1: exports"; return; }
	"$MIGDOCTOR" check -m "$3" -H "$out/full.dump" -o "$out/repair.sql" >"$out/report.txt" 2>&1; rc=$?
	ok_if "healthy $1: check -H full.dump exits 0, no repair script (exit $rc)" \
		sh -c "[ $rc = 0 ] && [ ! -e '$out/repair.sql' ]"
	"$MIGDOCTOR" check -m "$3" -H "$out/history.csv" -s "$out/schema.sql" --format json >"$out/s.json" 2>/dev/null; rc=$?
	ok_if "healthy $1: check -H history.csv -s schema.sql finds nothing (exit $rc)" sh -c "[ $rc = 0 ] &&
		python3 -c 'import json,sys; sys.exit(1 if json.load(open(sys.argv[1]))[\"findings\"] else 0)' '$out/s.json'"
	ok_if "healthy $1: no column type or default is reported" \
		sh -c "! grep -qE 'has type|has DEFAULT|has no default|of column' '$out/report.txt' '$out/s.json'"
}

# 7e. LiteLLM: the daily team spend table restored from a backup before the
# BIGINT change (20250509141545): its token counts come back as integer
sc_ll_restore_bigint() {
	reset_sc; SC=ll-restore-daily-team-bigint DB=r_bigint DIR=$(lld zzzz) REF=$(llref zzzz) NOM=ll
	ok_if "$SC: a backup before BIGINT with a canary row" old_backup 20250507184818 "$WORK/old-bigint.dump" \
		"INSERT INTO \"LiteLLM_DailyTeamSpend\" (id, team_id, date, api_key, model, updated_at, spend, prompt_tokens)
			VALUES ('dt1', 't1', '2025-05-01', 'k1', 'gpt-4', now(), 2.5, 2000000000)"
	db_new $DB "$(llt zzzz)" >/dev/null
	ok_if "$SC: pg_restore --clean --if-exists -t LiteLLM_DailyTeamSpend" \
		break_restore_old $DB "$WORK/old-bigint.dump" LiteLLM_DailyTeamSpend
	ok_if "$SC: deploy finds nothing to do, yet the schema differs" silent_broken $DB "$DIR" "$REF"
	CODES=(MD003 20250509141545_use_big_int_for_daily_spend_tables
		'column "LiteLLM_DailyTeamSpend"."prompt_tokens" has type integer, migration 20250509141545_use_big_int_for_daily_spend_tables makes it bigint')
	CANARY_SQL="SELECT id, spend, prompt_tokens + 2000000000 FROM \"LiteLLM_DailyTeamSpend\""
	CANARY_WANT='dt1|2.5|4000000000'
	prove
}

# 7f. LiteLLM 1.70.0: the BIGINT change fails 42501 (the role owns nothing)
# and is marked applied; the columns stay integer
sc_ll_42501_bigint() {
	reset_sc; SC=ll-42501-bigint-resolved DB=p_bigint DIR=$(lld 20250509141545) REF=$(llref 20250509141545) NOM=ll
	db_new $DB "$(llt 20250507184818)" >/dev/null
	pg_psql -d $DB -c "INSERT INTO \"LiteLLM_DailyUserSpend\" (id, user_id, date, api_key, model, updated_at, spend, prompt_tokens)
		VALUES ('du1', 'u1', '2025-05-01', 'k1', 'gpt-4', now(), 1.5, 7)" >/dev/null
	break_no_create_role $DB migrator
	LOG=$WORK/log-$SC.log
	PGUSER=migrator litellm_start $DB "$DIR" "$LOG" 1.70.0
	ok_if "$SC: LiteLLM 1.70.0 start-up 'succeeds'" test $? = 0
	ok_if "$SC: the row says applied, steps 0, logs ''" test "$(q $DB "SELECT count(*) FROM _prisma_migrations
		WHERE migration_name = '20250509141545_use_big_int_for_daily_spend_tables' AND rolled_back_at IS NULL
		AND finished_at IS NOT NULL AND applied_steps_count = 0 AND logs = ''")" = 1
	ok_if "$SC: the token counts are still integer" test "$(q $DB "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = '\"LiteLLM_DailyUserSpend\"'::regclass AND attname = 'prompt_tokens'")" = integer
	CODES=(MD003 20250509141545_use_big_int_for_daily_spend_tables 'type bigint of column')
	CANARY_SQL="SELECT id, spend, prompt_tokens FROM \"LiteLLM_DailyUserSpend\""
	CANARY_WANT='du1|1.5|7'
	prove
}

# --- run (about 90 s for all; MD_HEAVY=1 adds the second downgrade)
sc_fx_restore_v2
sc_fx_restore_init
sc_fx_restore_types
sc_fx_types_resolved
sc_fx_enum_swap_resolved
healthy_types fixtures-v4 fx_v4 "$FX4"
if [ $have_ll = 1 ]; then
	healthy_types litellm "$(llt zzzz)" "$(lld zzzz)"
	sc_ll_restore_bigint
	sc_ll_42501_bigint
	sc_restore_key
	sc_restore_daily
	sc_restore_mcp_team
	sc_42501_alter
	sc_42501_rename
	sc_downgrade
	sc_p3005
	sc_wasm
	if heavy; then sc_downgrade_tables
	else tap_skip "ll-downgrade-tables-dropped" "MD_HEAVY=1 runs it"; fi
else
	ll_skip "healthy litellm, ll-restore-daily-team-bigint, ll-42501-bigint-resolved, ll-restore-key, ll-restore-daily-spend, ll-restore-mcp-team, ll-42501-alter-resolved, ll-42501-do-rename-resolved, ll-downgrade-sanity-check, ll-db-push-p3005, ll-wasm-partial, ll-downgrade-tables-dropped"
fi

echo "# $tap_n checks in ${SECONDS}s"
[ -n "${KEEP_WORK:-}" ] && cp -r "$WORK/sc" "$KEEP_WORK/"
tap_done
