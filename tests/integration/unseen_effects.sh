#!/bin/bash
# unseen_effects.sh - a migration's effects that an export of objects does
# not prove: its data statements, its drops and renames, the enum labels it
# removes.  A repair script must never record such a migration as applied,
# nor run an applied one again, on the strength of its objects alone.
#
# Families (each on PostgreSQL, built with the deploy emulator):
#   F3. a failed migration whose objects exist (made by hand) but whose
#       DROP COLUMN / RENAME never ran: not marked applied; the control (a
#       migration that only adds what exists) still is.
#   F4. a migration with statements that change rows (UPDATE, INSERT, a DO
#       block with an UPDATE, a DO block with an EXECUTE built at run time,
#       ALTER COLUMN ... TYPE ... USING spend * 100, an UPDATE in a WITH
#       of a SELECT) whose objects exist: pending (MD006), failed (MD001) and baseline
#       (MD005) are not marked applied, and the report names the statement.
#   F2. Prisma's enum swap removing a label: failed, never run (MD006, with
#       a table made by hand) and baseline; a swap that was done by hand is
#       marked applied, and the script re-checks on the live database that
#       the label is gone (a label added back after the export stops it).
#   F7. an applied migration whose objects were lost: one with a data step
#       (UPDATE, INSERT, a DO block, an UPDATE in a WITH) is re-created, not
#       run again, and the data step is not repeated; a migration that can run twice and
#       changes no rows is still rolled back and re-run by deploy.  A failed
#       migration that ends its own transaction (COMMIT) after an UPDATE is
#       not rolled back to run again either: the UPDATE was kept.
#   N3. an applied migration with ALTER SEQUENCE ... RESTART whose table was
#       lost: not rolled back to run again (the restart would hand out the
#       ids again: duplicate keys); the next insert still succeeds.
#   N4. a type change whose USING is a chain of casts that rounds
#       (price::integer::DECIMAL(12,2)), the column back at its old type
#       with cents: neither a re-run by deploy (one object, missing) nor the
#       repair script itself (its index is there) rounds 12.75.
#   S5. a DO block's rename whose source column the migration makes again
#       (LiteLLM's "alias" -> "server_name"): when it ran and the renamed
#       column was lost, the "alias" there holds new data, so it is not run
#       again; when it never ran (resolve --applied), it still is.
#   H.  healthy databases of every directory used here: exit 0, no script.
source "$(dirname "$0")/lib/common.sh"
it_start
"$MIGDOCTOR" check --help >/dev/null 2>&1 || skip_all "migdoctor check not built"

D=$WORK/dirs
mkdir -p "$D"

# mig DIR NAME: migration NAME of DIR, its SQL from standard input
mig() {
	mkdir -p "$1/$2"
	[ -f "$1/migration_lock.toml" ] || printf 'provider = "postgresql"\n' >"$1/migration_lock.toml"
	cat >"$1/$2/migration.sql"
}

# deploy_to DB DIR LAST: deploy DIR's migrations up to LAST on a new DB
deploy_to() {
	mig_prefix "$WORK/.prefix" "$2" "$3"
	db_new "$1" >/dev/null && deploy deploy -d "$1" -m "$WORK/.prefix" >/dev/null 2>&1
}

# check_db NAME DB DIR [ARGS...]: export DB whole, run check; the report in
# $OUT/report.txt, the script (if any) in $OUT/repair.sql, exit in $RC
check_db() {
	local name=$1 db=$2 dir=$3
	shift 3
	OUT=$WORK/out/$name
	mkdir -p "$OUT"
	pg_dump -d "$db" -f "$OUT/dump.sql"
	rm -f "$OUT/repair.sql"
	NO_COLOR=1 "$MIGDOCTOR" check -m "$dir" -H "$OUT/dump.sql" "$@" -o "$OUT/repair.sql" \
		>"$OUT/report.txt" 2>&1
	RC=$?
}

# apply DB: the script of the last check_db on DB; PSQL_RC its exit status
apply() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$1" -f "$OUT/repair.sql" >"$OUT/psql.out" 2>"$OUT/psql.err"
	PSQL_RC=$?
}

