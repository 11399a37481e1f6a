#!/bin/bash
# deploy_emulator.sh - the deploy emulator (lib/deploy.sh) against Prisma's
# semantics (shared reference prisma.md §1-§5): rows written as the native
# engine writes them, one batch per script, P3009/P3018/P3005/P3015/P3019,
# and resolve --applied / --rolled-back with their refusals.
source "$(dirname "$0")/lib/common.sh"
it_start

mig=$FIX_MIG
n=$(find "$mig" -mindepth 1 -maxdepth 1 -type d | wc -l)

# --- clean deploy, then nothing pending
db_new clean
run_exit 0 "clean deploy succeeds" deploy deploy -d clean -m "$mig"
deploy deploy -d clean -m "$mig" >"$WORK/out" 2>&1
ok_if "every migration applied once" test "$(q clean "SELECT count(*) FROM _prisma_migrations")" = "$n"
ok_if "second deploy: No pending migrations to apply" grep -qx 'No pending migrations to apply.' "$WORK/out"
ok_if "second deploy: $n migrations found" grep -qx "$n migrations found in prisma/migrations" "$WORK/out"
ok_if "deploy rows: finished, steps 1, logs NULL, not rolled back" test "$(q clean "SELECT count(*) FROM _prisma_migrations
	WHERE finished_at IS NOT NULL AND applied_steps_count = 1 AND logs IS NULL AND rolled_back_at IS NULL
	AND finished_at >= started_at")" = "$n"
ok_if "ids are lowercase v4 UUIDs" test "$(q clean "SELECT count(*) FROM _prisma_migrations
	WHERE id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\$'")" = "$n"
