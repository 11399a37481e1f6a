#!/bin/bash
# repair_ddl.sh - the DDL a repair script writes never makes a database
# worse (the safety review's F1, F5, S1, S2), proven on PostgreSQL.
#
#   T. column types (F1, S2).  An applied migration's column has another
#      type on the live database.  The repair changes it back only where
#      no value can change: the live type is a narrower integer, a numeric
#      with fewer digits, a shorter varchar, text for varchar, a timestamp
#      with fewer fractional digits.  Otherwise (an operator widened the
#      column: numeric(30,8), bigint, timestamp(6), varchar(500), text,
#      double precision) the column and its rows stay exactly as they are,
#      the script says so (NOTICE) and the report says a person must
#      decide.  Each family with a full dump (the export shows the type)
#      and with a partial one (the table is not in it: the DO block decides
#      on the live catalog).
#   R. a migration whose only object is a column type: its row is marked
#      rolled back (deploy re-runs it) only where the live type is a
#      lossless source; where an operator widened the column, no
#      automatic fix, since deploy would round it.
#   V. views and functions (F5).  A later migration redefined them (CREATE
#      OR REPLACE); a partial dump does not show them: the repair leaves
#      the live definitions alone, and makes them only where absent.
#   L. Prisma's advisory lock (S1).  While another session holds it (a
#      migrate deploy running), the repair stops with nothing changed;
#      once it is free, the same script repairs.
#   D. a default the live column has and the migrations never set (P1):
#      kept, also around a type change; inserts that leave the column out
#      still work.
#   C. a column with a collation of its own (N6): a lossless type change
#      would reset it (ALTER TYPE has no COLLATE): left, with a NOTICE.
#   E. an enum label removed by renaming the old type first (N5, N5b):
#      never recorded applied while the label is there (MD001, an MD005
#      baseline); repaired where it is gone.
#   H. healthy databases, full and partial dumps: nothing to repair, or a
#      script that changes nothing.
source "$(dirname "$0")/lib/common.sh"
it_start
"$MIGDOCTOR" check --help >/dev/null 2>&1 || skip_all "migdoctor check not built"

# snap DB OUT: schema (without migdoctor's backups) and history rows
snap() { schema_dump "$1" "$2.schema"; rows_dump "$1" "$2.rows"; }
same_snap() { # a b: identical schema and rows (diff on stdout when not)
	diff -u "$1.schema" "$2.schema" | head -n 20 && diff -u "$1.rows" "$2.rows" | head -n 20 &&
		cmp -s "$1.schema" "$2.schema" && cmp -s "$1.rows" "$2.rows"
}
# col_type DB TABLE COLUMN: format_type() of the live column
col_type() {
	q "$1" "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
		WHERE attrelid = '\"$2\"'::regclass AND attname = '$3'"
}
# apply DB SCRIPT: psql as an operator runs it; APPLY_RC, $WORK/apply.out/.err
apply() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$2" >"$WORK/apply.out" 2>"$WORK/apply.err"; APPLY_RC=$?
}
nothing_pending() { # db dir
	deploy deploy -d "$1" -m "$2" >"$WORK/np.out" 2>&1 || { cat "$WORK/np.out"; return 1; }
	grep -qx 'No pending migrations to apply.' "$WORK/np.out" || { cat "$WORK/np.out"; return 1; }
}
mig() { # dir name sql
	mkdir -p "$1/$2"; printf '%s\n' "$3" >"$1/$2/migration.sql"
	printf 'provider = "postgresql"\n' >"$1/migration_lock.toml"
}

# === the migrations of T: init makes "Spend" and "Other"; the second
# changes five types of "Spend" (each a lossless widening), makes "tier"
# an enum (each value a label, or the change fails whole) and indexes
# "Other" (the object a partial dump shows missing, so that the migration
# gets a repair and the Spend columns are "unknown")
TDIR=$WORK/types
mig "$TDIR" 20240101000000_init 'CREATE TABLE "Spend" (
    "id" TEXT NOT NULL,
    "amount" INTEGER NOT NULL DEFAULT 0,
    "tokens" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "note" VARCHAR(50),
    "code" VARCHAR(30),
    "hits" INTEGER NOT NULL DEFAULT 0,
    "seen_at" TIMESTAMP(3),
    "label" VARCHAR(40),
    "tier" TEXT,
    CONSTRAINT "Spend_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "Other" (
    "id" TEXT NOT NULL,
    "x" INTEGER,
    CONSTRAINT "Other_pkey" PRIMARY KEY ("id")
);'
mig "$TDIR" 20240102000000_widen "$(cat <<'SQL'
ALTER TABLE "Spend" ALTER COLUMN "amount" SET DATA TYPE DECIMAL(20,4),
ALTER COLUMN "tokens" SET DATA TYPE BIGINT,
ALTER COLUMN "created_at" SET DATA TYPE TIMESTAMP(6),
ALTER COLUMN "note" SET DATA TYPE VARCHAR(200),
ALTER COLUMN "code" SET DATA TYPE TEXT;

CREATE TYPE "Tier" AS ENUM ('free', 'pro');
ALTER TABLE "Spend" ALTER COLUMN "tier" SET DATA TYPE "Tier" USING ("tier"::text::"Tier");

CREATE INDEX "Other_x_idx" ON "Other"("x");
SQL
)"

db_new t_clean >/dev/null && deploy deploy -d t_clean -m "$TDIR" >"$WORK/t.log" 2>&1
ok_if "T: the migrations deploy on a clean database" test $? = 0
schema_dump t_clean "$WORK/t_ref.sql"

# the values as numbers and text: 12 and 12.0000 are one value (a wider
# scale shows more zeros), 12.12345678 and 12.1235 are not
CANARY="SELECT id, trim_scale(amount::numeric), tokens, created_at, note, code, hits, seen_at, label, tier
	FROM \"Spend\" ORDER BY id"
