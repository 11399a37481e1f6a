#!/bin/bash
# bundle.sh - 'migdoctor bundle' (issue 12): what leaves the customer's site
# holds no table data and no secret, and 'check' concludes on it what it
# concludes on the files it was made from.
#
# A LiteLLM-like database on the real PostgreSQL, broken the way recipe 1 of
# LiteLLM's guide describes (a rollback lost "DeletedTeam" while its row
# stayed applied), with canary secrets planted in table data (keys, a master
# key and a database URL in a config table, emails, key metadata), in a
# column default (DDL), and in the start-up log next to the migration lines.
# The database is dumped in every format; each dump is bundled; every canary
# is searched in the tar's raw bytes, in the extracted members and after
# gunzip; check on the bundle must give the finding codes, migrations and
# repair script body that check on the dump gives.
source "$(dirname "$0")/lib/common.sh"
source "$IT_LIB/break.sh"
source "$IT_LIB/litellm.sh"
it_start

"$MIGDOCTOR" bundle --help >/dev/null 2>&1 || skip_all "no 'migdoctor bundle' in this build"
have_python=0
command -v python3 >/dev/null && have_python=1

V2=$FIX_MIG
DA=$WORK/dirs/a; mig_prefix "$DA" "$V2" 20240301000000_add_deleted_team

# --- the canaries: none may appear in any bundle
KEY=sk-canaryKEY0a1b2c3d4e5f6g7h8
MASTER=sk-canaryMASTER9z8y7x6w5v
PW=canaryPW-hunter2-q9
EMAIL=canary.owner@customer-corp.example
BEARER=canaryBEARERtok3nXYZ123456
DEFAULT_TOKEN=canaryDEFAULTtoken42
ROWDATA=canaryROWDATA-plain-text-77   # no secret shape: only "no table data" keeps it out
CANARIES=("$KEY" "$MASTER" "$PW" "$EMAIL" "$BEARER" "$DEFAULT_TOKEN" "$ROWDATA")

DB=b_recipe1
db_new $DB >/dev/null
deploy deploy -d $DB -m "$DA" >"$WORK/d.log" 2>&1 || { tap_not_ok "fixture migrations deploy"; tap_diag <"$WORK/d.log"; }
pg_psql -d $DB -v ON_ERROR_STOP=1 >"$WORK/seed.log" 2>&1 <<EOF
CREATE TABLE "LiteLLM_VerificationToken" (token text PRIMARY KEY, key_alias text, metadata jsonb,
	user_email text);
INSERT INTO "LiteLLM_VerificationToken" VALUES ('$KEY', '$ROWDATA',
	'{"api_key": "$KEY", "owner": "$EMAIL", "note": "$ROWDATA"}', '$EMAIL');
CREATE TABLE "LiteLLM_Config" (param_name text PRIMARY KEY,
	param_value jsonb DEFAULT '{"token": "$DEFAULT_TOKEN"}');
INSERT INTO "LiteLLM_Config" VALUES ('general_settings',
	'{"master_key": "$MASTER", "database_url": "postgresql://llmproxy:$PW@db:5432/litellm"}');
INSERT INTO "User" (id, email) VALUES ('u1', '$EMAIL'), ('u2', '$ROWDATA@x.example');
INSERT INTO "SpendLog" SELECT 'spend-' || g, 'u1', g * 0.001, now() FROM generate_series(1, 20000) g;
EOF
ok_if "canaries planted in table data and DDL" sh -c "cat '$WORK/seed.log'; test '$(q $DB "SELECT count(*) FROM \"SpendLog\"")' = 20000"
break_drop $DB 'DROP TABLE "DeletedTeam"'
LOG=$WORK/startup.log
{
	echo "DATABASE_URL=postgres://llmproxy:$PW@db:5432/litellm"
	echo "master_key: $MASTER"
	echo "{\"level\": \"INFO\", \"message\": \"new key\", \"api_key\": \"$KEY\", \"user\": \"$EMAIL\"}"
	echo "INFO:     POST /key/generate Authorization: Bearer $BEARER"
} >"$LOG"
litellm_start $DB "$V2" "$LOG" 1.80.17
ok_if "LiteLLM start-up fails with P3018 42P01 (recipe 1)" grep -qx 'Database error code: 42P01' "$LOG"
{
	echo "LiteLLM: Proxy initialized with Config, Set models: gpt-4o; master_key: $MASTER"
	echo "connecting to postgresql://llmproxy:$PW@db:5432/litellm as $EMAIL"
} >>"$LOG"
for c in "${CANARIES[@]:0:5}"; do
	ok_if "the log holds canary ${c:0:14}..." grep -qF -- "$c" "$LOG"
done