q clean "SELECT migration_name || ' ' || checksum FROM _prisma_migrations ORDER BY migration_name" >"$WORK/sums.db"
for d in "$mig"/*/; do echo "$(basename "$d") $(sha256sum <"$d/migration.sql" | cut -d' ' -f1)"; done >"$WORK/sums.fs"
golden "checksum = sha256 of the migration.sql bytes" "$WORK/sums.fs" "$WORK/sums.db"
ok_if "started_at carries microseconds (client clock)" test "$(q clean "SELECT count(*) FROM _prisma_migrations
	WHERE extract(microseconds FROM started_at)::bigint % 1000 <> 0")" -ge 1
ok_if "_prisma_migrations has Prisma's DDL" sh -c "pg_dump -s -t _prisma_migrations -d clean | grep -q 'applied_steps_count integer DEFAULT 0 NOT NULL'"

# --- a failing script is one batch: nothing of it stays
fail=$WORK/fail
mig_prefix "$fail" "$mig" 20240101000000_init
mkdir -p "$fail/20240102000000_bad"
printf 'CREATE TABLE "Partial" (id INT);\nCREATE TABLE "Partial2" (\n  id INT\n);\nSELECT * FROM "DoesNotExist";\nCREATE TABLE "Never" (id INT);\n' \
	>"$fail/20240102000000_bad/migration.sql"
db_new failing
deploy deploy -d failing -m "$fail" >"$WORK/out" 2>"$WORK/err"; rc=$?
ok_if "failing deploy exits 1" test $rc = 1
ok_if "P3018 printed as Prisma prints it" grep -qx 'Error: P3018' "$WORK/err"
ok_if "P3018 names the migration" grep -qx 'Migration name: 20240102000000_bad' "$WORK/err"
ok_if "P3018 gives SQLSTATE 42P01" grep -qx 'Database error code: 42P01' "$WORK/err"
ok_if "P3018 gives the database error" grep -qx 'ERROR: relation "DoesNotExist" does not exist' "$WORK/err"
ok_if "P3018 has the Position block with the error line" grep -q 'SELECT \* FROM "DoesNotExist"' "$WORK/err"
ok_if "Applying migration line before the error" grep -qx 'Applying migration `20240102000000_bad`' "$WORK/out"
ok_if "no partial DDL from the failed script" test "$(q failing "SELECT count(*) FROM pg_tables WHERE tablename IN ('Partial', 'Partial2', 'Never')")" = 0
ok_if "earlier migration of the run stays applied" test "$(q failing "SELECT to_regclass('\"User\"') IS NOT NULL")" = t
ok_if "failed row: finished NULL, steps 0, logs = P3018 text" test "$(q failing "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name = '20240102000000_bad' AND finished_at IS NULL AND rolled_back_at IS NULL
	AND applied_steps_count = 0 AND logs LIKE 'A migration failed to apply.%Migration name: 20240102000000_bad%Database error code: 42P01%Database error:
ERROR: relation \"DoesNotExist\" does not exist%apply_script%'")" = 1
ok_if "logs position counts characters from the start of the script" sh -c "psql -X -At -d failing -c \"SELECT logs FROM _prisma_migrations WHERE logs IS NOT NULL\" | grep -q 'position: Some(Original(86))'"

# --- P3009 on the next deploy, with Prisma's exact line
deploy deploy -d failing -m "$fail" >"$WORK/out" 2>"$WORK/err"; rc=$?
ok_if "next deploy exits 1" test $rc = 1
ok_if "next deploy: P3009" grep -qx 'Error: P3009' "$WORK/err"
ok_if "P3009 line: The \`NAME\` migration started at ... UTC failed" \
	grep -Eqx 'The `20240102000000_bad` migration started at [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}(\.[0-9]{3}|\.[0-9]{6})? UTC failed' "$WORK/err"
ok_if "P3009 prints no logs" sh -c "! grep -q 'DbError' '$WORK/err'"

# --- resolve --rolled-back, then deploy re-runs the (fixed) migration
run_exit 1 "resolve --applied refuses an unknown name (P3017)" deploy resolve -d failing -m "$fail" --applied 20990101000000_nope
ok_if "P3017 text" grep -q 'The migration 20990101000000_nope could not be found' "$WORK/last.err"
run_exit 1 "resolve --rolled-back refuses a name without rows (P3011)" deploy resolve -d failing -m "$fail" --rolled-back 20990101000000_nope
ok_if "P3011 text" grep -q 'cannot be rolled back because it was never applied' "$WORK/last.err"
run_exit 1 "resolve --rolled-back refuses a finished migration (P3012)" deploy resolve -d failing -m "$fail" --rolled-back 20240101000000_init
ok_if "P3012 text" grep -q 'Migration `20240101000000_init` cannot be rolled back because it is not in a failed state.' "$WORK/last.err"
run_exit 1 "resolve --applied refuses a finished migration (P3008)" deploy resolve -d failing -m "$fail" --applied 20240101000000_init
ok_if "P3008 text" grep -q 'The migration `20240101000000_init` is already recorded as applied in the database.' "$WORK/last.err"
run_exit 0 "resolve --rolled-back on the failed migration" deploy resolve -d failing -m "$fail" --rolled-back 20240102000000_bad
ok_if "rolled_back_at set on the failed row only" test "$(q failing "SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL")" = 1
printf 'CREATE TABLE "Partial" (id INT);\n' >"$fail/20240102000000_bad/migration.sql"
run_exit 0 "deploy re-runs the rolled-back migration" deploy deploy -d failing -m "$fail"
ok_if "two rows for the re-run name: one rolled back, one applied" test "$(q failing "SELECT string_agg((rolled_back_at IS NULL)::int::text || (finished_at IS NULL)::int::text, ',' ORDER BY started_at)
	FROM _prisma_migrations WHERE migration_name = '20240102000000_bad'")" = "01,10"

# --- resolve --applied writes finished_at = started_at, steps 0, logs ''
mkdir -p "$fail/20240103000000_div"; printf 'SELECT 1/0;\n' >"$fail/20240103000000_div/migration.sql"
deploy deploy -d failing -m "$fail" >/dev/null 2>"$WORK/err"
ok_if "division by zero: P3018 22012" grep -qx 'Database error code: 22012' "$WORK/err"
run_exit 0 "resolve --applied on the failed migration" deploy resolve -d failing -m "$fail" --applied 20240103000000_div
ok_if "resolve --applied: 'marked as applied'" grep -qx 'Migration 20240103000000_div marked as applied.' "$WORK/last.out"
ok_if "resolve --applied row: finished = started, steps 0, logs '', checksum of the file" test "$(q failing "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name = '20240103000000_div' AND finished_at = started_at AND applied_steps_count = 0 AND logs = ''
	AND rolled_back_at IS NULL AND checksum = '$(sha256sum <"$fail/20240103000000_div/migration.sql" | cut -d' ' -f1)'")" = 1
ok_if "resolve --applied rolled the failed row back" test "$(q failing "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name = '20240103000000_div' AND rolled_back_at IS NOT NULL AND logs LIKE 'A migration failed%'")" = 1
run_exit 0 "deploy after resolve --applied: nothing pending" deploy deploy -d failing -m "$fail"
ok_if "... No pending migrations to apply" grep -qx 'No pending migrations to apply.' "$WORK/last.out"

# --- P3005: tables but no _prisma_migrations
db_new unbaselined
pg_psql -d unbaselined -c 'CREATE TABLE "User" (id TEXT PRIMARY KEY)'
run_exit 1 "P3005 on a schema without _prisma_migrations" deploy deploy -d unbaselined -m "$mig"
ok_if "P3005 text" grep -qx 'The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline' "$WORK/last.err"
ok_if "P3005 creates no table" test "$(q unbaselined "SELECT to_regclass('_prisma_migrations') IS NULL")" = t
run_exit 0 "resolve --applied baselines (creates the table, no P3005)" deploy resolve -d unbaselined -m "$mig" --applied 20240101000000_init

# --- P3019 and P3015
bad=$WORK/badlock; mig_prefix "$bad" "$mig" 20240101000000_init
printf 'provider = "mysql"\n' >"$bad/migration_lock.toml"
db_new lock
run_exit 1 "P3019 on a mysql lock file" deploy deploy -d lock -m "$bad"
ok_if "P3019 names both providers" grep -q 'The datasource provider `postgresql` specified in your schema does not match the one specified in the migration_lock.toml, `mysql`.' "$WORK/last.err"
printf 'provider="postgresql"\n' >"$bad/migration_lock.toml"
run_exit 1 "P3019 when 'provider=' has no spaces (not stripped)" deploy deploy -d lock -m "$bad"
printf '# no provider\n' >"$bad/migration_lock.toml"
run_exit 1 "P3019 <PROVIDER NOT FOUND>" deploy deploy -d lock -m "$bad"
ok_if "... says <PROVIDER NOT FOUND>" grep -q '`<PROVIDER NOT FOUND>`' "$WORK/last.err"
rm "$bad/migration_lock.toml"
mkdir -p "$bad/20240109000000_empty"
run_exit 1 "P3015 on a folder without migration.sql" deploy deploy -d lock -m "$bad"
ok_if "P3015 text" grep -q 'Could not find the migration file at .*20240109000000_empty/migration.sql. Please delete the directory or restore the migration file.' "$WORK/last.err"
ok_if "P3015: migrations before it stay applied, nothing recorded for it" test "$(q lock "SELECT string_agg(migration_name, ',') FROM _prisma_migrations")" = 20240101000000_init

# --- explicit BEGIN/COMMIT: what was committed stays (native)
part=$WORK/partial; mig_prefix "$part" "$mig" 20240101000000_init
mkdir -p "$part/20240102000000_txn"
printf 'BEGIN;\nCREATE TABLE "Committed" (id INT);\nCOMMIT;\nCREATE TABLE "RolledBack" (id INT);\nSELECT * FROM "DoesNotExist";\n' >"$part/20240102000000_txn/migration.sql"
db_new partial
run_exit 1 "script with its own COMMIT fails" deploy deploy -d partial -m "$part"
ok_if "native: work before COMMIT persists, after it does not" test "$(q partial "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename IN ('Committed', 'RolledBack')")" = Committed

# --- the script reaches the server byte for byte: psql-looking text, a
# dollar-quoted body, no final newline, and a 300 kB file
odd=$WORK/odd; mig_prefix "$odd" "$mig" 20240101000000_init
mkdir -p "$odd/20240102000000_odd" "$odd/20240103000000_big" "$odd/20240104000000_bigfail"
printf 'CREATE FUNCTION "odd"() RETURNS text LANGUAGE sql AS $$ SELECT %s $$;\nCOMMENT ON FUNCTION "odd"() IS %s' \
	"':name \\gexec :''x'' \\\\ \$x\$'" "'no final newline'" >"$odd/20240102000000_odd/migration.sql"
{ echo 'CREATE TABLE "Big" (id INT);'; for i in $(seq 1 6000); do echo "-- padding line $i: ............................................"; done; } \
	>"$odd/20240103000000_big/migration.sql"
{ echo 'CREATE TABLE "BigFail" (id INT);'; for i in $(seq 1 6000); do echo "-- padding line $i: ............................................"; done
	echo 'SELECT * FROM "Nope";'; } >"$odd/20240104000000_bigfail/migration.sql"
db_new odd
deploy deploy -d odd -m "$odd" >/dev/null 2>"$WORK/odd.err"
ok_if "function body arrives unchanged (psql substitutes nothing)" test "$(q odd 'SELECT "odd"()')" = ':name \gexec :'"'"'x'"'"' \\ $x$'
ok_if "a file without a final newline runs" test "$(q odd "SELECT obj_description('\"odd\"'::regproc)")" = 'no final newline'
ok_if "a 300 kB script is applied" test "$(q odd "SELECT to_regclass('\"Big\"') IS NOT NULL")" = t
ok_if "a 300 kB failing script: P3018 42P01, nothing left" sh -c "grep -qx 'Database error code: 42P01' '$WORK/odd.err' &&
	test \"\$(psql -X -At -d odd -c \"SELECT to_regclass('\\\"BigFail\\\"') IS NULL\")\" = t"
ok_if "... its Position block shows line 6002" grep -q '6002 SELECT \* FROM "Nope";' "$WORK/odd.err"

# --- wasm engine: statement by statement, partial application
db_new wasm
cp "$fail/20240102000000_bad/migration.sql" "$WORK/keep.sql"
printf 'CREATE TABLE "Partial" (id INT);\nSELECT * FROM "DoesNotExist";\nCREATE TABLE "Never" (id INT);\n' >"$fail/20240102000000_bad/migration.sql"
deploy deploy -d wasm -m "$fail" --engine wasm >"$WORK/out" 2>"$WORK/err"; rc=$?
ok_if "wasm: failing deploy exits 1" test $rc = 1
ok_if "wasm: external connector error, no P3018" sh -c "grep -qx 'Error: external connector error' '$WORK/err' && ! grep -q P3018 '$WORK/err'"
ok_if "wasm: no Applying migration line" sh -c "! grep -q 'Applying migration' '$WORK/out'"
ok_if "wasm: statements before the error stay" test "$(q wasm "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE tablename IN ('Partial', 'Never')")" = Partial
ok_if "wasm: millisecond timestamps" test "$(q wasm "SELECT count(*) FROM _prisma_migrations WHERE extract(microseconds FROM started_at)::bigint % 1000 <> 0")" = 0

tap_done
