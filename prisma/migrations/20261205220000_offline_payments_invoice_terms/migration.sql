-- A payment received off line (transfer, cheque, cash) keeps how and the seller's reference;
-- invoices made from an order are due after the tenant's payment terms.
-- AlterTable
ALTER TABLE "Payment" ADD COLUMN     "method" TEXT,
ADD COLUMN     "reference" TEXT;

-- AlterTable
ALTER TABLE "TenantSettings" ADD COLUMN     "invoiceDueAfter" TEXT NOT NULL DEFAULT 'P30D';
