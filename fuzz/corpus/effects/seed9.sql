-- AlterTable
ALTER TABLE "Proxy_DeletedTeamTable" ADD COLUMN     "router_settings" JSONB DEFAULT '{}';

-- AlterTable
ALTER TABLE "Proxy_TeamTable" ADD COLUMN     "router_settings" JSONB DEFAULT '{}';
