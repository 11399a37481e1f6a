/*
 * finding_defs.c - every finding code, once: its slug and severity are
 * API (scripts match on them) and doc/findings.md describes each one
 * (tests/unit/test_findings.c checks that the two agree, and that every
 * "MDnnn" the analysis writes is here). Codes are never reused or
 * renumbered; MD016 was never released.
 */
#include "migdoctor/common.h"
#include "analysis_int.h"

const struct finding_def finding_defs[] = {
	{ "MD001", "failed-migration", SEV_ERROR,
	  "a failed row (P3018) blocks every deploy with P3009" },
	{ "MD002", "interrupted-migration", SEV_ERROR,
	  "an unfinished row without logs (the run was killed) blocks every deploy" },
	{ "MD003", "applied-objects-missing", SEV_ERROR,
	  "history says applied, the schema lacks the migration's objects" },
	{ "MD004", "newer-version-rows", SEV_WARNING,
	  "rows of migrations a newer version made: the database was rolled back" },
	{ "MD005", "not-baselined", SEV_ERROR,
	  "tables but no _prisma_migrations: deploy stops with P3005" },
	{ "MD006", "pending-will-fail", SEV_ERROR,
	  "a pending migration will fail on this schema" },
	{ "MD007", "relation-missing", SEV_ERROR,
	  "the logs say a relation does not exist and nothing else explains it" },
	{ "MD008", "checksum-drift", SEV_INFO,
	  "the local migration.sql differs from the applied one" },
	{ "MD009", "litellm-local-rows", SEV_INFO,
	  "0_init and baseline_diff rows made by LiteLLM on this database" },
	{ "MD010", "duplicate-rows", SEV_INFO,
	  "several rows for one migration" },
	{ "MD011", "missing-migration-file", SEV_ERROR,
	  "a pending folder without migration.sql: deploy stops with P3015" },
	{ "MD012", "provider-mismatch", SEV_ERROR,
	  "migration_lock.toml does not say postgresql: P3019" },
	{ "MD013", "permission-error", SEV_ERROR,
	  "a migration failed with 42501: a grant problem" },
	{ "MD014", "timeout", SEV_WARNING,
	  "LiteLLM's time limit, the advisory lock or a lock/statement timeout" },
	{ "MD015", "schema-drift", SEV_WARNING,
	  "schema objects no migration makes" },
	{ "MD017", "unknown-rows", SEV_INFO,
	  "rows of migrations that are not in the directory and are not newer" },
	{ "MD018", "database-unreachable", SEV_WARNING,
	  "P1001 in the logs" },
	{ "MD019", "repair-incomplete", SEV_ERROR,
	  "after the repair script, deploy would still stop" },
	{ "MD020", "schema-partial", SEV_INFO,
	  "the schema export may be partial: some objects are unknown, not missing" },
	{ "MD021", "deploy-not-run", SEV_ERROR,
	  "the Prisma CLI never ran at a start" },
	{ "MD022", "db-push", SEV_WARNING,
	  "a start ran prisma db push instead of migrate deploy" },
	{ "MD023", "stale-client", SEV_WARNING,
	  "the Prisma client and the schema disagree" },
	{ "MD024", "deploy-timeout", SEV_WARNING,
	  "a pending statement may run longer than LiteLLM's deploy timeout" },
	{ "MD025", "hot-table-lock", SEV_WARNING,
	  "a pending statement blocks writes to a table the proxy writes on every request" },
	{ "MD026", "breaks-running-version", SEV_WARNING,
	  "a pending statement breaks the running version during a rolling upgrade" },
};

const size_t finding_defs_n = MD_ARRAY_LEN(finding_defs);

const struct finding_def *finding_def(const char *code)
{
	for (size_t i = 0; code && i < finding_defs_n; i++)
		if (!strcmp(finding_defs[i].code, code))
			return &finding_defs[i];
	return NULL;
}
