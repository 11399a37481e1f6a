-- CreateTable
CREATE TABLE "Proxy_DeletedTeamTable" (
    "id" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "team_alias" TEXT,
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "deleted_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_by" TEXT,

    CONSTRAINT "Proxy_DeletedTeamTable_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Proxy_DeletedTeamTable_team_id_idx" ON "Proxy_DeletedTeamTable"("team_id");

-- CreateIndex
CREATE INDEX "Proxy_DeletedTeamTable_deleted_at_idx" ON "Proxy_DeletedTeamTable"("deleted_at");
