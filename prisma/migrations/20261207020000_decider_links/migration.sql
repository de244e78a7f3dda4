-- A decider's link (domain/deciders.ts): the decider the seller named at send, whose votes it carries.
ALTER TABLE "AccessLink" ADD COLUMN "deciderId" TEXT;