# applied DB NAME: how many rows record migration NAME applied
applied() {
	q "$1" "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$2'
		AND finished_at IS NOT NULL AND rolled_back_at IS NULL"
}
no_script() { test ! -s "$OUT/repair.sql"; }
report_has() { grep -qF -- "$1" "$OUT/report.txt"; }
# the script records NAME applied (it holds an INSERT of its row)
script_marks_applied() { grep -q "INSERT INTO .*_prisma_migrations" "$OUT/repair.sql" &&
	grep -qF "'$1'" "$OUT/repair.sql"; }
diag_report() { tap_diag <"$OUT/report.txt" | head -n 30; }

# unproven LABEL DB NAME WORDS...: check finds no proof for marking NAME
# applied: no script records it, the report says what a person must check,
# and the database keeps no applied row of it
unproven() {
	local label=$1 db=$2 name=$3 w
	shift 3
	if [ -s "$OUT/repair.sql" ] && script_marks_applied "$name"; then
		tap_not_ok "$label: no script records $name applied"; diag_report
	else
		tap_ok "$label: no script records $name applied"
	fi
	for w in "$@"; do
		if report_has "$w"; then tap_ok "$label: the report says '$w'"
		else tap_not_ok "$label: the report says '$w'"; diag_report; fi
	done
	if [ -s "$OUT/repair.sql" ]; then
		apply "$db"
		ok_if "$label: its script runs (psql exit $PSQL_RC)" test "$PSQL_RC" = 0
	fi
	ok_if "$label: $name is not recorded applied" test "$(applied "$db" "$name")" = 0
}

# === the directories
# base: "Key"(id, spend), "old_alias" NOT NULL, "name"
BASE=20240101000000_init
base() {
	mig "$1" $BASE <<'EOF'
CREATE TABLE "Key" (
    "id" TEXT NOT NULL,
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "old_alias" TEXT NOT NULL DEFAULT '',
    "name" TEXT,
    CONSTRAINT "Key_pkey" PRIMARY KEY ("id")
);
EOF
}
M2=20240102000000_second

# === F3: the objects exist, a drop or rename never ran
F3D=$D/f3-drop; base "$F3D"
mig "$F3D" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "alias" TEXT;
ALTER TABLE "Key" DROP COLUMN "old_alias";
EOF
F3R=$D/f3-rename; base "$F3R"
mig "$F3R" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "alias" TEXT;
ALTER TABLE "Key" RENAME COLUMN "name" TO "key_name";
EOF
F3C=$D/f3-control; base "$F3C"
mig "$F3C" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "alias" TEXT;
CREATE INDEX "Key_alias_idx" ON "Key"("alias");
EOF

# failed_by_hand DB DIR SQL: base deployed with a row, SQL run by hand, then
# deploy of the rest fails (the row of M2 is left failed)
failed_by_hand() {
	deploy_to "$1" "$2" $BASE
	q "$1" "INSERT INTO \"Key\" (id, spend, old_alias) VALUES ('k1', 5, 'sales')" >/dev/null
	q "$1" "$3" >/dev/null
	! deploy deploy -d "$1" -m "$2" >/dev/null 2>&1 &&
		test "$(q "$1" "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$M2' AND finished_at IS NULL")" = 1
}

ok_if "F3 drop: the deploy fails on the column added by hand" \
	failed_by_hand f3d "$F3D" 'ALTER TABLE "Key" ADD COLUMN "alias" TEXT'
check_db f3d f3d "$F3D"
unproven "F3 drop" f3d $M2 'column "Key"."old_alias" is still there' "a person must"
ok_if "F3 drop: old_alias and its data are still there" \
	test "$(q f3d 'SELECT old_alias FROM "Key"')" = sales

ok_if "F3 rename: the deploy fails on the column added by hand" \
	failed_by_hand f3r "$F3R" 'ALTER TABLE "Key" ADD COLUMN "alias" TEXT'
check_db f3r f3r "$F3R"
unproven "F3 rename" f3r $M2 'column "Key"."name" is still there'

ok_if "F3 control: the deploy fails on the column added by hand" \
	failed_by_hand f3c "$F3C" 'ALTER TABLE "Key" ADD COLUMN "alias" TEXT; CREATE INDEX "Key_alias_idx" ON "Key"("alias")'
