-- Every open of a document's portal page, doubtful or not, beside the human viewCount
-- (api/portal/view-tracking.ts). The opens already in the trail are counted once, here.
ALTER TABLE "Document" ADD COLUMN "openCount" INTEGER NOT NULL DEFAULT 0;

UPDATE "Document" AS d
SET "openCount" = opened.count
FROM (SELECT "documentId", COUNT(*)::INTEGER AS count FROM "AuditEvent" WHERE "type" = 'opened' GROUP BY "documentId") AS opened
WHERE opened."documentId" = d."id";
