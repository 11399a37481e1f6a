-- Rename, guarded for databases that already have the new name.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'Proxy_KeyTable' AND column_name = 'key_alias') THEN
        ALTER TABLE "Proxy_KeyTable" RENAME COLUMN "key_alias" TO "key_name";
    END IF;
END $$;

-- DropIndex
DROP INDEX IF EXISTS "Proxy_SpendLogs_startTime_idx";

-- CreateIndex
CREATE INDEX "Proxy_SpendLogs_startTime_model_idx" ON "Proxy_SpendLogs"("startTime", "model");