check_db f3c f3c "$F3C"
if [ -s "$OUT/repair.sql" ] && script_marks_applied $M2; then
	tap_ok "F3 control: all it does is there: the script marks it applied"
	apply f3c
	ok_if "F3 control: the script runs" test "$PSQL_RC" = 0
	ok_if "F3 control: $M2 is applied afterwards" test "$(applied f3c $M2)" = 1
	ok_if "F3 control: deploy finds nothing to apply" \
		eval 'deploy deploy -d f3c -m "$F3C" 2>&1 | grep -qx "No pending migrations to apply."'
else
	tap_not_ok "F3 control: all it does is there: the script marks it applied"; diag_report
fi

# === F4: statements that change rows
F4U=$D/f4-update; base "$F4U"
mig "$F4U" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION;
UPDATE "Key" SET "budget" = 100 WHERE "budget" IS NULL;
EOF
F4I=$D/f4-insert; base "$F4I"
mig "$F4I" $M2 <<'EOF'
CREATE TABLE "Setting" ("k" TEXT NOT NULL, "v" TEXT, CONSTRAINT "Setting_pkey" PRIMARY KEY ("k"));
INSERT INTO "Setting" ("k", "v") VALUES ('mode', 'strict');
EOF
F4DO=$D/f4-do; base "$F4DO"
mig "$F4DO" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "blocked" BOOLEAN;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'Key' AND column_name = 'blocked') THEN
        UPDATE "Key" SET "blocked" = false WHERE "blocked" IS NULL;
    END IF;
END $$;
EOF
F4EX=$D/f4-execute; base "$F4EX"
mig "$F4EX" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "blocked" BOOLEAN;
DO $$
BEGIN
    EXECUTE format('UPDATE %I SET blocked = false', 'Key');
END $$;
EOF
F4T=$D/f4-using; base "$F4T"
mig "$F4T" $M2 <<'EOF'
CREATE TABLE "SpendAudit" ("id" TEXT NOT NULL, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Key" ALTER COLUMN "spend" TYPE NUMERIC(20,2) USING "spend" * 100;
EOF
F4W=$D/f4-with; base "$F4W"
mig "$F4W" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION;
WITH filled AS (UPDATE "Key" SET "budget" = 100 WHERE "budget" IS NULL RETURNING 1) SELECT 1;
EOF
F4C=$D/f4-control; base "$F4C"
mig "$F4C" $M2 <<'EOF'
ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'Key_budget_idx') THEN
        CREATE INDEX "Key_budget_idx" ON "Key"("budget");
    END IF;
END $$;
EOF

# pending_by_hand DB DIR SQL: base deployed with a row, SQL run by hand; M2 pending
pending_by_hand() {
	deploy_to "$1" "$2" $BASE &&
		q "$1" "INSERT INTO \"Key\" (id, spend) VALUES ('k1', 5)" >/dev/null &&
		q "$1" "$3" >/dev/null
}

pending_by_hand f4u "$F4U" 'ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION'
check_db f4u f4u "$F4U"
ok_if "F4 UPDATE pending: MD006 predicts the deploy failure" report_has MD006
unproven "F4 UPDATE pending" f4u $M2 "line 2 (UPDATE) changes rows" "UPDATE changes rows"
ok_if "F4 UPDATE pending: the backfill is not lost silently (budget still NULL, nothing recorded)" \
	test "$(q f4u "SELECT coalesce(budget::text, 'null') FROM \"Key\"")" = null

pending_by_hand f4w "$F4W" 'ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION'
check_db f4w f4w "$F4W"
unproven "F4 UPDATE in a WITH pending" f4w $M2 "line 2 (UPDATE inside SELECT) changes rows"
ok_if "F4 UPDATE in a WITH pending: budget still NULL, nothing recorded" \
	test "$(q f4w "SELECT coalesce(budget::text, 'null') FROM \"Key\"")" = null

pending_by_hand f4i "$F4I" 'CREATE TABLE "Setting" ("k" TEXT NOT NULL, "v" TEXT, CONSTRAINT "Setting_pkey" PRIMARY KEY ("k"))'
check_db f4i f4i "$F4I"
unproven "F4 INSERT pending" f4i $M2 "(INSERT) changes rows"

pending_by_hand f4do "$F4DO" 'ALTER TABLE "Key" ADD COLUMN "blocked" BOOLEAN'
check_db f4do f4do "$F4DO"
unproven "F4 DO block with UPDATE pending" f4do $M2 "UPDATE in a DO block"

