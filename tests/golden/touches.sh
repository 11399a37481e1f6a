#!/bin/bash
# touches.sh - 'migdoctor touches' on the fixture migrations (golden text
# and JSON), LiteLLM's real directory (known facts), and bad input.
source "$MD_ROOT/tests/lib/tap.sh"
G="$MD_TESTS_DIR/golden/touches"
cd "$MD_ROOT" || exit 1
M=fixtures/migrations # relative: the golden JSON holds paths

run() { # name expected-exit args...
	local name=$1 want=$2; shift 2
	"$MIGDOCTOR" "$@" >"$WORK/$name.out" 2>"$WORK/$name.err"
	echo $? >"$WORK/$name.rc"
	[ "$(cat "$WORK/$name.rc")" = "$want" ] || { echo "# exit $(cat "$WORK/$name.rc"), expected $want"; cat "$WORK/$name.err" | tap_diag; return 1; }
}

run text 0 touches "$M" && golden "fixtures: text listing" "$G/fixtures.txt" "$WORK/text.out"
run json 0 touches --format json "$M" && golden "fixtures: json listing" "$G/fixtures.json" "$WORK/json.out"
ok_if "fixtures: json is valid JSON" python3 -m json.tool "$WORK/json.out"
run rel 0 touches "$M" --relation Proxy_DeletedTeamTable &&
	golden "fixtures: --relation Proxy_DeletedTeamTable" "$G/relation.txt" "$WORK/rel.out"
run relfk 0 touches "$M" -r Proxy_TeamTable &&
	golden "fixtures: --relation also lists foreign keys that need it" "$G/relation_fk.txt" "$WORK/relfk.out"
run schema 0 touches --print-schema "$M" && golden "fixtures: --print-schema (replayed catalog)" "$G/schema.txt" "$WORK/schema.out"
run schemajson 0 touches --print-schema --format json "$M" &&
	ok_if "fixtures: --print-schema --format json is valid JSON" python3 -m json.tool "$WORK/schemajson.out"
run case 0 touches "$M" --relation proxy_deletedteamtable
ok_if "names are case-sensitive: a lower-case name matches nothing" test ! -s "$WORK/case.out"
ok_if "... and says so" grep -q 'case-sensitive' "$WORK/case.err"
run one 0 touches "$M/20240520101500_user_email_lower_idx/migration.sql"
ok_if "a single migration.sql is named after its folder" grep -q '^20240520101500_user_email_lower_idx$' "$WORK/one.out"
ok_if "the expression index is read" grep -q '(lower(user_email))' "$WORK/one.out"

# LiteLLM's real migrations, when the shared folder is there
L="$SHARED/litellm/migrations"
if [ -d "$L" ]; then
	run litellm 0 touches "$L"
	ok_if "litellm: all 79 migrations parse with no error or warning" test ! -s "$WORK/litellm.err"
	ok_if "litellm: 79 migrations listed" test "$(grep -c '^[0-9]' "$WORK/litellm.out")" = 79
	run del 0 touches "$L" --relation LiteLLM_DeletedTeamTable
	ok_if "litellm: 20251219110931 creates LiteLLM_DeletedTeamTable" \
		grep -q '^20251219110931_add_deleted_keys_and_deleted_teams_tables:[0-9]*  creates table "LiteLLM_DeletedTeamTable" (' "$WORK/del.out"
	ok_if "litellm: 20260116142756 adds router_settings to LiteLLM_DeletedTeamTable" \
		grep -q '^20260116142756_update_deleted_keys_teams_table_routing_settings:[0-9]*  alters table "LiteLLM_DeletedTeamTable": adds column router_settings jsonb' "$WORK/del.out"
	run tok 0 touches "$L" --relation LiteLLM_DeletedVerificationToken
	ok_if "litellm: 20251219110931 creates LiteLLM_DeletedVerificationToken" \
		grep -q '^20251219110931_add_deleted_keys_and_deleted_teams_tables:[0-9]*  creates table "LiteLLM_DeletedVerificationToken"' "$WORK/tok.out"
	ok_if "litellm: 20260116142756 adds router_settings to LiteLLM_DeletedVerificationToken" \
		grep -q '^20260116142756_update_deleted_keys_teams_table_routing_settings:[0-9]*  alters table "LiteLLM_DeletedVerificationToken": adds column router_settings' "$WORK/tok.out"
	run ljson 0 touches --format json "$L"
	ok_if "litellm: 265 statements, none with an error" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
st=[s for m in d["migrations"] for s in m["statements"]]
errs=[s for s in st if s["error"]]
sys.exit(0 if len(st)==265 and not errs else print(len(st), errs) or 1)' "$WORK/ljson.out"
	ok_if "litellm: the rename DO block is conditional" \
		grep -q 'renames column "alias" of "LiteLLM_MCPServerTable" to "server_name" \[conditional\]' "$WORK/litellm.out"
