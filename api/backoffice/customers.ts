/** POST /v1/customers and POST /v1/customers/:id/contacts. */
import type { Contact, Customer } from '../../generated/prisma/client';
import { jsonRoute } from '../openapi';
import { createContact, createCustomer } from '../operations/customers';
import { contactSchema, createContactSchema, createCustomerSchema, customerSchema, idParamsSchema } from '../schemas';

function presentCustomer(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    phone: customer.phone,
    locale: customer.locale,
    termsAcceptedAt: customer.termsAcceptedAt?.toISOString() ?? null,
    termsVersion: customer.termsVersion,
    proofType: customer.proofType,
    createdAt: customer.createdAt.toISOString(),
  };
}

function presentContact(contact: Contact) {
  return {
    id: contact.id,
    customerId: contact.customerId,
    name: contact.name,
    email: contact.email,
    phone: contact.phone,
    createdAt: contact.createdAt.toISOString(),
  };
}

export const customerRoutes = [
  jsonRoute({
    method: 'post',
    path: '/customers',
    tag: 'Customers',
    summary: 'Create a customer (an account)',
    auth: 'tenant',
    body: createCustomerSchema,
    response: { status: 201, description: 'The customer', schema: customerSchema },
    handle: async ({ deps, caller, body }) => presentCustomer(await createCustomer(deps.prisma, caller.tenantId, body)),
  }),
  jsonRoute({
    method: 'post',
    path: '/customers/:id/contacts',
    tag: 'Customers',
    summary: "Add a contact to a customer (someone who receives the customer's documents)",
    auth: 'tenant',
    params: idParamsSchema,
    body: createContactSchema,
    problems: ['not_found'],
    response: { status: 201, description: 'The contact', schema: contactSchema },
    handle: async ({ deps, caller, params, body }) => presentContact(await createContact(deps.prisma, caller.tenantId, params.id, body)),
  }),
];
