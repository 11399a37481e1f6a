-- AlterTable
ALTER TABLE "Proxy_KeyTable" ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Proxy_KeyTable_tags_idx" ON "Proxy_KeyTable"("tags");
