#!/bin/bash
# injection.sh - hostile names, ids, checksums and log text come out inert
# in the repair script.
#
# A database migrated with the fixture migrations gets rows crafted to
# break out of SQL literals and identifiers: quotes, backslashes (the
# script is also run with standard_conforming_strings off), dollar quotes,
# psql meta-commands at the start of a line, control bytes, long values;
# a local migration folder has such a name too. migdoctor check writes a
# repair script from a dump of it; psql runs the script; only the intended
# rows may change, every table must still be there, and no meta-command
# may have run.
source "$MD_ROOT/tests/lib/tap.sh"
source "$MD_ROOT/tests/lib/pg.sh"
pg_start >"$WORK/pg.log" 2>&1 || skip_all "cannot start PostgreSQL"
DEPLOY="$MD_ROOT/tests/integration/lib/deploy.sh"
[ -f "$DEPLOY" ] || skip_all "no deploy emulator"

mig=$WORK/migrations
cp -r "$FIXTURES/migrations" "$mig"
evil_dir="20240801000000_x'); DROP TABLE \"Proxy_UserTable\";--"
mkdir -p "$mig/$evil_dir"
printf 'CREATE TABLE "Evil_Table" ("id" TEXT NOT NULL);\n' >"$mig/$evil_dir/migration.sql"
marker=$WORK/pwned
createdb inj || { tap_not_ok "createdb"; tap_done; exit 1; }
bash "$DEPLOY" deploy -d inj -m "$FIXTURES/migrations" >"$WORK/deploy.log" 2>&1
ok_if "fixture migrations deployed" grep -q 'migrations have been successfully applied\|have been applied' "$WORK/deploy.log"
# the hostile folder's table exists (made by hand): check will mark it applied (INSERT of its name)
psql -X -q -d inj -c 'CREATE TABLE "Evil_Table" ("id" TEXT NOT NULL)'
# failed rows of migrations this directory does not have: check marks them rolled back (by id)
psql -X -q -v ON_ERROR_STOP=1 -d inj -v marker="$marker" >"$WORK/rows.log" 2>&1 <<'SQL'
INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count) VALUES
 ('a''); DELETE FROM x;--', 'x'' OR ''1''=''1', '20990101000000_q''uote', E'ERROR: x\n\\! touch ' || :'marker', now(), 0),
 (E'b\\''; DROP TABLE "Proxy_KeyTable";', '$$;DROP TABLE "Proxy_KeyTable";$$', E'20990102000000_back\\slash\\''', NULL, now(), 0),
 ('c$tag$', 'd$migdoctor$e', E'20990103000000_dollar$migdoctor$\nDROP TABLE "Proxy_SpendLogs";', E'\x1b[31m*/ DROP TABLE x; /*', now(), 1),
 ('e', repeat('f', 64), E'20990104000000_\\! touch ' || :'marker', 'logs', now(), 0),
 ('f-long', repeat('9', 64), '20990105000000_' || repeat('long_', 40), 'x', now(), 0);
SQL
ok_if "hostile rows inserted" test "$(psql -X -At -d inj -c "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name LIKE '2099%'")" = 5
tap_diag <"$WORK/rows.log"
pg_dump -d inj -f "$WORK/dump.sql"
keep_rows() { # db: the rows the script must not touch (names with newlines stay on one line)
	psql -X -At -d "$1" -c "SELECT id, md5(migration_name), finished_at IS NULL, rolled_back_at IS NULL
		FROM _prisma_migrations WHERE migration_name NOT LIKE '2099%'
		AND migration_name NOT LIKE '20240801%' ORDER BY 1"
}
keep_rows inj >"$WORK/before.kept"

"$MIGDOCTOR" check -m "$mig" -H "$WORK/dump.sql" -o "$WORK/repair.sql" >"$WORK/report.txt" 2>"$WORK/err.txt"
ok_if "check writes a repair script" test -s "$WORK/repair.sql"
ok_if "no input byte outside the quoting: no line starts with a backslash command but \\set" \
	sh -c "! grep -n '^\\\\' '$WORK/repair.sql' | grep -v '^[0-9]*:\\\\set ON_ERROR_STOP on\$'"
for scs in on off; do
	dropdb --if-exists inj_$scs; createdb -T inj inj_$scs
	PGOPTIONS="-c standard_conforming_strings=$scs" psql -X -q -v ON_ERROR_STOP=1 -d inj_$scs -f "$WORK/repair.sql" \
		>"$WORK/apply.$scs" 2>&1
	ok_if "standard_conforming_strings=$scs: the script runs" test $? -eq 0
	ok_if "standard_conforming_strings=$scs: every table is still there" test \
		"$(psql -X -At -d inj_$scs -c "SELECT count(*) FROM pg_tables WHERE tablename IN
			('Proxy_UserTable','Proxy_TeamTable','Proxy_KeyTable','Proxy_SpendLogs','Evil_Table')")" = 5
	ok_if "standard_conforming_strings=$scs: no psql meta-command ran" test ! -e "$marker"
	keep_rows inj_$scs >"$WORK/after.$scs"
	golden "standard_conforming_strings=$scs: the other rows are untouched" "$WORK/before.kept" "$WORK/after.$scs"
	n=$(psql -X -At -d inj_$scs -c "SELECT count(*) FROM _prisma_migrations WHERE migration_name LIKE '2099%'
			AND finished_at IS NULL AND rolled_back_at IS NOT NULL")
	if [ "$n" = 5 ]; then tap_ok "standard_conforming_strings=$scs: the hostile failed rows are rolled back, by id"
	else
		tap_not_ok "standard_conforming_strings=$scs: the hostile failed rows are rolled back, by id ($n of 5)"
		psql -X -At -d inj_$scs -c "SELECT id, migration_name, finished_at, rolled_back_at FROM _prisma_migrations
			WHERE migration_name LIKE '2099%'" | tap_diag
		grep -E '^  (error|warning|info) ' "$WORK/report.txt" | tap_diag
	fi
	ok_if "standard_conforming_strings=$scs: the hostile folder is recorded applied under its exact name" test \
		"$(psql -X -At -d inj_$scs -v n="$evil_dir" -c "SELECT count(*) FROM _prisma_migrations WHERE migration_name = '$(printf '%s' "$evil_dir" | sed "s/'/''/g")' AND finished_at IS NOT NULL AND logs = ''")" = 1
done
tap_done
