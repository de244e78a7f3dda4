/**
 * Documents in the read model: creation (lines priced by domain/money, number allocated),
 * reading, listing (api/operations/pagination.ts), and the audit trail. Every query is scoped by
 * tenant: another tenant's id is simply not found.
 */
import type { z } from 'zod';
import type { AuditEvent, Prisma, PrismaClient } from '../../generated/prisma/client';
import type { DocumentKind } from '../../domain/documents';
import { depositColumns, type DepositAsked, type DepositColumns, type DepositPolicy } from '../../domain/deposit';
import { priceLine, sumAmounts, type LineInput, type PricedLine, type Totals } from '../../domain/money';
import { insertOnce, isUniqueViolation } from '../../platform/db';
import { AppError, type FieldError } from '../../domain/errors';
import { readerTimeZone } from '../../domain/seller';
import { DATE_ONLY, validUntilInstant } from '../../domain/validity';
import { MAX_AMOUNT, type createDocumentSchema } from '../schemas';
import { insertNumberedDocument } from '../../services/db/document-numbers';
import { lineRows, writtenLines } from '../../services/db/lines';
import { proofTypeForNewProof } from './customers';
import { NEWEST_FIRST, readPage, SEQUENCE_ORDER, type Page, type PageRequest } from './pagination';

export type DocumentWithLines = Prisma.DocumentGetPayload<{ include: { lines: true } }>;

/**
 * What the API accepts (api/schemas.ts), as validated; the lines as domain/money prices them,
 * so a copy can carry the stored decimals over as they are (chain.ts duplicateDocument).
 */
export type CreateDocumentInput = Omit<z.output<typeof createDocumentSchema>, 'lines'> & { lines?: Omit<LineInput, 'selected'>[] };

const withLines = { lines: { orderBy: { position: 'asc' } } } as const satisfies Prisma.DocumentInclude;

/**
 * The customer, contact and assignee must be the tenant's, and the contact the customer's.
 * Read through the tenant in one statement (relation joins), with the tenant's currency, which a
 * creation needs as well.
 */
export async function checkReferences(prisma: PrismaClient, tenantId: string, input: CreateDocumentInput): Promise<{ currency: string }> {
  const only = (id: string | undefined) => ({ id: { in: id ? [id] : [] } });
  const tenant = await prisma.tenant.findUniqueOrThrow({
    where: { id: tenantId },
    select: {
      currency: true,
      customers: { where: only(input.customerId), select: { id: true } },
      contacts: { where: only(input.contactId), select: { customerId: true } },
      users: { where: only(input.assigneeId), select: { id: true } },
    },
  });
  const [customer, contact, assignee] = [tenant.customers[0], tenant.contacts[0], tenant.users[0]];
  const errors: FieldError[] = [];
  if (!customer) errors.push({ path: 'customerId', message: `no customer ${input.customerId}` });
  if (input.contactId && !contact) errors.push({ path: 'contactId', message: `no contact ${input.contactId}` });
  if (contact && contact.customerId !== input.customerId) {
    errors.push({ path: 'contactId', message: `contact ${input.contactId} belongs to another customer` });
  }
  if (input.assigneeId && !assignee) errors.push({ path: 'assigneeId', message: `no user ${input.assigneeId}` });
  if (errors.length) throw new AppError('unprocessable', 'The document refers to records that do not exist.', errors);
  return { currency: tenant.currency };
}

/** The zone the customer reads the quote in (domain/seller.ts readerTimeZone): where its days end. */
export async function customerTimeZone(prisma: PrismaClient, tenantId: string, customerId: string): Promise<string> {
  const customer = await prisma.customer.findFirst({
    where: { id: customerId, tenantId },
    select: { timeZone: true, tenant: { select: { settings: { select: { timeZone: true } } } } },
  });
  return readerTimeZone(customer?.timeZone, customer?.tenant.settings?.timeZone);
}

