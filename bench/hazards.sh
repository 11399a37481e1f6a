#!/bin/bash
# hazards.sh - the duration model of plan's hazards (issue 11) against a
# real PostgreSQL. It deploys LiteLLM's migrations (from
# $MIGDOCTOR_SHARED/litellm/migrations, default ../shared beside the
# repository: the bench is skipped without them) on a server of its own
# (tests/lib/pg.sh), fills LiteLLM_SpendLogs with BENCH_ROWS rows (default
# 2000000), dumps it (plain and custom), runs 'migdoctor plan' on the dump
# with one more pending migration that holds the statements below, then
# times each statement on that database. It prints, per statement, the
# estimate from the plain and the custom dump beside the measurement, and
# the model's error; BENCHMARKS.md records the numbers.
set -u
: "${MIGDOCTOR:?}" "${BENCH_TMP:?}"
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${MIGDOCTOR_SHARED:-$root/../shared}
mig=$shared/litellm/migrations
rows=${BENCH_ROWS:-2000000}
case "$rows" in ''|*[!0-9]*) echo "BENCH_ROWS takes a number of rows" >&2; exit 2 ;; esac
if [ ! -d "$mig" ]; then
	echo "skipped: needs LiteLLM's migrations in \$MIGDOCTOR_SHARED/litellm/migrations (default ../shared)"
	exit 0
fi
command -v jq >/dev/null || { echo "skipped: needs jq"; exit 0; }
source "$root/tests/lib/pg.sh"
W=$BENCH_TMP/hazards
mkdir -p "$W"
pg_start || exit 1
createdb bench

now() { date +%s.%N; }
t0=$(now)
bash "$root/tests/integration/lib/deploy.sh" deploy -d bench -m "$mig" >"$W/deploy.log" 2>&1 ||
	{ cat "$W/deploy.log"; exit 1; }

# rows shaped like the proxy's: ids, keys, a metadata object, tags, times
pg_psql -d bench <<EOF
INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens,
	completion_tokens, "startTime", "endTime", "completionStartTime", model, model_id, model_group,
	custom_llm_provider, api_base, "user", metadata, cache_key, request_tags, team_id, end_user,
	requester_ip_address, session_id, status)
SELECT 'chatcmpl-' || md5(i::text), 'acompletion', md5((i % 500)::text), (i % 1000) / 100000.0,
	100 + i % 3000, 80 + i % 2000, 20 + i % 1000,
	timestamp '2026-01-01' + i * interval '1 second', timestamp '2026-01-01' + i * interval '1 second'
		+ interval '2 seconds', timestamp '2026-01-01' + i * interval '1 second' + interval '1 second',
	'gpt-4o-' || (i % 7), md5((i % 20)::text), 'gpt-4o', 'openai', 'https://api.openai.com/v1',
	'user-' || (i % 300),
	jsonb_build_object('user_api_key_alias', 'key-' || (i % 50), 'user_api_key_team_id', 'team-' || (i % 30),
		'requester_ip_address', '10.0.' || (i % 250) || '.' || (i % 200), 'model_map_information',
		jsonb_build_object('model_map_key', 'gpt-4o', 'max_tokens', 16384), 'additional_usage_values',
		jsonb_build_object('cached_tokens', i % 64)),
	'', '["prod", "chat"]', 'team-' || (i % 30), 'end-user-' || (i % 1000), '10.0.0.' || (i % 250),
	md5((i / 10)::text), 'success'
FROM generate_series(1, $rows) AS i;
VACUUM ANALYZE "LiteLLM_SpendLogs";
EOF
[ $? = 0 ] || exit 1
t1=$(now)
pg_dump -d bench -f "$W/dump.sql" || exit 1
pg_dump -Fc -d bench -f "$W/dump.custom" || exit 1
t2=$(now)
tbl=$(psql -X -At -d bench -c "SELECT pg_size_pretty(pg_table_size('\"LiteLLM_SpendLogs\"'))")
echo "rows: $rows; table: $tbl;" \
	"plain dump $(( $(stat -c %s "$W/dump.sql") / 1048576 )) MiB, custom $(( $(stat -c %s "$W/dump.custom") / 1048576 )) MiB;" \
	"setup $(echo "$t1 - $t0" | bc | cut -d. -f1) s, dumps $(echo "$t2 - $t1" | bc | cut -d. -f1) s"

# the pending migration: one statement per line, timed one by one below
cp -r "$mig" "$W/mig"
mkdir "$W/mig/29990101000000_bench_hazards"
cat >"$W/mig/29990101000000_bench_hazards/migration.sql" <<'EOF'
CREATE INDEX "bench_model_idx" ON "LiteLLM_SpendLogs"("model");
CREATE INDEX "bench_api_key_startTime_idx" ON "LiteLLM_SpendLogs"("api_key", "startTime");
ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN "bench_flag" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "LiteLLM_SpendLogs" ALTER COLUMN "model_id" SET NOT NULL;
ALTER TABLE "LiteLLM_SpendLogs" ADD CONSTRAINT "bench_spend_check" CHECK ("spend" >= 0);
ALTER TABLE "LiteLLM_SpendLogs" ADD COLUMN "bench_rand" DOUBLE PRECISION DEFAULT random();
ALTER TABLE "LiteLLM_SpendLogs" ALTER COLUMN "total_tokens" SET DATA TYPE BIGINT;
UPDATE "LiteLLM_SpendLogs" SET "status" = 'done';
EOF
for d in sql custom; do
	"$MIGDOCTOR" plan -m "$W/mig" -H "$W/dump.$d" -f json >"$W/plan.$d.json" 2>"$W/plan.$d.err"
	jq -r '.plan.hazards.statements[] | select(.migration == "29990101000000_bench_hazards")
		| "\(.line) \(.estimate_seconds // "-")"' "$W/plan.$d.json" >"$W/est.$d" ||
		{ echo "plan on the $d dump gave no hazards"; cat "$W/plan.$d.err"; }
done
jq -r '.plan.hazards.statements[] | select(.migration == "29990101000000_bench_hazards")
	| "\(.line)\t\(.work)\t\(.table_bytes // "-")"' "$W/plan.sql.json" >"$W/work" 2>/dev/null

printf '%-4s %-10s %9s %9s %9s %8s  %s\n' line work est.plain est.cust measured error statement
n=0
while IFS= read -r stmt; do
	n=$((n + 1))
	pg_psql -d bench -c CHECKPOINT
	s=$(now)
	pg_psql -d bench -c "$stmt" || exit 1
	e=$(now)
	m=$(echo "$e - $s" | bc)
	ep=$(awk -v l=$n '$1 == l { print $2 }' "$W/est.sql")
	ec=$(awk -v l=$n '$1 == l { print $2 }' "$W/est.custom")
	wk=$(awk -F'\t' -v l=$n '$1 == l { print $2 }' "$W/work")
	err=$(awk -v e="${ep:--}" -v m="$m" -v w="${wk:-}" 'BEGIN { if (e == "-" || e == "" || w == "none") print "-";
		else printf "%+.0f%%", (e - m) / m * 100 }')
	printf '%-4s %-10s %9s %9s %9.2f %8s  %.60s\n' "$n" "${wk:--}" "${ep:--}" "${ec:--}" "$m" "$err" "$stmt"
done <"$W/mig/29990101000000_bench_hazards/migration.sql"
echo "table bytes in the plain dump (COPY text): $(awk -F'\t' 'NR == 1 { print $3 }' "$W/work")"
