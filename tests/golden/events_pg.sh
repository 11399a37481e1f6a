#!/bin/bash
# events_pg.sh - the Postgres messages inside P3018 come from a real
# PostgreSQL (started here), not from memory: each failing statement's
# real SQLSTATE and message are wrapped the way Prisma's native engine
# prints them (prisma.md §3.6) and 'migdoctor events' must name the same
# relation and column.
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"
pg_start >"$WORK/pg.log" 2>&1 || skip_all "cannot start PostgreSQL: $(tail -n 1 "$WORK/pg.log")"

pg_psql >"$WORK/setup.out" 2>&1 <<'SQL' || { cat "$WORK/setup.out"; skip_all "setup SQL failed"; }
CREATE TABLE "LiteLLM_SpendLogs"(id int, "organization_id" text);
CREATE INDEX "LiteLLM_SpendLogs_idx" ON "LiteLLM_SpendLogs"(id);
ALTER TABLE "LiteLLM_SpendLogs" ADD CONSTRAINT "spend_chk" CHECK (id > 0);
CREATE TYPE "JobStatus" AS ENUM ('ACTIVE');
CREATE TABLE "dups"(a int);
INSERT INTO "dups" VALUES (1), (1);
CREATE ROLE litellm_app LOGIN;
GRANT SELECT ON "LiteLLM_SpendLogs" TO litellm_app;
SQL

# name | SQL that fails | expected fields in the events line
cases=(
"1_dup_table|CREATE TABLE \"LiteLLM_SpendLogs\"(id int)|sqlstate=42P07 relation=LiteLLM_SpendLogs"
"2_dup_column|ALTER TABLE \"LiteLLM_SpendLogs\" ADD COLUMN \"organization_id\" TEXT|sqlstate=42701 relation=LiteLLM_SpendLogs column=organization_id"
"3_no_table|ALTER TABLE \"LiteLLM_DeletedTeamTable\" ADD COLUMN \"x\" int|sqlstate=42P01 relation=LiteLLM_DeletedTeamTable"
"4_drop_no_column|ALTER TABLE \"LiteLLM_SpendLogs\" DROP COLUMN \"gone\"|sqlstate=42703 relation=LiteLLM_SpendLogs column=gone"
"5_dup_index|CREATE INDEX \"LiteLLM_SpendLogs_idx\" ON \"LiteLLM_SpendLogs\"(id)|sqlstate=42P07 relation=LiteLLM_SpendLogs_idx"
"6_no_index|DROP INDEX \"LiteLLM_missing_idx\"|sqlstate=42704 relation=LiteLLM_missing_idx"
"7_dup_constraint|ALTER TABLE \"LiteLLM_SpendLogs\" ADD CONSTRAINT \"spend_chk\" CHECK (id > 0)|sqlstate=42710 relation=LiteLLM_SpendLogs"
"8_dup_type|CREATE TYPE \"JobStatus\" AS ENUM ('ACTIVE')|sqlstate=42710"
"9_select_no_column|SELECT \"router_settings\" FROM \"LiteLLM_SpendLogs\"|sqlstate=42703 column=router_settings"
"10_unique_dups|CREATE UNIQUE INDEX \"dups_a_key\" ON \"dups\"(a)|sqlstate=23505 relation=dups_a_key"
"11_permission|SET ROLE litellm_app; CREATE TABLE \"LiteLLM_New\"(id int)|sqlstate=42501"
)

for c in "${cases[@]}"; do
	IFS='|' read -r name sql want <<<"$c"
	# the real error: "ERROR:  42P07: relation ... already exists" (VERBOSITY verbose)
	err=$(psql -X -q -v VERBOSITY=verbose -c "$sql" 2>&1 >/dev/null | sed -n 's/^ERROR:  //p' | head -n 1)
	code=${err%%: *}
	msg=${err#*: }
	if [ -z "$err" ] || [ "$code" = "$err" ]; then
		tap_not_ok "events_pg $name: PostgreSQL gave no error for: $sql"
		continue
	fi
	printf 'Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: %s\n\nDatabase error code: %s\n\nDatabase error:\nERROR: %s\n\n' \
		"20260101000000_$name" "$code" "$msg" >"$WORK/$name.log"
	"$MIGDOCTOR" events --no-summary "$WORK/$name.log" >"$WORK/$name.out" 2>&1
	line=$(grep ': failed ' "$WORK/$name.out")
	ok=1
	for w in $want; do
		case " $line " in *" $w "*) ;; *) ok=0 ;; esac
	done
	# the message is the real one, quotes escaped as in the text output
	esc=${msg//\\/\\\\}
	esc=${esc//\"/\\\"}
	case "$line" in *"message=\"$esc\""*) ;; *) ok=0 ;; esac
	# fields the case does not expect must be absent (no relation invented)
	case "$want" in *relation=*) ;; *) case "$line" in *" relation="*) ok=0 ;; esac ;; esac
	case "$want" in *column=*) ;; *) case "$line" in *" column="*) ok=0 ;; esac ;; esac
	if [ $ok = 1 ]; then tap_ok "events_pg $name: $code $msg"
	else tap_not_ok "events_pg $name: want '$want'"; echo "# real: $code: $msg"; tap_diag <"$WORK/$name.out"; fi
done
tap_done
