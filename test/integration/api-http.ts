/**
 * What the api-*.test.ts files share: a raw HTTP caller for the back-office API (JSON in,
 * status + headers + parsed body out) for the requests the typed client (test/support/api.ts)
 * cannot or must not send — malformed JSON, wrong types, unknown fields, bad credentials — and
 * the tenant's footprint in the database, to prove that a refused request changed nothing.
 */
import type { PrismaClient } from '../../platform/db';
import { greenlightClient, succeeded } from '../support/api';
import type { Stack } from '../support/stack';

export interface ApiAnswer {
  status: number;
  contentType: string;
  headers: Headers;
  // Tests read whatever the route answers; the schemas are checked by the server itself.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CallOptions {
  /** Sent as is instead of JSON.stringify(body): for malformed JSON. */
  rawBody?: string;
  idempotencyKey?: string;
  /** Overrides the client's key; null sends no Authorization header. */
  token?: string | null;
}

export type ApiCall = (method: string, path: string, body?: unknown, options?: CallOptions) => Promise<ApiAnswer>;

export function apiClient(baseUrl: string, apiKey?: string): ApiCall {
  return async (method, path, body, options = {}) => {
    const token = options.token === undefined ? apiKey : options.token;
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const payload = options.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    return {
      status: response.status,
      contentType,
      headers: response.headers,
      body: /json/.test(contentType) && text ? JSON.parse(text) : text,
    };
  };
}

/** Row counts of everything a tenant owns (and of stored idempotent answers). */
export async function tenantFootprint(prisma: PrismaClient, tenantId: string): Promise<Record<string, number>> {
  const where = { tenantId };
  const [users, customers, contacts, documents, lines, events, links, idempotentAnswers, documentsTouched] = await Promise.all([
    prisma.user.count({ where }),
    prisma.customer.count({ where }),
    prisma.contact.count({ where }),
    prisma.document.count({ where }),
    prisma.documentLine.count({ where: { document: where } }),
    prisma.auditEvent.count({ where }),
    prisma.accessLink.count({ where }),
    prisma.idempotentRequest.count({ where: { scope: tenantId } }),
    prisma.document.aggregate({ where, _max: { updatedAt: true } }),
  ]);
  return {
    users,
    customers,
    contacts,
    documents,
    lines,
    events,
    links,
    idempotentAnswers,
    lastDocumentUpdate: documentsTouched._max.updatedAt?.getTime() ?? 0,
  };
}

/** A tenant with one customer, contact and salesperson: what most document tests start from. */
export async function seedTenant(stack: Stack, name?: string) {
  const { tenantId, apiKey } = await stack.createTenant(name);
  const api = greenlightClient(stack.baseUrl, apiKey);
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Boulangerie Éléonore', email: 'contact@eleonore.fr', locale: 'fr' } }), 201);
  const contact = await succeeded(
    api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Éléonore Dupré', email: 'eleonore@eleonore.fr' } }),
    201,
  );
  const user = await succeeded(api.POST('/v1/users', { body: { name: 'Sam Seller', email: 'sam@print.example', notify: { viewed: ['email'], decided: ['email'] } } }), 201);
  /** `api`: the typed client; `call`: raw, for what the document deliberately does not allow. */
  return { tenantId, apiKey, api, call: apiClient(stack.baseUrl, apiKey), customerId: customer.id, contactId: contact.id, userId: user.id };
}

export const PROBLEM_JSON = /^application\/problem\+json/;

/** Starting outbox, worker and API takes seconds on a busy 2-core machine. */
export const STACK_START_TIMEOUT_MS = 120_000;
