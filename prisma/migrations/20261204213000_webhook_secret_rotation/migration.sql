-- Rotating a webhook endpoint's secret: the secret it replaced keeps signing beside the new one until it expires.
-- AlterTable
ALTER TABLE "WebhookEndpoint" ADD COLUMN     "previousSecret" TEXT,
ADD COLUMN     "previousSecretExpiresAt" TIMESTAMP(3);
