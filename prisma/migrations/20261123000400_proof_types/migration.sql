-- Proof types ("type de BAT"): online | email | none. Values written before they were
-- validated mean nothing we know: they fall back to the default (null).
UPDATE "Customer" SET "proofType" = NULL WHERE "proofType" NOT IN ('online', 'email', 'none');
UPDATE "TenantSettings" SET "defaultProofType" = NULL WHERE "defaultProofType" NOT IN ('online', 'email', 'none');

-- AlterTable
ALTER TABLE "Document" ADD COLUMN "proofType" TEXT;
