-- The rotation that made an endpoint's current secret (api/openapi.ts createdId: made from its Idempotency-Key):
-- a rotation resent after its API died gives that secret anew, keeping the secret it replaced in its overlap,
-- instead of rotating again and dropping the secret the receiver still holds.
ALTER TABLE "WebhookEndpoint" ADD COLUMN "rotationId" TEXT;
