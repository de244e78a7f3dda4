-- The address that gets what concerns a document without assignee (PATCH /v1/settings notifyEmail).
ALTER TABLE "TenantSettings" ADD COLUMN "notifyEmail" TEXT;
