#!/bin/bash
# syntax.sh - what PostgreSQL refuses to parse, migdoctor predicts to fail.
#
# Each case of fixtures/syntax/cases is sent to a real PostgreSQL as ONE
# query, the bytes as they are (as Prisma's native engine sends
# migration.sql): the server's SQLSTATE, message and position must be the
# case's .expect (which tests/unit/test_replay.c holds the parser to), the
# database must be left untouched, and 'migdoctor plan' on a directory
# holding the case must predict the same failure. Then two migrations go
# through the deploy emulator: a typo and a UTF-8 BOM.
source "$(dirname "$0")/lib/common.sh"
it_start

CASES=$MD_ROOT/fixtures/syntax/cases

# pg_answer FILE: PostgreSQL's answer in the .expect format: "ok", or
# "SQLSTATE LINE:COL" ("SQLSTATE -" without a position), then the message
pg_answer() {
	local f=$1 db=$2 s err code msg lineno caret
	s=$(cat "$f"; printf x); s=${s%x}
	# NOTICEs (an identifier truncated) are not the answer
	err=$(PGOPTIONS="-c client_min_messages=error" psql -X -q -v VERBOSITY=verbose -d "$db" -c "$s" 2>&1 >/dev/null
		printf x); err=${err%x}
	if [ -z "$err" ]; then echo ok; return; fi
	code=$(printf '%s' "$err" | sed -n '1s/^ERROR:  \([0-9A-Z]\{5\}\): .*/\1/p')
	# the message runs up to the first line that starts another field
	msg=$(printf '%s' "$err" | awk 'NR == 1 { sub(/^ERROR:  [0-9A-Z]+: /, ""); print; next }
		/^(LINE [0-9]+: |HINT:  |DETAIL:  |LOCATION:  |CONTEXT:  )/ { exit } { print }')
	lineno=$(printf '%s' "$err" | sed -n 's/^LINE \([0-9]*\): .*/\1/p' | head -n 1)
	if [ -n "$lineno" ]; then
		# psql's caret sits under the character, after "LINE n: "
		caret=$(printf '%s' "$err" | grep -m1 -x ' *^')
		echo "$code $lineno:$((${#caret} - ${#lineno} - 7))"
	else
		echo "$code -"
	fi
	printf '%s\n' "$msg"
}

# migdoctor's prediction in the same format, from 'plan --format json'
md_answer() { # migrations-dir
	"$MIGDOCTOR" plan -m "$1" --format json 2>/dev/null | python3 -c '
import json, sys
p = json.load(sys.stdin)["plan"]
f = p["fails"]
if p["outcome"] != "fails" or not f:
    print("ok")
else:
    pos = "%d:%d" % (f["error_line"], f["error_column"]) if "error_line" in f else "-"
    print(f["sqlstate"], pos)
    print(f["message"])'
}

n=0
db_new cases >/dev/null
for sql in "$CASES"/*.sql; do
	name=$(basename "$sql" .sql)
	n=$((n + 1))
	q cases "DROP SCHEMA public CASCADE; CREATE SCHEMA public" >/dev/null 2>&1
	pg_answer "$sql" cases >"$WORK/$name.pg"
	golden "$name: PostgreSQL answers as the case says" "$CASES/$name.expect" "$WORK/$name.pg"
	tables=$(q cases "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")
	if [ "$(head -n 1 "$CASES/$name.expect")" = ok ]; then
		ok_if "$name: every statement ran" test "$tables" -ge 2
	else
		ok_if "$name: nothing of the script ran" test "$tables" = 0
	fi
	mkdir -p "$WORK/m_$name/20240101000000_$name"
	cp "$sql" "$WORK/m_$name/20240101000000_$name/migration.sql"
	md_answer "$WORK/m_$name" >"$WORK/$name.md"
	# a message that runs over lines is cut at the first line end in a report
	python3 - "$WORK/$name.pg" "$WORK/$name.md" >"$WORK/$name.cmp" <<'EOF'
import sys
pg = open(sys.argv[1], encoding="utf-8").read().split("\n", 1)
md = open(sys.argv[2], encoding="utf-8").read().split("\n", 1)
if pg[0] != md[0]:
    sys.exit("status/position: PostgreSQL %r, migdoctor %r" % (pg[0], md[0]))
if len(pg) > 1:
    want, got = pg[1].rstrip("\n"), md[1].rstrip("\n")
    if "\n" in want or len(want.encode()) > 200:
        ok = got.endswith("...\"") or got.endswith("...")
        ok = ok and want.startswith(got.rstrip('"').rstrip("."))
    else:
        ok = want == got
    if not ok:
        sys.exit("message: PostgreSQL %r, migdoctor %r" % (want, got))
EOF
	if [ $? = 0 ]; then tap_ok "$name: migdoctor plan predicts PostgreSQL's answer"
	else tap_not_ok "$name: migdoctor plan predicts PostgreSQL's answer"; tap_diag <"$WORK/$name.cmp"; fi
done
ok_if "at least 15 cases" test "$n" -ge 15

# --- random scripts of SQL tokens, quotes, comments, BOMs and CRLFs: whenever
# PostgreSQL refuses to parse one, migdoctor predicts exactly that (SQLSTATE,
# message, line; the column where psql's caret can show it: an ASCII line),
# and it never predicts a syntax error PostgreSQL does not give
python3 - "$WORK/rnd" <<'EOF2'
import os, random, sys
r = random.Random(15)
toks = ["CREATE", "TABLE", '"T"', "(", ")", ";", "'", "$$", "$a$", "/*", "*/", "--", "\n", " ", "id",
        "int", ",", "\ufeff", "DO", "BEGIN", "END", "E'\\u00'", '"', "\u00e9", "ALTER", "ADD", "COLUMN",
        "\r\n", "x", "1", "U&'\\0'", "CREATE ASSERTION a CHECK (true)", "SELECT", "DEFAULT", "10days"]