# --- every format
E=$WORK/exp; mkdir -p "$E"
pg_dump -d $DB -f "$E/full.sql" &&
	pg_dump -Fc -d $DB -f "$E/full.dump" &&
	pg_dump -Fd -d $DB -f "$E/full.dir" &&
	pg_dump -Ft -d $DB -f "$E/full.tar" &&
	pg_dump -s -d $DB -f "$E/schema.sql" &&
	psql -X -q -d $DB -c "\\copy _prisma_migrations to '$E/history.csv' csv header" &&
	gzip -c "$E/full.sql" >"$E/full.sql.gz" ||
	tap_not_ok "the database exports in every format"
ok_if "the plain dump holds the canaries" grep -qF -- "$ROWDATA" "$E/full.sql"

# format: label and the inputs (the same for bundle and check)
FORMATS=(plain custom directory tar gzip csv)
inputs() {
	case $1 in
	plain) echo "$E/full.sql" ;;
	custom) echo "$E/full.dump" ;;
	directory) echo "$E/full.dir" ;;
	tar) echo "$E/full.tar" ;;
	gzip) echo "$E/full.sql.gz" ;;
	csv) echo "-H $E/history.csv -s $E/schema.sql" ;;
	esac
}
hist_file() { # the file whose rows are read
	case $1 in csv) echo "$E/history.csv" ;; *) inputs "$1" ;; esac
}

no_canary() { # dir-or-file
	local c hit=0
	for c in "${CANARIES[@]}"; do
		if grep -raqF -- "$c" "$1"; then echo "found $c in $1"; grep -raF -- "$c" "$1" | head -n 3; hit=1; fi
	done
	return $hit
}
codes() { # json report -> "CODE migration" lines, sorted
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    print(f["code"], f.get("migration") or "-")
' "$1" | LC_ALL=C sort
}
body() { sed '/^-- Inputs:/,/^--$/d' "$1"; }

B=$WORK/bundles; mkdir -p "$B"
for f in "${FORMATS[@]}"; do
	# shellcheck disable=SC2046
	expect_exit 0 "$f: bundle is written" "$MIGDOCTOR" bundle $(inputs $f) -l "$LOG" -o "$B/$f.tar"
	ok_if "$f: the bundle is a tar" tar tf "$B/$f.tar"
	ok_if "$f: no canary in the tar's bytes" no_canary "$B/$f.tar"
	rm -rf "$B/$f.x"; mkdir -p "$B/$f.x"; tar xf "$B/$f.tar" -C "$B/$f.x"
	ok_if "$f: no canary in the extracted members" no_canary "$B/$f.x"
	gzip -c "$B/$f.tar" >"$B/$f.tar.gz"
	ok_if "$f: no canary after gzip -d of the bundle" sh -c "gzip -dc '$B/$f.tar.gz' | grep -aqF -e '$KEY' -e '$PW' -e '$EMAIL' -e '$ROWDATA' && exit 1 || exit 0"
	ok_if "$f: secrets replaced by markers" grep -rqF '[REDACTED:' "$B/$f.x"
	ok_if "$f: every schema statement of pg_dump is kept" sh -c "! grep -q MIGDOCTOR_LEFT_OUT '$B/$f.x/migdoctor-bundle/dump.sql'"
	ok_if "$f: the kept log lines hold the P3018 block" grep -qx 'Database error code: 42P01' "$B/$f.x"/migdoctor-bundle/logs/1-startup.log
	sha=$(if [ -d "$(hist_file $f)" ]; then echo none; else sha256sum "$(hist_file $f)" | cut -d' ' -f1; fi)
	if [ "$sha" != none ]; then
		ok_if "$f: the manifest names the source with its sha256" grep -qF "\"sha256\": \"$sha\"" "$B/$f.x/migdoctor-bundle/manifest.json"
	fi
	ok_if "$f: the manifest names the log with its sha256" grep -qF "\"sha256\": \"$(sha256sum "$LOG" | cut -d' ' -f1)\"" "$B/$f.x/migdoctor-bundle/manifest.json"
	# shellcheck disable=SC2046
	expect_exit 0 "$f: a second run" "$MIGDOCTOR" bundle $(inputs $f) -l "$LOG" -o "$B/$f.again.tar"
	ok_if "$f: two runs give byte-identical bundles" cmp "$B/$f.tar" "$B/$f.again.tar"

	# check on the originals and on the bundle
	# shellcheck disable=SC2046
	"$MIGDOCTOR" check -m "$V2" $(inputs $f) -l "$LOG" -o "$B/$f.orig.sql" --format json >"$B/$f.orig.json" 2>"$B/$f.orig.err"
	rc_o=$?
	"$MIGDOCTOR" check -m "$V2" "$B/$f.tar" -o "$B/$f.bundle.sql" --format json >"$B/$f.bundle.json" 2>"$B/$f.bundle.err"
	rc_b=$?
	ok_if "$f: check exits alike on the dump and the bundle ($rc_o)" test "$rc_o" = "$rc_b" -a "$rc_o" = 1
	if [ $have_python = 1 ]; then
		codes "$B/$f.orig.json" >"$B/$f.orig.codes"
		codes "$B/$f.bundle.json" >"$B/$f.bundle.codes"
		ok_if "$f: check finds MD003 on the dump" grep -q '^MD003 20240301000000_add_deleted_team' "$B/$f.orig.codes"
		golden "$f: check on the bundle: the same finding codes and migrations" "$B/$f.orig.codes" "$B/$f.bundle.codes"
		ok_if "$f: the report names the bundle and the files it was made from" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
