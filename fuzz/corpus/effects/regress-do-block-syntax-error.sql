-- A hand-written migration, made idempotent the way LiteLLM rewrites its own.
CREATE TABLE IF NOT EXISTS "Proxy_GuardrailsTable" (
    "guardrail_id" TEXT NOT NULL,
    "guardrail_name" TEXT NOT NULL,
    "litellm_params" JSONB NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Proxy_GuardrailsTable_pkey" PRIMARY KEY ("guardrail_id")
);

CREATE UNIQUE INDEX IF NOT EXISTS "Proxy_GuardrailsTable_guardrail_name_key" ON "Proxy_GuardrailsTable"("guardrail_name");

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'Proxy_TeamTable_guardrail_fkey') THEN
        ALTER TABLE "Proxy_TeamTable" ADD COLUMN IF NOT EXISTS "guardrail_id" TEXT;
        ALTER TABLE "Proxy_TeamTable" ADD CONSTRAINT "Proxy_TeamTable_guardrail_fkey" FOREIGN KEY ("guardrail_id") REFERENCES "Proxy_GuardrailsTable"("guardrail_id") ON DELETE SET NULL;
   END IF;
END $$;
