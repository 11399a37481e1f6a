#!/bin/bash
# hazards.sh - the hazards of each pending statement (plan, and check's
# plan section): the lock of each statement kind, the work it does, the
# table's size from a generated plain dump, the estimate, the warnings at
# their thresholds (MD024 deploy timeout, MD025 a write-blocking lock on a
# table written on every request, MD026 what breaks the running version)
# and the exit status (warnings do not flip it, unless --fail-on warning).
source "$MD_ROOT/tests/lib/tap.sh"
G=$MD_ROOT/tests/golden/hazards
M=$WORK/m
mkdir -p "$M/20240101000000_init" "$M/20240201000000_hazards"
printf 'provider = "postgresql"\n' >"$M/migration_lock.toml"
cat >"$M/20240101000000_init/migration.sql" <<'SQL'
CREATE TABLE "LiteLLM_SpendLogs" ("request_id" TEXT NOT NULL, "model" TEXT, "api_key" TEXT,
    "total_tokens" INTEGER, "note" VARCHAR(10), CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY ("request_id"));
CREATE TABLE "LiteLLM_DailyTagSpend" ("id" TEXT NOT NULL, "tag" TEXT);
CREATE TABLE "Parent" ("id" TEXT NOT NULL, CONSTRAINT "Parent_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Small" ("id" TEXT NOT NULL, "name" TEXT, "parent" TEXT, "kind" TEXT);
CREATE TABLE "Old" ("id" TEXT);
SQL
# one statement per lock class, each on a table the database has
cat >"$M/20240201000000_hazards/migration.sql" <<'SQL'
CREATE INDEX "LiteLLM_SpendLogs_model_idx" ON "LiteLLM_SpendLogs"("model");
CREATE INDEX IF NOT EXISTS "LiteLLM_SpendLogs_api_key_idx" ON "LiteLLM_SpendLogs"("api_key");
ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN "flag" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN "r" DOUBLE PRECISION DEFAULT random();
ALTER TABLE "LiteLLM_SpendLogs" ALTER COLUMN "model" SET NOT NULL;
ALTER TABLE "LiteLLM_SpendLogs" ALTER COLUMN "note" SET DATA TYPE TEXT;
ALTER TABLE "LiteLLM_SpendLogs" ALTER COLUMN "total_tokens" SET DATA TYPE BIGINT;
ALTER TABLE "LiteLLM_SpendLogs" ADD CONSTRAINT "spend_check" CHECK ("total_tokens" >= 0);
ALTER TABLE "Small" ADD CONSTRAINT "Small_parent_fkey" FOREIGN KEY ("parent") REFERENCES "Parent"("id");
ALTER TABLE "Small" ADD CONSTRAINT "Small_kind_fkey" FOREIGN KEY ("kind") REFERENCES "Parent"("id") NOT VALID;
ALTER TABLE "Small" VALIDATE CONSTRAINT "Small_kind_fkey";
ALTER TABLE "LiteLLM_DailyTagSpend" ADD CONSTRAINT "tag_fkey" FOREIGN KEY ("tag") REFERENCES "Parent"("id");
ALTER TABLE "Small" DROP COLUMN "name";
ALTER TABLE "Parent" ADD COLUMN "must" TEXT NOT NULL;
ALTER TABLE "Small" RENAME COLUMN "kind" TO "sort";
UPDATE "Small" SET "parent" = NULL;
DROP TABLE "Old";
SQL

# a plain dump of the database at 20240101000000_init, with ROWS rows of spend logs
dump() { # rows out
	{
		printf 'SET client_encoding = '"'"'UTF8'"'"';\n'
		printf 'CREATE TABLE public."LiteLLM_SpendLogs" (request_id text NOT NULL, model text, api_key text, total_tokens integer, note character varying(10));\n'
		printf 'CREATE TABLE public."LiteLLM_DailyTagSpend" (id text NOT NULL, tag text);\n'
		printf 'CREATE TABLE public."Parent" (id text NOT NULL);\n'
		printf 'CREATE TABLE public."Small" (id text NOT NULL, name text, parent text, kind text);\n'
		printf 'CREATE TABLE public."Old" (id text);\n'
		printf 'CREATE TABLE public._prisma_migrations (id character varying(36) NOT NULL, checksum character varying(64) NOT NULL, finished_at timestamp with time zone, migration_name character varying(255) NOT NULL, logs text, rolled_back_at timestamp with time zone, started_at timestamp with time zone DEFAULT now() NOT NULL, applied_steps_count integer DEFAULT 0 NOT NULL);\n'
		printf 'COPY public."LiteLLM_SpendLogs" (request_id, model, api_key, total_tokens, note) FROM stdin;\n'
		awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++)
			printf "chatcmpl-%012d\tgpt-4o\tsk-%08x\t%d\tok\n", i, i * 2654435761 % 4294967296, i % 5000 }'
		printf '\\.\n\n'
		printf 'COPY public."Small" (id, name, parent, kind) FROM stdin;\nsmall-1\tn\t\\N\t\\N\n\\.\n\n'
		printf 'COPY public._prisma_migrations (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) FROM stdin;\n'
		printf 'a1\t%s\t2026-01-01 00:00:01+00\t20240101000000_init\t\\N\t\\N\t2026-01-01 00:00:00+00\t1\n' \
			"$(sha256sum <"$M/20240101000000_init/migration.sql" | cut -d' ' -f1)"
		printf '\\.\n\n'
		printf 'ALTER TABLE ONLY public."LiteLLM_SpendLogs" ADD CONSTRAINT "LiteLLM_SpendLogs_pkey" PRIMARY KEY (request_id);\n'
		printf 'ALTER TABLE ONLY public."Parent" ADD CONSTRAINT "Parent_pkey" PRIMARY KEY (id);\n'
	} >"$2"
}
dump 1000 "$WORK/small.sql"

