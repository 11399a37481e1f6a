/*
 * Unit tests for src/logs: each pattern against the exact strings the
 * tools print (Prisma's CLI and schema engine, LiteLLM's proxy; see
 * src/logs/patterns.c for the upstream sources), table-driven:
 * input text → the fields of the event it must give. A NULL field in the
 * table means the event must not have it.
 */
#include "migdoctor/common.h"
#include "migdoctor/log_outcome.h"
#include "migdoctor/logs.h"
#include "migdoctor/stream.h"
#include "logs/logs_internal.h"

#include <dirent.h>
#include <setjmp.h>
#include <cmocka.h>

#define P3018_HEAD "Error: P3018\n\nA migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n"

/* a number the event must have; unset: the event must have none (-1) */
struct num {
	bool set;
	long v;
};
#define NUM(x) { .set = true, .v = (x) }

struct pcase {
	const char *name;
	const char *input;
	size_t n_events;   /* events the input gives in total */
	size_t idx;        /* which one is checked */
	enum log_event_kind kind;
	const char *migration, *code, *sqlstate, *relation, *column, *message;
	struct num count, attempt;
	const char *started_at, *detail;
};

static const struct pcase cases[] = {
	/* Prisma header and summary lines */
	{ .name = "schema loaded",
	  .input = "Prisma schema loaded from prisma/schema.prisma\nDatasource \"db\": PostgreSQL database \"litellm\", schema \"public\" at \"db:5432\"\n",
	  .n_events = 1, .kind = LOG_EV_SCHEMA_LOADED,
	  .message = "Datasource \"db\": PostgreSQL database \"litellm\", schema \"public\" at \"db:5432\"",
	  .detail = "prisma/schema.prisma" },
	{ .name = "7.x schema line with period",
	  .input = "Prisma schema loaded from prisma/schema.prisma.\n", .n_events = 1,
	  .kind = LOG_EV_SCHEMA_LOADED, .detail = "prisma/schema.prisma" },
	{ .name = "N migrations found", .input = "309 migrations found in prisma/migrations\n",
	  .n_events = 1, .kind = LOG_EV_MIGRATIONS_FOUND, .count = NUM(309) },
	{ .name = "1 migration found", .input = "1 migration found in prisma/migrations\n",
	  .n_events = 1, .kind = LOG_EV_MIGRATIONS_FOUND, .count = NUM(1) },
	{ .name = "no migration found", .input = "No migration found in prisma/migrations\n",
	  .n_events = 1, .kind = LOG_EV_MIGRATIONS_FOUND, .count = NUM(0) },
	{ .name = "applying", .input = "Applying migration `20240101000000_init`\n", .n_events = 1,
	  .kind = LOG_EV_APPLYING, .migration = "20240101000000_init" },
	{ .name = "applied tree (5.9+)",
	  .input = "The following migration(s) have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_init/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n  \xe2\x94\x94\xe2\x94\x80 20240102000000_second/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n      \nAll migrations have been successfully applied.\n",
	  .n_events = 3, .idx = 1, .kind = LOG_EV_APPLIED, .migration = "20240102000000_second" },
	{ .name = "applied tree, 5.4 singular",
	  .input = "The following migration have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_init/\n    \xe2\x94\x94\xe2\x94\x80 migration.sql\n",
	  .n_events = 1, .kind = LOG_EV_APPLIED, .migration = "20240101000000_init" },
	{ .name = "applied tree, ANSI bold cyan name",
	  .input = "The following migrations have been applied:\n\nmigrations/\n  \xe2\x94\x94\xe2\x94\x80 20240101000000_\x1b[1m\x1b[36minit\x1b[39m\x1b[22m/\n",
	  .n_events = 1, .kind = LOG_EV_APPLIED, .migration = "20240101000000_init" },
	{ .name = "all applied", .input = "All migrations have been successfully applied.\n",
	  .n_events = 1, .kind = LOG_EV_ALL_APPLIED },
	{ .name = "nothing pending", .input = "\n\nNo pending migrations to apply.\n",
	  .n_events = 1, .kind = LOG_EV_NOTHING_PENDING },
	/* P3018 (the 42P07 case: github.com/umami-software/umami/issues/1842) */
	{ .name = "P3018 42P07",
	  .input = "Applying migration `02_add_event_data`\n" P3018_HEAD "Migration name: 02_add_event_data\n\nDatabase error code: 42P07\n\nDatabase error:\nERROR: relation \"event_old_pkey\" already exists\n\nDbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42P07), message: \"relation \\\"event_old_pkey\\\" already exists\", detail: None, hint: None, position: None, where_: None, schema: None, table: None, column: None, datatype: None, constraint: None, file: Some(\"tablecmds.c\"), line: Some(3521), routine: Some(\"RenameRelationInternal\") }\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_FAILED, .migration = "02_add_event_data",
	  .code = "P3018", .sqlstate = "42P07", .relation = "event_old_pkey",
	  .message = "relation \"event_old_pkey\" already exists" },
	{ .name = "P3018 column of relation",
	  .input = P3018_HEAD "Migration name: 20251122125322_Add organization_id to spend logs\n\nDatabase error code: 42701\n\nDatabase error:\nERROR: column \"organization_id\" of relation \"LiteLLM_SpendLogs\" already exists\n",
	  .n_events = 1, .kind = LOG_EV_FAILED,
	  .migration = "20251122125322_Add organization_id to spend logs", .code = "P3018",
	  .sqlstate = "42701", .relation = "LiteLLM_SpendLogs", .column = "organization_id",
	  .message = "column \"organization_id\" of relation \"LiteLLM_SpendLogs\" already exists" },
	{ .name = "P3018 with Position block",
	  .input = P3018_HEAD "Migration name: m1\n\nDatabase error code: 42703\n\nDatabase error:\nERROR: column \"x\" does not exist\n\nPosition:\n\x1b[1m  1\x1b[0m ALTER TABLE \"t\" DROP COLUMN \"x\";\n",
	  .n_events = 1, .kind = LOG_EV_FAILED, .migration = "m1", .code = "P3018",
	  .sqlstate = "42703", .column = "x", .message = "column \"x\" does not exist" },
	{ .name = "P3018 code none",
	  .input = P3018_HEAD "Migration name: m2\n\nDatabase error code: none\n\nDatabase error:\nsomething else\n",
	  .n_events = 1, .kind = LOG_EV_FAILED, .migration = "m2", .code = "P3018",
	  .message = "something else" },
	{ .name = "P3018 from the DbError line only",
	  .input = P3018_HEAD "Migration name: m3\n\nDbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42P01), message: \"relation \\\"LiteLLM_X\\\" does not exist\", detail: None }\n",
	  .n_events = 1, .kind = LOG_EV_FAILED, .migration = "m3", .code = "P3018",
	  .sqlstate = "42P01", .relation = "LiteLLM_X",
	  .message = "relation \"LiteLLM_X\" does not exist" },
	{ .name = "P3018 logs column with span trace",
	  .input = "A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: 20240103000000_bad\n\nDatabase error code: 42P01\n\nDatabase error:\nERROR: relation \"DoesNotExist\" does not exist\n\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name=\"20240103000000_bad\"\n",
	  .n_events = 1, .kind = LOG_EV_FAILED, .migration = "20240103000000_bad", .code = "P3018",
	  .sqlstate = "42P01", .relation = "DoesNotExist",
	  .message = "relation \"DoesNotExist\" does not exist" },
	{ .name = "driver adapter external connector error",
	  .input = "Error: external connector error\nNo such table: DoesNotExist\n   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name=\"20240103000000_bad\"\n",
	  .n_events = 1, .kind = LOG_EV_FAILED, .migration = "20240103000000_bad",
	  .message = "No such table: DoesNotExist",
	  .detail = "driver adapter: external connector error" },
	/* P3009 */
	{ .name = "P3009 line",
	  .input = "Error: P3009\n\nmigrate found failed migrations in the target database, new migrations will not be applied. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\nThe `20240528214728_add_cursor_index_03` migration started at 2025-10-10 13:48:23.538445 UTC failed\n\n",
	  .n_events = 1, .kind = LOG_EV_REFUSED, .migration = "20240528214728_add_cursor_index_03",
	  .code = "P3009", .started_at = "2025-10-10 13:48:23.538445 UTC" },
	{ .name = "P3009 with the following logs (old wording)",
	  .input = "The `0_init` migration started at 2025-10-10 13:48:23 UTC failed with the following logs:\n",
	  .n_events = 1, .kind = LOG_EV_REFUSED, .migration = "0_init", .code = "P3009",
	  .started_at = "2025-10-10 13:48:23 UTC" },
	/* other Prisma codes (https://www.prisma.io/docs/orm/reference/error-reference) */
	{ .name = "P3005",
	  .input = "Error: P3005\n\nThe database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline\n",
	  .n_events = 1, .kind = LOG_EV_NOT_BASELINED, .code = "P3005",
	  .message = "The database schema is not empty. Read more about how to baseline an existing production database: https://pris.ly/d/migrate-baseline" },
	{ .name = "P3015 absolute (<=6.5)",
	  .input = "Error: P3015\n\nCould not find the migration file at /app/prisma/migrations/20240104000000_lost/migration.sql. Please delete the directory or restore the migration file.\n",
	  .n_events = 1, .kind = LOG_EV_MISSING_FILE, .migration = "20240104000000_lost",
	  .code = "P3015",
	  .message = "Could not find the migration file at /app/prisma/migrations/20240104000000_lost/migration.sql. Please delete the directory or restore the migration file.",
	  .detail = "/app/prisma/migrations/20240104000000_lost/migration.sql" },
	{ .name = "P3019",
	  .input = "Error: P3019\n\nThe datasource provider `postgresql` specified in your schema does not match the one specified in the migration_lock.toml, `<PROVIDER NOT FOUND>`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch\n",
	  .n_events = 1, .kind = LOG_EV_PROVIDER_MISMATCH, .code = "P3019",
	  .message = "The datasource provider `postgresql` specified in your schema does not match the one specified in the migration_lock.toml, `<PROVIDER NOT FOUND>`. Please remove your current migration directory and start a new migration history with prisma migrate dev. Read more: https://pris.ly/d/migrate-provider-switch",
	  .detail = "schema provider 'postgresql', migration_lock.toml '<PROVIDER NOT FOUND>'" },
	{ .name = "P1001 split backticks (5.4.2)",
	  .input = "Error: P1001: Can't reach database server at `db`:`5432`\n\nPlease make sure your database server is running at `db`:`5432`.\n",
	  .n_events = 1, .kind = LOG_EV_UNREACHABLE, .code = "P1001",
	  .message = "Can't reach database server at `db`:`5432`", .detail = "db:5432" },
	{ .name = "P1001 6.13+ location",
	  .input = "Error: P1001: Can't reach database server at `db.internal:5432`\n",
	  .n_events = 1, .kind = LOG_EV_UNREACHABLE, .code = "P1001",
	  .message = "Can't reach database server at `db.internal:5432`",
	  .detail = "db.internal:5432" },
	{ .name = "P1002 advisory lock (6.x Timeout:)",
	  .input = "Error: P1002\n\nThe database server was reached but timed out.\n\nPlease try again.\n\nPlease make sure your database server is running at the configured address.\n\nContext: Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(72707369)). Timeout: 10000ms. See https://pris.ly/d/migrate-advisory-locking for details.\n",
	  .n_events = 1, .kind = LOG_EV_LOCK_TIMEOUT, .code = "P1002",
	  .message = "The database server was reached but timed out.",
	  .detail = "Timed out trying to acquire a postgres advisory lock (SELECT pg_advisory_lock(72707369)). Timeout: 10000ms. See https://pris.ly/d/migrate-advisory-locking for details." },
	{ .name = "P3008",
	  .input = "Error: P3008\n\nThe migration `20240101000000_init` is already recorded as applied in the database.\n",
	  .n_events = 1, .kind = LOG_EV_RESOLVE_ALREADY_APPLIED, .migration = "20240101000000_init",
	  .code = "P3008",
	  .message = "The migration `20240101000000_init` is already recorded as applied in the database." },
	{ .name = "P3011",
	  .input = "Migration `x_y` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: \"20201207184859_initial_migration\")\n",
	  .n_events = 1, .kind = LOG_EV_RESOLVE_NEVER_APPLIED, .migration = "x_y", .code = "P3011",
	  .message = "Migration `x_y` cannot be rolled back because it was never applied to the database. Hint: did you pass in the whole migration name? (example: \"20201207184859_initial_migration\")" },
	{ .name = "P3012",
	  .input = "Migration `1_a` cannot be rolled back because it is not in a failed state.\n",
	  .n_events = 1, .kind = LOG_EV_RESOLVE_NOT_FAILED, .migration = "1_a", .code = "P3012",
	  .message = "Migration `1_a` cannot be rolled back because it is not in a failed state." },
	{ .name = "P3017",
	  .input = "The migration 1_a could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: \"20201207184859_initial_migration\")\n",
	  .n_events = 1, .kind = LOG_EV_RESOLVE_NOT_FOUND, .migration = "1_a", .code = "P3017",
	  .message = "The migration 1_a could not be found. Please make sure that the migration exists, and that you included the whole name of the directory. (example: \"20201207184859_initial_migration\")" },
	{ .name = "other P code",
	  .input = "Error: P1010: User `u` was denied access on the database `litellm`\n",
	  .n_events = 1, .kind = LOG_EV_PRISMA_ERROR, .code = "P1010",
	  .message = "User `u` was denied access on the database `litellm`" },
	{ .name = "resolve marked rolled back",
	  .input = "\nMigration 20240102000000_second marked as rolled back.\n", .n_events = 1,
	  .kind = LOG_EV_MARKED_ROLLED_BACK, .migration = "20240102000000_second" },
	{ .name = "resolve marked applied",
	  .input = "\nMigration 20240102000000_second marked as applied.\n", .n_events = 1,
	  .kind = LOG_EV_MARKED_APPLIED, .migration = "20240102000000_second" },
	{ .name = "prisma update notice",
	  .input = "\xe2\x94\x82  Update available 5.4.2 -> 6.19.0   \xe2\x94\x82\n", .n_events = 1,
	  .kind = LOG_EV_VERSION, .detail = "prisma" },
	/* LiteLLM: proxy start-up and litellm-proxy-extras */
	{ .name = "deploy started",
	  .input = "2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_STARTED },
	{ .name = "idempotent P3009 branch",
	  .input = "Migration 0_init failed due to idempotent error (e.g., column already exists), resolving as applied\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_IDEMPOTENT, .migration = "0_init",
	  .detail = "Migration 0_init failed due to idempotent error (e.g., column already exists), resolving as applied" },
	{ .name = "idempotent P3018 branch takes the failed name",
	  .input = P3018_HEAD "Migration name: 5_x\n\nDatabase error code: 42P07\n\n2026-01-01 00:00:00,000 - litellm_proxy_extras - INFO - Migration failed due to idempotent error (e.g., column already exists), resolving as applied\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_LITELLM_IDEMPOTENT, .migration = "5_x",
	  .detail = "Migration failed due to idempotent error (e.g., column already exists), resolving as applied" },
	{ .name = "1.66.3-1.80.4 wording",
	  .input = "Migration already exists, resolving specific migration\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_IDEMPOTENT,
	  .detail = "Migration already exists, resolving specific migration" },
	{ .name = "rolling back", .input = "Rolling back migration 20250101_x\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_ROLLING_BACK, .migration = "20250101_x" },
	{ .name = "found failed, marking rolled back",
	  .input = "Found failed migration: 20250101_x, marking as rolled back\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_ROLLING_BACK, .migration = "20250101_x" },
	{ .name = "marked rolled back... retrying",
	  .input = "\xe2\x9c\x85 Migration 20250101_x marked as rolled back... retrying\n",
	  .n_events = 1, .kind = LOG_EV_MARKED_ROLLED_BACK, .migration = "20250101_x" },
	{ .name = "resolving existing",
	  .input = "Resolving migration 20250101_x that failed due to existing schema objects\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RESOLVING_APPLIED, .migration = "20250101_x",
	  .detail = "idempotent failure" },
	{ .name = "resolving (baseline)", .input = "Resolving migration: 20250326162113_baseline\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RESOLVING_APPLIED,
	  .migration = "20250326162113_baseline", .detail = "baseline" },
	{ .name = "resolved", .input = "\xe2\x9c\x85 Migration 20250101_x resolved.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RESOLVED, .migration = "20250101_x" },
	{ .name = "permission",
	  .input = "\xe2\x9d\x8c Migration 1_a failed due to insufficient permissions. Please check database user privileges. Error: x\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_PERMISSION, .migration = "1_a", .sqlstate = "42501",
	  .message = "\xe2\x9d\x8c Migration 1_a failed due to insufficient permissions. Please check database user privileges. Error: x" },
	{ .name = "permission RuntimeError",
	  .input = "RuntimeError: Migration failed due to permission error. Migration 1_a was NOT applied. Please grant necessary database permissions and retry.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_PERMISSION, .migration = "1_a", .sqlstate = "42501",
	  .message = "RuntimeError: Migration failed due to permission error. Migration 1_a was NOT applied. Please grant necessary database permissions and retry." },
	{ .name = "unclassified",
	  .input = "P3018 error encountered but could not classify as permission or idempotent error. Error: e\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_UNCLASSIFIED,
	  .message = "P3018 error encountered but could not classify as permission or idempotent error. Error: e" },
	{ .name = "baseline",
	  .input = "Database schema is not empty, creating baseline migration. In read-only file system, please set an environment variable `LITELLM_MIGRATION_DIR` to a writable directory to enable migrations. Learn more - https://docs.litellm.ai/docs/proxy/prod#read-only-file-system\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_BASELINE, .migration = "0_init",
	  .detail = "creating baseline migration 0_init" },
	{ .name = "diff created",
	  .input = "Migration diff created at /tmp/m/migrations/20260216205725_baseline_diff/migration.sql\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_DIFF_CREATED,
	  .migration = "20260216205725_baseline_diff",
	  .detail = "/tmp/m/migrations/20260216205725_baseline_diff/migration.sql" },
	{ .name = "db execute applied",
	  .input = "\xe2\x9c\x85 Migration diff applied successfully\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_DIFF_EXECUTE, .detail = "applied" },
	{ .name = "retry",
	  .input = "The process failed to execute. Details: boom. Retrying... (3 attempts left)\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RETRY,
	  .message = "The process failed to execute. Details: boom. Retrying... (3 attempts left)",
	  .count = NUM(3) },
	{ .name = "attempt timed out", .input = "Attempt 2 timed out\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_TIMEOUT, .attempt = NUM(2) },
	{ .name = "continuing startup",
	  .input = "LiteLLM Proxy: Database migration failed but continuing startup. Set --enforce_prisma_migration_check or ENFORCE_PRISMA_MIGRATION_CHECK=true to exit on failure.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_CONTINUING },
	{ .name = "db ahead",
	  .input = "Database has 3 migration(s) applied that are NEWER than any migration this LiteLLM version ships. This usually means the database was migrated by a newer LiteLLM deployment.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_DB_AHEAD, .count = NUM(3) },
	{ .name = "deploy completed", .input = "prisma migrate deploy completed\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_COMPLETED },
	{ .name = "sanity check", .input = "Running post-migration sanity check...\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SANITY_CHECK, .detail = "started" },
	{ .name = "diff permission denied",
	  .input = "Permission denied - /app/migrations/20260216205725_baseline_diff: unable to baseline db. Set LITELLM_MIGRATION_DIR environment variable to a writable directory to enable migrations.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_DIFF_CREATED,
	  .message = "Permission denied - /app/migrations/20260216205725_baseline_diff: unable to baseline db. Set LITELLM_MIGRATION_DIR environment variable to a writable directory to enable migrations.",
	  .detail = "permission denied" },
	{ .name = "diff execute failed", .input = "Failed to apply migration diff: boom\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_DIFF_EXECUTE, .message = "boom",
	  .detail = "failed" },
	{ .name = "old P3005 wording (1.65.1-1.65.7)",
	  .input = "Error: Database schema is not empty\n", .n_events = 1,
	  .kind = LOG_EV_NOT_BASELINED, .detail = "LiteLLM 1.65.1-1.65.7: no automatic baseline" },
	{ .name = "v2 idempotent",
	  .input = "Migration 1_a failed idempotently \xe2\x80\x94 marking applied and retrying\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_IDEMPOTENT, .migration = "1_a",
	  .detail = "Migration 1_a failed idempotently \xe2\x80\x94 marking applied and retrying" },
	{ .name = "v2 exhausted",
	  .input = "Database migration failed after 4 attempts (retry loop exhausted by timeouts or repeated idempotent-recovery continues). x\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RETRY, .count = NUM(0), .attempt = NUM(4),
	  .detail = "retries exhausted" },
	{ .name = "recovered",
	  .input = "Completed migration 1_a using its successful SQL step and matching checksum\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RECOVERED, .migration = "1_a" },
	{ .name = "adopted baseline (no 0_init)",
	  .input = "Legacy migration history was missing. The existing Prisma schema matches this build; adopted 79 packaged migrations as a baseline. x\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_BASELINE, .count = NUM(79),
	  .detail = "adopted packaged migrations as a baseline (no 0_init)" },
	{ .name = "litellm version", .input = "LiteLLM: Current Version = 1.81.13\n", .n_events = 1,
	  .kind = LOG_EV_VERSION, .detail = "litellm" },
	{ .name = "schema drift (updates disabled)", .input = "Changes to DB Schema detected\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SCHEMA_DRIFT,
	  .message = "Changes to DB Schema detected", .detail = "changes detected" },
	{ .name = "schema drift logged",
	  .input = "\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8 prisma schema out of sync with db. Consider running these sql_commands to sync the two - ['ALTER TABLE x']\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SCHEMA_DRIFT,
	  .message = "\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8\xf0\x9f\x9a\xa8 prisma schema out of sync with db. Consider running these sql_commands to sync the two - ['ALTER TABLE x']",
	  .detail = "changes detected" },
	{ .name = "diff check failed", .input = "Failed to generate migration diff. Error: P1001\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SCHEMA_DRIFT, .message = "P1001",
	  .detail = "diff failed" },
	{ .name = "prisma not found",
	  .input = "Unable to connect to DB. DATABASE_URL found in environment, but prisma package not found.\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SETUP_ERROR,
	  .message = "Unable to connect to DB. DATABASE_URL found in environment, but prisma package not found." },
	{ .name = "proxy extras missing",
	  .input = "\x1b[1;31mLiteLLM: Failed to import proxy extras. Got No module named 'litellm_proxy_extras'\x1b[0m\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_SETUP_ERROR,
	  .message = "LiteLLM: Failed to import proxy extras. Got No module named 'litellm_proxy_extras'" },
	{ .name = "baseline diff timed out",
	  .input = "Migration timed out - the database might be under heavy load.\n", .n_events = 1,
	  .kind = LOG_EV_LITELLM_BASELINE, .migration = "0_init", .detail = "timed out" },
	{ .name = "v2 manual intervention",
	  .input = "The `7_x` migration started at 2026-01-01 00:00:00 UTC failed\nRuntimeError: Database migration failed and cannot be auto-recovered. Manual intervention required.\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_LITELLM_UNCLASSIFIED, .migration = "7_x",
	  .message = "RuntimeError: Database migration failed and cannot be auto-recovered. Manual intervention required." },
	{ .name = "status failed list",
	  .input = "Following migration(s) have failed:\n1_a\n20251122125322_Add organization_id to spend logs\n\nDuring development if the failed migration(s) have not been deployed to a production database you can then fix the migration(s) and run prisma migrate dev.\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_STATUS_FAILED,
	  .migration = "20251122125322_Add organization_id to spend logs" },
	{ .name = "status pending, singular",
	  .input = "Following migration have not yet been applied:\n2_b\n\nTo apply migrations in development run prisma migrate dev.\n",
	  .n_events = 1, .kind = LOG_EV_STATUS_PENDING, .migration = "2_b" },
	{ .name = "status up to date", .input = "Database schema is up to date!\n", .n_events = 1,
	  .kind = LOG_EV_STATUS_UP_TO_DATE },
	/* runtime schema errors (Prisma Client P2022 / P2021, PostgreSQL 42703 / 42P01) */
	{ .name = "missing column",
	  .input = "\x1b[92m14:19:38 - LiteLLM Proxy:ERROR\x1b[0m: utils.py:5783 - Exception: The column `LiteLLM_VerificationToken.object_permission_id` does not exist in the current database.\n",
	  .n_events = 1, .kind = LOG_EV_SCHEMA_MISSING_COLUMN,
	  .relation = "LiteLLM_VerificationToken", .column = "object_permission_id",
	  .message = "The column `LiteLLM_VerificationToken.object_permission_id` does not exist in the current database" },
	{ .name = "missing column without backticks",
	  .input = "The column X.y does not exist in the current database.\n", .n_events = 1,
	  .kind = LOG_EV_SCHEMA_MISSING_COLUMN, .relation = "X", .column = "y",
	  .message = "The column X.y does not exist in the current database" },
	{ .name = "missing table",
	  .input = "prisma.errors.TableNotFoundError: The table `public.LiteLLM_DailyTagSpend` does not exist in the current database.\n",
	  .n_events = 1, .kind = LOG_EV_SCHEMA_MISSING_TABLE, .relation = "LiteLLM_DailyTagSpend",
	  .message = "The table `public.LiteLLM_DailyTagSpend` does not exist in the current database" },
	{ .name = "missing relation",
	  .input = "psycopg.errors.UndefinedTable: relation \"LiteLLM_ProjectTable\" does not exist\n",
	  .n_events = 1, .kind = LOG_EV_SCHEMA_MISSING_RELATION, .sqlstate = "42P01",
	  .relation = "LiteLLM_ProjectTable",
	  .message = "relation \"LiteLLM_ProjectTable\" does not exist" },
	{ .name = "postgres column of relation",
	  .input = "ERROR:  column \"budget_id\" of relation \"LiteLLM_TeamTable\" does not exist\n",
	  .n_events = 1, .kind = LOG_EV_SCHEMA_MISSING_COLUMN, .sqlstate = "42703",
	  .relation = "LiteLLM_TeamTable", .column = "budget_id",
	  .message = "column \"budget_id\" of relation \"LiteLLM_TeamTable\" does not exist" },
	/* wrappers */
	{ .name = "kubectl + compose + CRLF",
	  .input = "2026-02-17T11:31:29.822913513Z litellm-1  | Applying migration `1_a`\r\n",
	  .n_events = 1, .kind = LOG_EV_APPLYING, .migration = "1_a" },
	{ .name = "journald prefix",
	  .input = "Feb 17 11:31:29 node-3 litellm[1234]: 2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - Attempt 4 timed out\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_TIMEOUT, .attempt = NUM(4) },
	{ .name = "bracketed timestamp",
	  .input = "[2026-02-17 11:31:29] No pending migrations to apply.\n", .n_events = 1,
	  .kind = LOG_EV_NOTHING_PENDING },
	{ .name = "docker logs -t, tab (CloudWatch export)",
	  .input = "2026-02-17T11:31:29.822Z\tApplying migration `1_a`\n", .n_events = 1,
	  .kind = LOG_EV_APPLYING, .migration = "1_a" },
	{ .name = "JSON with escaped newlines",
	  .input = "{\"message\": \"prisma migrate deploy stdout: Prisma schema loaded from schema.prisma\\n\\n3 migrations found in prisma/migrations\\n\", \"level\": \"INFO\"}\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_MIGRATIONS_FOUND, .count = NUM(3) },
	{ .name = "JSON \\u escapes",
	  .input = "{\"timestamp\": \"t\", \"extra\": {\"a\": [1, {\"b\": \"}\"}]}, \"message\": \"\\u2705 Migration \\u0031_a resolved.\"}\n",
	  .n_events = 1, .kind = LOG_EV_LITELLM_RESOLVED, .migration = "1_a" },
	/* prefixes that hid events: app logger, Docker nanoseconds, Helm pod, quotes, scripts */
	{ .name = "app-logger timestamp",
	  .input = "2026-03-04 09:12:53 Error: P3005\n2026-03-04 09:12:53 \n2026-03-04 09:12:53 The database schema is not empty. Read more\n",
	  .n_events = 1, .kind = LOG_EV_NOT_BASELINED, .code = "P3005",
	  .message = "The database schema is not empty. Read more" },
	{ .name = "app-logger timestamp with zone",
	  .input = "2026-03-04 09:12:53.120 +01:00 Applying migration `1_a`\n", .n_events = 1,
	  .kind = LOG_EV_APPLYING, .migration = "1_a" },
	{ .name = "docker logs -t, nanoseconds",
	  .input = "2026-03-04T09:13:11.330287115Z Error: P3005\n", .n_events = 1,
	  .kind = LOG_EV_NOT_BASELINED, .code = "P3005" },
	{ .name = "helm job pod prefix",
	  .input = "[pod/litellm-migrations-abc12/migrations] Error: P3005\n", .n_events = 1,
	  .kind = LOG_EV_NOT_BASELINED, .code = "P3005" },
	{ .name = "helm pod prefix before the extras logger",
	  .input = "[pod/litellm-migrations-abc12/migrations] 2026-03-04 09:20:01,204 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_STARTED },
	{ .name = "quoted paste, nested",
	  .input = "> > Error: P3005\n", .n_events = 1, .kind = LOG_EV_NOT_BASELINED,
	  .code = "P3005" },
	{ .name = "quoted P3009 with an empty quoted line",
	  .input = "> Error: P3009\n>\n> The `1_a` migration started at 2026-03-04 09:13:10.902114 UTC failed\n",
	  .n_events = 1, .kind = LOG_EV_REFUSED, .code = "P3009", .migration = "1_a",
	  .started_at = "2026-03-04 09:13:10.902114 UTC" },
	{ .name = "yarn script line", .input = "$ prisma migrate deploy\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_STARTED, .detail = "command line" },
	{ .name = "npm script lines",
	  .input = "> litellm@1.0.0 start\n> npx prisma migrate deploy --schema ./schema.prisma\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_STARTED, .detail = "command line" },
	{ .name = "deploy completed is not a command line",
	  .input = "prisma migrate deploy completed\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_COMPLETED },
	/* the Prisma CLI never ran */
	{ .name = "npm install prisma failed",
	  .input = "subprocess.CalledProcessError: Command '['npm', 'install', 'prisma@5.4.2']' returned non-zero exit status 127.\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "subprocess.CalledProcessError: Command '['npm', 'install', 'prisma@5.4.2']' returned non-zero exit status 127.",
	  .detail = "npm install prisma@5.4.2 failed (exit status 127)" },
	{ .name = "exit status 127",
	  .input = "subprocess.CalledProcessError: Command '['prisma', 'migrate', 'deploy']' returned non-zero exit status 127.\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "subprocess.CalledProcessError: Command '['prisma', 'migrate', 'deploy']' returned non-zero exit status 127.",
	  .detail = "command not found (exit status 127): ['prisma', 'migrate', 'deploy']" },
	{ .name = "exit status 1 is not 127",
	  .input = "subprocess.CalledProcessError: Command '['prisma', 'migrate', 'deploy']' returned non-zero exit status 1.\n",
	  .n_events = 0 },
	{ .name = "prisma not found", .input = "/bin/sh: 1: prisma: not found\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_NOT_RUN, .message = "/bin/sh: 1: prisma: not found",
	  .detail = "the prisma command was not found" },
	{ .name = "node shared library",
	  .input = "node: error while loading shared libraries: libatomic.so.1: cannot open shared object file: No such file or directory\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "node: error while loading shared libraries: libatomic.so.1: cannot open shared object file: No such file or directory",
	  .detail = "cannot load shared library libatomic.so.1" },
	{ .name = "engines download",
	  .input = "Error: request to https://binaries.prisma.sh/all_commits/0/debian-openssl-3.0.x/schema-engine.gz failed, reason: getaddrinfo EAI_AGAIN binaries.prisma.sh\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: request to https://binaries.prisma.sh/all_commits/0/debian-openssl-3.0.x/schema-engine.gz failed, reason: getaddrinfo EAI_AGAIN binaries.prisma.sh",
	  .detail = "cannot download the Prisma engines (no internet access?)" },
	{ .name = "engines folder EACCES",
	  .input = "Error: EACCES: permission denied, mkdir '/app/node_modules/@prisma/engines'\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: EACCES: permission denied, mkdir '/app/node_modules/@prisma/engines'",
	  .detail = "cannot write /app/node_modules/@prisma/engines (permission denied)" },
	{ .name = "EACCES elsewhere is not prisma's",
	  .input = "Error: EACCES: permission denied, open '/var/log/app.log'\n", .n_events = 0 },
	{ .name = "can't write engines",
	  .input = "Error: Can't write to /app/node_modules/prisma please make sure you install \"prisma\" with the right permissions.\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: Can't write to /app/node_modules/prisma please make sure you install \"prisma\" with the right permissions.",
	  .detail = "cannot write /app/node_modules/prisma (permission denied)" },
	{ .name = "read-only root file system",
	  .input = "Error: EROFS: read-only file system, open '/usr/lib/python3/site-packages/prisma/client.py'\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: EROFS: read-only file system, open '/usr/lib/python3/site-packages/prisma/client.py'",
	  .detail = "cannot write /usr/lib/python3/site-packages/prisma/client.py (read-only file system)" },
	{ .name = "no schema engine for the platform",
	  .input = "Error: Schema engine binary for current platform linux-arm64-openssl-3.0.x could not be found.\n",
	  .n_events = 1, .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: Schema engine binary for current platform linux-arm64-openssl-3.0.x could not be found.",
	  .detail = "no schema-engine binary for platform linux-arm64-openssl-3.0.x" },
	{ .name = "no schema engine, platform unnamed",
	  .input = "Error: Could not find schema-engine binary. Searched in:\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_NOT_RUN,
	  .message = "Error: Could not find schema-engine binary. Searched in:",
	  .detail = "no schema-engine binary for the platform" },
	/* prisma db push */
	{ .name = "db push command", .input = "$ npx prisma db push --accept-data-loss\n",
	  .n_events = 1, .kind = LOG_EV_DB_PUSH,
	  .message = "npx prisma db push --accept-data-loss", .detail = "started" },
	{ .name = "db push in sync",
	  .input = "\xf0\x9f\x9a\x80  Your database is now in sync with your Prisma schema. Done in 2.87s\n",
	  .n_events = 1, .kind = LOG_EV_DB_PUSH, .detail = "in sync" },
	{ .name = "db push already in sync",
	  .input = "The database is already in sync with the Prisma schema.\n", .n_events = 1,
	  .kind = LOG_EV_DB_PUSH, .detail = "already in sync" },
	{ .name = "db push drops a table",
	  .input = "  \xe2\x80\xa2 You are about to drop the `public.umami_session` table, which is not empty (4213 rows).\n",
	  .n_events = 1, .kind = LOG_EV_DB_PUSH_DATA_LOSS, .relation = "umami_session",
	  .count = NUM(4213), .detail = "would drop table umami_session",
	  .message = "\xe2\x80\xa2 You are about to drop the `public.umami_session` table, which is not empty (4213 rows)." },
	{ .name = "db push drops a column",
	  .input = "  \xe2\x80\xa2 You are about to drop the column `tags` on the `T` table, which still contains 12 non-null values.\n",
	  .n_events = 1, .kind = LOG_EV_DB_PUSH_DATA_LOSS, .relation = "T", .column = "tags",
	  .count = NUM(12), .detail = "would drop column tags of table T",
	  .message = "\xe2\x80\xa2 You are about to drop the column `tags` on the `T` table, which still contains 12 non-null values." },
	{ .name = "db push refuses data loss",
	  .input = "Error: Use the --accept-data-loss flag to ignore the data loss warnings like prisma db push --accept-data-loss\n",
	  .n_events = 1, .kind = LOG_EV_DB_PUSH_FAILED, .detail = "data loss not accepted",
	  .message = "Error: Use the --accept-data-loss flag to ignore the data loss warnings like prisma db push --accept-data-loss" },
	{ .name = "db push failed, LiteLLM retries",
	  .input = "The process failed to execute. Details: Command '['prisma', 'db', 'push']' returned non-zero exit status 1.. Retrying... (2 attempts left)\n",
	  .n_events = 2, .idx = 0, .kind = LOG_EV_DB_PUSH_FAILED, .detail = "exit status 1",
	  .message = "The process failed to execute. Details: Command '['prisma', 'db', 'push']' returned non-zero exit status 1.. Retrying... (2 attempts left)" },
	{ .name = "db push failed: the retry event",
	  .input = "The process failed to execute. Details: Command '['prisma', 'db', 'push']' returned non-zero exit status 1.. Retrying... (2 attempts left)\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_LITELLM_RETRY, .count = NUM(2),
	  .message = "The process failed to execute. Details: Command '['prisma', 'db', 'push']' returned non-zero exit status 1.. Retrying... (2 attempts left)" },
	/* a stale Prisma client */
	{ .name = "stale client",
	  .input = "AttributeError: 'Prisma' object has no attribute 'litellm_mcpservertable'\n",
	  .n_events = 1, .kind = LOG_EV_STALE_CLIENT, .detail = "litellm_mcpservertable",
	  .message = "'Prisma' object has no attribute 'litellm_mcpservertable'" },
	{ .name = "stale client: log line and traceback are one event",
	  .input = "11:05:40 - LiteLLM Proxy:ERROR: proxy_server.py:3360 - Exception: 'Prisma' object has no attribute 'litellm_x'\nTraceback (most recent call last):\nAttributeError: 'Prisma' object has no attribute 'litellm_x'\n11:05:41 - LiteLLM Proxy:ERROR: proxy_server.py:3360 - Exception: 'Prisma' object has no attribute 'litellm_x'\n",
	  .n_events = 2, .idx = 1, .kind = LOG_EV_STALE_CLIENT, .detail = "litellm_x",
	  .message = "'Prisma' object has no attribute 'litellm_x'" },
	{ .name = "npm script: deploy then start",
	  .input = "> prisma migrate deploy && node server.js\n", .n_events = 1,
	  .kind = LOG_EV_DEPLOY_STARTED, .detail = "command line" },
	/* a new run ends an error block: its runtime errors are seen */
	{ .name = "runtime error after P3005 and a new run",
	  .input = "Error: P3005\n\nThe database schema is not empty.\n31 migrations found in prisma/migrations\nNo pending migrations to apply.\nThe column `website.team_id` does not exist in the current database.\n",
	  .n_events = 4, .idx = 3, .kind = LOG_EV_SCHEMA_MISSING_COLUMN, .relation = "website",
	  .column = "team_id",
	  .message = "The column `website.team_id` does not exist in the current database" },
	/* nothing */
	{ .name = "noise",
	  .input = "INFO:     10.0.3.7:51234 - \"GET /health/readiness HTTP/1.1\" 200 OK\n",
	  .n_events = 0 },
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
			long count = c->count.set ? c->count.v : -1;
			long attempt = c->attempt.set ? c->attempt.v : -1;

			if (e->count != count || e->attempt != attempt)
				fail_msg("%s: count/attempt: want %ld/%ld, got %ld/%ld", c->name,
					 count, attempt, e->count, e->attempt);
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

/* The first literal by a plain search, for the vector scan to be compared with. */
static const char *naive_find(const char *p, const char *end)
{
	for (const char *s = p; s < end; s++)
		for (size_t i = 0; lf_literals[i]; i++) {
			size_t n = strlen(lf_literals[i]);

			if ((size_t)(end - s) >= n && !memcmp(s, lf_literals[i], n))
				return s;
		}
	return NULL;
}

/*
 * Long texts (the vector scan, 32 starts at a time, then the rest): every
 * literal at every offset of a 150-byte text of near misses (prefixes of the
 * literals, their first three bytes), cut at every end near it.
 */
static void prefilter_long_texts(void **state)
{
	char buf[160];
	unsigned seed = 1;
	size_t nlit = 0;

	(void)state;
	while (lf_literals[nlit])
		nlit++;
	for (size_t i = 0; lf_literals[i]; i++) {
		size_t n = strlen(lf_literals[i]);

		for (size_t off = 0; off + n <= 150; off += 1) {
			for (size_t k = 0; k < 150; k++) {
				const char *near = lf_literals[(seed = seed * 1103515245u + 12345u) % nlit];

				buf[k] = (seed >> 16) % 4 ? near[(seed >> 8) % 3] : ' ';
			}
			memcpy(buf + off, lf_literals[i], n);
			for (size_t end = off + n - 1; end <= MD_MIN(off + n + 2, (size_t)150); end++)
				assert_ptr_equal(lf_find(buf, buf + end), naive_find(buf, buf + end));
			assert_ptr_equal(lf_find(buf, buf + 150), naive_find(buf, buf + 150));
		}
	}
}

#if TEDDY_AVX2
/* The literals in [p, p+n) by a plain search, as teddy_set gives them. */
static uint64_t naive_set(const char *const *lits, size_t nlit, const char *p, size_t n)
{
	uint64_t found = 0;

	for (size_t i = 0; i < nlit; i++)
		if (memmem(p, n, lits[i], strlen(lits[i])))
			found |= (uint64_t)1 << i;
	return found;
}

/*
 * teddy_set, the pattern gate's search: texts of near misses with one or
 * two literals at every offset, cut at every length around them; read in
 * place (padding after the text) and from a copy (none).
 */
static void teddy_set_exact(void **state)
{
	static struct teddy td;
	char buf[200 + 64];
	unsigned seed = 7;
	size_t nlit = 0;

	(void)state;
	while (lf_literals[nlit])
		nlit++;
	teddy_build(&td, lf_literals, nlit);
	if (!td.ok)
		skip(); /* no AVX2 on this CPU: the scalar searches are tested above */
	for (size_t i = 0; i < nlit; i++) {
		size_t n = strlen(lf_literals[i]);

		for (size_t off = 0; off + n <= 120; off += 3) {
			const char *other = lf_literals[(i * 7 + off) % nlit];

			for (size_t k = 0; k < sizeof(buf); k++) {
				const char *near = lf_literals[(seed = seed * 1103515245u + 12345u) % nlit];

				buf[k] = (seed >> 16) % 4 ? near[(seed >> 8) % 3] : ' ';
			}
			memcpy(buf + off, lf_literals[i], n);
			if (off + n + 1 + strlen(other) <= 200)
				memcpy(buf + off + n + 1, other, strlen(other));
			for (size_t len = 0; len <= 200; len += len < off + n + 40 ? 1 : 17) {
				uint64_t want = naive_set(lf_literals, nlit, buf, len);

				assert_int_equal(teddy_set(&td, buf, len, len), want);
				assert_int_equal(teddy_set(&td, buf, len, len + 64), want);
			}
		}
	}
}
#endif

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
	{
		/* more than 255 vectors of newlines only: the byte counters are summed in time */
		size_t big = 255 * 16 * 3 + 21;
		char *nl = xmalloc(big);

		memset(nl, '\n', big);
		for (size_t off = 0; off < 3; off++)
			assert_int_equal(lf_count_nl(nl + off, nl + big), big - off);
		free(nl);
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
	/* names with escapes are decoded; "messages" and a cut name are other names */
	rec = "{\"messages\":\"no\",\"mes\\u0073age\":\"yes\",\"time\\u0073tamp\":\"t1\","
	      "\"timestamp\":\"t2\"}";
	assert_int_equal(lj_decode_record(rec, strlen(rec), &msg, &ts), 0);
	assert_string_equal(msg.buf, "yes");
	assert_string_equal(ts.buf, "t1");
	assert_int_equal(lj_decode_record("{\"messa", 7, &msg, &ts), -1);
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

/* The outcome of each migration, from the events of a log. */
static void outcome_of_migrations(void **state)
{
	static const struct {
		const char *migration, *words;
		enum log_state last;
		unsigned failed;
	} want[] = {
		{ "1_ok", "applied", LOS_APPLIED, 0 },
		{ "2_retry", "applied after 1 failure", LOS_APPLIED, 1 },
		{ "3_bad", "failed 42P07 (x2)", LOS_FAILED, 2 },
		{ "4_rb", "failed 42P01, rolled back", LOS_ROLLED_BACK, 1 },
		{ "5_perm", "failed: permission denied (42501), not applied", LOS_PERMISSION, 1 },
		{ "6_blocked", "blocked deploy (P3009)", LOS_REFUSED, 0 },
		{ "7_idem", "failed 42701, resolved applied", LOS_RESOLVED_APPLIED, 1 },
		{ "8_fix", "failed 42P07, then blocked deploy (P3009)", LOS_REFUSED, 1 },
	};
	const char *in =
		"Applying migration `1_ok`\n"
		/* 2_retry: fails once, applied on the next start */
		P3018_HEAD "Migration name: 2_retry\n\nDatabase error code: 40P01\n\nDatabase error:\n"
		"ERROR: deadlock detected\n\n"
		"The following migration(s) have been applied:\n\nmigrations/\n"
		"  \xe2\x94\x94\xe2\x94\x80 1_ok/\n  \xe2\x94\x94\xe2\x94\x80 2_retry/\n\n"
		P3018_HEAD "Migration name: 3_bad\n\nDatabase error code: 42P07\n\nDatabase error:\n"
		"ERROR: relation \"t\" already exists\n\n"
		P3018_HEAD "Migration name: 3_bad\n\nDatabase error code: none\n\nDatabase error:\n"
		"something\n\n"
		P3018_HEAD "Migration name: 4_rb\n\nDatabase error code: 42P01\n\nDatabase error:\n"
		"ERROR: relation \"x\" does not exist\n\n"
		"Migration 4_rb marked as rolled back.\n"
		P3018_HEAD "Migration name: 5_perm\n\nDatabase error code: 42501\n\nDatabase error:\n"
		"ERROR: permission denied for schema public\n\n"
		"Migration 5_perm failed due to insufficient permissions\n"
		"Rolling back migration 5_perm\n"
		"The `6_blocked` migration started at 2025-10-10 13:48:23 UTC failed\n"
		P3018_HEAD "Migration name: 7_idem\n\nDatabase error code: 42701\n\nDatabase error:\n"
		"ERROR: column \"c\" of relation \"t\" already exists\n\n"
		"Migration 7_idem failed due to idempotent error\n"
		P3018_HEAD "Migration name: 8_fix\n\nDatabase error code: 42P07\n\nDatabase error:\n"
		"ERROR: relation \"u\" already exists\n\n"
		"The `8_fix` migration started at 2025-10-10 13:48:23 UTC failed\n";
	struct log_events ev;
	struct md_error err;
	struct log_outcome o;
	struct sbuf words = SBUF_INIT;

	(void)state;
	log_events_init(&ev);
	assert_int_equal(logs_read_mem(&ev, "o.log", in, strlen(in), &err), 0);
	for (size_t i = 0; i < MD_ARRAY_LEN(want); i++) {
		assert_true(log_outcome_of(&ev, want[i].migration, &o));
		sbuf_reset(&words);
		log_outcome_render(&o, &words);
		if (strcmp(words.buf, want[i].words) || o.last != want[i].last ||
		    o.failed != want[i].failed)
			fail_msg("%s: want '%s' (%s, %u failed), got '%s' (%s, %u failed)",
				 want[i].migration, want[i].words, log_state_name(want[i].last),
				 want[i].failed, words.buf, log_state_name(o.last), o.failed);
	}
	assert_false(log_outcome_of(&ev, "9_never", &o));
	assert_int_equal(o.last, LOS_MENTIONED);
	sbuf_reset(&words);
	log_outcome_render(&o, &words);
	assert_int_equal(words.len, 0);
	assert_true(log_outcome_of(&ev, "3_bad", &o));
	assert_string_equal(o.sqlstate, "42P07"); /* "none" does not forget the known one */
	assert_string_equal(log_state_name(LOS_ROLLED_BACK), "rolled_back");
	assert_string_equal(log_state_name(LOS__COUNT), "unknown");
	assert_string_equal(log_state_text(LOS_APPLYING), "applying (no outcome logged)");
	sbuf_release(&words);
	log_events_release(&ev);
}

/* _prisma_migrations.logs as Prisma writes it, and its variants. */
static void prisma_logs_causes(void **state)
{
	static const struct {
		const char *name, *logs;
		bool found, connector;
		const char *sqlstate, *message, *relation, *column;
	} texts[] = {
		{ .name = "P3018 with span trace", .found = true,
		  .logs = "A migration failed to apply. New migrations cannot be applied before the "
			  "error is recovered from. Read more about how to resolve migration issues in "
			  "a production database: https://pris.ly/d/migrate-resolve\n\n"
			  "Migration name: 20240103000000_bad\n\nDatabase error code: 42P07\n\n"
			  "Database error:\nERROR: relation \"LiteLLM_X\" already exists\n\n"
			  "DbError { severity: \"ERROR\", code: SqlState(E42P07), message: \"x\" }\n\n"
			  "   0: sql_schema_connector::apply_migration::apply_script\n"
			  "           with migration_name=\"20240103000000_bad\"\n",
		  .sqlstate = "42P07", .message = "relation \"LiteLLM_X\" already exists",
		  .relation = "LiteLLM_X" },
		{ .name = "CRLF and no trailing newline", .found = true,
		  .logs = "Migration name: m\r\n\r\nDatabase error code: 42701\r\n\r\nDatabase error:\r\n"
			  "ERROR: column \"c\" of relation \"t\" already exists",
		  .sqlstate = "42701", .message = "column \"c\" of relation \"t\" already exists",
		  .relation = "t", .column = "c" },
		{ .name = "code none", .found = true,
		  .logs = "Migration name: m\n\nDatabase error code: none\n\nDatabase error:\nboom\n",
		  .sqlstate = "", .message = "boom" },
		{ .name = "only the DbError line", .found = true,
		  .logs = "Migration name: m\n\nDbError { severity: \"ERROR\", code: SqlState(E42P01), "
			  "message: \"relation \\\"t\\\" does not exist\", detail: None }\n",
		  .sqlstate = "42P01", .message = "relation \"t\" does not exist", .relation = "t" },
		{ .name = "external connector error", .found = true, .connector = true,
		  .logs = "external connector error\nNo such table: DoesNotExist\n   0: x\n",
		  .sqlstate = "", .message = "No such table: DoesNotExist" },
		{ .name = "empty", .logs = "", .sqlstate = "" },
		{ .name = "NULL", .logs = NULL, .sqlstate = "" },
		{ .name = "not an error", .logs = "all good\n", .sqlstate = "" },
	};
	struct arena a;

	(void)state;
	arena_init(&a);
	for (size_t i = 0; i < MD_ARRAY_LEN(texts); i++) {
		struct prisma_cause c;
		bool found = prisma_logs_cause(&a, texts[i].logs, &c);

		if (found != texts[i].found || c.connector != texts[i].connector)
			fail_msg("%s: found %d connector %d", texts[i].name, found, c.connector);
		check_str("sqlstate", texts[i].name, texts[i].sqlstate, c.sqlstate);
		check_str("message", texts[i].name, texts[i].message, c.message);
		check_str("relation", texts[i].name, texts[i].relation, c.relation);
		check_str("column", texts[i].name, texts[i].column, c.column);
	}
	arena_release(&a);
}

/* --- the fast path against every line through every pattern --- */

static void ev_str(struct sbuf *sb, const char *k, const char *v)
{
	sb_printf(sb, " %s=%s", k, v ? v : "(null)");
}

/* Everything the reader keeps of a log, one line per event. */
static void events_text(const struct log_events *ev, struct sbuf *sb)
{
	sb_printf(sb, "lines %llu long %u dup %u trunc %d\n", (unsigned long long)ev->lines_read,
		  ev->long_lines, ev->duplicates, ev->truncated);
	for (size_t i = 0; i < ev->n; i++) {
		const struct log_event *e = &ev->items[i];

		sb_printf(sb, "%s:%llu@%llu %s", e->pos.file, (unsigned long long)e->pos.line,
			  (unsigned long long)e->pos.offset, log_event_kind_name(e->kind));
		ev_str(sb, "mig", e->migration);
		ev_str(sb, "code", e->code);
		ev_str(sb, "state", e->sqlstate);
		ev_str(sb, "rel", e->relation);
		ev_str(sb, "col", e->column);
		ev_str(sb, "msg", e->message);
		ev_str(sb, "started", e->started_at);
		ev_str(sb, "ts", e->timestamp);
		ev_str(sb, "ver", e->version);
		ev_str(sb, "detail", e->detail);
		sb_printf(sb, " count=%ld attempt=%ld json=%d\n", e->count, e->attempt, e->from_json);
	}
}

/* Events of data read with the prefilter and without it must be the same. */
static void same_both_ways(const char *name, const char *data, size_t len, size_t *nevents)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	struct md_error err;

	for (int pass = 0; pass < 2; pass++) {
		struct log_events ev;

		logs_exhaustive = pass == 1;
		log_events_init(&ev);
		assert_int_equal(logs_read_mem(&ev, name, data, len, &err), 0);
		events_text(&ev, pass ? &b : &a);
		if (!pass)
			*nevents += ev.n;
		log_events_release(&ev);
	}
	logs_exhaustive = false;
	if (strcmp(a.buf, b.buf)) {
		/* the first line that differs, and what each way has there */
		size_t k = 0, l = 0;

		while (a.buf[k] == b.buf[k])
			if (a.buf[k++] == '\n')
				l = k;
		print_error("%s: the prefilter lost or changed events:\nfast:       %.300s\nevery line: "
			    "%.300s\n", name, a.buf + l, b.buf + l);
	}
	assert_string_equal(a.buf, b.buf);
	sbuf_release(&a);
	sbuf_release(&b);
}

static char *slurp_file(const char *path, size_t *len)
{
	char *data;
	struct md_error err;

	if (md_read_file(path, 64 << 20, &data, len, &err))
		return NULL;
	return data;
}

static void add_logs_of(const char *dir, struct sbuf *all, size_t *files, size_t *nevents)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		print_error("cannot open %s (set MD_ROOT to the repository)\n", dir);
		fail();
	}
	while ((de = readdir(d))) {
		char *path;
		char *data;
		size_t len;

		if (!strstr(de->d_name, ".log") || strstr(de->d_name, ".gz"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		data = slurp_file(path, &len);
		if (data) {
			same_both_ways(path, data, len, nevents);
			sb_putn(all, data, len);
			if (len && data[len - 1] != '\n')
				sb_putc(all, '\n');
			(*files)++;
			free(data);
		}
		free(path);
	}
	closedir(d);
}

/*
 * The gates before PCRE2 (a literal the line lacks, a first byte an
 * anchored pattern cannot start with) only skip calls that would fail:
 * every pattern on every line of the fixtures and of the table's cases,
 * from each word of the line's head, gives what PCRE2 alone gives.
 */
static void gates_agree(const char *line, size_t len, size_t *calls)
{
	for (size_t from = 0; from < len && from < 64; from++) {
		const char *t = line + from;
		size_t n = len - from;

		if (from && line[from - 1] != ' ')
			continue;
		lp_line_set(t, n, n);
		for (int id = 0; id < LP__COUNT; id++) {
			struct lp_match m;
			bool fast, slow;

			fast = lp_match((enum lp_id)id, t, n, &m);
			logs_exhaustive = true;
			slow = lp_match_run((enum lp_id)id, t, n, &m);
			logs_exhaustive = false;
			if (fast != slow)
				fail_msg("pattern %d on '%.*s': %d with the gates, %d without", id,
					 (int)n, t, fast, slow);
			(*calls)++;
		}
	}
}

static void pattern_gates(void **state)
{
	const char *root = getenv("MD_ROOT");
	char *dir = xasprintf("%s/fixtures/logs", root ? root : ".");
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t files = 0, calls = 0;

	(void)state;
	assert_non_null(d);
	while ((de = readdir(d))) {
		char *path, *data;
		size_t len;

		if (!strstr(de->d_name, ".log") || strstr(de->d_name, ".gz"))
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		data = slurp_file(path, &len);
		for (size_t pos = 0; data && pos < len;) {
			const char *nl = memchr(data + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - data) : len;

			gates_agree(data + pos, end - pos, &calls);
			pos = end + 1;
		}
		files += data != NULL;
		free(data);
		free(path);
	}
	closedir(d);
	free(dir);
	for (size_t i = 0; i < MD_ARRAY_LEN(cases); i++) {
		const char *p = cases[i].input;

		while (*p) {
			size_t n = strcspn(p, "\n");

			gates_agree(p, n, &calls);
			p += n + (p[n] == '\n');
		}
	}
	assert_true(files >= 10);
	assert_true(calls >= 100000);
}

static void prefilter_loses_nothing(void **state)
{
	static const char *const dirs[] = { "fixtures/logs", "tests/scenarios/logs-only",
					    "tests/scenarios/failed-partial", "tests/scenarios/recipe1" };
	const char *root = getenv("MD_ROOT");
	struct sbuf all = SBUF_INIT, gen = SBUF_INIT;
	size_t files = 0, nevents = 0, n0;

	(void)state;
	for (size_t i = 0; i < MD_ARRAY_LEN(dirs); i++) {
		char *dir = xasprintf("%s/%s", root ? root : ".", dirs[i]);

		add_logs_of(dir, &all, &files, &nevents);
		free(dir);
	}
	assert_true(files >= 20);
	assert_true(nevents >= 100); /* the comparison is not of empty lists */
	/*
	 * A generated log: every fixture's lines between lines that hold a
	 * literal of the prefilter but are no event (the worst case), ANSI
	 * colours and JSON records, cut at every length near a literal.
	 */
	for (size_t i = 0; lf_literals[i]; i++) {
		sb_printf(&gen, "\x1b[92m14:00:%02zu - LiteLLM Proxy:DEBUG\x1b[0m: x.py:%zu - %s %s\n",
			  i % 60, i, lf_literals[i], "nothing to see");
		sb_printf(&gen, "{\"message\": \"request %zu: %s\", \"level\": \"INFO\"}\n", i,
			  lf_literals[i]);
		sb_printf(&gen, "%s\n%.*s\n", lf_literals[i], (int)(strlen(lf_literals[i]) - 1),
			  lf_literals[i]);
	}
	n0 = gen.len;
	for (size_t k = 0, pos = 0; pos < all.len; k++) {
		const char *nl = memchr(all.buf + pos, '\n', all.len - pos);
		size_t end = nl ? (size_t)(nl - all.buf) + 1 : all.len;

		sb_putn(&gen, all.buf + pos, end - pos);
		if (k % 3 == 0) {
			/* a noise line of the head (or its tail, cut anywhere) */
			size_t from = (k * 977) % n0, to = from;
			char *line;

			while (to < n0 && gen.buf[to] != '\n')
				to++;
			line = xstrndup(gen.buf + from, to - from + 1);
			sb_putn(&gen, line, to - from + 1);
			free(line);
		}
		pos = end;
	}
	nevents = 0;
	same_both_ways("generated.log", gen.buf, gen.len, &nevents);
	assert_true(nevents >= 100);
	sbuf_release(&all);
	sbuf_release(&gen);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(patterns_table),
		cmocka_unit_test(prefilter_finds_literals),
		cmocka_unit_test(prefilter_long_texts),
#if TEDDY_AVX2
		cmocka_unit_test(teddy_set_exact),
#endif
		cmocka_unit_test(count_newlines),
		cmocka_unit_test(json_strings),
		cmocka_unit_test(kind_names_unique),
		cmocka_unit_test(duplicates_dropped),
		cmocka_unit_test(positions_and_append),
		cmocka_unit_test(outcome_of_migrations),
		cmocka_unit_test(prisma_logs_causes),
		cmocka_unit_test(prefilter_loses_nothing),
		cmocka_unit_test(pattern_gates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