TYPES="SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
	FROM pg_attribute WHERE attrelid = '\"Spend\"'::regclass AND attnum > 0 AND NOT attisdropped"

# t_case NAME DUMP WANT: DUMP is full or partial (-t Other -t _prisma_migrations);
# WANT is "repaired" (the types become the migrations', schema = clean deploy)
# or "left" (no type changes; the NOTICE and the report say so).  The
# database t_NAME is built by the caller; its rows are kept in any case.
t_case() {
	local name=$1 kind=$2 want=$3 db=t_$1 out=$WORK/t/$1 rc
	mkdir -p "$out"
	q "$db" "$CANARY" >"$out/canary.before"
	q "$db" "$TYPES" >"$out/types.before"
	if [ "$kind" = full ]; then pg_dump -d "$db" -f "$out/dump.sql"
	else pg_dump -d "$db" -t '"Other"' -t _prisma_migrations -f "$out/dump.sql"; fi
	"$MIGDOCTOR" check -m "$TDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1; rc=$?
	if [ "$want" = untouched ]; then
		# every difference is a type the export shows wider: no automatic fix at all
		ok_if "T $name ($kind dump): check finds MD003, no script (exit $rc)" \
			sh -c "[ $rc = 1 ] && grep -q MD003 '$out/report.txt' && ! test -e '$out/repair.sql'"
		ok_if "T $name: the report says a person must decide, and why" \
			sh -c "grep -q 'No automatic fix: the type is left as it is; a person must decide' \
				'$out/report.txt' && grep -q 'could round, cut or refuse' '$out/report.txt'"
		ok_if "T $name: the report does not offer to re-run the migration" \
			sh -c "! grep -qF 're-runs it' '$out/report.txt' &&
				! grep -qF 'rolled back so' '$out/report.txt'"
		q "$db" "$TYPES" >"$out/types.after"
		golden "T $name: no column type changed" "$out/types.before" "$out/types.after"
		q "$db" "$CANARY" >"$out/canary.after"
		golden "T $name: every row and value is as before" "$out/canary.before" "$out/canary.after"
		ok_if "T $name: deploy finds nothing to apply" nothing_pending "$db" "$TDIR"
		return
	fi
	ok_if "T $name ($kind dump): check finds MD003 and writes a repair (exit $rc)" \
		sh -c "[ $rc = 1 ] && grep -q MD003 '$out/report.txt' && test -s '$out/repair.sql'"
	snap "$db" "$out/before"
	apply "$db" "$out/repair.sql"
	ok_if "T $name: the repair applies with psql ON_ERROR_STOP (exit $APPLY_RC)" \
		sh -c "[ $APPLY_RC = 0 ] || { cat '$WORK/apply.err'; exit 1; }"
	q "$db" "$CANARY" >"$out/canary.after"
	golden "T $name: every row and value is as before" "$out/canary.before" "$out/canary.after"
	ok_if "T $name: deploy then finds nothing to apply" nothing_pending "$db" "$TDIR"
	case $want in
	repaired)
		schema_dump "$db" "$out/schema.after"
		golden "T $name: the schema equals a clean deploy (every type widened back)" \
			"$WORK/t_ref.sql" "$out/schema.after"
		ok_if "T $name: no column was left" sh -c "! grep -q 'is left' '$WORK/apply.err' '$out/report.txt'" ;;
	left)
		q "$db" "$TYPES" >"$out/types.after"
		golden "T $name: no column type changed" "$out/types.before" "$out/types.after"
		ok_if "T $name: psql shows a NOTICE for each column left" \
			sh -c "[ \$(grep -c 'NOTICE:  migdoctor: column .* is left' '$WORK/apply.err') = $4 ]"
		ok_if "T $name: the script has no ALTER COLUMN TYPE that can run on these types" \
			sh -c "! grep -q 'TYPE' '$out/repair.sql' || [ '$kind' = partial ]"
		[ "$kind" = full ] && ok_if "T $name: the report says a person must decide" \
			grep -q 'a person must decide' "$out/report.txt" ;;
	esac
}

# T1. full dump, widened by an operator after the deploy: every difference
# could lose data.  numeric(30,8) -> numeric(20,4) rounds, bigint ->
# integer brings back the overflow, timestamp(6) -> timestamp(3) drops
# microseconds, varchar(500) -> varchar(200) and text -> varchar(40) cut
db_new t_wide t_clean >/dev/null
pg_psql -d t_wide -c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE numeric(30,8),
	ALTER COLUMN "hits" TYPE bigint, ALTER COLUMN "seen_at" TYPE timestamp(6),
	ALTER COLUMN "note" TYPE varchar(500), ALTER COLUMN "label" TYPE text' \
	-c "INSERT INTO \"Spend\" (id, amount, tokens, hits, seen_at, note, label)
		VALUES ('a', 12.12345678, 5, 3000, '2024-01-01 10:00:00.123456', repeat('n', 300), repeat('l', 60))"
t_case wide full untouched

# T2. full dump, a restore brought the init types back: every change is a
# lossless widening (integer -> numeric(20,4), integer -> bigint,
# timestamp(3) -> timestamp(6), varchar(50) -> varchar(200), varchar -> text),
# and text whose values are labels becomes the enum again
db_new t_narrow t_clean >/dev/null
pg_psql -d t_narrow -c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE integer,
	ALTER COLUMN "tokens" TYPE integer, ALTER COLUMN "created_at" TYPE timestamp(3),
	ALTER COLUMN "note" TYPE varchar(50), ALTER COLUMN "code" TYPE varchar(30),
	ALTER COLUMN "tier" TYPE text' \
	-c "INSERT INTO \"Spend\" (id, amount, tokens, created_at, note, code, tier)
		VALUES ('a', 12, 2000000000, '2024-01-01 10:00:00.123', repeat('n', 50), repeat('c', 30), 'pro')"
