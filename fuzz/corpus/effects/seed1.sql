-- CreateEnum
CREATE TYPE "UserRole" AS ENUM ('ADMIN', 'MEMBER');

-- CreateTable
CREATE TABLE "Proxy_UserTable" (
    "user_id" TEXT NOT NULL,
    "user_email" TEXT,
    "user_role" "UserRole" NOT NULL DEFAULT 'MEMBER',
    "spend" DOUBLE PRECISION NOT NULL DEFAULT 0.0,
    "max_budget" DOUBLE PRECISION,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Proxy_UserTable_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "Proxy_KeyTable" (
    "token" TEXT NOT NULL,
    "key_alias" TEXT,
    "user_id" TEXT,
    "models" TEXT[],
    "expires" TIMESTAMP(3),

    CONSTRAINT "Proxy_KeyTable_pkey" PRIMARY KEY ("token")
);

-- CreateIndex
CREATE UNIQUE INDEX "Proxy_UserTable_user_email_key" ON "Proxy_UserTable"("user_email");

-- AddForeignKey
ALTER TABLE "Proxy_KeyTable" ADD CONSTRAINT "Proxy_KeyTable_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "Proxy_UserTable"("user_id") ON DELETE SET NULL ON UPDATE CASCADE;
