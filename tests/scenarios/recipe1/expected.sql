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
--   history    dump.sql (pg_dump plain SQL (pg_dump 15.18 (Debian 15.18-0+deb12u1)), 10 rows, schema public)
--              sha256 c151c3eded5253698e1b2d897b3295c32e55763e43c306473b4b68bb66602ad2
--   schema     dump.sql (from the same dump, 6 tables)
--   log        startup.log (28 migration events in 1 file)
--              sha256 2889bfbe89ce8ccdb35008bfe8543059fd65e5a750265bc99ff12ad8f5006eb3
--
-- Findings this script repairs:
--   MD003 error: migration 20240701000000_add_deleted_team_table is recorded as applied but all 4 of its objects are missing
--         fix: none of its objects exist, but its row says it ran, and not every statement of it is written to run twice (IF NOT EXISTS, IF EXISTS), so it is not run again: its objects are created from its own statements, made idempotent, and its row stays applied
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
    IF NOT EXISTS (SELECT FROM "public"."_prisma_migrations"
          WHERE id = 'e2b988e2-c037-4073-937a-d2c5445bf94c' AND migration_name = '20240701000000_add_deleted_team_table' AND checksum = '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64'
            AND finished_at IS NOT NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: row % (%) is not as in the dump; nothing was changed', 'e2b988e2-c037-4073-937a-d2c5445bf94c', '20240701000000_add_deleted_team_table';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_DeletedTeamTable" exists';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND k.conname = 'Proxy_DeletedTeamTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_DeletedTeamTable_pkey" on "Proxy_DeletedTeamTable" exists';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable_team_id_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_DeletedTeamTable_team_id_idx" exists';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable_deleted_at_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_DeletedTeamTable_deleted_at_idx" exists';
    END IF;
END
$migdoctor1$;

-- Backup of _prisma_migrations as it is now, in a schema of its own (LiteLLM
-- drops tables of its schema that schema.prisma does not know). To undo:
-- restore the rows from it.
CREATE SCHEMA IF NOT EXISTS migdoctor_backup;
CREATE TABLE migdoctor_backup."_prisma_migrations_backup_golden" AS TABLE "public"."_prisma_migrations";

-- Schema: only objects proven missing, from the migrations' own statements,
-- made idempotent, in migration order. Nothing is dropped or narrowed.
-- Each keeps its lock until COMMIT: an index build (never
-- CONCURRENTLY in a transaction) or a type change that rewrites a
-- table blocks writes to it meanwhile; on a large one, run this
-- when traffic is low.
-- MD003: table "Proxy_DeletedTeamTable" is missing; from 20240701000000_add_deleted_team_table line 2
CREATE TABLE IF NOT EXISTS "Proxy_DeletedTeamTable" (id text NOT NULL, team_id text NOT NULL, team_alias text, spend double precision NOT NULL DEFAULT 0.0, deleted_at timestamp(3) NOT NULL DEFAULT current_timestamp, deleted_by text, CONSTRAINT "Proxy_DeletedTeamTable_pkey" PRIMARY KEY (id));
-- MD003: constraint "Proxy_DeletedTeamTable_pkey" on "Proxy_DeletedTeamTable" is missing; from 20240701000000_add_deleted_team_table line 2
DO $migdoctor$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'Proxy_DeletedTeamTable_pkey' AND conrelid = to_regclass('"Proxy_DeletedTeamTable"')) THEN
        ALTER TABLE "Proxy_DeletedTeamTable" ADD CONSTRAINT "Proxy_DeletedTeamTable_pkey" PRIMARY KEY (id);
    END IF;
END
$migdoctor$;
-- MD003: index "Proxy_DeletedTeamTable_team_id_idx" is missing; from 20240701000000_add_deleted_team_table line 14
CREATE INDEX IF NOT EXISTS "Proxy_DeletedTeamTable_team_id_idx" ON "Proxy_DeletedTeamTable" USING btree (team_id);
-- MD003: index "Proxy_DeletedTeamTable_deleted_at_idx" is missing; from 20240701000000_add_deleted_team_table line 17
CREATE INDEX IF NOT EXISTS "Proxy_DeletedTeamTable_deleted_at_idx" ON "Proxy_DeletedTeamTable" USING btree (deleted_at);

-- History rows, changed by id only.

COMMIT;