t_case narrow full repaired
ok_if "T narrow: the script changes the types only where the live type is a lossless source" \
	grep -qF "a.atttypid = 'pg_catalog.int4'::pg_catalog.regtype" "$WORK/t/narrow/repair.sql"

# T3. partial dump (S2): "Spend" is not in it, "Other_x_idx" was dropped.
# The live types are wider than the migration's, or not numbers at all:
# the DO blocks must see it on the live catalog and leave them
db_new t_pwide t_clean >/dev/null
pg_psql -d t_pwide -c 'DROP INDEX "Other_x_idx"' \
	-c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE double precision,
	ALTER COLUMN "tokens" TYPE numeric(25,0), ALTER COLUMN "note" TYPE varchar(500)' \
	-c "INSERT INTO \"Spend\" (id, amount, tokens, note) VALUES ('a', 0.1, 12345678901234567890123, repeat('n', 300))"
t_case pwide partial left 3
ok_if "T pwide: the index is made" test "$(q t_pwide "SELECT to_regclass('\"Other_x_idx\"') IS NOT NULL")" = t

# T4. partial dump, the init types back (a restore of "Spend" alone; tier
# as varchar): the DO blocks widen them on the live catalog
db_new t_pnarrow t_clean >/dev/null
pg_psql -d t_pnarrow -c 'DROP INDEX "Other_x_idx"' \
	-c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE integer,
	ALTER COLUMN "tokens" TYPE integer, ALTER COLUMN "created_at" TYPE timestamp(3),
	ALTER COLUMN "note" TYPE varchar(50), ALTER COLUMN "code" TYPE varchar(30),
	ALTER COLUMN "tier" TYPE varchar(10)' \
	-c "INSERT INTO \"Spend\" (id, amount, tokens, note, code, tier) VALUES ('a', 12, 7, 'n', 'c', 'free')"
t_case pnarrow partial repaired

# T5. the export is stale: it showed integer (a lossless source), but the
# column became numeric(30,8) since.  The guard stops, nothing changes.
db_new t_stale t_clean >/dev/null
pg_psql -d t_stale -c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE integer'
pg_dump -d t_stale -f "$WORK/t_stale.sql"
pg_psql -d t_stale -c 'ALTER TABLE "Spend" ALTER COLUMN "amount" TYPE numeric(30,8)' \
	-c "INSERT INTO \"Spend\" (id, amount) VALUES ('a', 1.23456789)"
"$MIGDOCTOR" check -m "$TDIR" -H "$WORK/t_stale.sql" -o "$WORK/t_stale.repair.sql" >/dev/null 2>&1
snap t_stale "$WORK/t_stale.before"
apply t_stale "$WORK/t_stale.repair.sql"
snap t_stale "$WORK/t_stale.after"
ok_if "T stale: the script stops at its guard (psql exit $APPLY_RC)" \
	sh -c "[ $APPLY_RC = 3 ] && grep -q 'migdoctor: the database is not as the export showed' '$WORK/apply.err'"
ok_if "T stale: schema and rows unchanged" same_snap "$WORK/t_stale.before" "$WORK/t_stale.after"
ok_if "T stale: the value keeps its digits" test "$(q t_stale "SELECT amount FROM \"Spend\"")" = 1.23456789

# T6. a type change whose USING computes the values (cents: spend * 100):
# re-running it on a column that has the old type again would compute them
# anew (twice, if they were converted by hand): left, with a NOTICE
UDIR=$WORK/using
mig "$UDIR" 20240101000000_init 'CREATE TABLE "Key" ("id" TEXT NOT NULL, "spend" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Key_pkey" PRIMARY KEY ("id"));'
mig "$UDIR" 20240102000000_cents 'ALTER TABLE "Key" ALTER COLUMN "spend" SET DATA TYPE BIGINT USING ("spend" * 100);
CREATE INDEX "Key_spend_idx" ON "Key"("spend");'
db_new u_using >/dev/null && deploy deploy -d u_using -m "$UDIR" >/dev/null 2>&1
pg_psql -d u_using -c 'ALTER TABLE "Key" ALTER COLUMN "spend" TYPE integer' -c "INSERT INTO \"Key\" VALUES ('k1', 5)"
pg_dump -d u_using -f "$WORK/u.sql"
"$MIGDOCTOR" check -m "$UDIR" -H "$WORK/u.sql" -o "$WORK/u.repair.sql" >"$WORK/u.report" 2>&1
ok_if "T using: the report says the USING computes the values, a person must decide" \
	grep -q "migration's USING computes its values anew; a person must decide" "$WORK/u.report"
apply u_using "$WORK/u.repair.sql"
ok_if "T using: the repair applies (exit $APPLY_RC)" test $APPLY_RC = 0
ok_if "T using: spend stays integer, its value 5" \
	test "$(col_type u_using Key spend),$(q u_using 'SELECT spend FROM "Key"')" = integer,5
ok_if "T using: psql shows the NOTICE" grep -q 'NOTICE:  migdoctor: column "Key"."spend" is left' "$WORK/apply.err"

# === R. a migration whose only object is a column type, recorded applied,
# and the live column differs.  Marking its row rolled back makes deploy
# run it again: right where the live type is a lossless source (a restore
# brought the old type back), wrong where an operator widened the column
# (deploy would round its values).  Then no automatic fix at all.
RDIR=$WORK/rerun
mig "$RDIR" 20240101000000_init 'CREATE TABLE "Acc" ("id" TEXT NOT NULL, "amount" INTEGER,
    CONSTRAINT "Acc_pkey" PRIMARY KEY ("id"));'
