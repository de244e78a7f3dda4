/**
 * The seller as one document's reader sees it, read once per page, PDF or email: its identity
 * from the settings (the tenant's name when none is set), its logo, and the time zone times
 * are written in.
 */
import type { PrismaClient, TenantLogo } from '../../generated/prisma/client';
import { readerTimeZone, type SellerIdentity } from '../../domain/seller';

export interface SellerLogo {
  png: Uint8Array;
  width: number;
  height: number;
  /** Relative to the public URL: "/assets/logos/<sha256>.png". */
  path: string;
}

export interface Seller {
  identity: SellerIdentity;
  logo?: SellerLogo;
  /** The seller's own zone (settings), or UTC. A reader's own zone, when known, goes first (readerTimeZone). */
  timeZone: string;
}

export function logoPath(logo: Pick<TenantLogo, 'sha256'>): string {
  return `/assets/logos/${logo.sha256}.png`;
}

/** The identity the settings hold, as stored (a JSON column checked by api/schemas.ts sellerSchema on its way in). */
export function storedIdentity(value: unknown): SellerIdentity | null {
  return value && typeof value === 'object' && typeof (value as { legalName?: unknown }).legalName === 'string' ? (value as SellerIdentity) : null;
}

export async function loadSeller(prisma: PrismaClient, tenantId: string): Promise<Seller> {
  // One statement (relation joins): every email, notice and PDF reads it.
  const { logo, ...tenant } = await prisma.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: { name: true, settings: { select: { seller: true, timeZone: true } }, logo: { select: { png: true, width: true, height: true, sha256: true } } },
  });
  return {
    identity: storedIdentity(tenant.settings?.seller) ?? { legalName: tenant.name },
    ...(logo ? { logo: { png: logo.png, width: logo.width, height: logo.height, path: logoPath(logo) } } : {}),
    timeZone: readerTimeZone(tenant.settings?.timeZone),
  };
}
