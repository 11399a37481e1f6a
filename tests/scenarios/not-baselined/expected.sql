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
--   history    dump.sql (pg_dump plain SQL (pg_dump 15.18 (Debian 15.18-0+deb12u1)), 0 rows)
--              sha256 038f2084c2529dad57350ac5fa5b200db0298586a91551d4fd06ee169e383605
--   schema     dump.sql (from the same dump, 6 tables)
--
-- Findings this script repairs:
--   MD005 error: the database has tables but no _prisma_migrations: deploy stops with P3005
--         fix: create _prisma_migrations and record the 9 migrations whose effects are all in the schema as applied (as 'prisma migrate resolve --applied' does); deploy applies the rest
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
    IF EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "_prisma_migrations" exists';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = current_schema() AND t.typname = 'UserRole') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'type "UserRole" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_UserTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_UserTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_UserTable' AND k.conname = 'Proxy_UserTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_UserTable_pkey" on "Proxy_UserTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_KeyTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND k.conname = 'Proxy_KeyTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_KeyTable_pkey" on "Proxy_KeyTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_UserTable_user_email_key' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_UserTable_user_email_key" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND k.conname = 'Proxy_KeyTable_user_id_fkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_KeyTable_user_id_fkey" on "Proxy_KeyTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_TeamTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_TeamTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_TeamTable' AND k.conname = 'Proxy_TeamTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_TeamTable_pkey" on "Proxy_TeamTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND a.attname = 'team_id' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_KeyTable"."team_id" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND k.conname = 'Proxy_KeyTable_team_id_fkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_KeyTable_team_id_fkey" on "Proxy_KeyTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_SpendLogs' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_SpendLogs" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_SpendLogs' AND k.conname = 'Proxy_SpendLogs_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_SpendLogs_pkey" on "Proxy_SpendLogs" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
               WHERE n.nspname = current_schema() AND t.typname = 'UserRole' AND e.enumlabel = 'VIEWER') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            convert_from(decode('656e756d2076616c7565202756494557455227206f66202255736572526f6c6522206973206d697373696e67', 'hex'), 'UTF8');
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND a.attname = 'max_budget' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_KeyTable"."max_budget" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_KeyTable' AND a.attname = 'budget_duration' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_KeyTable"."budget_duration" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_SpendLogs' AND a.attname = 'total_tokens' AND a.attnum > 0 AND NOT a.attisdropped
               AND pg_catalog.format_type(a.atttypid, a.atttypmod) = 'bigint') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'type bigint of column "Proxy_SpendLogs"."total_tokens" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_GuardrailsTable' AND c.relkind IN ('r', 'p', 'f')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'table "Proxy_GuardrailsTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_GuardrailsTable' AND k.conname = 'Proxy_GuardrailsTable_pkey') THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'constraint "Proxy_GuardrailsTable_pkey" on "Proxy_GuardrailsTable" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_GuardrailsTable_guardrail_name_key' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_GuardrailsTable_guardrail_name_key" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_UserTable_user_email_lower_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_UserTable_user_email_lower_idx" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_SpendLogs_startTime_model_idx' AND c.relkind IN ('i', 'I')) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'index "Proxy_SpendLogs_startTime_model_idx" is missing';
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
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_DeletedTeamTable' AND a.attname = 'router_settings' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_DeletedTeamTable"."router_settings" is missing';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = current_schema() AND c.relname = 'Proxy_TeamTable' AND a.attname = 'router_settings' AND a.attnum > 0 AND NOT a.attisdropped) THEN
        RAISE EXCEPTION 'migdoctor: the database is not as the export showed: %; nothing was changed',
            'column "Proxy_TeamTable"."router_settings" is missing';
    END IF;
END
$migdoctor1$;

-- MD005: the history table, with Prisma's own DDL (it fails if one exists).
CREATE TABLE "_prisma_migrations" (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);

-- History rows, changed by id only.
-- MD005: 20240101000000_init: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('84346742-430e-4a04-a7fc-bd1570f52d3b', '8f33f518ffc8b647eea5df7dcaf4d7b65cc3d5708601140c584915e0d56e7635', '', now(), now(), '20240101000000_init', 0);
-- MD005: 20240115093000_add_team_table: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('cb765352-dd9e-47d7-af15-0ce1d209dbfc', '0308e1d8e724b0bc6cae05576a9fd430ddbbf5dae2dd0d2e68e579a844f3586b', '', now(), now(), '20240115093000_add_team_table', 0);
-- MD005: 20240201120000_add_spend_logs: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('fdd9c66d-8920-440c-90b0-7b328ef14ce1', '425e712313f19c2ea2e85551e64d887b2b2c7f2f46d631b74d3d56631733ed0d', '', now(), now(), '20240201120000_add_spend_logs', 0);
-- MD005: 20240310080000_key_budget_and_enum_value: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('eccfb5ab-7b15-4b14-adc9-33d3a561a03d', '14471cbcc2da9c7592f24582fe21b3ef8788e6cb4c7fe21d764c8b985f12d5c5', '', now(), now(), '20240310080000_key_budget_and_enum_value', 0);
-- MD005: 20240402170000_idempotent_guardrails: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('f16e4610-caaa-4635-8246-1df2d1433f2a', '59d4e5f26cd2fb6354af3ad9c1ae8a1ade60d090eadc9fe7531fb374736fc53d', '', now(), now(), '20240402170000_idempotent_guardrails', 0);
-- MD005: 20240520101500_user_email_lower_idx: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('f077c1a3-3e20-4ec8-a82d-deb7f44aac50', '569835446958b54d1cca9d94afc2159e28f507f0a93bd2055af6a8aa4d4803c6', '', now(), now(), '20240520101500_user_email_lower_idx', 0);
-- MD005: 20240611090000_rename_alias_to_key_name: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('cead0a49-c666-4e6b-abd0-459d517e2100', 'e300ee7b494a92494066d27622e9d2e43da2b64ead24ac990c1b2c1ab28a2faf', '', now(), now(), '20240611090000_rename_alias_to_key_name', 0);
-- MD005: 20240701000000_add_deleted_team_table: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('7a16e22c-4253-4d0f-a14f-2abb893e4ad2', '9606627c88a6507776350f734f95e08df7e6ea1cdfe338e52021bff1b4ca7b64', '', now(), now(), '20240701000000_add_deleted_team_table', 0);
-- MD005: 20240715120000_deleted_team_routing_settings: all of its objects exist; recorded as 'migrate resolve --applied' records it
INSERT INTO "_prisma_migrations" (id, checksum, logs, started_at, finished_at, migration_name, applied_steps_count)
    VALUES ('daad5731-1076-4b4d-8fb5-a0b109930e8c', '2c72ca5abe7eba8c27263dc78d622c4184b2bd051102a50eb3726bf220929089', '', now(), now(), '20240715120000_deleted_team_routing_settings', 0);

COMMIT;