mig "$RDIR" 20240102000000_decimal 'ALTER TABLE "Acc" ALTER COLUMN "amount" SET DATA TYPE DECIMAL(20,4);'
db_new r_clean >/dev/null && deploy deploy -d r_clean -m "$RDIR" >"$WORK/r.log" 2>&1
ok_if "R: the migrations deploy on a clean database" test $? = 0
# r_case NAME LIVE_TYPE VALUE WANT(rerun|untouched) RESULT_TYPE RESULT_VALUE
r_case() {
	local db=r_$1 out=$WORK/r/$1 rc
	mkdir -p "$out"
	db_new "$db" r_clean >/dev/null
	pg_psql -d "$db" -c "ALTER TABLE \"Acc\" ALTER COLUMN amount TYPE $2" \
		-c "INSERT INTO \"Acc\" VALUES ('a', $3)"
	pg_dump -d "$db" -f "$out/dump.sql"
	"$MIGDOCTOR" check -m "$RDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1
	rc=$?
	case $4 in
	rerun)
		ok_if "R $1: the row is marked rolled back so deploy re-runs it (exit $rc)" \
			sh -c "[ $rc = 1 ] && grep -q 'rolled_back_at' '$out/repair.sql'"
		apply "$db" "$out/repair.sql"
		ok_if "R $1: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
		deploy deploy -d "$db" -m "$RDIR" >"$out/deploy.log" 2>&1
		ok_if "R $1: deploy runs it again" grep -q '20240102000000_decimal' "$out/deploy.log" ;;
	untouched)
		ok_if "R $1: MD003, no script: the type could lose values (exit $rc)" \
			sh -c "[ $rc = 1 ] && ! test -e '$out/repair.sql' &&
				grep -q 'a person must decide' '$out/report.txt'"
		ok_if "R $1: deploy finds nothing to apply" nothing_pending "$db" "$RDIR" ;;
	esac
	ok_if "R $1: the column is $5" test "$(col_type "$db" Acc amount)" = "$5"
	ok_if "R $1: its value is $6" test "$(q "$db" 'SELECT amount FROM "Acc"')" = "$6"
}
r_case restored integer 12 rerun 'numeric(20,4)' 12.0000
# the export showed integer (a re-run is safe), then the column was widened
# before the script ran: the script stops at its guard, nothing changes
db_new r_stale r_clean >/dev/null
pg_psql -d r_stale -c 'ALTER TABLE "Acc" ALTER COLUMN amount TYPE integer'
pg_dump -d r_stale -f "$WORK/r/stale.sql"
pg_psql -d r_stale -c 'ALTER TABLE "Acc" ALTER COLUMN amount TYPE numeric(30,8)' \
	-c "INSERT INTO \"Acc\" VALUES ('a', 1.23456789)"
"$MIGDOCTOR" check -m "$RDIR" -H "$WORK/r/stale.sql" -o "$WORK/r/stale.repair.sql" >/dev/null 2>&1
snap r_stale "$WORK/r/stale.before"
apply r_stale "$WORK/r/stale.repair.sql"
snap r_stale "$WORK/r/stale.after"
ok_if "R stale: the script stops at its guard (psql exit $APPLY_RC)" test "$APPLY_RC" = 3
ok_if "R stale: nothing changed (schema and rows)" same_snap "$WORK/r/stale.before" "$WORK/r/stale.after"
deploy deploy -d r_stale -m "$RDIR" >"$WORK/r/stale.deploy" 2>&1
ok_if "R stale: the value is not rounded" \
	test "$(q r_stale 'SELECT amount FROM "Acc"')" = 1.23456789
r_case widened 'numeric(30,8)' 1.23456789 untouched 'numeric(30,8)' 1.23456789
r_case float 'double precision' 0.1 untouched 'double precision' 0.1
r_case bigint bigint 9000000000000000 untouched bigint 9000000000000000

# === V. a view and a function that the second migration redefines (the
# blocked teams leave the report); the index of the first migration is
# lost, and the export is partial (-t "Team" -t _prisma_migrations)
VDIR=$WORK/views
mig "$VDIR" 20240101000000_init 'CREATE TABLE "Team" (
    "id" TEXT NOT NULL,
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Team_spend_idx" ON "Team"("spend");
CREATE VIEW "TeamSpend" AS SELECT "id", "spend" FROM "Team";
CREATE FUNCTION team_total() RETURNS DOUBLE PRECISION AS $$ SELECT sum("spend") FROM "Team" $$ LANGUAGE sql;'
mig "$VDIR" 20240102000000_hide_blocked 'CREATE OR REPLACE VIEW "TeamSpend" AS SELECT "id", "spend" FROM "Team" WHERE NOT "blocked";
CREATE OR REPLACE FUNCTION team_total() RETURNS DOUBLE PRECISION AS $$ SELECT sum("spend") FROM "Team" WHERE NOT "blocked" $$ LANGUAGE sql;'

db_new v_clean >/dev/null && deploy deploy -d v_clean -m "$VDIR" >"$WORK/v.log" 2>&1
ok_if "V: the migrations deploy on a clean database" test $? = 0
pg_psql -d v_clean -c "INSERT INTO \"Team\" VALUES ('t1', 10, false), ('t2', 99, true)"
schema_dump v_clean "$WORK/v_ref.sql"

