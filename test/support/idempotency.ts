/** The Idempotency-Key's claims as a test leaves them (api/idempotency.ts). */
import { Prisma, type PrismaClient } from '../../generated/prisma/client';

/**
 * What an API SIGKILLed in the middle of a POST leaves of its key, whatever the POST did before
 * it died: a claim still running (no answer stored), its lease lapsed — so the resend runs again.
 */
export function abandonClaim(prisma: PrismaClient, key: string) {
  return prisma.idempotentRequest.updateMany({ where: { key }, data: { status: 0, responseBody: Prisma.DbNull, heldUntil: new Date(Date.now() - 1) } });
}
