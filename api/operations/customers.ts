/** Customers (accounts) and the contacts who receive their documents. */
import type { Contact, Customer, PrismaClient } from '../../generated/prisma/client';
import { newId } from '../../platform/ids';
import { AppError } from '../../domain/errors';

export interface CreateCustomerInput {
  name: string;
  email?: string;
  phone?: string;
  locale?: string;
  termsAcceptedAt?: string;
  termsVersion?: string;
  proofType?: string;
}

export interface CreateContactInput {
  name: string;
  email?: string;
  phone?: string;
}

export async function createCustomer(prisma: PrismaClient, tenantId: string, input: CreateCustomerInput): Promise<Customer> {
  return prisma.customer.create({
    data: {
      id: newId('cus'),
      tenantId,
      name: input.name,
      email: input.email ?? null,
      phone: input.phone ?? null,
      locale: input.locale ?? null,
      termsAcceptedAt: input.termsAcceptedAt ? new Date(input.termsAcceptedAt) : null,
      termsVersion: input.termsVersion ?? null,
      proofType: input.proofType ?? null,
    },
  });
}

export async function createContact(
  prisma: PrismaClient,
  tenantId: string,
  customerId: string,
  input: CreateContactInput,
): Promise<Contact> {
  const customer = await prisma.customer.findFirst({ where: { id: customerId, tenantId }, select: { id: true } });
  if (!customer) throw new AppError('not_found', `No customer ${customerId}.`);
  return prisma.contact.create({
    data: { id: newId('con'), tenantId, customerId, name: input.name, email: input.email ?? null, phone: input.phone ?? null },
  });
}