norm() { sed "s|$WORK|WORK|g" "$WORK/.out" >"$WORK/$1"; }

expect_exit 0 "plan: hazards are warnings, not a failing deploy (exit 0)" \
	"$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql"
norm plan.txt
golden "plan: the lock, the work, the size and the estimate of each statement" "$G/plan.txt" "$WORK/plan.txt"
ok_if "no MD024 under the default 60 s timeout" sh -c "! grep -q MD024 '$WORK/plan.txt'"

expect_exit 0 "plan --format json" "$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql" -f json
jq -S '.plan.hazards' "$WORK/.out" >"$WORK/plan.json"
golden "plan JSON: plan.hazards" "$G/plan.json" "$WORK/plan.json"
ok_if "JSON: CREATE INDEX takes SHARE" test "$(jq -r '.statements[] | select(.line == 1) | .lock' "$WORK/plan.json")" = SHARE
ok_if "JSON: SET NOT NULL scans under ACCESS EXCLUSIVE" test "$(jq -r '.statements[] | select(.line == 5) | "\(.lock) \(.work)"' "$WORK/plan.json")" = "ACCESS EXCLUSIVE scan"
ok_if "JSON: a validated foreign key takes SHARE ROW EXCLUSIVE on both tables" test "$(jq -r '.statements[] | select(.line == 9) | "\(.lock)|\(.other_locks)"' "$WORK/plan.json")" = 'SHARE ROW EXCLUSIVE|SHARE ROW EXCLUSIVE on "Parent"'
ok_if "JSON: VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE" test "$(jq -r '.statements[] | select(.line == 11) | .lock' "$WORK/plan.json")" = "SHARE UPDATE EXCLUSIVE"
ok_if "JSON: varchar(10) -> text is binary-coercible (no work)" test "$(jq -r '.statements[] | select(.line == 6) | .work' "$WORK/plan.json")" = none
ok_if "JSON: integer -> bigint rewrites" test "$(jq -r '.statements[] | select(.line == 7) | .work' "$WORK/plan.json")" = rewrite
ok_if "JSON: the table's bytes are the COPY block's" test "$(jq -r '.statements[] | select(.line == 1) | .table_bytes' "$WORK/plan.json")" = "$(awk '/^COPY public."LiteLLM_SpendLogs"/ { on = 1; next } on && /^\\\.$/ { exit } on { n += length($0) + 1 } END { print n }' "$WORK/small.sql")"
ok_if "JSON: the table's rows are the COPY block's lines" test "$(jq -r '.statements[] | select(.line == 1) | .table_rows' "$WORK/plan.json")" = 1000

expect_exit 1 "plan --fail-on warning: the hazards make it exit 1" \
	"$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql" --fail-on warning

# the threshold: the same dump under a timeout the model's estimate passes
expect_exit 0 "plan --deploy-timeout 0.00005: still exit 0" \
	"$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql" --deploy-timeout 0.00005
norm timeout.txt
golden "plan over the timeout: MD024 with how to run the statement beforehand" "$G/timeout.txt" "$WORK/timeout.txt"
ok_if "CREATE INDEX IF NOT EXISTS: built CONCURRENTLY beforehand, the migration's is a no-op" \
	grep -qF 'run `CREATE INDEX CONCURRENTLY IF NOT EXISTS "LiteLLM_SpendLogs_api_key_idx" ON "LiteLLM_SpendLogs" USING btree (api_key);` by hand' "$WORK/timeout.txt"
ok_if "CREATE INDEX without IF NOT EXISTS: beforehand would fail 42P07" \
	grep -qF 'has no IF NOT EXISTS: an index built beforehand would make it fail with 42P07' "$WORK/timeout.txt"
expect_exit 2 "--deploy-timeout takes a number above 0" \
	"$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql" --deploy-timeout 0

ok_if "a 48 kB table: no MD025 (the lock lasts well under a second by the model)" \
	sh -c "! grep -q 'MD025 the proxy writes \"LiteLLM_SpendLogs\"' '$WORK/plan.txt'"
