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
--   history    history.csv (CSV, 9 rows)
--              sha256 3cef671b422c3af641a7069d3f79842f5ccfd32ad09c7b6b57bdaae323c37192
--   schema     schema.sql (7 tables)
--              sha256 f58f175970a9a418a5d0f9a56ca2fd19b0e9ec3ce0cb291ecc1b2054f9ed385b
--   log        deploy.log (4 migration events in 1 file)
--              sha256 0df9b20e16668651072f19b2690d83f1c3a91214238fe3ca47c5c2a4567254f2
--
-- Findings this script repairs:
--   MD001 error: migration 20240715120000_deleted_team_routing_settings failed with 42701; it blocks every deploy (P3009)
--         fix: part of it ran: create the 1 missing object from its own statements (made idempotent), then mark it applied
--
-- After it, 'migrate deploy' is predicted to find nothing to apply.

\set ON_ERROR_STOP on
BEGIN;

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
               WHERE n.nspname = current_schema() AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "_prisma_migrations" is missing';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'migdoctor_backup' AND c.relname = '_prisma_migrations_backup_golden' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: this script has already run (its backup migdoctor_backup.% exists); nothing was changed', '_prisma_migrations_backup_golden';
    END IF;
    IF EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '20240715120000_deleted_team_routing_settings'
          AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: % is already recorded as applied; nothing was changed', '20240715120000_deleted_team_routing_settings';
    END IF;
    IF NOT EXISTS (SELECT FROM "_prisma_migrations"
          WHERE id = 'cb458317-c4c4-4b40-b99e-606a23eccad4' AND migration_name = '20240715120000_deleted_team_routing_settings' AND checksum = '2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089'
            AND finished_at IS NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: row % (%) is not as in the dump; nothing was changed', 'cb458317-c4c4-4b40-b99e-606a23eccad4', '20240715120000_deleted_team_routing_settings';
    END IF;
    IF (SELECT count(*) FROM "_prisma_migrations" WHERE migration_name = '20240715120000_deleted_team_routing_settings'
          AND finished_at IS NULL AND rolled_back_at IS NULL) <> 1 THEN
        RAISE EXCEPTION 'migdoctor: the failed rows of % are not as in the dump; nothing was changed', '20240715120000_deleted_team_routing_settings';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND a.attname = 'router_settings' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_DeletedTeamTable"."router_settings" exists';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_TeamTable' AND a.attname = 'router_settings' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_TeamTable"."router_settings" is missing';
    END IF;
END
$migdoctor1$;

-- Backup of _prisma_migrations as it is now, in a schema of its own (LiteLLM
-- drops tables of its schema that schema.prisma does not know). To undo:
-- restore the rows from it.
CREATE SCHEMA IF NOT EXISTS migdoctor_backup;
CREATE TABLE migdoctor_backup."_prisma_migrations_backup_golden" AS TABLE "_prisma_migrations";

-- Schema: only objects proven missing, from the migrations' own statements,
-- made idempotent, in migration order. Nothing is dropped or narrowed.
-- Each keeps its lock until COMMIT: an index build (never
-- CONCURRENTLY in a transaction) or a type change that rewrites a
-- table blocks writes to it meanwhile; on a large one, run this
-- when traffic is low.
-- MD001: column "Proxy_DeletedTeamTable"."router_settings" is missing; from 20240715120000_deleted_team_routing_settings line 2
ALTER TABLE "Proxy_DeletedTeamTable" ADD COLUMN IF NOT EXISTS router_settings jsonb DEFAULT '{}';

-- History rows, changed by id only.
-- MD001: 20240715120000_deleted_team_routing_settings: then all of its objects exist; recorded as 'migrate resolve --applied' records it
UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id IN ('cb458317-c4c4-4b40-b99e-606a23eccad4');
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('3170e5fc-ef55-4cd7-b30f-da85c29453b5', '2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089', '', now(), now(), '20240715120000_deleted_team_routing_settings', 0);

COMMIT;