/**
 * The instant a validity the seller wrote ends: a day at its end in the customer's zone, taken
 * now, so the quote's workflow (and its replays) get a plain number.
 */
export async function validUntilOf(prisma: PrismaClient, tenantId: string, customerId: string, value: string): Promise<Date> {
  const timeZone = DATE_ONLY.test(value) ? await customerTimeZone(prisma, tenantId, customerId) : 'UTC';
  return new Date(validUntilInstant(value, timeZone));
}

export function priceLines(lines: CreateDocumentInput['lines']): { priced: PricedLine[]; amounts: Omit<Totals, 'currency'> } {
  const priced = (lines ?? []).map((line) => priceLine(line));
  // Bounded with every optional line picked, so whatever the customer chooses still fits the columns.
  const largestGross = priced.reduce((sum, line) => sum + Math.abs(line.netAmount + line.taxAmount), 0);
  if (largestGross > MAX_AMOUNT) {
    throw new AppError('unprocessable', 'Amounts are too large.', [
      { path: 'lines', message: `the total must stay within ${MAX_AMOUNT} minor units` },
    ]);
  }
  return { priced, amounts: sumAmounts(priced) };
}

/** A proof is sent the way its customer takes proofs, decided as it is made and kept on the document. */
async function proofTypeOfNewProof(prisma: PrismaClient, tenantId: string, input: CreateDocumentInput): Promise<string> {
  // The references first: an unknown customer is refused as one, not as a customer without proofs.
  await checkReferences(prisma, tenantId, input);
  return proofTypeForNewProof(prisma, tenantId, input.customerId);
}

/**
 * A new draft, numbered, with its lines: written by one statement that checks its references
 * (checkReferences says which failed when it wrote nothing) and answers the row written. `id`
 * is the route's createdId (api/openapi.ts): the draft a resent create wrote first is answered
 * again, and its refused statement takes no number.
 */
export async function createDocument(
  prisma: PrismaClient,
  tenantId: string,
  input: CreateDocumentInput,
  id: string,
  now = new Date(),
): Promise<DocumentWithLines> {
  const validUntil = input.validUntil ? await validUntilOf(prisma, tenantId, input.customerId, input.validUntil) : null;
  const proofType = input.kind === 'proof' ? await proofTypeOfNewProof(prisma, tenantId, input) : null;
  const { priced, amounts } = priceLines(input.lines);
  const deposit = depositOfInput(input.kind, input.deposit ?? null, input.depositPolicy);
  const document = {
    id,
    tenantId,
    kind: input.kind,
    title: input.title ?? null,
    status: 'draft',
    // None given: the tenant's, read by the statement that writes the document.
    currency: input.currency ?? null,
    customerId: input.customerId,
    contactId: input.contactId ?? null,
    assigneeId: input.assigneeId ?? null,
    netTotal: amounts.net,
    taxTotal: amounts.tax,
    grossTotal: amounts.gross,
    validUntil,
    dueDate: input.dueDate ? new Date(input.dueDate) : null,
    proofType,
    ...deposit,
  };
  const lines = lineRows(priced);

  let written: DocumentWithLines | undefined;
  try {
    written = await insertOnce(
      async () => {
        const row = await insertNumberedDocument(prisma, document, lines, now, input.number);
        return row && { ...row, lines: writtenLines(id, lines) };
      },
      () => prisma.document.findFirst({ where: { id, tenantId }, include: withLines }),
    );
  } catch (error) {
    // Only a number given by the caller can be taken: allocated ones come from the counter.
    if (input.number !== undefined && isUniqueViolation(error)) throw new AppError('conflict', `Number ${input.number} is already used by another document.`);
    throw error;
  }
  if (!written) {
    await checkReferences(prisma, tenantId, input);
    // They were missing when written, and are all there now.
    throw new AppError('conflict', 'The customer, contact or assignee was being changed; send the document again.');
  }
  return written;
}

/**
 * The deposit columns of a document's input (domain/deposit.ts): only a quote asks one, and a
 * policy says nothing without a deposit. Refused with the field at fault otherwise.
 */
