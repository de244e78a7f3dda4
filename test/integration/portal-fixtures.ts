/**
 * Quotes as a back office makes them, through the real API, sent through the real workflow,
 * and the customer's link read from the email the local outbox received — what the portal
 * tests start from.
 */
import { randomBytes } from 'node:crypto';
import type { Stack } from '../support/stack';
import { apiClient, type ApiCall } from './api-http';
import { eventually } from '../support/eventually';
import { type components, documentEvents, greenlightClient, type GreenlightClient, succeeded } from '../support/api';
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
  /** The tenant's typed client (test/support/api.ts). */
  api: GreenlightClient;
  /** Requests sent as written, outside the typed client: only for what the document deliberately does not allow (a wrong type, an unknown value). */
  raw: ApiCall;
  /** `validUntil`: when the quote's validity ends (30 days from now when absent). */
  /** `deposit`, `depositPolicy`: a deposit asked with the yes (domain/deposit.ts). */
  createQuote(options: {
    locale?: string;
    lines: LineInput[];
    title?: string;
    customerName?: string;
    validUntil?: Date;
    deposit?: components['schemas']['DepositInput'];
    depositPolicy?: components['schemas']['DepositPolicy'];
  }): Promise<{ documentId: string; contactEmail: string }>;
  /** `body`: the send request's options (`requireSignature`, ...). */
  sendQuote(documentId: string, contactEmail: string, body?: components['schemas']['SendDocument']): Promise<SentQuote>;
  events(documentId: string): Promise<components['schemas']['AuditEvent'][]>;
  document(documentId: string): Promise<components['schemas']['Document']>;
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
  const api = greenlightClient(stack.baseUrl, apiKey);
  const documentOf = (id: string) => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id } } }), 200);
  const seller = await succeeded(api.POST('/v1/users', { body: { name: 'Jeanne Martin', email: `jeanne-${unique()}@lumiere.test` } }), 201);

  return {
    api,
    raw: apiClient(stack.baseUrl, apiKey),
    async createQuote({ locale, lines, title, customerName, validUntil, deposit, depositPolicy }) {
      const contactEmail = `buyer-${unique()}@customer.test`;
      const customer = await succeeded(api.POST('/v1/customers', { body: { name: customerName ?? 'Åsa Öberg AB', ...(locale ? { locale } : {}) } }), 201);
      const contact = await succeeded(
        api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Zoë Dupré', email: contactEmail } }),
        201,
      );
      const document = await succeeded(
        api.POST('/v1/documents', {
          body: {
            kind: 'quote',
            customerId: customer.id,
            contactId: contact.id,
            assigneeId: seller.id,
            title: title ?? 'Brochures de printemps',
            number: `DEV-${unique()}`,
            lines,
            validUntil: (validUntil ?? new Date(Date.now() + 30 * 24 * 3600_000)).toISOString(),
            ...(deposit ? { deposit } : {}),
            ...(depositPolicy ? { depositPolicy } : {}),
          },
        }),
        201,
      );
      return { documentId: document.id, contactEmail };
    },
    async sendQuote(documentId, contactEmail, body = {}) {
      await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body }), 202);
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
    events: (id) => documentEvents(api, id),
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
