/**
 * Quotes as a back office makes them, through the real API, sent through the real workflow,
 * and the customer's link read from the email the local outbox received — what the portal
 * tests start from.
 */
import { randomBytes } from 'node:crypto';
import type { Stack } from '../support/stack';
import { eventually } from '../support/eventually';
import { ApiClient } from '../support/http';
import { recipientsOf } from '../support/outbox';

export interface LineInput {
  description: string;
  quantity: number;
  unitPrice: number;
  taxRate?: number;
  optional?: boolean;
}

export interface SentQuote {
  documentId: string;
  /** The portal URL the email carries. */
  url: string;
  token: string;
  contactEmail: string;
}

export interface BackOffice {
  call<T = unknown>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  /** A GET answering a file (PDF), as bytes. */
  download(path: string): Promise<{ status: number; bytes: Uint8Array }>;
  /** `validUntil`: when the quote's validity ends (30 days from now when absent). */
  createQuote(options: { locale?: string; lines: LineInput[]; title?: string; customerName?: string; validUntil?: Date }): Promise<{ documentId: string; contactEmail: string }>;
  /** `body`: the send request's options (`requireSignature`, ...). */
  sendQuote(documentId: string, contactEmail: string, body?: Record<string, unknown>): Promise<SentQuote>;
  events(documentId: string): Promise<{ type: string; actor: string; data: Record<string, unknown> }[]>;
  document(documentId: string): Promise<DocumentSeenByOffice>;
}

export interface DocumentSeenByOffice {
  status: string;
  viewCount: number;
  downloadCount: number;
  lastViewedAt: string | null;
  totals: { net: number; tax: number; gross: number; currency: string };
  lines: { id: string; optional: boolean; selected: boolean }[];
}

export const SAMPLE_LINES: LineInput[] = [
  { description: 'Brochure A4, 16 pages, couché mat 135 g', quantity: 500, unitPrice: 182, taxRate: 20 },
  { description: 'Calage et BAT', quantity: 1, unitPrice: 4500, taxRate: 20 },
  { description: 'Livres reliés', quantity: 2.5, unitPrice: 1999, taxRate: 5.5 },
  { description: 'Pelliculage soft-touch', quantity: 500, unitPrice: 25, taxRate: 20, optional: true },
];

const unique = () => randomBytes(5).toString('hex');

export async function backOffice(stack: Stack): Promise<BackOffice> {
  const { apiKey } = await stack.createTenant(`Imprimerie Lumière ${unique()}`);
  const api = new ApiClient(stack.baseUrl, apiKey);
  const call = <T>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => api.call<T>(method, path, body, headers);
  const expectStatus = <T>(answer: { status: number; body: T }, status: number, what: string): T => {
    if (answer.status !== status) throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const documentOf = async (documentId: string) =>
    expectStatus(
      await call<DocumentSeenByOffice>('GET', `/v1/documents/${documentId}`),
      200,
      'GET document',
    );
  const seller = expectStatus(await call<{ id: string }>('POST', '/v1/users', { name: 'Jeanne Martin', email: `jeanne-${unique()}@lumiere.test` }), 201, 'POST /v1/users');

  return {
    call,
    async download(path) {
      const response = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${apiKey}` } });
      return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()) };
    },
    async createQuote({ locale, lines, title, customerName, validUntil }) {
      const contactEmail = `buyer-${unique()}@customer.test`;
      const customer = expectStatus(
        await call<{ id: string }>('POST', '/v1/customers', { name: customerName ?? 'Åsa Öberg AB', ...(locale ? { locale } : {}) }),
        201,
        'POST /v1/customers',
      );
      const contact = expectStatus(
        await call<{ id: string }>('POST', `/v1/customers/${customer.id}/contacts`, { name: 'Zoë Dupré', email: contactEmail }),
        201,
        'POST contacts',
      );
      const document = expectStatus(
        await call<{ id: string }>('POST', '/v1/documents', {
          kind: 'quote',
          customerId: customer.id,
          contactId: contact.id,
          assigneeId: seller.id,
          title: title ?? 'Brochures de printemps',
          number: `DEV-${unique()}`,
          lines,
          validUntil: (validUntil ?? new Date(Date.now() + 30 * 24 * 3600_000)).toISOString(),
        }),
        201,
        'POST /v1/documents',
      );
      return { documentId: document.id, contactEmail };
    },
    async sendQuote(documentId, contactEmail, body = {}) {
      expectStatus(await call('POST', `/v1/documents/${documentId}/send`, body), 202, 'POST send');
      const url = await eventually(
        async () => {
          const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).some((to) => to.includes(contactEmail)));
          return email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
        },
        { what: `the email to ${contactEmail} with its portal link` },
      );
      // The email goes out before the workflow records it: wait for the trail to settle.
      await eventually(async () => ((await documentOf(documentId)).status === 'sent' ? true : undefined), { what: 'the quote to be sent' });
      return { documentId, url, token: url.slice(`${stack.baseUrl}/d/`.length), contactEmail };
    },
    async events(documentId) {
      return expectStatus(await call<{ type: string; actor: string; data: Record<string, unknown> }[]>('GET', `/v1/documents/${documentId}/events`), 200, 'GET events');
    },
    document: documentOf,
  };
}

/** The hidden fields of one of the page's forms, as a browser would submit them. */
export function formFields(page: string, decision: string): Record<string, string> {
  const form = new RegExp(`<form method="post" action="[^"]*/${decision}">([\\s\\S]*?)</form>`).exec(page);
  if (!form?.[1]) throw new Error(`the page has no ${decision} form`);
  const fields: Record<string, string> = {};
  for (const match of form[1].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[match[1] as string] = match[2] as string;
  }
  return fields;
}
