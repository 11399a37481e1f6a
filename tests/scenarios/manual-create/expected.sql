-- migdoctor repair script (migdoctor 0.1.0)
--
-- Read it before running it. It runs in one transaction and stops at the first
-- error. Before it changes anything it checks, on the database it runs on, that
-- the rows it changes are exactly those seen in the inputs and that every schema
-- fact it relies on (this table is missing, that column is there) still holds,
-- and aborts otherwise; then it copies _prisma_migrations to migdoctor_backup.
-- It holds Prisma's advisory lock meanwhile, as 'migrate deploy' does.
--   psql -v ON_ERROR_STOP=1 -f repair.sql "$DATABASE_URL"
-- then run 'prisma migrate deploy' (or restart LiteLLM).
--
-- Inputs:
--   migrations migrations (9 migrations)
--   history    dump.sql (pg_dump plain SQL (pg_dump 15.18 (Debian 15.18-0+deb12u1)), 7 rows, schema public)
--              sha256 b2c318a9c0a84a92f671090580f02baf262b2cd6883e84565f57b55ae93419e9
--   schema     dump.sql (from the same dump, 7 tables)
--
-- Findings this script repairs:
--   MD006 error: deploy will fail at 20240701000000_add_deleted_team_table with 42P07: relation "Proxy_DeletedTeamTable" already exists
--         fix: what it makes and changes is already in the schema (done by hand, by 'db push' or by another version): mark it applied instead of running it
--
-- After it, 'migrate deploy' is predicted to apply, and succeed:
--   20240715120000_deleted_team_routing_settings

\set ON_ERROR_STOP on
BEGIN;
SET LOCAL search_path TO "public";

-- Prisma's advisory lock, the one 'migrate deploy' holds while it runs,
-- held until COMMIT: a deploy (a LiteLLM starting) waits for this script,
-- and one already running makes it stop, with nothing changed.
SET LOCAL lock_timeout TO '10s';
DO $migdoctor$
BEGIN
    PERFORM pg_advisory_xact_lock(72707369);
EXCEPTION WHEN lock_not_available THEN
    RAISE EXCEPTION 'migdoctor: another session holds Prisma''s advisory lock (72707369): a migrate deploy (or another script) is running; nothing was changed; run this script again once it is done';
END
$migdoctor$;
SET LOCAL lock_timeout TO DEFAULT;

-- Guards: stop, with nothing changed, unless the rows this script changes are exactly
-- as in the inputs and the schema is as the export showed (an export can be partial
-- or stale: the database this runs on is the truth).
DO $migdoctor1$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "_prisma_migrations" is missing';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'migdoctor_backup' AND c.relname = '_prisma_migrations_backup_golden' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: this script has already run (its backup migdoctor_backup.% exists); nothing was changed', '_prisma_migrations_backup_golden';
    END IF;
    IF EXISTS (SELECT 1 FROM "public"."_prisma_migrations" WHERE migration_name = '20240701000000_add_deleted_team_table'
          AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: % is already recorded as applied; nothing was changed', '20240701000000_add_deleted_team_table';
    END IF;
    IF (SELECT count(*) FROM "public"."_prisma_migrations" WHERE migration_name = '20240701000000_add_deleted_team_table'
          AND finished_at IS NULL AND rolled_back_at IS NULL) <> 0 THEN
        RAISE EXCEPTION 'migdoctor: the failed rows of % are not as in the dump; nothing was changed', '20240701000000_add_deleted_team_table';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_DeletedTeamTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND k.conname = 'Proxy_DeletedTeamTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_DeletedTeamTable_pkey" on "Proxy_DeletedTeamTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable_team_id_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_DeletedTeamTable_team_id_idx" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable_deleted_at_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_DeletedTeamTable_deleted_at_idx" is missing';
    END IF;
END
$migdoctor1$;

-- Backup of _prisma_migrations as it is now, in a schema of its own (LiteLLM
-- drops tables of its schema that schema.prisma does not know). To undo:
-- restore the rows from it.
CREATE SCHEMA IF NOT EXISTS migdoctor_backup;
CREATE TABLE migdoctor_backup."_prisma_migrations_backup_golden" AS TABLE "public"."_prisma_migrations";

-- History rows, changed by id only.
-- MD006: 20240701000000_add_deleted_team_table: its effects are all in the schema; recorded as 'migrate resolve --applied' records it
INSERT INTO "public"."_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('81e03847-5ebe-431b-9aa7-8b0bd389d204', '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64', '', now(), now(), '20240701000000_add_deleted_team_table', 0);

COMMIT;
