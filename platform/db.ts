import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../generated/prisma/client';

export type { PrismaClient };

/** Prisma 7 over node-postgres: no Rust engine at run time. */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/**
 * Makes the transactions that name the same key wait for each other: a transaction-scoped advisory
 * lock, held until commit or rollback.
 */
export async function lockUntilCommit(tx: Prisma.TransactionClient, key: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`;
}

/**
 * A write refused by a unique index (Prisma's P2002; a raw statement's failure, P2010, carries the
 * driver's reading of it): someone wrote that row first.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const driverError = error.meta?.driverAdapterError as { cause?: { kind?: string } } | undefined;
  return error.code === 'P2002' || (error.code === 'P2010' && driverError?.cause?.kind === 'UniqueConstraintViolation');
}

/**
 * A row written under an id its request may have written already: a create resent with its
 * Idempotency-Key after the first attempt wrote the row but its answer was lost (an API killed
 * mid-request; api/openapi.ts, `createdId`). Refused by a unique index, it answers the row the
 * first attempt wrote, when there is one; any other refusal stands.
 */
export async function insertOnce<T>(insert: () => Promise<T>, writtenBefore: () => Promise<T | null>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    const existing = isUniqueViolation(error) ? await writtenBefore() : null;
    if (existing) return existing;
    throw error;
  }
}

/**
 * The database too busy to answer in time: a transaction that ran out of its time (P2028, often
 * queued on a lock behind a burst) or no connection free in the pool in time (P2024). Nothing was
 * committed; the same request sent again may pass.
 */
export function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2028' || error.code === 'P2024');
}

/** An update or delete that found no row to change (Prisma's P2025). */
export function isMissingRecord(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}
