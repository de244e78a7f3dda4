/** /v1/customers: create, list (search), read, change (proof type among others), and their contacts. */
import type { Contact, Customer } from '../../generated/prisma/client';
import { rowFields } from '../../platform/rows';
import { jsonRoute } from '../openapi';
import type { AppDeps } from '../app';
import { createContact, createCustomer, getCustomer, listContacts, listCustomers, updateCustomer } from '../operations/customers';
import { mapPage } from '../operations/pagination';
import { saveCustomerCard } from '../operations/saved-cards';
import { getSettings } from '../operations/settings';
import {
  contactListSchema,
  contactSchema,
  createContactSchema,
  createCustomerSchema,
  customerListSchema,
  customerSchema,
  idParamsSchema,
  listCustomersQuerySchema,
  pageQuerySchema,
  updateCustomerSchema,
} from '../schemas';
import { resolveProofType, type ProofType } from '../../domain/proof-types';

/** Written by services/db/audit.ts from a proof's approval; read defensively, as JSON. */
function termsAcceptedByOf(json: unknown): { name: string | null; email: string | null; linkId: string; colleague: boolean } | null {
  if (typeof json !== 'object' || json === null) return null;
  const { name, email, linkId, colleague } = json as Record<string, unknown>;
  if (typeof linkId !== 'string') return null;
  return { name: typeof name === 'string' ? name : null, email: typeof email === 'string' ? email : null, linkId, colleague: colleague === true };
}

/** How the tenant's customers are answered: its default proof type read once, for a page as for one. */
async function customerPresenter(deps: AppDeps, tenantId: string) {
  const { defaultProofType } = await getSettings(deps.prisma, tenantId);
  return (customer: Customer) => presentCustomer(customer, defaultProofType);
}

function presentCustomer(customer: Customer, defaultProofType: string | null) {
  return {
    ...rowFields(customer, ['id', 'name', 'email', 'phone', 'locale', 'timeZone', 'termsAcceptedAt', 'termsVersion', 'createdAt']),
    termsAcceptedBy: termsAcceptedByOf(customer.termsAcceptedBy),
    proofType: customer.proofType as ProofType | null,
    effectiveProofType: resolveProofType(customer.proofType, defaultProofType),
    savedCard: customer.paymentCustomerId && customer.paymentMethodId ? { paymentMethodId: customer.paymentMethodId } : null,
  };
}

function presentContact(contact: Contact) {
  return rowFields(contact, ['id', 'customerId', 'name', 'email', 'phone', 'createdAt']);
}

export const customerRoutes = [
  jsonRoute({
    method: 'post',
    path: '/customers',
    operationId: 'createCustomer',
    tag: 'Customers',
    summary: 'Create a customer (an account)',
    body: createCustomerSchema,
    bodyExample: { name: 'Boulangerie Éclair', email: 'contact@boulangerie-eclair.example', locale: 'fr' },
    response: { status: 201, description: 'The customer', schema: customerSchema },
    handle: async ({ deps, caller, body, createdId }) => (await customerPresenter(deps, caller.tenantId))(await createCustomer(deps.prisma, caller.tenantId, body, createdId('cus'))),
  }),
  jsonRoute({
    method: 'get',
    path: '/customers',
    operationId: 'listCustomers',
    tag: 'Customers',
    summary: 'The customers, newest first; q finds those whose name or email holds it, in any case',
    query: listCustomersQuerySchema,
    response: { status: 200, description: 'A page of customers', schema: customerListSchema },
    handle: async ({ deps, caller, query }) => mapPage(await listCustomers(deps.prisma, caller.tenantId, query), await customerPresenter(deps, caller.tenantId)),
  }),
  jsonRoute({
    method: 'get',
    path: '/customers/:id',
    operationId: 'getCustomer',
    tag: 'Customers',
    summary: 'A customer, with the proof type its proofs use',
    params: idParamsSchema,
    response: { status: 200, description: 'The customer', schema: customerSchema },
    handle: async ({ deps, caller, params }) => (await customerPresenter(deps, caller.tenantId))(await getCustomer(deps.prisma, caller.tenantId, params.id)),
  }),
  jsonRoute({
    method: 'patch',
    path: '/customers/:id',
    operationId: 'updateCustomer',
    tag: 'Customers',
    summary: 'Change a customer; fields not sent keep their value (proofType "default" follows the tenant setting; savedCard attaches the card at the payment provider)',
    params: idParamsSchema,
    body: updateCustomerSchema,
    bodyExample: { phone: '+33612345678', proofType: 'online' },
    problems: ['conflict', 'unprocessable', 'unavailable'],
    response: { status: 200, description: 'The customer after the change', schema: customerSchema },
    handle: async ({ deps, caller, params, body: { savedCard, ...fields } }) => {
      if (savedCard) await saveCustomerCard(deps, caller.tenantId, params.id, savedCard.paymentMethodId);
      return (await customerPresenter(deps, caller.tenantId))(await updateCustomer(deps.prisma, caller.tenantId, params.id, fields));
    },
  }),
  jsonRoute({
    method: 'post',
    path: '/customers/:id/contacts',
    operationId: 'addCustomerContact',
    tag: 'Customers',
    summary: "Add a contact to a customer (someone who receives the customer's documents)",
    params: idParamsSchema,
    body: createContactSchema,
    bodyExample: { name: 'Zoé Müller', email: 'zoe@boulangerie-eclair.example', phone: '+33612345678' },
    response: { status: 201, description: 'The contact', schema: contactSchema },
    handle: async ({ deps, caller, params, body, createdId }) => presentContact(await createContact(deps.prisma, caller.tenantId, params.id, body, createdId('con'))),
  }),
  jsonRoute({
    method: 'get',
    path: '/customers/:id/contacts',
    operationId: 'listCustomerContacts',
    tag: 'Customers',
    summary: "A customer's contacts, in the order they were added",
    params: idParamsSchema,
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of contacts', schema: contactListSchema },
    handle: async ({ deps, caller, params, query }) => mapPage(await listContacts(deps.prisma, caller.tenantId, params.id, query), presentContact),
  }),
];
