-- AlterEnum
ALTER TYPE "UserRole" ADD VALUE 'VIEWER';

-- AlterTable
ALTER TABLE "Proxy_KeyTable" ADD COLUMN     "max_budget" DOUBLE PRECISION,
ADD COLUMN     "budget_duration" TEXT;

-- AlterTable
ALTER TABLE "Proxy_SpendLogs" ALTER COLUMN "total_tokens" SET DATA TYPE BIGINT,
ALTER COLUMN "model" DROP NOT NULL;