# v_case NAME SQL: break v_NAME with SQL, partial dump, check, apply
v_case() {
	local name=$1 db=v_$1 out=$WORK/v/$1 rc
	mkdir -p "$out"
	db_new "$db" v_clean >/dev/null && pg_psql -d "$db" -c "$2"
	pg_dump -d "$db" -t '"Team"' -t _prisma_migrations -f "$out/dump.sql"
	"$MIGDOCTOR" check -m "$VDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1; rc=$?
	ok_if "V $name: check writes a repair (exit $rc)" sh -c "[ $rc = 1 ] && test -s '$out/repair.sql'"
	ok_if "V $name: no CREATE OR REPLACE runs unguarded" \
		sh -c "! grep -q '^CREATE OR REPLACE' '$out/repair.sql'"
	apply "$db" "$out/repair.sql"
	ok_if "V $name: the repair applies (exit $APPLY_RC)" \
		sh -c "[ $APPLY_RC = 0 ] || { cat '$WORK/apply.err'; exit 1; }"
	ok_if "V $name: the index is made" test "$(q "$db" "SELECT to_regclass('\"Team_spend_idx\"') IS NOT NULL")" = t
	ok_if "V $name: deploy then finds nothing to apply" nothing_pending "$db" "$VDIR"
}

# V1. both exist as the second migration left them: kept as they are
v_case redefined 'DROP INDEX "Team_spend_idx"'
schema_dump v_redefined "$WORK/v/redefined/schema.after"
golden "V redefined: the schema equals the clean deploy's (view and function as redefined)" \
	"$WORK/v_ref.sql" "$WORK/v/redefined/schema.after"
ok_if "V redefined: the view still hides the blocked team" \
	test "$(q v_redefined "SELECT string_agg(id, ',' ORDER BY id) FROM \"TeamSpend\"")" = t1
ok_if "V redefined: the function still leaves the blocked team out" \
	test "$(q v_redefined "SELECT team_total()")" = 10

# V2. an overload of the function with another argument count exists: it
# does not keep the function of the migration from being kept either
v_case overload 'DROP INDEX "Team_spend_idx";
	CREATE FUNCTION team_total(int) RETURNS int AS $$ SELECT $1 $$ LANGUAGE sql'
ok_if "V overload: both functions as they were" \
	test "$(q v_overload "SELECT team_total() || ',' || team_total(3)")" = 10,3

# V3. the view was dropped, and the partial dump does not show it: the
# second migration owns its final form (it redefined it), and nothing of
# that migration is proven missing, so the view is not made from the first
# migration's definition (which would show the blocked team again); the
# report lists it as not in the export
v_case absent 'DROP INDEX "Team_spend_idx"; DROP VIEW "TeamSpend"'
ok_if "V absent: the first migration's definition is not brought back" \
	test "$(q v_absent "SELECT to_regclass('\"TeamSpend\"') IS NULL")" = t
ok_if "V absent: the report lists the view as not in the export" \
	grep -q 'TeamSpend' "$WORK/v/absent/report.txt"

# V4. the view was dropped, the dump is whole (--schema-complete: it proves
# the view missing): the migration that redefined it owns it; it can run
# twice, so its row is marked rolled back and deploy runs it again; the
# view comes back as that migration makes it, hiding the blocked team
db_new v_whole v_clean >/dev/null && pg_psql -d v_whole -c 'DROP VIEW "TeamSpend"'
pg_dump -d v_whole -f "$WORK/v/whole.sql"
"$MIGDOCTOR" check -m "$VDIR" -H "$WORK/v/whole.sql" --schema-complete \
	-o "$WORK/v/whole.repair.sql" >"$WORK/v/whole.report" 2>&1
ok_if "V whole: the view is the object of the migration that redefined it" \
	grep -q 'MD003  20240102000000_hide_blocked' "$WORK/v/whole.report"
ok_if "V whole: the first migration is not touched" \
	grep -q 'present                20240101000000_init' "$WORK/v/whole.report"
apply v_whole "$WORK/v/whole.repair.sql"
ok_if "V whole: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
deploy deploy -d v_whole -m "$VDIR" >"$WORK/v/whole.deploy" 2>&1
ok_if "V whole: deploy runs the redefining migration again" \
	grep -q 20240102000000_hide_blocked "$WORK/v/whole.deploy"
ok_if "V whole: the view hides the blocked team, as the later migration made it" \
	test "$(q v_whole "SELECT string_agg(id, ',' ORDER BY id) FROM \"TeamSpend\"")" = t1
schema_dump v_whole "$WORK/v/whole.schema"
golden "V whole: the schema equals the clean deploy's" "$WORK/v_ref.sql" "$WORK/v/whole.schema"

# V5. the same, but the later migration names the view with its schema
# ("public"."TeamSpend") and the first does not: it is one view, and the
# later migration still owns it. The view and the index were lost, the
# dump is whole: the index comes back, the first definition does not
VDIR2=$WORK/views2
cp -r "$VDIR" "$VDIR2"
sed -i 's/CREATE OR REPLACE VIEW "TeamSpend"/CREATE OR REPLACE VIEW "public"."TeamSpend"/' \
	"$VDIR2/20240102000000_hide_blocked/migration.sql"
db_new v_qual >/dev/null && deploy deploy -d v_qual -m "$VDIR2" >"$WORK/v/qual.deploy" 2>&1
pg_psql -d v_qual -c "INSERT INTO \"Team\" VALUES ('t1', 10, false), ('t2', 99, true)" \
	-c 'DROP VIEW "TeamSpend"' -c 'DROP INDEX "Team_spend_idx"'
pg_dump -d v_qual -f "$WORK/v/qual.sql"
"$MIGDOCTOR" check -m "$VDIR2" -H "$WORK/v/qual.sql" -o "$WORK/v/qual.repair.sql" \
	>"$WORK/v/qual.report" 2>&1
apply v_qual "$WORK/v/qual.repair.sql"
ok_if "V qualified: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
ok_if "V qualified: the index is made" \
	test "$(q v_qual "SELECT to_regclass('\"Team_spend_idx\"') IS NOT NULL")" = t
