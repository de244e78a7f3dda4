-- The seller's identity (legal name, address, tax ids, bank details, brand colour), the time zone customers read times in, and the logo.
-- AlterTable
ALTER TABLE "TenantSettings" ADD COLUMN     "seller" JSONB,
ADD COLUMN     "timeZone" TEXT;

-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "timeZone" TEXT;

-- CreateTable
CREATE TABLE "TenantLogo" (
    "tenantId" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TenantLogo_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE UNIQUE INDEX "TenantLogo_sha256_key" ON "TenantLogo"("sha256");

-- AddForeignKey
ALTER TABLE "TenantLogo" ADD CONSTRAINT "TenantLogo_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