else
	tap_skip "litellm: known facts" "no $L (set MIGDOCTOR_SHARED)"
fi

# errors: one line naming the file, exit 3; usage errors exit 2
expect_exit 3 "missing directory: exit 3" "$MIGDOCTOR" touches "$WORK/nope"
ok_if "missing directory: the message names it" grep -q "nope.*No such file" "$WORK/.err"
mkdir -p "$WORK/empty"
expect_exit 3 "empty directory: exit 3" "$MIGDOCTOR" touches "$WORK/empty"
ok_if "empty directory: says what was expected" grep -q "no migrations in .*expected folders like" "$WORK/.err"
expect_exit 3 "a single migration folder: exit 3" "$MIGDOCTOR" touches "$M/20240520101500_user_email_lower_idx"
ok_if "a single migration folder: points at its parent" grep -q "single migration folder" "$WORK/.err"
mkdir -p "$WORK/bad/20240101000000_a" "$WORK/bad/20240102000000_b"
printf 'CREATE TABLE a (x int);\nALTER TABLE a ADD COLUMN;\nCREATE TABLE c (y int);\n' >"$WORK/bad/20240101000000_a/migration.sql"
printf 'CREATE TABLE b (x int);\n' >"$WORK/bad/20240102000000_b/migration.sql"
expect_exit 3 "a syntax error: exit 3" "$MIGDOCTOR" touches "$WORK/bad"
ok_if "a syntax error: reported as file:line:column, as PostgreSQL words it" grep -q '20240101000000_a/migration.sql:2:25: syntax error at or near ";"' "$WORK/.err"
ok_if "a syntax error does not hide the other statements" grep -q 'creates table "c"' "$WORK/.out"
ok_if "a syntax error does not hide the other migrations" grep -q 'creates table "b"' "$WORK/.out"
printf '\x89PNG\r\n\x1a\n\0\0\0' >"$WORK/img.sql"
expect_exit 3 "a binary file: exit 3" "$MIGDOCTOR" touches "$WORK/img.sql"
ok_if "a binary file: says it is not SQL text" grep -q "img.sql:.*NUL byte.*expected SQL text" "$WORK/.err"
printf "INSERT INTO a VALUES ('unterminated);\n" >"$WORK/q.sql"
expect_exit 3 "an unterminated quote: exit 3" "$MIGDOCTOR" touches "$WORK/q.sql"
ok_if "an unterminated quote: file:line:column" grep -q "q.sql:1:[0-9]*: unterminated quoted string" "$WORK/.err"
printf 'x' >"$WORK/unreadable.sql"; chmod 000 "$WORK/unreadable.sql"
if [ "$(id -u)" -ne 0 ]; then
	expect_exit 3 "an unreadable file: exit 3" "$MIGDOCTOR" touches "$WORK/unreadable.sql"
else
	tap_skip "an unreadable file: exit 3" "root reads everything"
fi
mkdir -p "$WORK/loop/20240101000000_a"; cp "$WORK/bad/20240102000000_b/migration.sql" "$WORK/loop/20240101000000_a/"
ln -s .. "$WORK/loop/20240101000000_a/self"; ln -s "$WORK/loop" "$WORK/loop/20240102000000_link"
expect_exit 0 "a symlink loop is not followed (as Prisma does not follow symlinked folders)" "$MIGDOCTOR" touches "$WORK/loop"
ok_if "... and the symlinked folder is not a migration" test "$(grep -c '^2024' "$WORK/.out")" = 1
mkdir -p "$WORK/p3015/20240101000000_a" "$WORK/p3015/20240102000000_nosql"
cp "$WORK/bad/20240102000000_b/migration.sql" "$WORK/p3015/20240101000000_a/"
printf 'provider = "mysql"\n' >"$WORK/p3015/migration_lock.toml"
expect_exit 0 "a folder without migration.sql is listed" "$MIGDOCTOR" touches "$WORK/p3015"
ok_if "... as P3015 for deploy" grep -q "P3015" "$WORK/.out"
ok_if "a lock file for another provider: P3019 warning" grep -q "provider is 'mysql'.*P3019" "$WORK/.err"
expect_exit 2 "no argument: usage, exit 2" "$MIGDOCTOR" touches
expect_exit 2 "unknown format: exit 2" "$MIGDOCTOR" touches --format xml "$M"
expect_exit 0 "--help" "$MIGDOCTOR" touches --help
ok_if "--help documents --relation and the exit status" grep -q -- "--relation NAME" "$WORK/.out"
tap_done
