-- A quote may ask for a deposit with the yes (domain/deposit.ts): a share of its gross total in
-- basis points, or a fixed amount in minor units, and whether the quote is accepted once the
-- deposit is paid or at once with the deposit due. Read at send time into the quote workflow's input.
ALTER TABLE "Document" ADD COLUMN "depositBasisPoints" INTEGER;
ALTER TABLE "Document" ADD COLUMN "depositAmount" INTEGER;
ALTER TABLE "Document" ADD COLUMN "depositPolicy" TEXT;