ok_if "V qualified: the first migration's view (showing the blocked team) is not brought back" \
	test "$(q v_qual "SELECT to_regclass('\"TeamSpend\"') IS NULL")" = t

# === L. Prisma's advisory lock: held by another session (a deploy), the
# repair stops with nothing changed; free, the same script repairs
db_new l_held t_clean >/dev/null
pg_psql -d l_held -c 'ALTER TABLE "Spend" ALTER COLUMN "tokens" TYPE integer' \
	-c "INSERT INTO \"Spend\" (id, tokens) VALUES ('a', 7)"
pg_dump -d l_held -f "$WORK/l.sql"
"$MIGDOCTOR" check -m "$TDIR" -H "$WORK/l.sql" -o "$WORK/l.repair.sql" >/dev/null 2>&1
ok_if "L: the repair takes Prisma's lock in its transaction, before its guards" \
	sh -c "grep -n 'pg_advisory_xact_lock(72707369)' '$WORK/l.repair.sql' | head -n 1 | cut -d: -f1 >'$WORK/l.n1' &&
		grep -n '^-- Guards' '$WORK/l.repair.sql' | cut -d: -f1 >'$WORK/l.n2' &&
		[ \$(cat '$WORK/l.n1') -lt \$(cat '$WORK/l.n2') ]"
PGAPPNAME=md_lock_holder psql -X -q -d l_held -c 'SELECT pg_advisory_lock(72707369)' -c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
holder=$!
for i in $(seq 50); do
	[ "$(q l_held "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND granted")" = 1 ] && break
	sleep 0.1
done
snap l_held "$WORK/l.before"
apply l_held "$WORK/l.repair.sql"
snap l_held "$WORK/l.after"
ok_if "L: with the lock held elsewhere, the repair stops (psql exit $APPLY_RC)" \
	sh -c "[ $APPLY_RC = 3 ] && grep -q 'migdoctor: another session holds Prisma.s advisory lock' '$WORK/apply.err'"
