-- Each seller's own accounts (issue 15, "Money goes to the right account"): the tenant's
-- Stripe Connect account, and its own GetAccept credentials, sealed under APP_SECRET.
ALTER TABLE "Tenant" ADD COLUMN "stripeAccountId" TEXT;
ALTER TABLE "Tenant" ADD COLUMN "getacceptCredentials" TEXT;
CREATE UNIQUE INDEX "Tenant_stripeAccountId_key" ON "Tenant"("stripeAccountId");
