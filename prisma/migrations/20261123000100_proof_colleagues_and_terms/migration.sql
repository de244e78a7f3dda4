-- AlterTable
ALTER TABLE "AccessLink" ADD COLUMN     "forwardedFromLinkId" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "termsAcceptedBy" JSONB;

-- CreateIndex
CREATE INDEX "AccessLink_forwardedFromLinkId_idx" ON "AccessLink"("forwardedFromLinkId");

-- AddForeignKey
ALTER TABLE "AccessLink" ADD CONSTRAINT "AccessLink_forwardedFromLinkId_fkey" FOREIGN KEY ("forwardedFromLinkId") REFERENCES "AccessLink"("id") ON DELETE SET NULL ON UPDATE CASCADE;
