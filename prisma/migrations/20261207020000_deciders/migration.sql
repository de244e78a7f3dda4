-- A decider's link (domain/deciders.ts): the decider the seller named at send, whose votes it carries.
ALTER TABLE "AccessLink" ADD COLUMN "deciderId" TEXT;
-- Several deciders as the seller named them at send (domain/deciders.ts): the portal lists them and where the decision stands.
ALTER TABLE "Document" ADD COLUMN "deciders" JSONB;
-- Each signer among several deciders signs with their own evidence: one signature per (quote, decider), "" the customer's one.
ALTER TABLE "QuoteSignature" ADD COLUMN "deciderId" TEXT NOT NULL DEFAULT '';
DROP INDEX "QuoteSignature_documentId_key";
CREATE UNIQUE INDEX "QuoteSignature_documentId_deciderId_key" ON "QuoteSignature"("documentId", "deciderId");
-- Several signers through GetAccept: its recipients, in signing order.
ALTER TABLE "ExternalSignature" ADD COLUMN "signers" JSONB;