pending_by_hand f4ex "$F4EX" 'ALTER TABLE "Key" ADD COLUMN "blocked" BOOLEAN'
check_db f4ex f4ex "$F4EX"
unproven "F4 DO block with EXECUTE format(...) pending" f4ex $M2 \
	"EXECUTE of a string built at run time in a DO block"

pending_by_hand f4t "$F4T" 'CREATE TABLE "SpendAudit" ("id" TEXT NOT NULL, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id")); ALTER TABLE "Key" ALTER COLUMN "spend" TYPE NUMERIC(20,2)'
check_db f4t f4t "$F4T"
unproven "F4 ALTER COLUMN TYPE USING spend * 100 pending" f4t $M2 "(ALTER COLUMN ... TYPE ... USING an expression) changes rows"
# (the type changed by hand is also MD003 of init's column type: review F1, not this suite)

ok_if "F4 UPDATE failed: the deploy fails on the column added by hand" \
	failed_by_hand f4uf "$F4U" 'ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION'
check_db f4uf f4uf "$F4U"
ok_if "F4 UPDATE failed: MD001" report_has MD001
unproven "F4 UPDATE failed" f4uf $M2 "(UPDATE) changes rows"

# baseline: the schema of both migrations made without _prisma_migrations
db_new f4b >/dev/null
q f4b "$(cat "$F4U/$BASE/migration.sql") ALTER TABLE \"Key\" ADD COLUMN \"budget\" DOUBLE PRECISION;" >/dev/null
check_db f4b f4b "$F4U"
ok_if "F4 UPDATE baseline: MD005" report_has MD005
ok_if "F4 UPDATE baseline: the report says it is not baselined" report_has "$M2: not baselined"
if [ -s "$OUT/repair.sql" ]; then
	apply f4b
	ok_if "F4 UPDATE baseline: the script runs" test "$PSQL_RC" = 0
	ok_if "F4 UPDATE baseline: init is recorded applied" test "$(applied f4b $BASE)" = 1
else
	tap_not_ok "F4 UPDATE baseline: a script records init"; diag_report
fi
ok_if "F4 UPDATE baseline: $M2 is not recorded applied" \
	test "$(q f4b "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$M2'" 2>/dev/null)" = 0

# control: DDL only (its DO block too): marked applied as before
pending_by_hand f4c "$F4C" 'ALTER TABLE "Key" ADD COLUMN "budget" DOUBLE PRECISION'
check_db f4c f4c "$F4C"
if [ -s "$OUT/repair.sql" ] && script_marks_applied $M2; then
	tap_ok "F4 control (DDL-only DO block): the script marks it applied"
	apply f4c
	ok_if "F4 control: $M2 is applied afterwards" test "$(applied f4c $M2)" = 1
else
	tap_not_ok "F4 control (DDL-only DO block): the script marks it applied"; diag_report
fi

# === F2: Prisma's enum swap removing a label
F2=$D/f2
mig "$F2" $BASE <<'EOF'
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "role" "Role" NOT NULL DEFAULT 'USER',
    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);
EOF
mig "$F2" $M2 <<'EOF'
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;
EOF
F2N=$D/f2-never; cp -r "$F2" "$F2N"
mig "$F2N" $M2 <<'EOF'
CREATE TABLE "Audit" ("id" TEXT NOT NULL, CONSTRAINT "Audit_pkey" PRIMARY KEY ("id"));
BEGIN;
CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
ALTER TYPE "Role" RENAME TO "Role_old";
ALTER TYPE "Role_new" RENAME TO "Role";
DROP TYPE "Role_old";
ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT 'USER';
COMMIT;
EOF
labels() { q "$1" 'SELECT enum_range(NULL::"Role")'; }

deploy_to f2f "$F2" $BASE
q f2f "INSERT INTO \"User\" VALUES ('u1', 'GUEST'), ('u2', 'USER')" >/dev/null
ok_if "F2 failed swap: deploy fails (22P02, a row uses GUEST)" eval '! deploy deploy -d f2f -m "$F2" >/dev/null 2>&1'
check_db f2f f2f "$F2"
unproven "F2 failed swap" f2f $M2 "enum value 'GUEST' of \"Role\" is still there"
ok_if "F2 failed swap: the labels are unchanged" test "$(labels f2f)" = '{USER,ADMIN,GUEST}'

