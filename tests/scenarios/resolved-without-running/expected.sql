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
--   history    history.txt (psql aligned, 8 rows)
--              sha256 e32dcf477c1b7b1cc18d1838ddf8d197761b0912ac6d66a71aac1a689a4a071b
--   schema     schema.sql (6 tables)
--              sha256 44e5900e4763bf42e9fb18d11f915a1e3080e537b309c6f52214918bb53c767b
--
-- Findings this script repairs:
--   MD003 error: migration 20240701000000_add_deleted_team_table is recorded as applied but all of its objects are missing
--         fix: none of its objects exist (rolled back to an older version, or a restore of an old backup): mark its row rolled back so deploy runs it again, with the migrations after it
--
-- After it, 'migrate deploy' is predicted to apply, and succeed:
--   20240701000000_add_deleted_team_table
--   20240715120000_deleted_team_routing_settings

\set ON_ERROR_STOP on
BEGIN;

-- Backup of _prisma_migrations as it is now (restore from it to undo).
CREATE TABLE "_prisma_migrations_backup_golden" AS TABLE "_prisma_migrations";

-- Guards: stop unless the rows this script changes are exactly as in the inputs.
DO $migdoctor1$
BEGIN
    IF (SELECT count(*) FROM "_prisma_migrations"
          WHERE id = '5df41631-fbab-4bc3-af26-337cf3a8f36c' AND migration_name = '20240701000000_add_deleted_team_table' AND checksum = '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64'
            AND finished_at IS NOT NULL AND rolled_back_at IS NULL) <> 1 THEN
        RAISE EXCEPTION 'migdoctor: row % (%) is not as in the dump; nothing was changed', '5df41631-fbab-4bc3-af26-337cf3a8f36c', '20240701000000_add_deleted_team_table';
    END IF;
END
$migdoctor1$;

-- History rows, changed by id only.
-- MD003: 20240701000000_add_deleted_team_table: none of its objects exist; deploy re-runs it
UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE id = '5df41631-fbab-4bc3-af26-337cf3a8f36c';

COMMIT;
