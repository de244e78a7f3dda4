/**
 * The people and the quote of the integration stories, created through the API as a print
 * shop's back office would: a salesperson who wants emails on views and decisions, a
 * customer (French, with accents) and its contact, and a two-line quote assigned to the
 * salesperson.
 */
import { succeeded, type GreenlightClient } from './api';
import type { OutboxEmail } from './outbox';
import { recipientsOf } from './outbox';
import { eventually } from './eventually';

export interface QuoteScenario {
  userEmail: string;
  contactEmail: string;
  userId: string;
  customerId: string;
  contactId: string;
  documentId: string;
  number: string;
}

/** Mobiles for the SMS stories: the salesperson's (and the channels of their notices), the contact's. */
export interface ScenarioPhones {
  user?: { phone: string; notify: Record<string, ('email' | 'sms')[]> };
  contactPhone?: string;
}

export async function createQuoteScenario(api: GreenlightClient, tag = Math.random().toString(36).slice(2, 8), phones: ScenarioPhones = {}): Promise<QuoteScenario> {
  const userEmail = `camille.${tag}@imprimerie-durand.example`;
  const contactEmail = `zoe.${tag}@boulangerie-eclair.example`;
  const notify = { viewed: ['email' as const], decided: ['email' as const], ...phones.user?.notify };
  const user = await succeeded(api.POST('/v1/users', { body: { name: 'Camille Durand', email: userEmail, notify, ...(phones.user ? { phone: phones.user.phone } : {}) } }));
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Boulangerie Éclair', email: contactEmail, locale: 'fr' } }));
  const contact = await succeeded(
    api.POST('/v1/customers/{id}/contacts', {
      params: { path: { id: customer.id } },
      body: { name: 'Zoé Müller', email: contactEmail, ...(phones.contactPhone ? { phone: phones.contactPhone } : {}) },
    }),
  );
  const quote = await succeeded(
    api.POST('/v1/documents', {
      body: {
        kind: 'quote',
        customerId: customer.id,
        contactId: contact.id,
        assigneeId: user.id,
        title: 'Flyers et affiches — printemps',
        lines: [
          { description: 'Flyers A5 recto-verso, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 },
          { description: 'Affiches A2, papier satiné', quantity: 25, unitPrice: 450, taxRate: 20 },
        ],
      },
    }),
  );
  return { userEmail, contactEmail, userId: user.id, customerId: customer.id, contactId: contact.id, documentId: quote.id, number: quote.number };
}

/** The first email the outbox holds for `recipient` that matches, once it has arrived. */
export function emailTo(readOutbox: () => Promise<OutboxEmail[]>, recipient: string, matches: (email: OutboxEmail) => boolean = () => true): Promise<OutboxEmail> {
  return eventually(
    async () => (await readOutbox()).find((email) => recipientsOf(email).includes(recipient) && matches(email)),
    { what: `an email to ${recipient}` },
  );
}

/** The portal link (`<PUBLIC_URL>/d/<token>`) in an email. */
export function portalLinkIn(email: OutboxEmail, publicUrl: string): string {
  const page = new RegExp(`^${publicUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/d/[A-Za-z0-9_-]+$`);
  const link = email.links.find((url) => page.test(url));
  if (!link) throw new Error(`no portal link in "${email.subject}": ${email.links.join(', ')}`);
  return link;
}
