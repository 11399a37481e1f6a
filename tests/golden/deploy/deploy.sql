-- migdoctor deploy script (migdoctor 0.1.0)
--
-- What native 'prisma migrate deploy' (Prisma 5.4.2, as LiteLLM runs it)
-- would do on this database, for where Prisma cannot run. Read it, then
-- run it with psql 11 or later, as the user Prisma connects as, in
-- autocommit (not psql -1):
--   psql -v ON_ERROR_STOP=1 -f deploy.sql "$DATABASE_URL"
-- It holds Prisma's advisory lock while it runs, and first checks that the
-- database is as the inputs showed; else it stops with nothing changed.
-- For each migration, as the engine does: the _prisma_migrations row is
-- inserted and committed (started_at, 0 steps); migration.sql is sent as
-- ONE query, byte for byte (the server runs it as one implicit
-- transaction); then applied_steps_count = 1 and finished_at. If a
-- migration fails, nothing of it stays (unless it commits on its own),
-- its row stays failed with the error in logs, as Prisma leaves it (the
-- next deploy stops with P3009), and the script stops. The row's id
-- stays in psql and its table is qualified: what a migration does to
-- the session (search_path, role, settings) does not reach the row.
-- See doc/deploy-script.md.
--
-- Inputs:
--   migrations mig (11 migrations)
--   history    dump.sql (pg_dump plain SQL (pg_dump 15.18 (Debian 15.18-0+deb12u1)), 9 rows, schema public)
--              sha256 145a0ede992f3cecfb2a420a244eb33a1997e4a0a4463975ffd087c4d76973c7
--   schema     dump.sql (from the same dump, 7 tables)
--
-- Predicted, on the schema of the dump: 'migrate deploy' applies 2 migrations, and succeeds:
--   20240801000000_key_tags
--   20240802000000_comments

\set ON_ERROR_STOP on
-- psql 11 or later. psql 9.6 and older know no \if: they stop here
-- ("invalid command"), before any statement.
\if true
\endif
\set AUTOCOMMIT on
-- DISCARD ALL fails inside a transaction block: each migration must
-- commit on its own, as with Prisma, so this stops under psql -1.
DISCARD ALL;
-- psql 10 has \if but not ERROR (set after each query from psql 11 on),
-- which tells a failed migration from one that succeeded: stop.
\if :{?ERROR}
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: this script needs psql 11 or later (the ERROR and ROW_COUNT variables); nothing was changed';
END
$migdoctor1$;
\endif
-- Prisma's session: UTF-8, the schema of _prisma_migrations in the path.
SET client_encoding TO 'UTF8';
SET search_path TO "public";
-- The role the row bookkeeping runs as, whatever role a migration sets.
SELECT current_user AS migdoctor_role \gset
-- Prisma's advisory lock, waited for as long as the engine waits (then
-- it fails), held until the end: a LiteLLM starting now waits for it.
SET lock_timeout TO '10s';
DO $migdoctor$ BEGIN PERFORM pg_catalog.pg_advisory_lock(72707369); END $migdoctor$;
RESET lock_timeout;

-- Guards: stop, with nothing changed, unless
-- _prisma_migrations lacks the rows this script adds and has no
-- failed row, and every object the migrations name is present or
-- absent as the export showed (the database this runs on is the
-- truth).
DO $migdoctor1$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = 'public' AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "_prisma_migrations" is missing';
    END IF;
    IF EXISTS (SELECT FROM "public"."_prisma_migrations" WHERE finished_at IS NULL AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: _prisma_migrations has a failed row (deploy would stop with P3009); nothing was changed';
    END IF;
    IF EXISTS (SELECT FROM "public"."_prisma_migrations" WHERE migration_name = '20240801000000_key_tags' AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: % is already in _prisma_migrations (has this script run?); nothing was changed', '20240801000000_key_tags';
    END IF;
    IF EXISTS (SELECT FROM "public"."_prisma_migrations" WHERE migration_name = '20240802000000_comments' AND rolled_back_at IS NULL) THEN
        RAISE EXCEPTION 'migdoctor: % is already in _prisma_migrations (has this script run?); nothing was changed', '20240802000000_comments';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND a.attname = 'tags' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_KeyTable"."tags" exists';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable_tags_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_KeyTable_tags_idx" exists';
    END IF;
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_Notes' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_Notes" exists';
    END IF;
END
$migdoctor1$;

-- [1/2] 20240801000000_key_tags
-- mig/20240801000000_key_tags/migration.sql, 181 bytes, sha256 9ab8c9b3f3637adea065045bbe9b10afd6eff68448ae79cf4ceadb0c423cacc7
-- The row, committed before the script runs (record_migration_started).
-- psql keeps its id (migdoctor_row), where no SQL can reset it.
\unset migdoctor_row
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
DO $migdoctor$
BEGIN
    RAISE NOTICE 'Applying migration `%`', '20240801000000_key_tags';
END
$migdoctor$;
INSERT INTO "public"."_prisma_migrations" (id, checksum, started_at, migration_name)
    SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
           || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h, 18, 3)
           || '-' || substr(h, 21, 12),
           '9ab8c9b3f3637adea065045bbe9b10afd6eff68448ae79cf4ceadb0c423cacc7', now(), '20240801000000_key_tags'
    FROM (SELECT md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text) AS h) AS r
    RETURNING id AS migdoctor_row \gset