export function depositOfInput(kind: string, deposit: DepositAsked | null, policy: DepositPolicy | undefined): DepositColumns {
  if (deposit && kind !== 'quote') throw new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'deposit', message: 'only a quote asks for a deposit' }]);
  if (policy && !deposit) throw new AppError('validation_failed', 'Some fields are missing or invalid; see errors.', [{ path: 'depositPolicy', message: 'a deposit policy needs a deposit' }]);
  return depositColumns(deposit, policy);
}

/**
 * A document of /v1/documents. A service request shares the table but is not one of them (its
 * answer would not be a document): it is named at its own address, /v1/requests/:id.
 */
export async function getDocument(prisma: PrismaClient, tenantId: string, documentId: string): Promise<DocumentWithLines> {
  const document = await prisma.document.findFirst({ where: { id: documentId, tenantId }, include: withLines });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
  if (document.kind === 'request') throw new AppError('not_found', `No document ${documentId} (a service request: /v1/requests/${documentId}).`);
  return document;
}

// ---------------------------------------------------------------- listing

export interface ListDocumentsInput extends PageRequest {
  kind?: DocumentKind;
  status?: string;
  digitalStatus?: string;
  customerId?: string;
}

export type DocumentRow = Prisma.DocumentGetPayload<object>;

export function listDocuments(prisma: PrismaClient, tenantId: string, input: ListDocumentsInput): Promise<Page<DocumentRow>> {
  return readPage(input, NEWEST_FIRST, ({ after, orderBy, take }) =>
    prisma.document.findMany({
      where: {
        tenantId,
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.status ? { status: input.status } : {}),
        ...(input.digitalStatus ? { digitalStatus: input.digitalStatus } : {}),
        ...(input.customerId ? { customerId: input.customerId } : {}),
        ...after,
      },
      orderBy,
      take,
    }),
  );
}

/** The tenant's document, or not found: what a list under /documents/:id checks first. */
export async function assertDocumentOf(prisma: PrismaClient, tenantId: string, documentId: string): Promise<void> {
  const document = await prisma.document.findFirst({ where: { id: documentId, tenantId }, select: { id: true } });
  if (!document) throw new AppError('not_found', `No document ${documentId}.`);
}

/** An event of the trail; an `opened` one says whether a person confirmed that open as a view. */
export type TrailEvent = AuditEvent & { confirmed?: boolean };

/**
 * The audit trail, a page at a time, in the order it was recorded. An `opened` row is written
 * doubtful and stays as written; the `viewed` row that confirms it names its view id in
 * `data.eventId` (api/portal/view-tracking.ts), so each open is shown confirmed or not.
 */
export async function listDocumentEvents(prisma: PrismaClient, tenantId: string, documentId: string, page: PageRequest): Promise<Page<TrailEvent>> {
  await assertDocumentOf(prisma, tenantId, documentId);
  const events = await readPage(page, SEQUENCE_ORDER, ({ after, orderBy, take }) => prisma.auditEvent.findMany({ where: { tenantId, documentId, ...after }, orderBy, take }));
  if (!events.data.some((event) => event.type === 'opened')) return events;
  const views = await prisma.auditEvent.findMany({ where: { tenantId, documentId, type: 'viewed' }, select: { data: true } });
  const confirmed = new Set(views.map((view) => stringIn(view.data, 'eventId')));
  const withConfirmation = (event: AuditEvent): TrailEvent => {
    const viewId = stringIn(event.data, 'viewId');
    return { ...event, confirmed: viewId !== undefined && confirmed.has(viewId) };
  };
  return { ...events, data: events.data.map((event) => (event.type === 'opened' ? withConfirmation(event) : event)) };
}

function stringIn(data: Prisma.JsonValue, key: string): string | undefined {
  const value = (data as Record<string, unknown> | null)?.[key];
  return typeof value === 'string' ? value : undefined;
}
