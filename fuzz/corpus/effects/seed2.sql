-- CreateTable
CREATE TABLE "Proxy_TeamTable" (
    "team_id" TEXT NOT NULL,
    "team_alias" TEXT,
    "admins" TEXT[],
    "members" TEXT[],
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "blocked" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Proxy_TeamTable_pkey" PRIMARY KEY ("team_id")
);

-- AlterTable
ALTER TABLE "Proxy_KeyTable" ADD COLUMN     "team_id" TEXT;

-- AddForeignKey
ALTER TABLE "Proxy_KeyTable" ADD CONSTRAINT "Proxy_KeyTable_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "Proxy_TeamTable"("team_id") ON DELETE SET NULL ON UPDATE CASCADE;
