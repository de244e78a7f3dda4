-- The card saved for off-session charges (service requests, subscriptions).
ALTER TABLE "Customer" ADD COLUMN "paymentCustomerId" TEXT,
ADD COLUMN "paymentMethodId" TEXT;

-- CreateTable
CREATE TABLE "ServiceRequest" (
    "documentId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "product" TEXT NOT NULL,
    "options" JSONB NOT NULL DEFAULT '{}',
    "plan" JSONB,
    "billing" TEXT NOT NULL,
    "priceOnQuote" BOOLEAN NOT NULL DEFAULT false,
    "box" TEXT NOT NULL,
    "labels" TEXT[],
    "unread" BOOLEAN NOT NULL DEFAULT false,
    "outcome" TEXT,
    "handledWithoutProposal" BOOLEAN NOT NULL DEFAULT false,
    "paymentStatus" TEXT,
    "declineReason" TEXT,
    "subscriptionId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceRequest_pkey" PRIMARY KEY ("documentId")
);

-- CreateTable
CREATE TABLE "ServiceRequestProposal" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ServiceRequestProposal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceRequestCharge" (
    "id" TEXT NOT NULL,
    "documentId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "paymentIntentId" TEXT,
    "failureCode" TEXT,
    "failureMessage" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceRequestCharge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ServiceRequest_tenantId_box_idx" ON "ServiceRequest"("tenantId", "box");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRequestProposal_documentId_seq_key" ON "ServiceRequestProposal"("documentId", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRequestCharge_documentId_attempt_key" ON "ServiceRequestCharge"("documentId", "attempt");

-- AddForeignKey
ALTER TABLE "ServiceRequest" ADD CONSTRAINT "ServiceRequest_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRequestProposal" ADD CONSTRAINT "ServiceRequestProposal_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ServiceRequest"("documentId") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRequestCharge" ADD CONSTRAINT "ServiceRequestCharge_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "ServiceRequest"("documentId") ON DELETE CASCADE ON UPDATE CASCADE;