os.makedirs(sys.argv[1])
for i in range(150):
    s = "".join(r.choice(toks) + (" " if r.random() < 0.5 else "") for _ in range(r.randrange(1, 30)))
    d = os.path.join(sys.argv[1], "m%03d" % i, "20240101000000_r")
    os.makedirs(d)
    open(os.path.join(d, "migration.sql"), "w", encoding="utf-8", newline="").write(s)
EOF2
db_new rnd >/dev/null
# the parser's verdict does not depend on what earlier scripts made: one database
for d in "$WORK"/rnd/m*; do pg_answer "$d/20240101000000_r/migration.sql" rnd >"$d/pg"; done
python3 - "$MIGDOCTOR" "$WORK"/rnd/m* >"$WORK/rnd.out" <<'EOF2'
import json, subprocess, sys
SYNTAX = ("42601", "0A000", "22025")
nrej = 0
bad = []
for d in sys.argv[2:]:
    src = open(d + "/20240101000000_r/migration.sql", encoding="utf-8", newline="").read()
    pg = open(d + "/pg", encoding="utf-8", errors="replace").read().split("\n", 1)
    out = subprocess.run([sys.argv[1], "plan", "-m", d, "--format", "json"], capture_output=True)
    f = json.loads(out.stdout)["plan"]["fails"]
    mcode = f["sqlstate"] if f else "ok"
    mpos = "%d:%d" % (f["error_line"], f["error_column"]) if f and "error_line" in f else "-"
    code = pg[0].split()[0]
    if code not in SYNTAX:
        # accepted by the parser (a later error, a NOTICE first, or success)
        if mcode in SYNTAX:
            bad.append("%s: migdoctor predicts %s, PostgreSQL's parser accepts it (%r)" % (d, mcode, pg[0]))
        continue
    nrej += 1
    pos = pg[0].split()[1]
    if mcode != code:
        bad.append("%s: PostgreSQL %r, migdoctor %s" % (d, pg[0], mcode))
        continue
    if pos != "-":
        line = int(pos.split(":")[0])
        text = src.replace("\r\n", "\n").split("\n")[line - 1]
        # psql's caret counts display width: exact only on a plain ASCII line
        exact = text.isascii() and "\t" not in text and "\r" not in text
        if (exact and pos != mpos) or mpos.split(":")[0] != str(line):
            bad.append("%s: position: PostgreSQL %s, migdoctor %s" % (d, pos, mpos))
            continue
    want, got = pg[1].rstrip("\n"), f["message"]
    if "\n" in want or len(want.encode()) > 200:
        ok = want.startswith(got[:-4] if got.endswith('..."') else got[:-3])
    else:
        ok = want == got
    if not ok:
        bad.append("%s: message: PostgreSQL %r, migdoctor %r" % (d, want, got))
print(nrej, len(bad))
for b in bad[:5]:
    print("#", b)
EOF2
read -r nrej nbad <"$WORK/rnd.out"
ok_if "random scripts: PostgreSQL refused many of them (${nrej:-?} of 150)" test "${nrej:-0}" -ge 60
if [ "${nbad:-1}" = 0 ]; then tap_ok "random scripts: migdoctor predicts PostgreSQL's parser on every one"
else tap_not_ok "random scripts: migdoctor predicts PostgreSQL's parser on every one (${nbad:-?} differ)"
	tail -n +2 "$WORK/rnd.out"; fi

# --- through the deploy emulator: the migration fails whole, P3018 as predicted
mig=$WORK/deploy
mkdir -p "$mig/20240101000000_init" "$mig/20240102000000_typo" "$mig/20240103000000_later"
printf 'provider = "postgresql"\n' >"$mig/migration_lock.toml"
printf -- '-- CreateTable\nCREATE TABLE "Init" (id INT);\n' >"$mig/20240101000000_init/migration.sql"
printf -- '-- CreateTable\nCREATE TABLE "Typo" (id INT);\n\n-- CreateIndex\nCREATE UNIQUE INDEXX "Typo_id_key" ON "Typo"("id");\n' \
	>"$mig/20240102000000_typo/migration.sql"