COMMIT;
-- migration.sql, byte for byte, sent as one query by \gexec (psql reads
-- nothing inside the dollar quotes). An error is recorded, not fatal.
\set ON_ERROR_STOP off
SELECT $migdoctor_sql$-- AlterTable
ALTER TABLE "Proxy_KeyTable" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Proxy_KeyTable_tags_idx" ON "Proxy_KeyTable"("tags");
$migdoctor_sql$ \gexec
\set ON_ERROR_STOP on
\if :ERROR
-- It failed: PostgreSQL rolled it back (a migration with its own
-- BEGIN/COMMIT may have committed part of it; ROLLBACK ends what it left
-- open). As the engine does: the error in logs, finished_at left NULL;
-- then stop.
ROLLBACK;
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
UPDATE "public"."_prisma_migrations" SET logs = 'A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve'
    || chr(10) || chr(10) || 'Migration name: ' || '20240801000000_key_tags'
    || chr(10) || chr(10) || 'Database error code: '
    || :'LAST_ERROR_SQLSTATE'
    || chr(10) || chr(10) || 'Database error:' || chr(10) || 'ERROR: '
    || :'LAST_ERROR_MESSAGE'
    || chr(10) || chr(10) || '(migdoctor deploy script)'
    WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % failed, and its row was not found to record the error; see doc/deploy-script.md', '20240801000000_key_tags';
END
$migdoctor1$;
\endif
COMMIT;
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % failed; its row is left failed with the error in logs', '20240801000000_key_tags';
END
$migdoctor1$;
\endif
-- It succeeded: as record_successful_step, then record_migration_finished.
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
UPDATE "public"."_prisma_migrations" SET applied_steps_count = applied_steps_count + 1
    WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % ran, but its row was not found to mark it finished; see doc/deploy-script.md', '20240801000000_key_tags';
END
$migdoctor1$;
\endif
UPDATE "public"."_prisma_migrations" SET finished_at = now() WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % ran, but its row was not found to mark it finished; see doc/deploy-script.md', '20240801000000_key_tags';
END
$migdoctor1$;
\endif
COMMIT;

-- [2/2] 20240802000000_comments
-- mig/20240802000000_comments/migration.sql, 347 bytes, sha256 aff975e5016827523614b845bf42373f0013185926e4655ecf5d434f9dfbf87c
-- The row, committed before the script runs (record_migration_started).
-- psql keeps its id (migdoctor_row), where no SQL can reset it.
\unset migdoctor_row
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
DO $migdoctor$
BEGIN
    RAISE NOTICE 'Applying migration `%`', '20240802000000_comments';
END
$migdoctor$;
INSERT INTO "public"."_prisma_migrations" (id, checksum, started_at, migration_name)
    SELECT substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
           || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(h, 18, 3)
           || '-' || substr(h, 21, 12),
           'aff975e5016827523614b845bf42373f0013185926e4655ecf5d434f9dfbf87c', now(), '20240802000000_comments'
    FROM (SELECT md5(random()::text || clock_timestamp()::text || pg_backend_pid()::text) AS h) AS r
    RETURNING id AS migdoctor_row \gset
COMMIT;
-- migration.sql, byte for byte, sent as one query by \gexec (psql reads
-- nothing inside the dollar quotes). An error is recorded, not fatal.
\set ON_ERROR_STOP off
SELECT $migdoctor_sql1$-- Text psql must not read: it reaches the server inside dollar quotes.
/*
\! touch migdoctor-pwned
\set x :y
$migdoctor_sql$ ends nothing here
*/
CREATE TABLE "Proxy_Notes" (
    "id" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT 'a\b :x',

    CONSTRAINT "Proxy_Notes_pkey" PRIMARY KEY ("id")
);
-- ends with the start of a tag: $migdoctor_sql$migdoctor_sql1$ \gexec
\set ON_ERROR_STOP on
\if :ERROR
-- It failed: PostgreSQL rolled it back (a migration with its own
-- BEGIN/COMMIT may have committed part of it; ROLLBACK ends what it left
-- open). As the engine does: the error in logs, finished_at left NULL;
-- then stop.
ROLLBACK;
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
UPDATE "public"."_prisma_migrations" SET logs = 'A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve'
    || chr(10) || chr(10) || 'Migration name: ' || '20240802000000_comments'
    || chr(10) || chr(10) || 'Database error code: '
    || :'LAST_ERROR_SQLSTATE'
    || chr(10) || chr(10) || 'Database error:' || chr(10) || 'ERROR: '
    || :'LAST_ERROR_MESSAGE'
    || chr(10) || chr(10) || '(migdoctor deploy script)'
    WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % failed, and its row was not found to record the error; see doc/deploy-script.md', '20240802000000_comments';
END
$migdoctor1$;
\endif
COMMIT;
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % failed; its row is left failed with the error in logs', '20240802000000_comments';
END
$migdoctor1$;
\endif
-- It succeeded: as record_successful_step, then record_migration_finished.
BEGIN READ WRITE;
SET LOCAL search_path TO pg_catalog, pg_temp;
SET LOCAL ROLE :"migdoctor_role";
SET LOCAL statement_timeout TO DEFAULT;
SET LOCAL lock_timeout TO DEFAULT;
UPDATE "public"."_prisma_migrations" SET applied_steps_count = applied_steps_count + 1
    WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % ran, but its row was not found to mark it finished; see doc/deploy-script.md', '20240802000000_comments';
END
$migdoctor1$;
\endif
UPDATE "public"."_prisma_migrations" SET finished_at = now() WHERE id = :'migdoctor_row';
\if :ROW_COUNT
\else
DO $migdoctor1$
BEGIN
    RAISE EXCEPTION 'migdoctor: migration % ran, but its row was not found to mark it finished; see doc/deploy-script.md', '20240802000000_comments';
END
$migdoctor1$;
\endif
COMMIT;

DO $migdoctor$ BEGIN PERFORM pg_catalog.pg_advisory_unlock(72707369); END $migdoctor$;
\echo 'migdoctor: 2 migrations applied'
