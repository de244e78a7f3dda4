-- A decider's link (domain/deciders.ts): the decider the seller named at send, whose votes it carries.
ALTER TABLE "AccessLink" ADD COLUMN "deciderId" TEXT;
-- Several deciders as the seller named them at send (domain/deciders.ts): the portal lists them and where the decision stands.
ALTER TABLE "Document" ADD COLUMN "deciders" JSONB;