printf -- '-- CreateTable\nCREATE TABLE "Later" (id INT);\n' >"$mig/20240103000000_later/migration.sql"
"$MIGDOCTOR" plan -m "$mig" >"$WORK/plan.out" 2>"$WORK/plan.err"
ok_if "typo: plan predicts the failure at its position" \
	grep -qF '  FAILS at 20240102000000_typo, '"$mig"'/20240102000000_typo/migration.sql:5:15: 42601 syntax error at or near "INDEXX"' "$WORK/plan.out"
db_new deploy_typo >/dev/null
deploy deploy -d deploy_typo -m "$mig" >"$WORK/out" 2>"$WORK/err"; rc=$?
ok_if "typo: deploy fails" test $rc = 1
ok_if "typo: P3018 with 42601" grep -qx 'Database error code: 42601' "$WORK/err"
ok_if "typo: PostgreSQL's message is migdoctor's" grep -qxF 'ERROR: syntax error at or near "INDEXX"' "$WORK/err"
ok_if "typo: the earlier migration applied, nothing of the failed one" \
	test "$(q deploy_typo "SELECT to_regclass('\"Init\"') IS NOT NULL AND to_regclass('\"Typo\"') IS NULL")" = t
ok_if "typo: its row is left failed" test "$(q deploy_typo "SELECT count(*) FROM _prisma_migrations
	WHERE migration_name = '20240102000000_typo' AND finished_at IS NULL AND applied_steps_count = 0")" = 1
pg_dump -d deploy_typo >"$WORK/typo.sql"
run_exit 1 "typo: check on the failed database reports it" "$MIGDOCTOR" check -m "$mig" -H "$WORK/typo.sql"
ok_if "typo: MD001 for the failed migration" grep -q 'MD001.*20240102000000_typo' "$WORK/last.out"

# the golden fixture of tests/golden/syntax.sh: an unclosed parenthesis
fix=$MD_ROOT/fixtures/syntax/migrations
db_new deploy_paren >/dev/null
deploy deploy -d deploy_paren -m "$fix" >"$WORK/out" 2>"$WORK/err"
ok_if "paren fixture: P3018 at the migration the golden plan names" \
	grep -qx 'Migration name: 20240102000000_unbalanced' "$WORK/err"
ok_if "paren fixture: 42601 as predicted" grep -qx 'Database error code: 42601' "$WORK/err"
ok_if "paren fixture: the message of the golden plan" grep -qxF 'ERROR: syntax error at or near ";"' "$WORK/err"
ok_if "paren fixture: the line of the golden plan (Position block)" \
	grep -qF "$(printf '\033[1;31m  6     CONSTRAINT "Team_pkey" PRIMARY KEY ("id");')" "$WORK/err"
ok_if "paren fixture: nothing of it ran" test "$(q deploy_paren "SELECT to_regclass('\"Team\"') IS NULL")" = t

# a UTF-8 BOM before Prisma's first comment: PostgreSQL reads it as an identifier
bom=$WORK/bom
mkdir -p "$bom/20240101000000_init" "$bom/20240102000000_bom"
cp "$mig/20240101000000_init/migration.sql" "$bom/20240101000000_init/"
printf '\xef\xbb\xbf-- CreateTable\nCREATE TABLE "Bom" (id INT);\n' >"$bom/20240102000000_bom/migration.sql"
db_new deploy_bom >/dev/null
deploy deploy -d deploy_bom -m "$bom" --engine native >/dev/null 2>&1
q deploy_bom "SELECT logs FROM _prisma_migrations WHERE migration_name = '20240102000000_bom'" >"$WORK/bom.logs"
"$MIGDOCTOR" plan -m "$bom" >"$WORK/plan.out" 2>"$WORK/plan.err"
ok_if "bom: plan predicts 42601 at 1:1" \
	grep -qF "  FAILS at 20240102000000_bom, $bom/20240102000000_bom/migration.sql:1:1: 42601 syntax error at or near \"$(printf '\xef\xbb\xbf')\"" "$WORK/plan.out"
ok_if "bom: deploy failed there with the same message" \
	grep -qxF "ERROR: syntax error at or near \"$(printf '\xef\xbb\xbf')\"" "$WORK/bom.logs"
ok_if "bom: nothing of it ran" test "$(q deploy_bom "SELECT to_regclass('\"Bom\"') IS NULL")" = t
# the same directory on a database where only init ran: check predicts MD006
db_new before_bom >/dev/null
mig_prefix "$WORK/bom_init" "$bom" 20240101000000_init
deploy deploy -d before_bom -m "$WORK/bom_init" >/dev/null 2>&1
pg_dump -d before_bom >"$WORK/before_bom.sql"
run_exit 1 "bom: check with the pending migration exits 1" "$MIGDOCTOR" check -m "$bom" -H "$WORK/before_bom.sql"
ok_if "bom: MD006 pending-will-fail with 42601" grep -q 'MD006 deploy will fail at 20240102000000_bom with 42601: syntax error at or near' "$WORK/last.out"
ok_if "bom: the report names the position" grep -qF "$bom/20240102000000_bom/migration.sql:1: column 1: syntax error" "$WORK/last.out"
tap_done