ok_if "a table of unknown size (no COPY block): MD025 all the same" \
	grep -q 'MD025 the proxy writes "LiteLLM_DailyTagSpend"' "$WORK/plan.txt"

# the model's thresholds: a COPY block big enough for the rewrite to pass
# 60 s by the model (65 MB/s: about 4 GB) is too big for a test; 80 MB
# rewrites in about 1.2 s by the model, builds an index in 0.15 s and is
# scanned in 0.04 s
dump 1700000 "$WORK/big.sql"
"$MIGDOCTOR" plan -m "$M" -H "$WORK/big.sql" --deploy-timeout 1 -f json >"$WORK/big.json"
ok_if "an 80 MB table: the rewrites pass a 1 s timeout, the index build and the scans do not" \
	test "$(jq -r '[.plan.hazards.statements[] | select(.over_timeout) | .line] | join(",")' "$WORK/big.json")" = "4,7"
ok_if "... and they hold the write lock on LiteLLM_SpendLogs for over a second: MD025 (and line 12's unknown size)" \
	test "$(jq -r '[.findings[] | select(.code == "MD025") | .evidence[].line] | join(",")' "$WORK/big.json")" = "4,7,12"
rm -f "$WORK/big.sql"

# check: the same findings in its report; warnings leave its exit at 0
expect_exit 0 "check: MD024-MD026 are warnings (exit 0)" "$MIGDOCTOR" check -m "$M" -H "$WORK/small.sql"
ok_if "check lists MD026 (breaks-running-version)" grep -q 'MD026' "$WORK/.out"
ok_if "check shows the hazards in its plan section" grep -q '^Hazards of each pending statement' "$WORK/.out"
expect_exit 1 "check --fail-on warning: exit 1" "$MIGDOCTOR" check -m "$M" -H "$WORK/small.sql" --fail-on warning

# without data (pg_dump -s), no sizes and no estimates
grep -v -e '^COPY' -e '^\\\.' -e $'\t' "$WORK/small.sql" >"$WORK/schema.sql"
"$MIGDOCTOR" plan -m "$M" -H "$WORK/small.sql" -s "$WORK/schema.sql" -f json >"$WORK/nodata.json"
ok_if "a schema-only -s: the rows' dump gives no sizes of its own ... no estimate" \
	test "$(jq -r '.plan.hazards.statements[] | select(.line == 1) | .estimate_seconds' "$WORK/nodata.json")" = null

# a bundle holds no data, but the sizes its dump had: check on it estimates
# as on the dump itself
"$MIGDOCTOR" bundle -H "$WORK/small.sql" -o "$WORK/small.bundle" 2>/dev/null
"$MIGDOCTOR" plan -m "$M" "$WORK/small.bundle" -f json 2>"$WORK/bundle.err" >"$WORK/bundle.json"
ok_if "plan on a bundle: each statement's size and estimate as from the dump" \
	test "$(jq -c '[.plan.hazards.statements[] | [.line, .table_bytes, .table_rows, .estimate_seconds]]' "$WORK/bundle.json")" = \
	"$(jq -c '[.statements[] | [.line, .table_bytes, .table_rows, .estimate_seconds]]' "$WORK/plan.json")"
ok_if "plan on a bundle: the sizes are there (1000 rows of spend logs)" \
	test "$(jq -r '.plan.hazards.statements[] | select(.line == 1) | .table_rows' "$WORK/bundle.json")" = 1000
ok_if "plan on a bundle: no warning" test ! -s "$WORK/bundle.err"
# a sizes.json that is not what 'bundle' writes: a warning, no estimates, the plan still made
python3 - "$WORK/small.bundle" "$WORK/bad.bundle" <<'PY'
import io, sys, tarfile
src, dst = tarfile.open(sys.argv[1]), tarfile.open(sys.argv[2], "w", format=tarfile.USTAR_FORMAT)
for m in src.getmembers():
    data = src.extractfile(m).read()
    if m.name.endswith("sizes.json"):
        data = b'{"tables": [{"table": "public.LiteLLM_SpendLogs", "bytes": -5, "rows": 1}]}'
        m.size = len(data)
    dst.addfile(m, io.BytesIO(data))
dst.close()
PY
"$MIGDOCTOR" plan -m "$M" "$WORK/bad.bundle" -f json 2>"$WORK/bad.err" >"$WORK/bad.json"
rc=$?
ok_if "a bad sizes.json: plan still exits 0" test "$rc" -eq 0
ok_if "a bad sizes.json: a warning naming the member and the table entry" \
	grep -q 'sizes.json: table 1: expected "table" (a name), "bytes"' "$WORK/bad.err"
ok_if "a bad sizes.json: no estimate" \
	test "$(jq -r '.plan.hazards.statements[] | select(.line == 1) | .table_bytes' "$WORK/bad.json")" = null
tap_done