b = [i for i in d["inputs"] if i["role"] == "bundle"]
assert b and sys.argv[2] in b[0]["detail"] and "startup.log" in b[0]["detail"], d["inputs"]' "$B/$f.bundle.json" "$(basename "$(hist_file $f)")"
	fi
	body "$B/$f.orig.sql" >"$B/$f.orig.body"
	body "$B/$f.bundle.sql" >"$B/$f.bundle.body"
	ok_if "$f: a repair script is written from the bundle" grep -q '^BEGIN;' "$B/$f.bundle.body"
	golden "$f: the same repair script body (but the inputs list)" "$B/$f.orig.body" "$B/$f.bundle.body"
done

# the script made from the bundle repairs the database
cp "$B/plain.bundle.sql" "$WORK/repair.sql"
ok_if "the bundle's repair script runs" pg_psql -v ON_ERROR_STOP=1 -d $DB -f "$WORK/repair.sql"
ok_if "deploy succeeds after it" deploy deploy -d $DB -m "$V2"

# --- what the bundle holds, and how big it is
X=$B/plain.x/migdoctor-bundle
in_file() { grep -q -- "$1" "$2" || { cat "$2"; return 1; }; } # regex file
ok_if "plain: the bundle is a small fraction of the dump" sh -c "ls -l '$B/plain.tar' '$E/full.sql'; test $(($(stat -c %s "$B/plain.tar") * 10)) -lt $(stat -c %s "$E/full.sql")"
ok_if "plain: sizes.json counts SpendLog's 20000 rows" in_file 'public.SpendLog", "bytes": [1-9][0-9]*, "rows": 20000, "compressed": false}' "$X/sizes.json"
ok_if "plain: sizes.json counts _prisma_migrations' rows" in_file '"public._prisma_migrations", "bytes": [1-9][0-9]*, "rows": [1-9][0-9]*, "compressed": false}' "$X/sizes.json"
ok_if "custom: sizes.json has the stored block of SpendLog" in_file 'public.SpendLog", "bytes": [1-9][0-9]*, "rows": null' "$B/custom.x/migdoctor-bundle/sizes.json"
ok_if "directory: sizes.json has SpendLog's data file" in_file 'public.SpendLog", "bytes": [1-9][0-9]*, "rows": null' "$B/directory.x/migdoctor-bundle/sizes.json"
ok_if "tar: sizes.json has SpendLog's member" in_file 'public.SpendLog", "bytes": [1-9][0-9]*, "rows": null' "$B/tar.x/migdoctor-bundle/sizes.json"
ok_if "plain: the rows are kept with NULL distinct from ''" sh -c "'$MIGDOCTOR' history --format json '$E/full.sql' | grep -v '\"source\"\\|\"format\"' >'$WORK/h1'; '$MIGDOCTOR' history --format json '$B/plain.tar' | grep -v '\"source\"\\|\"format\"' >'$WORK/h2'; diff '$WORK/h1' '$WORK/h2' | grep -v '\"file\"\\|\"line\"' | grep -q '^[<>]' && exit 1 || exit 0"
ok_if "plain: no COPY block but _prisma_migrations in dump.sql" test "$(grep -c '^COPY ' "$X/dump.sql")" = 1
ok_if "csv: the ambiguous NULL/'' of the CSV is kept" grep -q '"null_ambiguous": \[\[' "$B/csv.x/migdoctor-bundle/manifest.json"

# --- usage and input errors
expect_exit 2 "bundle without -o is a usage error" "$MIGDOCTOR" bundle "$E/full.sql"
expect_exit 2 "a bundle of a bundle is refused" "$MIGDOCTOR" bundle "$B/plain.tar" -o "$WORK/x.tar"
printf 'hello\n' >"$WORK/junk.txt"
expect_exit 3 "an input that is nothing known: exit 3" "$MIGDOCTOR" bundle "$WORK/junk.txt" -o "$WORK/x.tar"
ok_if "nothing is written on error" test ! -e "$WORK/x.tar"
head -c 3000 "$B/plain.tar" >"$WORK/cut.tar"
expect_exit 3 "check on a truncated bundle: exit 3" "$MIGDOCTOR" check "$WORK/cut.tar"
tap_done
