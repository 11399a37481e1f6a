#!/bin/bash
# deploy.sh - the text of the deploy script ('plan -o', doc/deploy-script.md)
# on the fixtures, and the plans for which none is written. The healthy
# scenario's database plus two pending migrations of tests/golden/deploy/
# pending (one holds what psql must not read: a line starting with a
# backslash, a :variable, the script's own dollar tag). The suite
# tests/integration/deploy_script.sh runs such scripts on PostgreSQL.
# Regenerate with MD_UPDATE_GOLDEN=1.
source "$MD_ROOT/tests/lib/tap.sh"
G="$MD_TESTS_DIR/golden/deploy"
S="$MD_TESTS_DIR/scenarios"
cd "$WORK" || exit 1 # relative paths: the goldens hold them
cp -rL "$S/healthy/migrations" mig && cp -r "$G/pending/"* mig/ && cp "$S/healthy/dump.sql" dump.sql

expect_exit 0 "plan -o: two pending migrations, a script (exit 0)" \
	"$MIGDOCTOR" plan -m mig -H dump.sql -o deploy.sql
golden "the deploy script" "$G/deploy.sql" deploy.sql
ok_if "the report names it" grep -qx 'Deploy script written to deploy.sql: review it, then run it with psql.' .out
ok_if "each migration.sql byte for byte in one dollar quote, sent by \\gexec" python3 -c '
import re, sys
script = open("deploy.sql", "rb").read()
for name in ["20240801000000_key_tags", "20240802000000_comments"]:
    text = open("mig/%s/migration.sql" % name, "rb").read()
    at = script.index(b"] " + name.encode())
    m = re.search(rb"\nSELECT (\$migdoctor_sql[0-9]*\$)", script[at:])
    tag = m.group(1)
    start = at + m.end()
    end = script.index(tag + b" \\gexec\n", start)
    if script[start:end] != text or tag in text:
        sys.exit("%s: not byte for byte" % name)
'
psql_reads() { # script: outside the dollar quotes, only the script's own psql commands
	python3 -c '
import re, sys
script = open(sys.argv[1]).read()
outside = re.sub(r"SELECT (\$migdoctor_sql[0-9]*\$).*?\1 \\gexec", "SELECT", script, flags=re.S)
bad = [l for l in outside.split("\n") if "\\" in l and not l.startswith("--") and
       l not in ("\\set ON_ERROR_STOP on", "\\set ON_ERROR_STOP off", "\\set AUTOCOMMIT on",
                 "\\if true", "\\if :{?ERROR}", "\\if :ERROR", "\\if :ROW_COUNT", "\\else",
                 "\\endif", "\\unset migdoctor_row",
                 "SELECT current_user AS migdoctor_role \\gset",
                 "    RETURNING id AS migdoctor_row \\gset",
                 "SELECT pg_catalog.current_schema() AS migdoctor_schema \\gset",
                 "\\if :{?migdoctor_schema}") and not l.startswith("\\echo ")]
if bad or "touch" in outside:
    sys.exit("\n".join(bad) or "touch outside")
' "$1"
}
ok_if "outside the dollar quotes, psql reads only the script's own commands" psql_reads deploy.sql
# the bookkeeping names the row by psql's variable, never by a session
# setting a migration could reset, and the table always with its schema
ok_if "the row's id is psql's (migdoctor_row), no session setting" sh -c '
	! grep -q "current_setting\|set_config" deploy.sql && grep -c ":.migdoctor_row." deploy.sql | grep -qx 6'
qualified() { # script prefix: every _prisma_migrations outside comments and DO blocks
	python3 - "$1" "$2" <<'PY'
import re, sys
script, prefix = open(sys.argv[1]).read(), sys.argv[2]
script = re.sub(r"SELECT (\$migdoctor_sql[0-9]*\$).*?\1 \\gexec", "", script, flags=re.S)
script = re.sub(r"\nDO (\$migdoctor[0-9]*\$).*?\1", "", script, flags=re.S)
lines = [l for l in script.split("\n") if not l.startswith(("--", "\\echo "))]
uses = [l for l in lines if "_prisma_migrations" in l]
bad = [l for l in uses if l.count("_prisma_migrations") != l.count(prefix + '"_prisma_migrations"')]
sys.exit("\n".join(bad) if bad or len(uses) < 5 else 0)
PY
}
ok_if "... and the table qualified with the dump's schema" qualified deploy.sql '"public".'

# a CSV history names no schema: the script reads it from the session, once
awk '/^COPY public._prisma_migrations /{on=1; print "id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count"; next}
	on && /^\\\.$/ {on=0} on {gsub(/\\N/, ""); gsub(/\t/, ","); print}' dump.sql >history.csv
expect_exit 0 "plan -o, a CSV history (no schema named): a script" \
	"$MIGDOCTOR" plan -m mig -H history.csv -s dump.sql -o deploy-csv.sql
