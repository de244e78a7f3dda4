-- A proof page's preview in two smaller widths for srcset; zoom images are now rendered (watermarked) on first request.
-- AlterTable
ALTER TABLE "RevisionPage" ADD COLUMN     "mediumKey" TEXT,
ADD COLUMN     "smallKey" TEXT;

-- Zoom images rendered before were clean print-ready artwork: no longer served; each is rendered again, watermarked, on its next request.
UPDATE "RevisionPage" SET "zoomKey" = NULL;
