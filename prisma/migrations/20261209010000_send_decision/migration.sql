-- The decision that sent a document (api/decision-id.ts: an Idempotency-Key, or a request's derived id),
-- written with the send's claim: a retry of that send, after its API died or its answer was lost, is the
-- same send (answered 202 again, its workflow started if the first attempt stopped before), not a 409.
ALTER TABLE "Document" ADD COLUMN "sendDecisionId" TEXT;
