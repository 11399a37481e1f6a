#!/bin/bash
# json_hostile.sh - every JSON output of every command parses as strict
# JSON (UTF-8, no raw control character) when the inputs hold byte 0xFF,
# control characters and invalid UTF-8 in names, values and logs. The
# history copy of the JSON writer once let 0xFF through.
source "$MD_ROOT/tests/lib/tap.sh"
H=$WORK/hostile
mkdir -p "$H"

# strict: the bytes must be UTF-8, and json rejects raw control characters in strings
valid_json() {
	python3 -c 'import json, sys; json.loads(open(sys.argv[1], "rb").read().decode("utf-8"))' "$1"
}
# the byte soup: 0xFF, ESC, 0x01, DEL, a cut 2-byte sequence, an overlong '/', a surrogate, a tab
BAD=$'\xff\x1b[31m\x01\x7f\xc3(\xc0\xaf\xed\xa0\x80\t'

# --- a migrations folder: a hostile folder name, hostile identifiers and comments ---
M=$H/migrations
mkdir -p "$M/20240101000000_init" "$M/20240102000000_bad${BAD//\//_}"
printf 'CREATE TABLE "users" ("id" TEXT NOT NULL, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));\n' \
	>"$M/20240101000000_init/migration.sql"
printf -- '-- %s\nCREATE TABLE "t%s" ("c%s" TEXT, "d" TEXT DEFAULT '"'"'%s'"'"');\nALTER TABLE "missing%s" ADD COLUMN "x" INT;\n' \
	"$BAD" "$BAD" "$BAD" "$BAD" "$BAD" >"$M/20240102000000_bad${BAD//\//_}/migration.sql"
printf 'provider = "postgresql"\n' >"$M/migration_lock.toml"
BADDIR=$(basename "$M"/20240102000000_bad*)

# --- a CSV of _prisma_migrations: hostile names and logs ---
{
	echo "id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count"
	echo "a1,0000,2026-01-01 00:00:01+00,20240101000000_init,,,2026-01-01 00:00:00+00,1"
	printf '"a2%s","%s",,"%s","line1%s\nline2 %s",,2026-01-01 00:00:02+00,0\n' \
		"$BAD" "$BAD" "$BADDIR" "$BAD" "$BAD"
	printf 'a3,00,2026-01-01 00:00:03+00,"zz_unknown%s","%s",,2026-01-01 00:00:03+00,1\n' "$BAD" "$BAD"
} >"$H/history.csv"

# --- a plain dump with hostile DDL and rows ---
{
	printf 'SET client_encoding = '"'"'UTF8'"'"';\n'
	printf 'CREATE TABLE public."users" ("id" text NOT NULL);\n'
	printf 'CREATE TABLE public."t%s" ("c%s" text DEFAULT '"'"'%s'"'"');\n' "$BAD" "$BAD" "$BAD"
	printf 'CREATE TABLE public._prisma_migrations (id character varying(36) NOT NULL, checksum character varying(64) NOT NULL, finished_at timestamp with time zone, migration_name character varying(255) NOT NULL, logs text, rolled_back_at timestamp with time zone, started_at timestamp with time zone DEFAULT now() NOT NULL, applied_steps_count integer DEFAULT 0 NOT NULL);\n'
	printf 'COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;\n'
	printf 'a1\t0000\t2026-01-01 00:00:01+00\t20240101000000_init\t\\N\t\\N\t2026-01-01 00:00:00+00\t1\n'
	printf 'a2\\377\t00\t\\N\tx%s\tlogs \\001 \\033 %s\t\\N\t2026-01-01 00:00:02+00\t0\n' "${BAD//$'\t'/}" "${BAD//$'\t'/}"
	printf '\\.\n'
} >"$H/dump.sql"

# --- a start-up log naming hostile migrations ---
{
	printf '2026-01-01 00:00:00,000 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n'
	printf 'Applying migration `%s`\n' "$BADDIR"
	printf 'Error: P3018\n\nA migration failed to apply.\n\nMigration name: %s\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation "missing%s" does not exist\n\n' \
		"$BADDIR" "$BAD"
	printf '{"message": "Applying migration `x%s`", "level": "INFO"}\n' "$BAD"
	printf 'prisma:error %s\n' "$BAD"
} >"$H/startup.log"

# every JSON output of every command; the exit status is not the point, valid JSON is
run_json() { # name args...
	local name=$1; shift
	"$MIGDOCTOR" "$@" >"$WORK/$name.json" 2>"$WORK/$name.err"
	local rc=$?
	if [ $rc -ge 2 ]; then
		tap_not_ok "$name: ran (exit $rc)"; tap_diag <"$WORK/$name.err" | head -n 5
		return
	fi
	ok_if "$name: valid JSON on hostile bytes" valid_json "$WORK/$name.json"
}
run_json check-csv check -f json -m "$M" -H "$H/history.csv" -l "$H/startup.log"
run_json check-dump check -f json -m "$M" -H "$H/dump.sql" -l "$H/startup.log"
run_json check-bundle check -f json "$H"
run_json check-script check -f json -m "$M" -H "$H/dump.sql" -o "$WORK/repair.sql"
run_json plan-csv plan -f json -m "$M" -H "$H/history.csv"
run_json plan-dump plan -f json -m "$M" -s "$H/dump.sql" -l "$H/startup.log"
run_json touches touches -f json "$M"
run_json touches-file touches -f json "$M/$BADDIR/migration.sql"
run_json touches-relation touches -f json -r "missing$BAD" "$M"
run_json touches-schema touches -f json --print-schema "$M"
run_json history-csv history -f json "$H/history.csv"
run_json history-dump history -f json "$H/dump.sql"
run_json history-schema history -f json --print-schema "$H/dump.sql"
run_json events events -f json "$H/startup.log"
run_json events-path events -f json "$H/startup.log" "$M/$BADDIR/migration.sql"

# the inputs really are hostile, and the bytes reach the output as U+FFFD
ok_if "history: the 0xFF of a name is there, as U+FFFD" \
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any("\ufffd" in (r["migration_name"] or "") for r in d["rows"]), d' "$WORK/history-csv.json"
ok_if "history: the control characters of logs are kept, escaped" \
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any("\x01" in (r["logs"] or "") and "\x1b" in r["logs"] for r in d["rows"]), d' "$WORK/history-csv.json"
ok_if "events: the hostile migration is named, as U+FFFD" \
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any("\ufffd" in (e.get("migration") or "") for e in d["events"]), d' "$WORK/events.json"
ok_if "touches: the hostile table is listed" \
	python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert "\ufffd" in json.dumps(d, ensure_ascii=False), d' "$WORK/touches.json"

# the old writer of history: a row whose logs hold 0xFF gave invalid JSON
printf 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count\nx,0,,m,"\xff",,2026-01-01 00:00:00+00,0\n' >"$WORK/ff.csv"
"$MIGDOCTOR" history --format json "$WORK/ff.csv" >"$WORK/ff.json" 2>/dev/null
ok_if "history --format json of a CSV holding byte 0xFF parses" valid_json "$WORK/ff.json"
ok_if "... and jq reads it" jq -e '.rows[0].logs == "\ufffd"' "$WORK/ff.json"
# the checker can fail
printf '{"a": "\xff"}' >"$WORK/bad.json"
ok_if "the check rejects a JSON text holding 0xFF" sh -c '! python3 -c "import json, sys; json.loads(open(sys.argv[1], \"rb\").read().decode(\"utf-8\"))" "$1" 2>/dev/null' _ "$WORK/bad.json"

tap_done
