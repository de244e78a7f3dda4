-- API keys made and revoked by their tenant: a name to tell them apart, and when each was last used.
-- AlterTable
ALTER TABLE "ApiKey" ADD COLUMN     "lastUsedAt" TIMESTAMP(3),
ADD COLUMN     "name" TEXT;