deploy_to f2n "$F2N" $BASE
q f2n "INSERT INTO \"User\" VALUES ('u1', 'GUEST'); CREATE TABLE \"Audit\" (\"id\" TEXT NOT NULL, CONSTRAINT \"Audit_pkey\" PRIMARY KEY (\"id\"))" >/dev/null
check_db f2n f2n "$F2N"
ok_if "F2 never-run swap: MD006 (Audit exists)" report_has MD006
unproven "F2 never-run swap" f2n $M2 "enum value 'GUEST' of \"Role\" is still there"

db_new f2b >/dev/null
q f2b "$(cat "$F2/$BASE/migration.sql") INSERT INTO \"User\" VALUES ('u1', 'GUEST');" >/dev/null
check_db f2b f2b "$F2"
ok_if "F2 baseline: MD005" report_has MD005
ok_if "F2 baseline: the report says the swap is not baselined" report_has "$M2: not baselined: enum value 'GUEST'"
if [ -s "$OUT/repair.sql" ]; then
	apply f2b
	ok_if "F2 baseline: the script runs, init recorded" test "$PSQL_RC/$(applied f2b $BASE)" = 0/1
fi
ok_if "F2 baseline: the swap is not recorded applied" \
	test "$(q f2b "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$M2'" 2>/dev/null)" = 0
ok_if "F2 baseline: the labels are unchanged" test "$(labels f2b)" = '{USER,ADMIN,GUEST}'

# the swap done by hand (GUEST gone), the row failed: marked applied, and the
# script checks on the live database that GUEST is gone
deploy_to f2h "$F2" $BASE
q f2h "INSERT INTO \"User\" VALUES ('u1', 'GUEST')" >/dev/null
deploy deploy -d f2h -m "$F2" >/dev/null 2>&1
q f2h "UPDATE \"User\" SET role = 'USER'" >/dev/null
psql -X -q -d f2h -v ON_ERROR_STOP=1 -f "$F2/$M2/migration.sql" >/dev/null 2>&1
ok_if "F2 by hand: GUEST removed by hand" test "$(labels f2h)" = '{USER,ADMIN}'
check_db f2h f2h "$F2"
if [ -s "$OUT/repair.sql" ] && script_marks_applied $M2; then
	tap_ok "F2 by hand: the swap is visible: the script marks it applied"
	ok_if "F2 by hand: the script checks that GUEST is absent" grep -q "'GUEST'" "$OUT/repair.sql"
	db_new f2h2 f2h >/dev/null
	q f2h2 "ALTER TYPE \"Role\" ADD VALUE 'GUEST'" >/dev/null
	before=$(q f2h2 "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL")
	apply f2h2
	ok_if "F2 by hand, GUEST added back after the export: the script stops (psql exit 3)" test "$PSQL_RC" = 3
	ok_if "F2 by hand, GUEST added back: it says which label" grep -q "enum value 'GUEST' of \"Role\" exists" "$OUT/psql.err"
	ok_if "F2 by hand, GUEST added back: nothing recorded" \
		test "$(q f2h2 "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL")" = "$before"
	apply f2h
	ok_if "F2 by hand: on the exported database the script runs and records it" \
		test "$PSQL_RC/$(applied f2h $M2)" = 0/1
else
	tap_not_ok "F2 by hand: the swap is visible: the script marks it applied"; diag_report
fi

# === F7: an applied migration whose objects were lost
F7U=$D/f7-update; base "$F7U"
mig "$F7U" $M2 <<'EOF'
CREATE TABLE "SpendAudit" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
UPDATE "Key" SET "spend" = "spend" * 100;
EOF
F7I=$D/f7-insert; base "$F7I"
mig "$F7I" $M2 <<'EOF'
CREATE TABLE "SpendAudit" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
INSERT INTO "Key" ("id", "spend") VALUES ('system', 0);
EOF
F7DO=$D/f7-do; base "$F7DO"
mig "$F7DO" $M2 <<'EOF'
CREATE TABLE IF NOT EXISTS "SpendAudit" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM "Key") THEN
        UPDATE "Key" SET "spend" = "spend" * 100;
    END IF;
