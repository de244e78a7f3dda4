/** Customers (accounts) and the contacts who receive their documents. */
import type { z } from 'zod';
import type { Contact, Customer, PrismaClient } from '../../generated/prisma/client';
import { insertOnce } from '../../platform/db';
import { AppError } from '../../domain/errors';
import { resolveProofType, type ProofType } from '../../domain/proof-types';
import type { createContactSchema, createCustomerSchema, updateCustomerSchema } from '../schemas';
import { NEWEST_FIRST, OLDEST_FIRST, readPage, type Page, type PageRequest } from './pagination';
import { getSettings } from './settings';

/** "default" is the API's word for "no override": stored as null. */
function proofTypeOverride(value: ProofType | 'default' | null | undefined): ProofType | null | undefined {
  return value === 'default' ? null : value;
}

/** What the API accepts (api/schemas.ts), as validated. */
export type CreateCustomerInput = z.output<typeof createCustomerSchema>;
/** The card to save goes to the payment provider first (saved-cards.ts), not into this update. */
export type UpdateCustomerInput = Omit<z.output<typeof updateCustomerSchema>, 'savedCard'>;
export type CreateContactInput = z.output<typeof createContactSchema>;

/** `id`: the route's createdId (api/openapi.ts): the customer a resent create wrote first is answered again. */
export async function createCustomer(prisma: PrismaClient, tenantId: string, input: CreateCustomerInput, id: string): Promise<Customer> {
  const create = () => prisma.customer.create({
    data: {
      id,
      tenantId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      locale: input.locale ?? null,
      timeZone: input.timeZone ?? null,
      termsAcceptedAt: input.termsAcceptedAt ? new Date(input.termsAcceptedAt) : null,
      termsVersion: input.termsVersion ?? null,
      proofType: proofTypeOverride(input.proofType) ?? null,
    },
  });
  return insertOnce(create, () => prisma.customer.findFirst({ where: { id, tenantId } }));
}

export async function getCustomer(prisma: PrismaClient, tenantId: string, customerId: string): Promise<Customer> {
  const customer = await prisma.customer.findFirst({ where: { id: customerId, tenantId } });
  if (!customer) throw new AppError('not_found', `No customer ${customerId}.`);
  return customer;
}

/** Fields sent are changed; fields left out keep their value; null clears an optional one. */
export async function updateCustomer(prisma: PrismaClient, tenantId: string, customerId: string, input: UpdateCustomerInput): Promise<Customer> {
  await getCustomer(prisma, tenantId, customerId);
  const { proofType, ...fields } = input;
  return prisma.customer.update({
    where: { id: customerId },
    data: { ...fields, ...(proofType !== undefined ? { proofType: proofTypeOverride(proofType) } : {}) },
  });
}

/**
 * The proof type a new proof for this customer gets. "none" refuses the proof, naming the
 * customer and the setting that says so (the customer's override or the tenant's default).
 */
export async function proofTypeForNewProof(prisma: PrismaClient, tenantId: string, customerId: string): Promise<ProofType> {
  const customer = await getCustomer(prisma, tenantId, customerId);
  const type = await effectiveProofType(prisma, customer);
  if (type !== 'none') return type;
  const setting = customer.proofType === 'none'
    ? `the customer's proofType is "none" (PATCH /v1/customers/${customer.id})`
    : `the customer follows the tenant's defaultProofType, which is "none" (PATCH /v1/settings)`;
  throw new AppError('unprocessable', `Customer ${customer.name} (${customer.id}) receives no proofs: ${setting}.`, [
    { path: 'customerId', message: 'proof type "none"' },
  ]);
}

/** The proof type a proof for this customer uses now: its override, else the tenant's default. */
export async function effectiveProofType(prisma: PrismaClient, customer: Pick<Customer, 'tenantId' | 'proofType'>): Promise<ProofType> {
  return resolveProofType(customer.proofType, (await getSettings(prisma, customer.tenantId)).defaultProofType);
}

/** `q`: a piece of the name or email, in any case. */
export interface ListCustomersInput extends PageRequest {
  q?: string;
}

/** Prisma's `contains` is LIKE '%…%' and escapes nothing: a searched % or _ is a character, not a wildcard. */
function literally(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** The tenant's customers, newest first; with `q`, those whose name or email holds it. */
export function listCustomers(prisma: PrismaClient, tenantId: string, input: ListCustomersInput): Promise<Page<Customer>> {
  const holding = input.q ? { contains: literally(input.q), mode: 'insensitive' as const } : undefined;
  const matching = holding ? { OR: [{ name: holding }, { email: holding }] } : {};
  // AND: the search and the page's keyset are both ORs.
  return readPage(input, NEWEST_FIRST, ({ after, orderBy, take }) => prisma.customer.findMany({ where: { tenantId, AND: [matching, after] }, orderBy, take }));
}

/** A customer's contacts in the order they were added (the first is usually the main one). */
export async function listContacts(prisma: PrismaClient, tenantId: string, customerId: string, page: PageRequest): Promise<Page<Contact>> {
  await getCustomer(prisma, tenantId, customerId);
  return readPage(page, OLDEST_FIRST, ({ after, orderBy, take }) => prisma.contact.findMany({ where: { tenantId, customerId, ...after }, orderBy, take }));
}

export async function createContact(
  prisma: PrismaClient,
  tenantId: string,
  customerId: string,
  input: CreateContactInput,
  id: string,
): Promise<Contact> {
  const customer = await prisma.customer.findFirst({ where: { id: customerId, tenantId }, select: { id: true } });
  if (!customer) throw new AppError('not_found', `No customer ${customerId}.`);
  return insertOnce(
    () => prisma.contact.create({ data: { id, tenantId, customerId, name: input.name, email: input.email ?? null, phone: input.phone ?? null } }),
    () => prisma.contact.findFirst({ where: { id, tenantId, customerId } }),
  );
}
