-- A request not "on quote" carries its product's price, charged on confirm with billing card.
ALTER TABLE "ServiceRequest" ADD COLUMN "price" INTEGER;

-- A subscription is billed to the saved card (as before) or by an invoice sent each period.
ALTER TABLE "Subscription" ADD COLUMN "billing" TEXT NOT NULL DEFAULT 'card';

-- The invoice document issued for each period of a subscription billed by invoice: one per period.
CREATE TABLE "SubscriptionInvoice" (
    "subscriptionId" TEXT NOT NULL,
    "period" INTEGER NOT NULL,
    "documentId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SubscriptionInvoice_pkey" PRIMARY KEY ("subscriptionId","period")
);

CREATE UNIQUE INDEX "SubscriptionInvoice_documentId_key" ON "SubscriptionInvoice"("documentId");

ALTER TABLE "SubscriptionInvoice" ADD CONSTRAINT "SubscriptionInvoice_subscriptionId_fkey" FOREIGN KEY ("subscriptionId") REFERENCES "Subscription"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "SubscriptionInvoice" ADD CONSTRAINT "SubscriptionInvoice_documentId_fkey" FOREIGN KEY ("documentId") REFERENCES "Document"("id") ON DELETE CASCADE ON UPDATE CASCADE;
