-- Each SMS handed to the provider, by the idempotency key of the step that sends it
-- (services/notify/sms.ts): Twilio takes no idempotency key, so a retried activity finds here
-- that its text already went (providerId), or was being sent when the attempt died.
CREATE TABLE "SmsDelivery" (
    "idempotencyKey" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "claimedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "providerId" TEXT,

    CONSTRAINT "SmsDelivery_pkey" PRIMARY KEY ("idempotencyKey")
);
