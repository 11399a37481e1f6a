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
--   history    dump.custom (pg_dump custom (archive 1.14, gzip), 8 rows, schema public)
--              sha256 e2ed647e0a752d94ef8a98491a07a7d5373998ed0be082c3e0e3ef7734bfaca3
--   schema     dump.custom (from the same dump, 7 tables)
--
-- Findings this script repairs:
--   MD002 error: migration 20240701000000_add_deleted_team_table was interrupted after its script finished; it blocks every deploy (P3009)
--         fix: all of its objects exist: mark it applied, as 'prisma migrate resolve --applied 20240701000000_add_deleted_team_table' would
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
          AND finished_at IS NULL AND rolled_back_at IS NULL) <> 1 THEN
        RAISE EXCEPTION 'migdoctor: the failed rows of % are not as in the dump; nothing was changed', '20240701000000_add_deleted_team_table';
    END IF;
END
$migdoctor1$;

-- History rows, changed by id only.
-- MD002: 20240701000000_add_deleted_team_table: all of its objects exist in the schema; recorded as 'migrate resolve --applied' records it
UPDATE "public"."_prisma_migrations" SET rolled_back_at = now() WHERE id IN ('48b2f95b-77bb-432f-a419-73a94283b8f3');
INSERT INTO "public"."_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('98abdbc0-f670-46f6-a426-fa6dcf666f52', '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64', '', now(), now(), '20240701000000_add_deleted_team_table', 0);

COMMIT;
