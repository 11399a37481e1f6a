/*
 * Unit tests for src/logs: each pattern against the exact strings the
 * references quote (litellm.md §3-§7, prisma.md §3.6, §4), table-driven:
 * input text → the fields of the event it must give. A NULL field in the
 * table means the event must not have it.
 */
#include "migdoctor/common.h"
#include "migdoctor/logs.h"
#include "logs/logs_internal.h"

#include <setjmp.h>
#include <cmocka.h>

#define P3018_HEAD "Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n"

struct pcase {
	const char *name;
	const char *input;
	size_t n_events;   /* events the input gives in total */
	size_t idx;        /* which one is checked */
	enum log_event_kind kind;
	const char *migration, *code, *sqlstate, *relation, *column, *message;
	long count, attempt;
	const char *started_at, *detail;
};

static const struct pcase cases[] = {
	/* Prisma header and summary lines, prisma.md §4.4 */
	{ "schema loaded", "Prisma schema loaded from prisma/schema.prisma\nDatasource \"db\": PostgreSQL database \"litellm\", schema \"public\" at \"db:5432\"\n",
	  1, 0, LOG_EV_SCHEMA_LOADED, NULL, NULL, NULL, NULL, NULL,
	  "Datasource \"db\": PostgreSQL database \"litellm\", schema \"public\" at \"db:5432\"", -1, -1, NULL, "prisma/schema.prisma" },
	{ "7.x schema line with period", "Prisma schema loaded from prisma/schema.prisma.\n",
	  1, 0, LOG_EV_SCHEMA_LOADED, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "prisma/schema.prisma" },
	{ "N migrations found", "309 migrations found in prisma/migrations\n",
	  1, 0, LOG_EV_MIGRATIONS_FOUND, NULL, NULL, NULL, NULL, NULL, NULL, 309, -1, NULL, NULL },
	{ "1 migration found", "1 migration found in prisma/migrations\n",
	  1, 0, LOG_EV_MIGRATIONS_FOUND, NULL, NULL, NULL, NULL, NULL, NULL, 1, -1, NULL, NULL },
	{ "no migration found", "No migration found in prisma/migrations\n",
	  1, 0, LOG_EV_MIGRATIONS_FOUND, NULL, NULL, NULL, NULL, NULL, NULL, 0, -1, NULL, NULL },
	{ "applying", "Applying migration `20240101000000_init`\n",
	  1, 0, LOG_EV_APPLYING, "20240101000000_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "applied tree (5.9+)", "The following migration(s) have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_init/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n  \xe2\x94\x94\xe2\x94\x80 20240102000000_second/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n      \nAll migrations have been successfully applied.\n",
	  3, 1, LOG_EV_APPLIED, "20240102000000_second", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "applied tree, 5.4 singular", "The following migration have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_init/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n",
	  1, 0, LOG_EV_APPLIED, "20240101000000_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "applied tree, ANSI bold cyan name", "The following migrations have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_\x1b[1m\x1b[36minit\x1b[39m\x1b[22m/\n",
	  1, 0, LOG_EV_APPLIED, "20240101000000_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "all applied", "All migrations have been successfully applied.\n",
	  1, 0, LOG_EV_ALL_APPLIED, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "nothing pending", "\n\nNo pending migrations to apply.\n",
	  1, 0, LOG_EV_NOTHING_PENDING, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	/* P3018, prisma.md §3.6 and §4.4 (umami#1842) */
	{ "P3018 42P07", "Applying migration `02_add_event_data`\n" P3018_HEAD "Migration name: 02_add_event_data\n\nDatabase error code: 42P07\n\nDatabase error:\nERROR: relation \"event_old_pkey\" already exists\n\nDbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42P07), message: \"relation \\\"event_old_pkey\\\" already exists\", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some(\"tablecmds.c\"), line: Some(3521), routine: Some(\"RenameRelationInternal\") }\n",
	  2, 1, LOG_EV_FAILED, "02_add_event_data", "P3018", "42P07", "event_old_pkey", NULL,
	  "relation \"event_old_pkey\" already exists", -1, -1, NULL, NULL },
	{ "P3018 column of relation", P3018_HEAD "Migration name: 20251122125322_Add organization_id to spend logs\n\nDatabase error code: 42701\n\nDatabase error:\nERROR: column \"organization_id\" of relation \"LiteLLM_SpendLogs\" already exists\n",
	  1, 0, LOG_EV_FAILED, "20251122125322_Add organization_id to spend logs", "P3018", "42701", "LiteLLM_SpendLogs", "organization_id",
	  "column \"organization_id\" of relation \"LiteLLM_SpendLogs\" already exists", -1, -1, NULL, NULL },
	{ "P3018 with Position block", P3018_HEAD "Migration name: m1\n\nDatabase error code: 42703\n\nDatabase error:\nERROR: column \"x\" does not exist\n\nPosition:\n\x1b[1m  1\x1b[0m ALTER TABLE \"t\" DROP COLUMN \"x\";\n",
	  1, 0, LOG_EV_FAILED, "m1", "P3018", "42703", NULL, "x", "column \"x\" does not exist", -1, -1, NULL, NULL },
	{ "P3018 code none", P3018_HEAD "Migration name: m2\n\nDatabase error code: none\n\nDatabase error:\nsomething else\n",
	  1, 0, LOG_EV_FAILED, "m2", "P3018", NULL, NULL, NULL, "something else", -1, -1, NULL, NULL },
	{ "P3018 from the DbError line only", P3018_HEAD "Migration name: m3\n\nDbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42P01), message: \"relation \\\"LiteLLM_X\\\" does not exist\", detail: None }\n",
	  1, 0, LOG_EV_FAILED, "m3", "P3018", "42P01", "LiteLLM_X", NULL, "relation \"LiteLLM_X\" does not exist", -1, -1, NULL, NULL },
	{ "P3018 logs column with span trace", "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: 20240103000000_bad\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation \"DoesNotExist\" does not exist\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name=\"20240103000000_bad\"\n",
	  1, 0, LOG_EV_FAILED, "20240103000000_bad", "P3018", "42P01", "DoesNotExist", NULL, "relation \"DoesNotExist\" does not exist", -1, -1, NULL, NULL },
	{ "driver adapter external connector error", "Error: external connector error\nNo such table: DoesNotExist\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name=\"20240103000000_bad\"\n",
	  1, 0, LOG_EV_FAILED, "20240103000000_bad", NULL, NULL, NULL, NULL, "No such table: DoesNotExist", -1, -1, NULL, "driver adapter: external connector error" },
	/* P3009 */
	{ "P3009 line", "Error: P3009\n\nmigrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\nThe `20240528214728_add_cursor_index_03` migration started at 2025-10-10 13:48:23.538445 UTC failed\n\n",
	  1, 0, LOG_EV_REFUSED, "20240528214728_add_cursor_index_03", "P3009", NULL, NULL, NULL, NULL, -1, -1, "2025-10-10 13:48:23.538445 UTC", NULL },
	{ "P3009 with the following logs (old wording)", "The `0_init` migration started at 2025-10-10 13:48:23 UTC failed with the following logs:\n",
	  1, 0, LOG_EV_REFUSED, "0_init", "P3009", NULL, NULL, NULL, NULL, -1, -1, "2025-10-10 13:48:23 UTC", NULL },
	/* other Prisma codes, prisma.md §4.1-§4.2 */
	{ "P3005", "Error: P3005\n\nThe database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline\n",
	  1, 0, LOG_EV_NOT_BASELINED, NULL, "P3005", NULL, NULL, NULL,
	  "The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline", -1, -1, NULL, NULL },
	{ "P3015 absolute (<=6.5)", "Error: P3015\n\nCould not find the migration file at /app/prisma/migrations/20240104000000_lost/migration.sql. Please delete the directory or restore the migration file.\n",
	  1, 0, LOG_EV_MISSING_FILE, "20240104000000_lost", "P3015", NULL, NULL, NULL,
	  "Could not find the migration file at /app/prisma/migrations/20240104000000_lost/migration.sql. Please delete the directory or restore the migration file.",
	  -1, -1, NULL, "/app/prisma/migrations/20240104000000_lost/migration.sql" },
	{ "P3019", "Error: P3019\n\nThe datasource provider `postgresql` specified in your schema does not match the one specified in the migration_lock.toml, `<PROVIDER NOT FOUND>`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch\n",
	  1, 0, LOG_EV_PROVIDER_MISMATCH, NULL, "P3019", NULL, NULL, NULL,
	  "The datasource provider `postgresql` specified in your schema does not match the one specified in the migration_lock.toml, `<PROVIDER NOT FOUND>`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch",
	  -1, -1, NULL, "schema provider 'postgresql', migration_lock.toml '<PROVIDER NOT FOUND>'" },
	{ "P1001 split backticks (5.4.2)", "Error: P1001: Can't reach database server at `db`:`5432`\n\nPlease make sure your database server is running at `db`:`5432`.\n",
	  1, 0, LOG_EV_UNREACHABLE, NULL, "P1001", NULL, NULL, NULL, "Can't reach database server at `db`:`5432`", -1, -1, NULL, "db:5432" },
	{ "P1001 6.13+ location", "Error: P1001: Can't reach database server at `db.internal:5432`\n",
	  1, 0, LOG_EV_UNREACHABLE, NULL, "P1001", NULL, NULL, NULL, "Can't reach database server at `db.internal:5432`", -1, -1, NULL, "db.internal:5432" },
	{ "P1002 advisory lock (6.x Timeout:)", "Error: P1002\n\nThe database server was reached but timed out.\n\nPlease try again.\n\nPlease make sure your database server is running at the configured address.\n\nContext: Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(72707369)). Timeout: 10000ms. See https://pris.ly/d/migrate-advisory-locking for details.\n",
	  1, 0, LOG_EV_LOCK_TIMEOUT, NULL, "P1002", NULL, NULL, NULL, "The database server was reached but timed out.", -1, -1, NULL,
	  "Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(72707369)). Timeout: 10000ms. See https://pris.ly/d/migrate-advisory-locking for details." },
	{ "P3008", "Error: P3008\n\nThe migration `20240101000000_init` is already recorded as applied in the database.\n",
	  1, 0, LOG_EV_RESOLVE_ALREADY_APPLIED, "20240101000000_init", "P3008", NULL, NULL, NULL,
	  "The migration `20240101000000_init` is already recorded as applied in the database.", -1, -1, NULL, NULL },
	{ "P3011", "Migration `x_y` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: \"20201207184859_initial_migration\")\n",
	  1, 0, LOG_EV_RESOLVE_NEVER_APPLIED, "x_y", "P3011", NULL, NULL, NULL,
	  "Migration `x_y` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: \"20201207184859_initial_migration\")", -1, -1, NULL, NULL },
	{ "P3012", "Migration `1_a` cannot be rolled back because it is not in a failed state.\n",
	  1, 0, LOG_EV_RESOLVE_NOT_FAILED, "1_a", "P3012", NULL, NULL, NULL,
	  "Migration `1_a` cannot be rolled back because it is not in a failed state.", -1, -1, NULL, NULL },
	{ "P3017", "The migration 1_a could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: \"20201207184859_initial_migration\")\n",
	  1, 0, LOG_EV_RESOLVE_NOT_FOUND, "1_a", "P3017", NULL, NULL, NULL,
	  "The migration 1_a could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: \"20201207184859_initial_migration\")", -1, -1, NULL, NULL },
	{ "other P code", "Error: P1010: User `u` was denied access on the database `litellm`\n",
	  1, 0, LOG_EV_PRISMA_ERROR, NULL, "P1010", NULL, NULL, NULL, "User `u` was denied access on the database `litellm`", -1, -1, NULL, NULL },
	{ "resolve marked rolled back", "\nMigration 20240102000000_second marked as rolled back.\n",
	  1, 0, LOG_EV_MARKED_ROLLED_BACK, "20240102000000_second", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "resolve marked applied", "\nMigration 20240102000000_second marked as applied.\n",
	  1, 0, LOG_EV_MARKED_APPLIED, "20240102000000_second", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "prisma update notice", "\xe2\x94\x82  Update available 5.4.2 -> 6.19.0   \xe2\x94\x82\n",
	  1, 0, LOG_EV_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "prisma" },
	/* LiteLLM, litellm.md §1, §3, §5, §7 */
	{ "deploy started", "2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n",
	  1, 0, LOG_EV_DEPLOY_STARTED, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "idempotent P3009 branch", "Migration 0_init failed due to idempotent error (e.g., column already exists), resolving as applied\n",
	  1, 0, LOG_EV_LITELLM_IDEMPOTENT, "0_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL,
	  "Migration 0_init failed due to idempotent error (e.g., column already exists), resolving as applied" },
	{ "idempotent P3018 branch takes the failed name", P3018_HEAD "Migration name: 5_x\n\nDatabase error code: 42P07\n\n2026-01-01 00:00:00,000 - litellm_proxy_extras - INFO - Migration failed due to idempotent error (e.g., column already exists), resolving as applied\n",
	  2, 1, LOG_EV_LITELLM_IDEMPOTENT, "5_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL,
	  "Migration failed due to idempotent error (e.g., column already exists), resolving as applied" },
	{ "1.66.3-1.80.4 wording", "Migration already exists, resolving specific migration\n",
	  1, 0, LOG_EV_LITELLM_IDEMPOTENT, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "Migration already exists, resolving specific migration" },
	{ "rolling back", "Rolling back migration 20250101_x\n",
	  1, 0, LOG_EV_LITELLM_ROLLING_BACK, "20250101_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "found failed, marking rolled back", "Found failed migration: 20250101_x, marking as rolled back\n",
	  1, 0, LOG_EV_LITELLM_ROLLING_BACK, "20250101_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "marked rolled back... retrying", "\xe2\x9c\x85 Migration 20250101_x marked as rolled back... retrying\n",
	  1, 0, LOG_EV_MARKED_ROLLED_BACK, "20250101_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "resolving existing", "Resolving migration 20250101_x that failed due to existing schema objects\n",
	  1, 0, LOG_EV_LITELLM_RESOLVING_APPLIED, "20250101_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "idempotent failure" },
	{ "resolving (baseline)", "Resolving migration: 20250326162113_baseline\n",
	  1, 0, LOG_EV_LITELLM_RESOLVING_APPLIED, "20250326162113_baseline", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "baseline" },
	{ "resolved", "\xe2\x9c\x85 Migration 20250101_x resolved.\n",
	  1, 0, LOG_EV_LITELLM_RESOLVED, "20250101_x", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "permission", "\xe2\x9d\x8c Migration 1_a failed due to insufficient permissions. Please check database user privileges. Error: x\n",
	  1, 0, LOG_EV_LITELLM_PERMISSION, "1_a", NULL, "42501", NULL, NULL,
	  "\xe2\x9d\x8c Migration 1_a failed due to insufficient permissions. Please check database user privileges. Error: x", -1, -1, NULL, NULL },
	{ "permission RuntimeError", "RuntimeError: Migration failed due to permission error. Migration 1_a was NOT applied. Please grant necessary database permissions and retry.\n",
	  1, 0, LOG_EV_LITELLM_PERMISSION, "1_a", NULL, "42501", NULL, NULL,
	  "RuntimeError: Migration failed due to permission error. Migration 1_a was NOT applied. Please grant necessary database permissions and retry.", -1, -1, NULL, NULL },
	{ "unclassified", "P3018 error encountered but could not classify as permission or idempotent error. Error: e\n",
	  1, 0, LOG_EV_LITELLM_UNCLASSIFIED, NULL, NULL, NULL, NULL, NULL,
	  "P3018 error encountered but could not classify as permission or idempotent error. Error: e", -1, -1, NULL, NULL },
	{ "baseline", "Database schema is not empty, creating baseline migration. In read-only file system, please set an environment variable `LITELLM_MIGRATION_DIR` to a writable directory to enable migrations. Learn more - https://docs.litellm.ai/docs/proxy/prod#read-only-file-system\n",
	  1, 0, LOG_EV_LITELLM_BASELINE, "0_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "creating baseline migration 0_init" },
	{ "diff created", "Migration diff created at /tmp/m/migrations/20260216205725_baseline_diff/migration.sql\n",
	  1, 0, LOG_EV_LITELLM_DIFF_CREATED, "20260216205725_baseline_diff", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL,
	  "/tmp/m/migrations/20260216205725_baseline_diff/migration.sql" },
	{ "db execute applied", "\xe2\x9c\x85 Migration diff applied successfully\n",
	  1, 0, LOG_EV_LITELLM_DIFF_EXECUTE, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "applied" },
	{ "retry", "The process failed to execute. Details: boom. Retrying... (3 attempts left)\n",
	  1, 0, LOG_EV_LITELLM_RETRY, NULL, NULL, NULL, NULL, NULL,
	  "The process failed to execute. Details: boom. Retrying... (3 attempts left)", 3, -1, NULL, NULL },
	{ "attempt timed out", "Attempt 2 timed out\n",
	  1, 0, LOG_EV_LITELLM_TIMEOUT, NULL, NULL, NULL, NULL, NULL, NULL, -1, 2, NULL, NULL },
	{ "continuing startup", "LiteLLM Proxy: Database migration failed but continuing startup. Set --enforce_prisma_migration_check or ENFORCE_PRISMA_MIGRATION_CHECK=true to exit on failure.\n",
	  1, 0, LOG_EV_LITELLM_CONTINUING, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "db ahead", "Database has 3 migration(s) applied that are NEWER than any migration this LiteLLM version ships. This usually means the database was migrated by a newer LiteLLM deployment.\n",
	  1, 0, LOG_EV_LITELLM_DB_AHEAD, NULL, NULL, NULL, NULL, NULL, NULL, 3, -1, NULL, NULL },
	{ "deploy completed", "prisma migrate deploy completed\n",
	  1, 0, LOG_EV_DEPLOY_COMPLETED, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "sanity check", "Running post-migration sanity check...\n",
	  1, 0, LOG_EV_LITELLM_SANITY_CHECK, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "started" },
	{ "diff permission denied", "Permission denied - /app/migrations/20260216205725_baseline_diff: unable to baseline db. Set LITELLM_MIGRATION_DIR environment variable to a writable directory to enable migrations.\n",
	  1, 0, LOG_EV_LITELLM_DIFF_CREATED, NULL, NULL, NULL, NULL, NULL,
	  "Permission denied - /app/migrations/20260216205725_baseline_diff: unable to baseline db. Set LITELLM_MIGRATION_DIR environment variable to a writable directory to enable migrations.", -1, -1, NULL, "permission denied" },
	{ "diff execute failed", "Failed to apply migration diff: boom\n",
	  1, 0, LOG_EV_LITELLM_DIFF_EXECUTE, NULL, NULL, NULL, NULL, NULL, "boom", -1, -1, NULL, "failed" },
	{ "old P3005 wording (1.65.1-1.65.7)", "Error: Database schema is not empty\n",
	  1, 0, LOG_EV_NOT_BASELINED, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "LiteLLM 1.65.1-1.65.7: no automatic baseline" },
	{ "v2 idempotent", "Migration 1_a failed idempotently \xe2\x80\x94 marking applied and retrying\n",
	  1, 0, LOG_EV_LITELLM_IDEMPOTENT, "1_a", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL,
	  "Migration 1_a failed idempotently \xe2\x80\x94 marking applied and retrying" },
	{ "v2 exhausted", "Database migration failed after 4 attempts (retry loop exhausted by timeouts or repeated idempotent-recovery continues). x\n",
	  1, 0, LOG_EV_LITELLM_RETRY, NULL, NULL, NULL, NULL, NULL, NULL, 0, 4, NULL, "retries exhausted" },
	{ "recovered", "Completed migration 1_a using its successful SQL step and matching checksum\n",
	  1, 0, LOG_EV_LITELLM_RECOVERED, "1_a", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "adopted baseline (no 0_init)", "Legacy migration history was missing. The existing Prisma schema matches this build; adopted 79 packaged migrations as a baseline. x\n",
	  1, 0, LOG_EV_LITELLM_BASELINE, NULL, NULL, NULL, NULL, NULL, NULL, 79, -1, NULL, "adopted packaged migrations as a baseline (no 0_init)" },
	{ "litellm version", "LiteLLM: Current Version = 1.81.13\n",
	  1, 0, LOG_EV_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "litellm" },
	{ "schema drift (updates disabled)", "Changes to DB Schema detected\n",
	  1, 0, LOG_EV_LITELLM_SCHEMA_DRIFT, NULL, NULL, NULL, NULL, NULL, "Changes to DB Schema detected", -1, -1, NULL, "changes detected" },
	{ "schema drift logged", "\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8 prisma schema out of sync with db. Consider running these sql_commands to sync the two - ['ALTER TABLE x']\n",
	  1, 0, LOG_EV_LITELLM_SCHEMA_DRIFT, NULL, NULL, NULL, NULL, NULL,
	  "\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8 prisma schema out of sync with db. Consider running these sql_commands to sync the two - ['ALTER TABLE x']", -1, -1, NULL, "changes detected" },
	{ "diff check failed", "Failed to generate migration diff. Error: P1001\n",
	  1, 0, LOG_EV_LITELLM_SCHEMA_DRIFT, NULL, NULL, NULL, NULL, NULL, "P1001", -1, -1, NULL, "diff failed" },
	{ "prisma not found", "Unable to connect to DB. DATABASE_URL found in environment, but prisma package not found.\n",
	  1, 0, LOG_EV_LITELLM_SETUP_ERROR, NULL, NULL, NULL, NULL, NULL,
	  "Unable to connect to DB. DATABASE_URL found in environment, but prisma package not found.", -1, -1, NULL, NULL },
	{ "proxy extras missing", "\x1b[1;31mLiteLLM: Failed to import proxy extras. Got No module named 'litellm_proxy_extras'\x1b[0m\n",
	  1, 0, LOG_EV_LITELLM_SETUP_ERROR, NULL, NULL, NULL, NULL, NULL,
	  "LiteLLM: Failed to import proxy extras. Got No module named 'litellm_proxy_extras'", -1, -1, NULL, NULL },
	{ "baseline diff timed out", "Migration timed out - the database might be under heavy load.\n",
	  1, 0, LOG_EV_LITELLM_BASELINE, "0_init", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, "timed out" },
	{ "v2 manual intervention", "The `7_x` migration started at 2026-01-01 00:00:00 UTC failed\nRuntimeError: Database migration failed and cannot be auto-recovered. Manual intervention required.\n",
	  2, 1, LOG_EV_LITELLM_UNCLASSIFIED, "7_x", NULL, NULL, NULL, NULL,
	  "RuntimeError: Database migration failed and cannot be auto-recovered. Manual intervention required.", -1, -1, NULL, NULL },
	{ "status failed list", "Following migration(s) have failed:\n1_a\n20251122125322_Add organization_id to spend logs\n\nDuring development if the failed migration(s) have not been deployed to a production database you can then fix the migration(s) and run prisma migrate dev.\n",
	  2, 1, LOG_EV_STATUS_FAILED, "20251122125322_Add organization_id to spend logs", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "status pending, singular", "Following migration have not yet been applied:\n2_b\n\nTo apply migrations in development run prisma migrate dev.\n",
	  1, 0, LOG_EV_STATUS_PENDING, "2_b", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "status up to date", "Database schema is up to date!\n",
	  1, 0, LOG_EV_STATUS_UP_TO_DATE, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	/* runtime schema errors, litellm.md §6 */
	{ "missing column", "\x1b[92m14:19:38 - LiteLLM Proxy:ERROR\x1b[0m: utils.py:5783 - Exception: The column `LiteLLM_VerificationToken.object_permission_id` does not exist in the current database.\n",
	  1, 0, LOG_EV_SCHEMA_MISSING_COLUMN, NULL, NULL, NULL, "LiteLLM_VerificationToken", "object_permission_id",
	  "The column `LiteLLM_VerificationToken.object_permission_id` does not exist in the current database", -1, -1, NULL, NULL },
	{ "missing column without backticks", "The column X.y does not exist in the current database.\n",
	  1, 0, LOG_EV_SCHEMA_MISSING_COLUMN, NULL, NULL, NULL, "X", "y", "The column X.y does not exist in the current database", -1, -1, NULL, NULL },
	{ "missing table", "prisma.errors.TableNotFoundError: The table `public.LiteLLM_DailyTagSpend` does not exist in the current database.\n",
	  1, 0, LOG_EV_SCHEMA_MISSING_TABLE, NULL, NULL, NULL, "LiteLLM_DailyTagSpend", NULL,
	  "The table `public.LiteLLM_DailyTagSpend` does not exist in the current database", -1, -1, NULL, NULL },
	{ "missing relation", "psycopg.errors.UndefinedTable: relation \"LiteLLM_ProjectTable\" does not exist\n",
	  1, 0, LOG_EV_SCHEMA_MISSING_RELATION, NULL, NULL, "42P01", "LiteLLM_ProjectTable", NULL,
	  "relation \"LiteLLM_ProjectTable\" does not exist", -1, -1, NULL, NULL },
	{ "postgres column of relation", "ERROR:  column \"budget_id\" of relation \"LiteLLM_TeamTable\" does not exist\n",
	  1, 0, LOG_EV_SCHEMA_MISSING_COLUMN, NULL, NULL, "42703", "LiteLLM_TeamTable", "budget_id",
	  "column \"budget_id\" of relation \"LiteLLM_TeamTable\" does not exist", -1, -1, NULL, NULL },
	/* wrappers */
	{ "kubectl + compose + CRLF", "2026-02-17T11:31:29.822913513Z litellm-1  | Applying migration `1_a`\r\n",
	  1, 0, LOG_EV_APPLYING, "1_a", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "journald prefix", "Feb 17 11:31:29 node-3 litellm[1234]: 2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - Attempt 4 timed out\n",
	  1, 0, LOG_EV_LITELLM_TIMEOUT, NULL, NULL, NULL, NULL, NULL, NULL, -1, 4, NULL, NULL },
	{ "bracketed timestamp", "[2026-02-17 11:31:29] No pending migrations to apply.\n",
	  1, 0, LOG_EV_NOTHING_PENDING, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "docker logs -t, tab (CloudWatch export)", "2026-02-17T11:31:29.822Z\tApplying migration `1_a`\n",
	  1, 0, LOG_EV_APPLYING, "1_a", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	{ "JSON with escaped newlines", "{\"message\": \"prisma migrate deploy stdout: Prisma schema loaded from schema.prisma\\n\\n3 migrations found in prisma/migrations\\n\", \"level\": \"INFO\"}\n",
	  2, 1, LOG_EV_MIGRATIONS_FOUND, NULL, NULL, NULL, NULL, NULL, NULL, 3, -1, NULL, NULL },
	{ "JSON \\u escapes", "{\"timestamp\": \"t\", \"extra\": {\"a\": [1, {\"b\": \"}\"}]}, \"message\": \"\\u2705 Migration \\u0031_a resolved.\"}\n",
	  1, 0, LOG_EV_LITELLM_RESOLVED, "1_a", NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
	/* nothing */
	{ "noise", "INFO:     10.0.3.7:51234 - \"GET /health/readiness HTTP/1.1\" 200 OK\n", 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, -1, -1, NULL, NULL },
};

static void check_str(const char *what, const char *name, const char *want, const char *got)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got))
		fail_msg("%s: %s: want '%s', got '%s'", name, what, want ? want : "(null)",
			 got ? got : "(null)");
}

static void patterns_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		const struct pcase *c = &cases[i];
		struct log_events ev;
		struct md_error err;
		const struct log_event *e;

		log_events_init(&ev);
		assert_int_equal(logs_read_mem(&ev, "t.log", c->input, strlen(c->input), &err), 0);
		if (ev.n != c->n_events) {
			for (size_t k = 0; k < ev.n; k++)
				print_message("  got %s\n", log_event_kind_name(ev.items[k].kind));
			fail_msg("%s: want %zu events, got %zu", c->name, c->n_events, ev.n);
		}
		if (c->n_events) {
			e = &ev.items[c->idx];
			if (e->kind != c->kind)
				fail_msg("%s: kind: want %s, got %s", c->name,
					 log_event_kind_name(c->kind), log_event_kind_name(e->kind));
			check_str("migration", c->name, c->migration, e->migration);
			check_str("code", c->name, c->code, e->code);
			check_str("sqlstate", c->name, c->sqlstate, e->sqlstate);
			check_str("relation", c->name, c->relation, e->relation);
			check_str("column", c->name, c->column, e->column);
			check_str("message", c->name, c->message, e->message);
			check_str("started_at", c->name, c->started_at, e->started_at);
			check_str("detail", c->name, c->detail, e->detail);
			if (e->count != c->count || e->attempt != c->attempt)
				fail_msg("%s: count/attempt: want %ld/%ld, got %ld/%ld", c->name,
					 c->count, c->attempt, e->count, e->attempt);
			assert_string_equal(e->pos.file, "t.log");
		}
		log_events_release(&ev);
	}
}

/* Every literal of the prefilter is found, at any alignment, and nothing else. */
static void prefilter_finds_literals(void **state)
{
	char buf[256];

	(void)state;
	for (size_t i = 0; lf_literals[i]; i++) {
		for (size_t pad = 0; pad < 9; pad++) {
			size_t n;

			memset(buf, '.', pad);
			n = pad + (size_t)snprintf(buf + pad, sizeof(buf) - pad, "%s", lf_literals[i]);
			assert_ptr_equal(lf_find(buf, buf + n), buf + pad);
			/* cut by one byte: not found */
			assert_null(lf_find(buf, buf + n - 1));
		}
	}
	strcpy(buf, "GET /health/readiness HTTP/1.1 200 OK and some mig rat text");
	assert_null(lf_find(buf, buf + strlen(buf)));
}

static void count_newlines(void **state)
{
	char buf[300];

	(void)state;
	for (size_t len = 0; len < sizeof(buf); len++) {
		uint64_t want = 0;

		for (size_t k = 0; k < len; k++) {
			buf[k] = (k * 7) % 5 == 0 ? '\n' : (char)(k & 0xff ? k : 1);
			want += buf[k] == '\n';
		}
		for (size_t off = 0; off < 8 && off <= len; off++) {
			uint64_t w = 0;

			for (size_t k = off; k < len; k++)
				w += buf[k] == '\n';
			assert_int_equal(lf_count_nl(buf + off, buf + len), w);
		}
		assert_int_equal(lf_count_nl(buf, buf + len), want);
	}
}

static void json_strings(void **state)
{
	struct sbuf msg = SBUF_INIT, ts = SBUF_INIT;
	const char *rec = "{\"level\":\"INFO\",\"n\":-1.5e3,\"ok\":true,\"x\":null,"
			  "\"message\":\"a\\nb\\t\\\"q\\\" \\\\ \\/ \\u00e9 \\ud83d\\ude80 \\ud800x\","
			  "\"timestamp\":\"2026-01-19T18:40:32.354391\"}";

	(void)state;
	assert_int_equal(lj_decode_record(rec, strlen(rec), &msg, &ts), 0);
	assert_string_equal(msg.buf, "a\nb\t\"q\" \\ / \xc3\xa9 \xf0\x9f\x9a\x80 \xef\xbf\xbdx");
	assert_string_equal(ts.buf, "2026-01-19T18:40:32.354391");
	/* cut in the middle: what was decoded so far */
	assert_int_equal(lj_decode_record(rec, (size_t)(strstr(rec, "\\t") - rec), &msg, &ts), 0);
	assert_string_equal(msg.buf, "a\nb");
	assert_int_equal(lj_decode_record("{\"level\": \"INFO\"}", 17, &msg, &ts), -1);
	assert_int_equal(lj_decode_record("not json", 8, &msg, &ts), -1);
	sbuf_release(&msg);
	sbuf_release(&ts);
}

static void kind_names_unique(void **state)
{
	(void)state;
	for (int i = 0; i < LOG_EV__COUNT; i++) {
		const char *a = log_event_kind_name((enum log_event_kind)i);

		assert_string_not_equal(a, "unknown");
		for (int j = i + 1; j < LOG_EV__COUNT; j++)
			assert_string_not_equal(a, log_event_kind_name((enum log_event_kind)j));
	}
	assert_string_equal(log_event_kind_name(LOG_EV__COUNT), "unknown");
	assert_string_equal(log_event_kind_name(LOG_EV_FAILED), "failed");
}

/* LiteLLM 1.80.x JSON_LOGS: each record plain and JSON; one copy kept. */
static void duplicates_dropped(void **state)
{
	const char *in =
		"2025-12-03 16:02:10,417 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n"
		"{\"message\": \"Running prisma migrate deploy\", \"level\": \"INFO\"}\n"
		"2025-12-03 16:02:11,000 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n";
	struct log_events ev;
	struct md_error err;

	(void)state;
	log_events_init(&ev);
	assert_int_equal(logs_read_mem(&ev, "d.log", in, strlen(in), &err), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.duplicates, 1);
	assert_int_equal(ev.items[0].pos.line, 1);
	assert_int_equal(ev.items[1].pos.line, 3);
	log_events_release(&ev);
}

/* Positions survive the prefilter's jumps, and files append. */
static void positions_and_append(void **state)
{
	struct sbuf in = SBUF_INIT;
	struct log_events ev;
	struct md_error err;

	(void)state;
	for (int i = 0; i < 5000; i++)
		sb_printf(&in, "INFO:     10.0.0.%d:1 - \"GET / HTTP/1.1\" 200 OK\n", i % 255);
	sb_puts(&in, "Applying migration `1_a`\n");
	log_events_init(&ev);
	assert_int_equal(logs_read_mem(&ev, "a.log", in.buf, in.len, &err), 0);
	assert_int_equal(logs_read_mem(&ev, "b.log", "x\nApplying migration `2_b`", 26, &err), 0);
	assert_int_equal(ev.n, 2);
	assert_int_equal(ev.items[0].pos.line, 5001);
	assert_string_equal(ev.items[0].pos.file, "a.log");
	assert_int_equal(ev.items[1].pos.line, 2);
	assert_string_equal(ev.items[1].pos.file, "b.log");
	assert_int_equal(ev.lines_read, 5003);
	assert_int_equal(ev.files_read, 2);
	log_events_release(&ev);
	sbuf_release(&in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(patterns_table),
		cmocka_unit_test(prefilter_finds_literals),
		cmocka_unit_test(count_newlines),
		cmocka_unit_test(json_strings),
		cmocka_unit_test(kind_names_unique),
		cmocka_unit_test(duplicates_dropped),
		cmocka_unit_test(positions_and_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
