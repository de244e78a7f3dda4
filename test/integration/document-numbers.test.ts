/**
 * Document numbers from the counters (services/db/document-numbers.ts): over HTTP, creations at
 * once on one tenant take distinct consecutive numbers (quotes, written in one statement, and
 * service requests, numbered last in a transaction), a number given by hand moves the counter,
 * and a number taken in a transaction that rolls back is given back. On a database of its own,
 * migrated up to the counters' migration with documents numbered the old way, the migration
 * starts each counter where its series stopped and numbering goes on from there.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDocument } from '../../api/operations/documents';
import { createPrisma, type PrismaClient } from '../../platform/db';
import { newId } from '../../platform/ids';
import { databaseUrlFor, dropDatabase, recreateDatabase, withServerAdmin } from '../../scripts/lib/database';
import { migrate, readLocalMigrations } from '../../scripts/migrate';
import { numberDocument, unnumbered } from '../../services/db/document-numbers';
import { succeeded } from '../support/api';
import { testServices } from '../support/environment';
import { startStack, type Stack } from '../support/stack';
import { seedTenant, STACK_START_TIMEOUT_MS } from './api-http';

const COUNTERS_MIGRATION = '20261208010000_document_number_counters';

const counterOf = (number: string) => Number(number.split('-')[2]);

describe('numbering over HTTP', () => {
  let stack: Stack;
  let tenant: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    stack = await startStack();
    tenant = await seedTenant(stack);
  }, STACK_START_TIMEOUT_MS);
  afterAll(() => stack?.close());

  const createQuote = async (number?: string) =>
    (await succeeded(tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, ...(number ? { number } : {}) } }), 201)).number;

  it('gives thirty creations at once on one tenant distinct consecutive numbers, after the ones before', async () => {
    const first = await createQuote();
    const numbers = await Promise.all(Array.from({ length: 30 }, () => createQuote()));
    const prefix = first.slice(0, first.lastIndexOf('-') + 1);
    expect(numbers.every((number) => number.startsWith(prefix))).toBe(true);
    expect(numbers.map(counterOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, index) => counterOf(first) + 1 + index));
  });

  it('numbers service requests (numbered last in a transaction of several writes) made at once beside quotes, each series on its own', async () => {
    const createRequest = async (index: number) =>
      (await succeeded(tenant.api.POST('/v1/requests', { body: { customerId: tenant.customerId, product: `Nettoyage ${index}`, priceOnQuote: true } }), 201)).number;
    const firstRequest = await createRequest(0);
    const firstQuote = await createQuote();
    const [requests, quotes] = await Promise.all([
      Promise.all(Array.from({ length: 10 }, (_, index) => createRequest(index + 1))),
      Promise.all(Array.from({ length: 10 }, () => createQuote())),
    ]);
    expect(requests.every((number) => number.startsWith('REQ-'))).toBe(true);
    expect(requests.map(counterOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, index) => counterOf(firstRequest) + 1 + index));
    expect(quotes.map(counterOf).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, index) => counterOf(firstQuote) + 1 + index));
  });

  it('moves the counter past a number given by hand in the same form, and refuses it a second time', async () => {
    const last = await createQuote();
    const prefix = last.slice(0, last.lastIndexOf('-') + 1);
    const byHand = `${prefix}${String(counterOf(last) + 10).padStart(4, '0')}`;
    expect(await createQuote(byHand)).toBe(byHand);
    expect(await createQuote()).toBe(`${prefix}${String(counterOf(last) + 11).padStart(4, '0')}`);
    const again = await tenant.api.POST('/v1/documents', { body: { kind: 'quote', customerId: tenant.customerId, number: byHand } });
    expect(again.response.status).toBe(409);
    expect(await createQuote()).toBe(`${prefix}${String(counterOf(last) + 12).padStart(4, '0')}`);
  });

  it('gives back a number taken in a transaction that rolls back', async () => {
    const last = await createQuote();
    const rolledBack = new Error('rolled back on purpose');
    let taken = '';
    await expect(
      stack.prisma.$transaction(async (tx) => {
        const id = newId('doc');
        await tx.document.create({
          data: { id, tenantId: tenant.tenantId, kind: 'quote', number: unnumbered(id), status: 'draft', currency: 'EUR', customerId: tenant.customerId, netTotal: 0, taxTotal: 0, grossTotal: 0 },
        });
        taken = await numberDocument(tx, { id, tenantId: tenant.tenantId, kind: 'quote' }, new Date());
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(counterOf(taken)).toBe(counterOf(last) + 1);
    expect(await createQuote()).toBe(taken);
  });
});

describe("the counters' migration", () => {
  const sharedDatabaseUrl = testServices().databaseUrl;
  const name = `greenlight_numbering_${process.pid}`;
  const databaseUrl = databaseUrlFor(sharedDatabaseUrl, name);
  let prisma: PrismaClient;

  beforeAll(async () => {
    await withServerAdmin(sharedDatabaseUrl, (admin) => recreateDatabase(admin, name));
    // The migrations before the counters', as a database of the previous release has them.
    const before = mkdtempSync(path.join(tmpdir(), 'greenlight-migrations-'));
    try {
      const migrationsDir = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');
      for (const migration of readLocalMigrations(migrationsDir).filter((candidate) => candidate.name < COUNTERS_MIGRATION)) {
        symlinkSync(path.join(migrationsDir, migration.name), path.join(before, migration.name));
      }
      await migrate(databaseUrl, { migrationsDir: before });
    } finally {
      rmSync(before, { recursive: true, force: true });
    }
    prisma = createPrisma(databaseUrl);
  }, 60_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await dropDatabase(sharedDatabaseUrl, name);
  }, 60_000);

  it('starts each series where its numbers stopped, by hand or not, and numbering goes on without gap or duplicate', async () => {
    const tenants = ['ten_numbering_a', 'ten_numbering_b'];
    for (const id of tenants) {
      await prisma.tenant.create({ data: { id, name: id } });
      await prisma.customer.create({ data: { id: `cus_of_${id}`, tenantId: id, name: 'Imprimerie Lumière' } });
    }
    const [a, b] = tenants as [string, string];
    const numbered: [string, string, string][] = [
      [a, 'quote', 'Q-2026-0001'],
      [a, 'quote', 'Q-2026-0002'],
      [a, 'quote', 'Q-2026-0042'], // by hand
      [a, 'quote', 'Q-2025-0007'],
      [a, 'invoice', 'INV-2026-0002'],
      [a, 'order', 'O-2026-12345'],
      [a, 'quote', 'DEVIS-ÉTÉ-7'], // by hand, in no series
      [a, 'request', 'REQ-2026-0005'],
      [b, 'quote', 'Q-2026-0009'],
    ];
    // Written with the columns of the previous release: today's client knows columns added since.
    for (const [tenantId, kind, number] of numbered) {
      await prisma.$executeRaw`INSERT INTO "Document" ("id", "tenantId", "kind", "number", "status", "currency", "customerId", "netTotal", "taxTotal", "grossTotal", "updatedAt")
        VALUES (${newId('doc')}, ${tenantId}, ${kind}, ${number}, 'draft', 'EUR', ${`cus_of_${tenantId}`}, 0, 0, 0, now())`;
    }

    expect((await migrate(databaseUrl)).applied[0]).toBe(COUNTERS_MIGRATION);
    const counters = await prisma.documentNumberCounter.findMany({ orderBy: [{ tenantId: 'asc' }, { series: 'asc' }, { year: 'asc' }] });
    expect(counters.map(({ tenantId, series, year, last }) => [tenantId, series, year, last])).toEqual([
      [a, 'INV', 2026, 2],
      [a, 'O', 2026, 12345],
      [a, 'Q', 2025, 7],
      [a, 'Q', 2026, 42],
      [a, 'REQ', 2026, 5],
      [b, 'Q', 2026, 9],
    ]);

    const create = async (tenantId: string, kind: 'quote' | 'invoice' | 'order' | 'delivery_note', at: string) => {
      const document = await createDocument(prisma, tenantId, { kind, customerId: `cus_of_${tenantId}` }, newId('doc'), new Date(at));
      expect(document.createdAt).toEqual(new Date(at));
      return document.number;
    };
    expect(await create(a, 'quote', '2026-06-01T12:00:00Z')).toBe('Q-2026-0043');
    expect(await create(a, 'quote', '2026-06-01T12:00:00Z')).toBe('Q-2026-0044');
    expect(await create(a, 'quote', '2025-06-01T12:00:00Z')).toBe('Q-2025-0008');
    expect(await create(a, 'quote', '2027-01-01T00:00:00Z')).toBe('Q-2027-0001');
    expect(await create(a, 'invoice', '2026-06-01T12:00:00Z')).toBe('INV-2026-0003');
    expect(await create(a, 'order', '2026-06-01T12:00:00Z')).toBe('O-2026-12346');
    expect(await create(a, 'delivery_note', '2026-06-01T12:00:00Z')).toBe('DN-2026-0001');
    expect(await create(b, 'quote', '2026-06-01T12:00:00Z')).toBe('Q-2026-0010');
  });
});