END $$;
EOF
F7W=$D/f7-with; base "$F7W"
mig "$F7W" $M2 <<'EOF'
CREATE TABLE IF NOT EXISTS "SpendAudit" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
WITH moved AS (UPDATE "Key" SET "spend" = "spend" * 100 RETURNING 1) SELECT 1;
EOF
F7C=$D/f7-control; base "$F7C"
mig "$F7C" $M2 <<'EOF'
CREATE TABLE IF NOT EXISTS "SpendAudit" ("id" TEXT NOT NULL, "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, CONSTRAINT "SpendAudit_pkey" PRIMARY KEY ("id"));
CREATE INDEX IF NOT EXISTS "SpendAudit_at_idx" ON "SpendAudit"("at");
EOF

# lost DB DIR: base with k1 (spend 5), M2 deployed, then "SpendAudit" lost
lost() {
	deploy_to "$1" "$2" $BASE &&
		q "$1" "INSERT INTO \"Key\" (id, spend) VALUES ('k1', 5)" >/dev/null &&
		deploy deploy -d "$1" -m "$2" >/dev/null 2>&1 &&
		q "$1" 'DROP TABLE "SpendAudit"' >/dev/null
}
# repaired LABEL DB DIR SPEND KEYS: check (the dump is whole), apply, deploy:
# "SpendAudit" is back, k1's spend is SPEND, "Key" holds KEYS rows and M2
# has one applied row
repaired() {
	local label=$1 db=$2 dir=$3 want=$4 keys=$5
	check_db "$db" "$db" "$dir" --schema-complete
	if [ ! -s "$OUT/repair.sql" ]; then
		tap_not_ok "$label: check writes a repair script"; diag_report; return
	fi
	tap_ok "$label: check writes a repair script"
	apply "$db"
	ok_if "$label: the script runs" test "$PSQL_RC" = 0
	ok_if "$label: deploy afterwards succeeds" deploy deploy -d "$db" -m "$dir"
	ok_if "$label: \"SpendAudit\" is back" test "$(q "$db" "SELECT to_regclass('\"SpendAudit\"') IS NOT NULL")" = t
	ok_if "$label: k1's spend is $want" test "$(q "$db" "SELECT spend FROM \"Key\" WHERE id = 'k1'")" = "$want"
	ok_if "$label: $keys keys" test "$(q "$db" 'SELECT count(*) FROM "Key"')" = "$keys"
	ok_if "$label: $M2 applied once" test "$(applied "$db" $M2)" = 1
}

ok_if "F7 UPDATE: the state is built" lost f7u "$F7U"
repaired "F7 UPDATE (spend * 100)" f7u "$F7U" 500 1
ok_if "F7 UPDATE: the report says a re-run would change rows twice" report_has "change them twice"
ok_if "F7 INSERT: the state is built" lost f7i "$F7I"
repaired "F7 INSERT (a seed row)" f7i "$F7I" 5 2
ok_if "F7 DO block: the state is built" lost f7do "$F7DO"
repaired "F7 DO block with UPDATE" f7do "$F7DO" 500 1
ok_if "F7 UPDATE in a WITH: the state is built" lost f7w "$F7W"
repaired "F7 UPDATE in a WITH (spend * 100 once)" f7w "$F7W" 500 1
ok_if "F7 UPDATE in a WITH: the report names it" report_has "(UPDATE inside SELECT)"
ok_if "F7 control: the state is built" lost f7c "$F7C"
repaired "F7 control (can run twice, no rows changed)" f7c "$F7C" 5 1
ok_if "F7 control: still rolled back and re-run by deploy" grep -q "SET rolled_back_at = now()" "$OUT/repair.sql"

# a failed migration that ends its own transaction: its UPDATE committed
# before the failure, so a re-run would convert the cents twice
F7K=$D/f7-commit; base "$F7K"
mig "$F7K" $M2 <<'EOF'
UPDATE "Key" SET "spend" = "spend" * 100;
COMMIT;
CREATE TABLE "Audit" ("id" TEXT NOT NULL, CONSTRAINT "Audit_pkey" PRIMARY KEY ("id"));
ALTER TABLE "Nope" ADD COLUMN "x" INTEGER;
EOF
deploy_to f7k "$F7K" $BASE
q f7k "INSERT INTO \"Key\" (id, spend) VALUES ('k1', 5)" >/dev/null
ok_if "F7 COMMIT: the deploy fails after its UPDATE committed" \
	eval '! deploy deploy -d f7k -m "$F7K" >/dev/null 2>&1 && test "$(q f7k "SELECT spend FROM \"Key\"")" = 500'
