-- CreateIndex
-- Case-insensitive e-mail lookups (an expression index Prisma cannot express).
CREATE INDEX "Proxy_UserTable_user_email_lower_idx" ON "Proxy_UserTable"(LOWER("user_email"));
