-- CreateTable
CREATE TABLE "ExternalSignature" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "recipientName" TEXT NOT NULL,
    "recipientEmail" TEXT,
    "recipientMobile" TEXT,
    "providerDocumentId" TEXT,
    "providerStatus" TEXT,
    "signedFileKey" TEXT,
    "signedAt" TIMESTAMP(3),
    "cancelledBy" TEXT,
    "cancelReason" TEXT,
    "lastCheckedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ExternalSignature_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SignatureRateBucket" (
    "tenantId" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilledAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignatureRateBucket_pkey" PRIMARY KEY ("tenantId","provider")
);

-- CreateIndex
CREATE UNIQUE INDEX "ExternalSignature_documentId_key" ON "ExternalSignature"("documentId");

-- CreateIndex
CREATE UNIQUE INDEX "ExternalSignature_provider_providerDocumentId_key" ON "ExternalSignature"("provider", "providerDocumentId");

-- CreateIndex
CREATE INDEX "ExternalSignature_tenantId_idx" ON "ExternalSignature"("tenantId");

-- CreateIndex
CREATE INDEX "Document_tenantId_digitalStatus_idx" ON "Document"("tenantId", "digitalStatus");

-- AddForeignKey
ALTER TABLE "ExternalSignature" ADD CONSTRAINT "ExternalSignature_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
