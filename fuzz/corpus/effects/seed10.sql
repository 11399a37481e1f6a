-- base.sql: the schema every case of cases.txt starts from.
CREATE TYPE "Role" AS ENUM ('A', 'B');
CREATE TABLE "T" ("id" TEXT NOT NULL, "role" "Role", CONSTRAINT "T_pkey" PRIMARY KEY ("id"));
CREATE TABLE "U" ("id" TEXT NOT NULL, "t_id" TEXT, CONSTRAINT "U_pkey" PRIMARY KEY ("id"));
ALTER TABLE "U" ADD CONSTRAINT "U_t_id_fkey" FOREIGN KEY ("t_id") REFERENCES "T"("id");
CREATE INDEX "U_t_id_idx" ON "U"("t_id");
