-- Each seller's own accounts (issue 15, "Money goes to the right account"): the tenant's
-- Stripe Connect account, and its own GetAccept credentials, sealed under APP_SECRET.
-- IF NOT EXISTS: a database that ran this change under its first name keeps its columns.
ALTER TABLE "Tenant" ADD COLUMN IF NOT EXISTS "stripeAccountId" TEXT;
ALTER TABLE "Tenant" ADD COLUMN IF NOT EXISTS "getacceptCredentials" TEXT;
CREATE UNIQUE INDEX IF NOT EXISTS "Tenant_stripeAccountId_key" ON "Tenant"("stripeAccountId");