golden "the deploy script, CSV history" "$G/deploy-csv.sql" deploy-csv.sql
ok_if "... the table qualified with the schema read at the start" qualified deploy-csv.sql ':"migdoctor_schema".'
ok_if "... psql reads only the script's own commands" psql_reads deploy-csv.sql

expect_exit 0 "plan -o -: the script on stdout" "$MIGDOCTOR" plan -m mig -H dump.sql -o -
ok_if "... the same script" cmp -s .out deploy.sql
ok_if "... the report on stderr" grep -q 'Deploy script written to standard output' .err
expect_exit 0 "plan -o --format json" "$MIGDOCTOR" plan -m mig -H dump.sql -o deploy.sql --format json
ok_if "... repair_script names the deploy script" python3 -c '
import json, sys; sys.exit(json.load(open(".out"))["repair_script"] != "deploy.sql")'

# refused: exit 1, the reason on stderr, no script, an earlier one removed
refused() { # name grep-pattern args...
	local name=$1 pat=$2
	shift 2
	echo '-- migdoctor deploy script (an earlier run)' >old.sql
	expect_exit 1 "refused, exit 1: $name" "$MIGDOCTOR" plan "$@" -o old.sql
	ok_if "... says why, and that the repair comes first" \
		sh -c 'grep -q "refusing to write the deploy script: .*$1" .err && grep -q "migdoctor check" .err' _ "$pat"
	ok_if "... the earlier script removed" test ! -e old.sql
}
refused "a failing statement (the broken scenario)" "'migrate deploy' is predicted to fail at .*42P01" \
	-m "$S/recipe1/migrations" -H "$S/recipe1/dump.sql"
refused "P3009 (a failed row)" "P3009" -m "$S/failed-partial/migrations" -H "$S/failed-partial/history.csv" \
	-s "$S/failed-partial/schema.sql"
refused "P3005 (not baselined)" "P3005" -m "$S/not-baselined/migrations" -H "$S/not-baselined/dump.sql"
cp -r mig mysql && echo 'provider = "mysql"' >mysql/migration_lock.toml
refused "P3019 (the lock file)" "P3019" -m mysql -H dump.sql
echo '-- migdoctor deploy script (an earlier run)' >old.sql
expect_exit 1 "refused, exit 1: no rows of _prisma_migrations (-m alone)" "$MIGDOCTOR" plan -m mig -o old.sql
ok_if "... asks for -H" grep -q "none were given; give them with -H" .err
ok_if "... the earlier script removed" test ! -e old.sql

# nothing to apply: no script, exit 0, an earlier one removed, anything else kept
echo '-- migdoctor deploy script (an earlier run)' >old.sql
expect_exit 0 "nothing to apply: exit 0" "$MIGDOCTOR" plan -m "$S/healthy/migrations" -H dump.sql -o old.sql
ok_if "... the earlier script removed, and said" \
	sh -c 'test ! -e old.sql && grep -q "removed the stale deploy script old.sql" .err'
echo 'SELECT 1;' >mine.sql
expect_exit 0 "nothing to apply, -o names another file: exit 0" \
	"$MIGDOCTOR" plan -m "$S/healthy/migrations" -H dump.sql -o mine.sql
ok_if "... kept, with a warning" sh -c 'grep -qx "SELECT 1;" mine.sql && grep -q "not a migdoctor deploy script" .err'
ok_if "a repair script is not taken for a deploy script (kept)" sh -c '
	echo "-- migdoctor repair script" >r.sql; "$1" plan -m "$2/healthy/migrations" -H dump.sql -o r.sql 2>/dev/null
	test -s r.sql' _ "$MIGDOCTOR" "$S"

# -o is written as check -o writes: a directory is refused before reading
expect_exit 2 "plan -o DIRECTORY: exit 2" "$MIGDOCTOR" plan -m mig -H dump.sql -o "$WORK"
ln -s target.sql link.sql
expect_exit 0 "plan -o SYMLINK: its target is written" "$MIGDOCTOR" plan -m mig -H dump.sql -o link.sql
ok_if "... the link stays, the target holds the script" sh -c 'test -L link.sql && cmp -s target.sql deploy.sql'

# a migration name that is not plain ASCII reaches SQL through quote.c only
cp -r mig odd && mv odd/20240802000000_comments "odd/20240802000000_it's"
expect_exit 0 "a name with a quote: a script" "$MIGDOCTOR" plan -m odd -H dump.sql -o odd.sql
ok_if "... the name as a hex literal, never raw" python3 -c '
import sys
sql = [l for l in open("odd.sql").read().split("\n") if not l.startswith("--")]
sql = "\n".join(sql)
hexname = "20240802000000_it\x27s".encode().hex()
sys.exit(hexname not in sql or "it\x27s" in sql)'
tap_done
