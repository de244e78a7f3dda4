-- How long a customer may withdraw an acceptance (ISO 8601 duration); null: until the seller
-- moves the quote on (converts it). Read at send time into the quote workflow's input.
ALTER TABLE "TenantSettings" ADD COLUMN "withdrawalWindow" TEXT;
