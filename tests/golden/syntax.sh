#!/bin/bash
# syntax.sh - a migration PostgreSQL would not parse, in 'plan', 'check' and
# 'touches': fixtures/syntax/migrations holds one with an unclosed
# parenthesis between two good ones (tests/integration/syntax.sh deploys
# it on a real PostgreSQL). Regenerate with MD_UPDATE_GOLDEN=1.
source "$MD_ROOT/tests/lib/tap.sh"
G="$MD_TESTS_DIR/golden/syntax"
cd "$MD_ROOT" || exit 1
M=fixtures/syntax/migrations # relative: the goldens hold paths

expect_exit 1 "plan: a migration that does not parse fails deploy (exit 1)" "$MIGDOCTOR" plan -m "$M"
golden "plan: text" "$G/plan.txt" "$WORK/.out"
ok_if "plan: warns on stderr, at PostgreSQL's position" grep -qF 'unbalanced/migration.sql:6:46: PostgreSQL would reject this file (42601: syntax error at or near ";")' "$WORK/.err"
expect_exit 1 "plan --format json: exit 1" "$MIGDOCTOR" plan -m "$M" --format json
python3 -c '
import json, sys
print(json.dumps(json.load(open(sys.argv[1]))["plan"], indent=1, sort_keys=True))' "$WORK/.out" >"$WORK/plan.json"
golden "plan: json (the plan)" "$G/plan.json" "$WORK/plan.json"
NO_COLOR=1 expect_exit 1 "check: exit 1" "$MIGDOCTOR" check -m "$M"
golden "check: MD006 with the position" "$G/check.txt" "$WORK/.out"
expect_exit 3 "touches: a statement that does not parse is an error (exit 3)" "$MIGDOCTOR" touches "$M"
golden "touches: listed as an error, not '(no schema effect)'" "$G/touches.txt" "$WORK/.out"
ok_if "touches: stderr names file:line:column" \
	grep -qxF 'migdoctor: error: fixtures/syntax/migrations/20240102000000_unbalanced/migration.sql:6:46: syntax error at or near ";"' "$WORK/.err"
expect_exit 3 "touches --format json: exit 3" "$MIGDOCTOR" touches --format json "$M"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for m in d["migrations"]:
    for s in m["statements"]:
        print(m["name"], s["line"], s["tag"], json.dumps(s["error"], sort_keys=True))' "$WORK/.out" >"$WORK/touches.json"
golden "touches: json error object" "$G/touches_json.txt" "$WORK/touches.json"

# the plan with the history: the first migration applied, the broken one pending
printf 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count\n' >"$WORK/h.csv"
printf '1,%s,2024-01-01 00:00:01+00,20240101000000_init,,,2024-01-01 00:00:00+00,1\n' \
	"$(sha256sum <"$M/20240101000000_init/migration.sql" | cut -d' ' -f1)" >>"$WORK/h.csv"
NO_COLOR=1 expect_exit 1 "check -H: the pending migration will fail" "$MIGDOCTOR" check -m "$M" -H "$WORK/h.csv"
ok_if "check -H: MD006 pending-will-fail with 42601" \
	grep -q 'MD006 deploy will fail at 20240102000000_unbalanced with 42601: syntax error at or near ";"' "$WORK/.out"
ok_if "check -H: no MD006 fix that marks it applied or recreates its objects" \
	sh -c "! grep -q 'mark it applied\|create the missing' '$WORK/.out'"
tap_done
