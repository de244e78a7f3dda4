-- A claim is held for a short lease its request renews while it runs: a claim whose process died is taken over once the lease lapses (seconds), not after a fixed 5 minutes.
-- AlterTable
ALTER TABLE "IdempotentRequest" ADD COLUMN     "heldUntil" TIMESTAMP(3);