ok_if "L: nothing changed (schema, rows, no backup)" sh -c "same_snap() { cmp -s \"\$1.schema\" \"\$2.schema\" && cmp -s \"\$1.rows\" \"\$2.rows\"; }
	same_snap '$WORK/l.before' '$WORK/l.after' && [ \"\$(psql -X -At -d l_held -c \"SELECT to_regnamespace('migdoctor_backup') IS NULL\")\" = t ]"
# the holder's backend would sleep on after its psql is gone: end it first
q l_held "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'md_lock_holder'" >/dev/null
wait "$holder" 2>/dev/null
for i in $(seq 50); do
	[ "$(q l_held "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369")" = 0 ] && break
	sleep 0.1
done
apply l_held "$WORK/l.repair.sql"
ok_if "L: once the lock is free, the same script repairs (exit $APPLY_RC)" \
	sh -c "[ $APPLY_RC = 0 ] && [ '$(col_type l_held Spend tokens)' = bigint ]"
ok_if "L: the lock is released at COMMIT" \
	test "$(q l_held "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369")" = 0

# === D. a live default the migrations never set (P1).  init makes "email"
# TEXT without a default; an operator made it varchar(320) with a default
# for a loader that leaves it out.  The type comes back (varchar -> text
# is lossless), the default stays: inserts without e-mail still work.
DDIR=$WORK/defaults
mig "$DDIR" 20240101000000_init 'CREATE TABLE "User" ("id" TEXT NOT NULL, "email" TEXT NOT NULL,
    CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");'
db_new d_kept >/dev/null && deploy deploy -d d_kept -m "$DDIR" >/dev/null 2>&1
pg_psql -d d_kept -c 'ALTER TABLE "User" ALTER COLUMN "email" TYPE varchar(320)' \
	-c "ALTER TABLE \"User\" ALTER COLUMN \"email\" SET DEFAULT ('unset-' || md5(random()::text))" \
	-c "INSERT INTO \"User\"(id) VALUES ('u1')"
pg_dump -d d_kept -f "$WORK/d.sql"
"$MIGDOCTOR" check -m "$DDIR" -H "$WORK/d.sql" -o "$WORK/d.repair.sql" >"$WORK/d.report" 2>&1
ok_if "D: the report does not call the live default's absence missing" \
	sh -c "grep -q MD003 '$WORK/d.report' && ! grep -q 'no default' '$WORK/d.report'"
ok_if "D: the script drops no default" sh -c "! grep -q 'DROP DEFAULT' '$WORK/d.repair.sql'"
apply d_kept "$WORK/d.repair.sql"
ok_if "D: the repair applies (exit $APPLY_RC)" \
	sh -c "[ $APPLY_RC = 0 ] || { cat '$WORK/apply.err'; exit 1; }"
ok_if "D: email is text again" test "$(col_type d_kept User email)" = text
ok_if "D: the live default is kept" \
	test "$(q d_kept "SELECT pg_get_expr(adbin, adrelid) LIKE '%unset-%' FROM pg_attrdef
		WHERE adrelid = '\"User\"'::regclass")" = t
ok_if "D: an insert that leaves email out still works" \
	pg_psql -d d_kept -c "INSERT INTO \"User\"(id) VALUES ('u2')"
ok_if "D: deploy then finds nothing to apply" nothing_pending d_kept "$DDIR"

# === C. a column with its own collation (N6).  ALTER COLUMN TYPE without
# COLLATE resets it to the type's default: varchar -> text would make a
# case-insensitive unique e-mail case-sensitive.  The column is left (the
# NOTICE says so), its collation and what it keeps unique unchanged.
# c_case NAME COLLATION: email becomes varchar(320) COLLATE it on c_NAME
c_case() {
	local db=c_$1 out=$WORK/c/$1
	mkdir -p "$out"
	db_new "$db" >/dev/null && deploy deploy -d "$db" -m "$DDIR" >/dev/null 2>&1
	pg_psql -d "$db" -c "ALTER TABLE \"User\" ALTER COLUMN \"email\" TYPE varchar(320) COLLATE $2" \
		-c "INSERT INTO \"User\" VALUES ('u1', 'alice@example.com')"
	pg_dump -d "$db" -f "$out/dump.sql"
	"$MIGDOCTOR" check -m "$DDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1
	apply "$db" "$out/repair.sql"
	ok_if "C $1: the repair applies (exit $APPLY_RC)" \
		sh -c "[ $APPLY_RC = 0 ] || { cat '$WORK/apply.err'; exit 1; }"
	ok_if "C $1: the column keeps its type and collation $2" \
		test "$(q "$db" "SELECT format_type(atttypid, atttypmod) || ' ' || quote_ident(c.collname)
			FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
			WHERE attrelid = '\"User\"'::regclass AND attname = 'email'")" = "character varying(320) $2"
	ok_if "C $1: psql shows the NOTICE that it is left" \
		grep -q 'NOTICE:  migdoctor: column "User"."email" is left' "$WORK/apply.err"
}
c_case c '"C"'
# with the C collation, the lossless change must not run even though the type is a source
ok_if "C c: the script's guard requires the type's default collation" \
	grep -q 'a.attcollation = (SELECT t.typcollation' "$WORK/c/c/repair.sql"
if [ "$(q d_kept "SELECT count(*) FROM pg_collation WHERE collprovider = 'i'")" != 0 ]; then
	# N6's repro: a nondeterministic ICU collation makes e-mail unique regardless of case
	c_ci_case() {
		local db=c_ci out=$WORK/c/ci
		mkdir -p "$out"
		db_new "$db" >/dev/null && deploy deploy -d "$db" -m "$DDIR" >/dev/null 2>&1
		pg_psql -d "$db" -c "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false)" \
			-c 'ALTER TABLE "User" ALTER COLUMN "email" TYPE varchar(320) COLLATE ci' \
			-c "INSERT INTO \"User\" VALUES ('u1', 'alice@example.com')" >/dev/null
		pg_dump -d "$db" -f "$out/dump.sql"
		"$MIGDOCTOR" check -m "$DDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1
		apply "$db" "$out/repair.sql"
		ok_if "C ci: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
		ok_if "C ci: email is still unique regardless of case" \
			sh -c "! psql -X -q -d $db -c \"INSERT INTO \\\"User\\\" VALUES ('u2', 'Alice@example.com')\" 2>/dev/null"
		ok_if "C ci: the collation is still ci" \
			test "$(q "$db" "SELECT collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
				WHERE attrelid = '\"User\"'::regclass AND attname = 'email'")" = ci
	}
	c_ci_case
else
	tap_ok "C ci: skipped, this server has no ICU collations"
fi
# control: the default collation, the lossless change is made
c_case_default() {
	db_new c_def >/dev/null && deploy deploy -d c_def -m "$DDIR" >/dev/null 2>&1
	pg_psql -d c_def -c 'ALTER TABLE "User" ALTER COLUMN "email" TYPE varchar(320)' >/dev/null
	pg_dump -d c_def -f "$WORK/c_def.sql"
	"$MIGDOCTOR" check -m "$DDIR" -H "$WORK/c_def.sql" -o "$WORK/c_def.repair.sql" >/dev/null 2>&1
	apply c_def "$WORK/c_def.repair.sql"
	ok_if "C default: with the default collation, email becomes text again" \
		test "$APPLY_RC,$(col_type c_def User email)" = 0,text
}
c_case_default

# === E. an enum label removed by "rename the old type first" (N5, N5b):
# the old "Role" renamed away, a new "Role" made without GUEST, the column
# converted, the old type dropped.  The migration has run only where
# GUEST is gone: while GUEST is there (a failed deploy, a row marked
# applied without running, a baseline of an older schema), no repair may
# record it applied.  Where GUEST is gone, the same repairs are made.
EDIR=$WORK/enum
mig "$EDIR" 20240101000000_init 'CREATE TYPE "Role" AS ENUM ('"'USER', 'ADMIN', 'GUEST'"');
CREATE TABLE "User" ("id" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT '"'USER'"',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id"));'
mig "$EDIR" 20240102000000_drop_guest 'ALTER TYPE "Role" RENAME TO "Role_old";
CREATE TYPE "Role" AS ENUM ('"'USER', 'ADMIN'"');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role");
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT '"'USER'"';
DROP TYPE "Role_old";'
mig_prefix "$WORK/enum_init" "$EDIR" 20240101000000_init
GUEST_Q="SELECT 'GUEST' = ANY (enum_range(NULL::\"Role\")::text[])"
APPLIED_Q="SELECT count(*) FROM _prisma_migrations WHERE migration_name = '20240102000000_drop_guest'
	AND finished_at IS NOT NULL AND rolled_back_at IS NULL"
# e_run NAME: dump e_NAME, check, apply the script if one is written
e_run() {
	local db=e_$1 out=$WORK/e/$1
	mkdir -p "$out"
	pg_dump -d "$db" -f "$out/dump.sql"
	"$MIGDOCTOR" check -m "$EDIR" -H "$out/dump.sql" -o "$out/repair.sql" >"$out/report.txt" 2>&1
	APPLY_RC=none
	[ -s "$out/repair.sql" ] && apply "$db" "$out/repair.sql"
}
# e_kept NAME: GUEST is there, and the removal is not recorded applied
e_kept() {
	ok_if "E $1: the report does not mark the removal applied" \
		sh -c "! grep -q 'mark it applied\|record the 2 migrations' '$WORK/e/$1/report.txt'"
	ok_if "E $1: GUEST is still a label (rows use it)" test "$(q "e_$1" "$GUEST_Q")" = t
	ok_if "E $1: the removal is not recorded applied (script: $APPLY_RC)" \
		test "$(q "e_$1" "$APPLIED_Q")" = 0
}

# E1. MD001: the deploy fails on the GUEST row (22P02), nothing of it stays
db_new e_failed >/dev/null && deploy deploy -d e_failed -m "$WORK/enum_init" >/dev/null 2>&1
pg_psql -d e_failed -c "INSERT INTO \"User\" VALUES ('u1', 'GUEST'), ('u2', 'USER')" >/dev/null
deploy deploy -d e_failed -m "$EDIR" >"$WORK/e_failed.deploy" 2>&1
ok_if "E failed: the deploy fails with 22P02" grep -q 22P02 "$WORK/e_failed.deploy"
e_run failed
ok_if "E failed: MD001" grep -q MD001 "$WORK/e/failed/report.txt"
e_kept failed

# E2. MD005: the history table is gone, GUEST is there: the baseline
# records init, not the removal
db_new e_base >/dev/null && deploy deploy -d e_base -m "$WORK/enum_init" >/dev/null 2>&1
pg_psql -d e_base -c 'DROP TABLE _prisma_migrations' \
	-c "INSERT INTO \"User\" VALUES ('u1', 'GUEST'), ('u2', 'USER')" >/dev/null
e_run base
ok_if "E base: MD005" grep -q MD005 "$WORK/e/base/report.txt"
e_kept base

# E3. controls: GUEST is gone (the removal ran); MD001 (its row failed
# after the work was done) and MD005 are still repaired
db_new e_gone_failed >/dev/null && deploy deploy -d e_gone_failed -m "$EDIR" >/dev/null 2>&1
pg_psql -d e_gone_failed -c "UPDATE _prisma_migrations SET finished_at = NULL, applied_steps_count = 0,
	logs = 'connection lost' WHERE migration_name = '20240102000000_drop_guest'" >/dev/null
e_run gone_failed
ok_if "E gone_failed: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
ok_if "E gone_failed: the removal is recorded applied" test "$(q e_gone_failed "$APPLIED_Q")" = 1
ok_if "E gone_failed: deploy then finds nothing to apply" nothing_pending e_gone_failed "$EDIR"
db_new e_gone_base >/dev/null && deploy deploy -d e_gone_base -m "$EDIR" >/dev/null 2>&1
pg_psql -d e_gone_base -c 'DROP TABLE _prisma_migrations' >/dev/null
e_run gone_base
ok_if "E gone_base: the repair applies (exit $APPLY_RC)" test "$APPLY_RC" = 0
ok_if "E gone_base: the removal is recorded applied" test "$(q e_gone_base "$APPLIED_Q")" = 1
ok_if "E gone_base: deploy then finds nothing to apply" nothing_pending e_gone_base "$EDIR"

# E4. the export showed GUEST gone, but it is back on the live database
# (stale export): the script re-checks the label's absence and stops
db_new e_stale >/dev/null && deploy deploy -d e_stale -m "$EDIR" >/dev/null 2>&1
pg_psql -d e_stale -c "UPDATE _prisma_migrations SET finished_at = NULL, applied_steps_count = 0,
	logs = 'connection lost' WHERE migration_name = '20240102000000_drop_guest'" >/dev/null
pg_dump -d e_stale -f "$WORK/e_stale.sql"
"$MIGDOCTOR" check -m "$EDIR" -H "$WORK/e_stale.sql" -o "$WORK/e_stale.repair.sql" >/dev/null 2>&1
pg_psql -d e_stale -c "ALTER TYPE \"Role\" ADD VALUE 'GUEST'" >/dev/null
apply e_stale "$WORK/e_stale.repair.sql"
ok_if "E stale: the script stops at its guard (psql exit $APPLY_RC)" \
	sh -c "[ $APPLY_RC = 3 ] && grep -q 'migdoctor: the database is not as the export showed' '$WORK/apply.err'"
ok_if "E stale: the removal is not recorded applied" test "$(q e_stale "$APPLIED_Q")" = 0

# === H. healthy databases: a full dump gives no script; a partial one a
# script (or none) that changes nothing
for h in t_clean v_clean; do
	dir=$TDIR; part=(-t '"Other"' -t _prisma_migrations)
	[ $h = v_clean ] && dir=$VDIR part=(-t '"Team"' -t _prisma_migrations)
	pg_dump -d $h -f "$WORK/$h.full.sql"
	rm -f "$WORK/$h.full.repair.sql"
	expect_exit 0 "H $h: check on a full dump finds nothing" \
		"$MIGDOCTOR" check -m "$dir" -H "$WORK/$h.full.sql" -o "$WORK/$h.full.repair.sql"
	ok_if "H $h: no repair script" test ! -e "$WORK/$h.full.repair.sql"
	pg_dump -d $h "${part[@]}" -f "$WORK/$h.part.sql"
	"$MIGDOCTOR" check -m "$dir" -H "$WORK/$h.part.sql" -o "$WORK/$h.part.repair.sql" >/dev/null 2>&1
	if [ -s "$WORK/$h.part.repair.sql" ]; then
		db_new "${h}_try" $h >/dev/null
		snap "${h}_try" "$WORK/$h.before"
		apply "${h}_try" "$WORK/$h.part.repair.sql"
		snap "${h}_try" "$WORK/$h.after"
		ok_if "H $h: the partial dump's script changes neither schema nor rows" \
			same_snap "$WORK/$h.before" "$WORK/$h.after"
	else
		tap_ok "H $h: no script from the partial dump"
	fi
done

echo "# $tap_n checks in ${SECONDS}s"
tap_done