check_db f7k f7k "$F7K"
ok_if "F7 COMMIT: MD001" report_has MD001
ok_if "F7 COMMIT: the report says what ran before the failure was kept" \
	report_has "it ends its own transaction (COMMIT), so what ran before the failure was kept"
ok_if "F7 COMMIT: no script rolls it back to run again" \
	eval '! grep -qs "SET rolled_back_at = now()" "$OUT/repair.sql"'
[ -s "$OUT/repair.sql" ] && apply f7k
ok_if "F7 COMMIT: the spend stays converted once" test "$(q f7k 'SELECT spend FROM "Key"')" = 500

# === N3: a sequence restart is not run twice
N3=$D/n3
mig "$N3" $BASE <<'EOF'
CREATE TABLE "Invoice" ("id" SERIAL NOT NULL, "note" TEXT, CONSTRAINT "Invoice_pkey" PRIMARY KEY ("id"));
EOF
mig "$N3" $M2 <<'EOF'
CREATE TABLE IF NOT EXISTS "InvoiceAudit" ("id" TEXT NOT NULL, CONSTRAINT "InvoiceAudit_pkey" PRIMARY KEY ("id"));
ALTER SEQUENCE "Invoice_id_seq" RESTART WITH 1000;
EOF
db_new n3 >/dev/null
deploy deploy -d n3 -m "$N3" >/dev/null 2>&1
q n3 "INSERT INTO \"Invoice\"(note) VALUES ('a'), ('b'), ('c'); DROP TABLE \"InvoiceAudit\"" >/dev/null
ok_if "N3 RESTART: the state is built (ids 1000-1002, the audit table lost)" \
	test "$(q n3 'SELECT max(id) FROM "Invoice"')/$(q n3 "SELECT to_regclass('\"InvoiceAudit\"') IS NULL")" = 1002/t
check_db n3 n3 "$N3" --schema-complete
ok_if "N3 RESTART: the report names the restart" report_has "(ALTER SEQUENCE ... RESTART (a sequence's position)) changes rows"
ok_if "N3 RESTART: no script rolls it back to run again" \
	eval '! grep -qs "SET rolled_back_at = now()" "$OUT/repair.sql"'
PSQL_RC=0; [ -s "$OUT/repair.sql" ] && apply n3
ok_if "N3 RESTART: the script runs" test "$PSQL_RC" = 0
ok_if "N3 RESTART: deploy afterwards succeeds" deploy deploy -d n3 -m "$N3"
ok_if "N3 RESTART: the next invoice gets a new id" \
	test "$(q n3 "INSERT INTO \"Invoice\"(note) VALUES ('d'); SELECT max(id) FROM \"Invoice\"")" = 1003

# === N4: a USING of casts that rounds is not run again
N4=$D/n4-rerun
mig "$N4" $BASE <<'EOF'
CREATE TABLE "Item" ("id" TEXT NOT NULL, "price" DECIMAL(10,2) NOT NULL, CONSTRAINT "Item_pkey" PRIMARY KEY ("id"));
EOF
mig "$N4" $M2 <<'EOF'
ALTER TABLE "Item" ALTER COLUMN "price" TYPE DECIMAL(12,2) USING ("price"::integer::DECIMAL(12,2));
EOF
N4R=$D/n4-repair
mig "$N4R" $BASE <"$N4/$BASE/migration.sql"
{ echo 'CREATE INDEX "Item_price_idx" ON "Item"("price");'; cat "$N4/$M2/migration.sql"; } |
	mig "$N4R" $M2
# both deployed; later the column went back to numeric(10,2) and cents came back
cents_back() {
	db_new "$1" >/dev/null && deploy deploy -d "$1" -m "$2" >/dev/null 2>&1 &&
		q "$1" "ALTER TABLE \"Item\" ALTER COLUMN \"price\" TYPE numeric(10,2);
			INSERT INTO \"Item\" VALUES ('i1', 12.75)" >/dev/null
}
ok_if "N4 re-run: the state is built" cents_back n4 "$N4"
check_db n4 n4 "$N4"
ok_if "N4 re-run: MD003" report_has MD003
ok_if "N4 re-run: the report says the USING computes values" report_has "USING an expression"
PSQL_RC=0; [ -s "$OUT/repair.sql" ] && apply n4
ok_if "N4 re-run: the script runs" test "$PSQL_RC" = 0
deploy deploy -d n4 -m "$N4" >/dev/null 2>&1
ok_if "N4 re-run: after the script and deploy, price is still 12.75" \
	test "$(q n4 'SELECT price FROM "Item"')" = 12.75
