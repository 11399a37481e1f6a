-- migdoctor repair script (migdoctor 0.1.0)
--
-- Read it before running it. It runs in one transaction and stops at the first
-- error; it first copies _prisma_migrations, then checks that the rows it changes
-- are exactly those seen in the inputs, and aborts otherwise.
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

-- Backup of _prisma_migrations as it is now (restore from it to undo).
CREATE TABLE "public"."_prisma_migrations_backup_golden" AS TABLE "public"."_prisma_migrations";

-- Guards: stop unless the rows this script changes are exactly as in the inputs.
DO $migdoctor1$
BEGIN
    IF EXISTS (SELECT 1 FROM "public"."_prisma_migrations" WHERE migration_name = '20240701000000_add_deleted_team_table'
          AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: % is already recorded as applied; nothing was changed', '20240701000000_add_deleted_team_table';
    END IF;
    IF (SELECT count(*) FROM "public"."_prisma_migrations" WHERE migration_name = '20240701000000_add_deleted_team_table'
          AND finished_at IS NULL AND rolled_back_at IS NULL) <> 0 THEN
        RAISE EXCEPTION 'migdoctor: the failed rows of % are not as in the dump; nothing was changed', '20240701000000_add_deleted_team_table';
    END IF;
END
$migdoctor1$;

-- History rows, changed by id only.
-- MD006: 20240701000000_add_deleted_team_table: its effects are all in the schema; recorded as 'migrate resolve --applied' records it
INSERT INTO "public"."_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('81e03847-5ebe-431b-9aa7-8b0bd389d204', '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64', '', now(), now(), '20240701000000_add_deleted_team_table', 0);

COMMIT;
