-- CreateTable
CREATE TABLE "Proxy_SpendLogs" (
    "request_id" TEXT NOT NULL,
    "api_key" TEXT NOT NULL DEFAULT '',
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "total_tokens" INTEGER NOT NULL DEFAULT 0,
    "startTime" TIMESTAMP(3) NOT NULL,
    "endTime" TIMESTAMP(3) NOT NULL,
    "model" TEXT NOT NULL DEFAULT '',
    "team_id" TEXT,

    CONSTRAINT "Proxy_SpendLogs_pkey" PRIMARY KEY ("request_id")
);

-- CreateIndex
CREATE INDEX "Proxy_SpendLogs_startTime_idx" ON "Proxy_SpendLogs"("startTime");