ok_if "N4 repair: the state is built" cents_back n4r "$N4R"
check_db n4r n4r "$N4R"
ok_if "N4 repair: MD003" report_has MD003
ok_if "N4 repair: the script does not write the rounding USING" \
	eval '! grep -qs "USING.*::int" "$OUT/repair.sql"'
PSQL_RC=0; [ -s "$OUT/repair.sql" ] && apply n4r
ok_if "N4 repair: the script runs" test "$PSQL_RC" = 0
ok_if "N4 repair: price is still 12.75" test "$(q n4r 'SELECT price FROM "Item"')" = 12.75

# === S5: a DO block's rename whose source name the migration makes again
S5=$D/s5
mig "$S5" $BASE <<'EOF'
CREATE TABLE "Mcp" ("id" TEXT NOT NULL, "alias" TEXT, CONSTRAINT "Mcp_pkey" PRIMARY KEY ("id"));
EOF
mig "$S5" $M2 <<'EOF'
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'Mcp' AND column_name = 'alias') THEN
        ALTER TABLE "Mcp" RENAME COLUMN "alias" TO "server_name";
    END IF;
END $$;
ALTER TABLE "Mcp" ADD COLUMN IF NOT EXISTS "alias" TEXT;
EOF
# it ran ("srv" moved to server_name, a new alias filled since), then
# server_name was lost: the "alias" there holds new data
deploy_to s5a "$S5" $BASE
q s5a "INSERT INTO \"Mcp\" VALUES ('m1', 'srv')" >/dev/null
deploy deploy -d s5a -m "$S5" >/dev/null 2>&1
q s5a "UPDATE \"Mcp\" SET alias = 'user-alias'; ALTER TABLE \"Mcp\" DROP COLUMN server_name" >/dev/null
check_db s5a s5a "$S5" --schema-complete
ok_if "S5 ran: MD003" report_has MD003
ok_if "S5 ran: the report says a person must check what \"alias\" holds" \
	report_has 'a person must check what "alias" holds'
ok_if "S5 ran: no script rolls it back to run again" \
	eval '! grep -qs "SET rolled_back_at = now()" "$OUT/repair.sql"'
[ -s "$OUT/repair.sql" ] && apply s5a
ok_if "S5 ran: the new alias stays where it is" \
	test "$(q s5a 'SELECT alias FROM "Mcp"')" = user-alias
# it never ran (resolve --applied): the "alias" there is the old one; a re-run is right
deploy_to s5b "$S5" $BASE
q s5b "INSERT INTO \"Mcp\" VALUES ('m1', 'old')" >/dev/null
deploy resolve -d s5b -m "$S5" --applied $M2 >/dev/null 2>&1
check_db s5b s5b "$S5"
if grep -qs "SET rolled_back_at = now()" "$OUT/repair.sql"; then
	tap_ok "S5 never ran: the script rolls it back so deploy runs it"
	apply s5b
	ok_if "S5 never ran: the script runs" test "$PSQL_RC" = 0
	ok_if "S5 never ran: deploy runs it" deploy deploy -d s5b -m "$S5"
	ok_if "S5 never ran: the old alias is now server_name" \
		test "$(q s5b 'SELECT server_name FROM "Mcp"')" = old
else
	tap_not_ok "S5 never ran: the script rolls it back so deploy runs it"; diag_report
fi

# === H: healthy databases of each directory: nothing to repair
for dir in "$F3D" "$F3R" "$F3C" "$F4C" "$F4U" "$F4I" "$F4DO" "$F4EX" "$F2" "$F2N" "$F4T" "$F7U" "$F7I" "$F7DO" "$F7C" "$S5" \
	"$F4W" "$F7W" "$N3" "$N4" "$N4R"; do
	name=h_$(basename "$dir" | tr - _)
	db_new "$name" >/dev/null
	deploy deploy -d "$name" -m "$dir" >/dev/null 2>&1
	check_db "$name" "$name" "$dir"
	if [ "$RC" = 0 ] && no_script; then tap_ok "healthy $(basename "$dir"): exit 0, no script"
	else tap_not_ok "healthy $(basename "$dir"): exit 0, no script (exit $RC)"; diag_report; fi
done

tap_done
