/**
 * Who hears of what over one quote's whole story, read from the outbox as the people would
 * read their mailboxes and phones: the customer gets the quote, then the confirmation of their
 * acceptance; the salesperson, who asked only for decisions by text as well (the defaults for the
 * rest), hears of the customer's message and of the acceptance by email, of the acceptance by
 * SMS, and not of the view. Nothing else, and nothing twice — though every email's first
 * delivery loses its answer (the provider took it, the connection dropped), so every email
 * activity is retried with the same idempotency key.
 */
import { createResendMailer, type Mailer } from '../../services/notify/mailer';
import { saveClosedHistory } from '../replay/record';
import { DeliveryError } from '../../services/notify/delivery-error';
import { messageNotificationWorkflowId } from '../../workflows/conversation';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { postPortalDecision } from '../support/http';
import { recipientsOf } from '../support/outbox';
import { PHONE_BROWSER_AGENT, reportSeen, viewIdOf } from '../support/page-views';
import { emailTo, portalLinkIn } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { quoteRunOver } from '../support/quote-run';

let stack: Stack;
let api: GreenlightClient;
/** Idempotency keys whose first delivery lost its answer: each is an activity that had to be retried. */
const lostAnswers = new Set<string>();

/** The stack's outbox through the Resend SDK, as always, but the first answer for each key is lost after the delivery. */
const answerLosingMailer: Mailer = {
  async send(message) {
    const sent = await createResendMailer({ apiKey: '', baseUrl: stack.outboxUrl }).send(message);
    if (!lostAnswers.has(message.idempotencyKey)) {
      lostAnswers.add(message.idempotencyKey);
      throw new DeliveryError('email', 'connection_reset', null, 'the connection dropped before the answer', true);
    }
    return sent;
  },
};

beforeAll(async () => {
  stack = await startStack({ mailer: answerLosingMailer });
  const tenant = await stack.createTenant('Imprimerie Durand');
  api = greenlightClient(stack.baseUrl, tenant.apiKey);
}, 120_000);
afterAll(() => stack?.close());

it('fills the outbox with exactly the emails and texts of one quote’s story, each once, though every email delivery was retried', async () => {
  const tag = Math.random().toString(36).slice(2, 8);
  const sellerEmail = `camille.${tag}@imprimerie-durand.example`;
  const customerEmail = `zoe.${tag}@boulangerie-eclair.example`;
  // Decisions by email and SMS; the defaults for the rest (messages and payments by email; views off).
  const seller = await succeeded(api.POST('/v1/users', { body: { name: 'Camille Durand', email: sellerEmail, phone: '+33 6 98 76 54 32', notify: { decided: ['email', 'sms'] } } }));
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Boulangerie Éclair', email: customerEmail, locale: 'fr' } }));
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Zoé Müller', email: customerEmail } }));
  const quote = await succeeded(
    api.POST('/v1/documents', {
      body: {
        kind: 'quote',
        customerId: customer.id,
        contactId: contact.id,
        assigneeId: seller.id,
        title: 'Flyers — printemps',
        lines: [{ description: 'Flyers A5 recto-verso, 135 g', quantity: 1000, unitPrice: 9, taxRate: 20 }],
      },
    }),
  );
  const documentNow = () => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: quote.id } } }));

  // Sent: the customer reads the email and opens its link; a person reads the page (viewed).
  expect((await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.id } }, body: {} })).response.status).toBe(202);
  const link = portalLinkIn(await emailTo(stack.readOutbox, customerEmail), stack.config.publicUrl);
  await eventually(async () => ((await documentNow()).status === 'sent' ? true : undefined), { what: 'the quote sent' });
  const page = await (await fetch(link, { headers: { 'user-agent': PHONE_BROWSER_AGENT } })).text();
  expect((await reportSeen(link, viewIdOf(page))).status).toBe(200);
  await eventually(async () => ((await documentNow()).status === 'viewed' ? true : undefined), { what: 'the quote viewed' });

  // A question, then the acceptance.
  const written = await fetch(`${link}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ body: 'Pouvez-vous livrer vendredi ?' }),
  });
  expect(written.status).toBe(201);
  const message = (await written.json()) as { id: string };
  expect(await postPortalDecision(link, 'accept', { decisionId: `story-${quote.id}` })).toMatchObject({ status: 200, body: { status: 'accepted' } });

  // Every notice is done once the quote's workflow and the message's have closed (the story waits for its notices).
  await quoteRunOver(stack, quote.id);
  await stack.client.workflow.getHandle(messageNotificationWorkflowId(message.id, 'assignee')).result();

  const mine = (await stack.readOutbox()).filter((email) => [sellerEmail, customerEmail].some((address) => recipientsOf(email).includes(address)));
  const mailbox = (address: string) =>
    mine
      .filter((email) => recipientsOf(email).includes(address))
      .map((email) => email.subject)
      .reverse();
  expect(mailbox(customerEmail)).toEqual([`Devis ${quote.number} — Imprimerie Durand`, `Devis ${quote.number} accepté\u202f: merci\u202f! — Imprimerie Durand`]);
  expect(mailbox(sellerEmail)).toEqual([`Nouveau message de Zoé Müller sur ${quote.number}`, `Devis ${quote.number} accepté par Zoé Müller`]);
  expect(mine).toHaveLength(4);
  // The one text: the acceptance, to the salesperson's mobile (stored in E.164).
  const texts = (await stack.readOutbox()).filter((entry) => recipientsOf(entry).includes('+33698765432'));
  expect(texts.map((text) => text.text)).toEqual([expect.stringMatching(new RegExp(`^Devis ${quote.number} accepté par Zoé Müller`))]);

  // Each of the four was delivered, its answer lost, and its activity retried with the same key: the outbox kept one.
  const keysOfThisStory = [...lostAnswers].filter((key) => key.includes(quote.id) || key.includes(message.id));
  expect(keysOfThisStory).toHaveLength(4);
  const history = await stack.client.workflow.getHandle(`quote-${quote.id}`).fetchHistory();
  const retried = (history.events ?? []).filter((event) => event.activityTaskStartedEventAttributes && Number(event.activityTaskStartedEventAttributes.attempt) > 1);
  expect(retried.length).toBeGreaterThanOrEqual(3);
  // A quote accepted with its confirmation (patch customer-confirmations), its emails retried: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(stack.client.workflow, `quote-${quote.id}`, 'quote-accepted-confirmed');
  }
});
