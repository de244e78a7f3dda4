/**
 * The conversation on a document over real HTTP: a customer with no colleague in the loop
 * writes from the portal and the assignee hears of it on the channels their preferences
 * name (email and SMS, both in the local outbox); the seller answers, notifying the
 * customer by email; an internal note never reaches the portal, page or JSON.
 */
import { randomBytes } from 'node:crypto';
import escapeHtml from 'escape-html';
import { factWorkflowId } from '../../workflows/fact';
import { messageNotificationWorkflowId } from '../../workflows/conversation';
import { saveClosedHistory } from '../replay/record';
import { type components, documentMessages, succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

const unique = () => randomBytes(4).toString('hex');

/** A quote assigned to a salesperson who wants messages by email and SMS, sent to its only contact. */
async function sentQuoteWithAttentiveAssignee() {
  const assignee = { email: `lea-${unique()}@lumiere.test`, phone: `+4670${Math.floor(1_000_000 + Math.random() * 8_999_999)}` };
  const user = await succeeded(office.api.POST('/v1/users', { body: { name: 'Léa Berg', ...assignee, notify: { message: ['email', 'sms'] } } }));
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  await stack.prisma.document.update({ where: { id: documentId }, data: { assigneeId: user.id } });
  return { ...(await office.sendQuote(documentId, contactEmail)), assignee };
}

const messagesOf = (id: string) => documentMessages(office.api, id);
const writeMessage = (id: string, body: components['schemas']['CreateMessage']) => office.api.POST('/v1/documents/{id}/messages', { params: { path: { id } }, body });

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

it('notifies the assignee of a customer message by email and SMS, and keeps internal notes off the portal', async () => {
  const quote = await sentQuoteWithAttentiveAssignee();

  // The customer writes with the page's form (CSRF field and one-time id), twice by mistake.
  const page = await (await fetch(quote.url)).text();
  const fields = { ...formFields(page, 'messages'), body: 'Could the flyers be ready by Friday?' };
  const written = await postForm(`${quote.url}/messages`, fields);
  expect(written.status).toBe(200);
  expect(await written.text()).toContain(escapeHtml('Could the flyers be ready by Friday?'));
  expect((await postForm(`${quote.url}/messages`, fields)).status).toBe(200);

  const email = await eventually(
    async () => (await stack.readOutbox()).find((message) => recipientsOf(message).includes(quote.assignee.email) && message.subject.includes('message')),
    { what: 'the email to the assignee' },
  );
  expect(email.text).toContain('Could the flyers be ready by Friday?');
  const sms = await eventually(
    async () => (await stack.readOutbox()).find((message) => recipientsOf(message).includes(quote.assignee.phone)),
    { what: 'the SMS to the assignee' },
  );
  expect(sms.text).toContain('message');
  const messageEvents = (await office.events(quote.documentId)).filter((event) => event.type === 'message');
  expect(messageEvents).toHaveLength(1);
  expect(messageEvents[0]?.actor).toMatch(/^customer:/);

  // The seller answers the customer, and writes a note for the team only.
  const answer = await writeMessage(quote.documentId, { body: 'Yes, Friday noon.', notifyCustomer: true });
  expect(answer.response.status).toBe(201);
  const note = await writeMessage(quote.documentId, { body: 'Secret: margin is thin, do not discount', internal: true });
  expect(note.response.status).toBe(201);
  expect(note.data?.internal).toBe(true);
  expect((await writeMessage(quote.documentId, { body: 'x', internal: true, notifyCustomer: true })).response.status).toBe(422);

  const sellerView = await messagesOf(quote.documentId);
  expect(sellerView.map((message) => [message.author, message.internal])).toEqual([
    ['customer', false],
    ['seller', false],
    ['seller', true],
  ]);

  const notice = await eventually(
    async () => (await stack.readOutbox()).find((message) => recipientsOf(message).includes(quote.contactEmail) && message.text?.includes('Yes, Friday noon.')),
    { what: "the customer's notice of the seller's answer" },
  );
  expect(notice.links.some((link) => link.startsWith(`${stack.baseUrl}/d/`))).toBe(true);

  const portalPage = await (await fetch(quote.url)).text();
  expect(portalPage).toContain('Yes, Friday noon.');
  expect(portalPage).not.toContain('Secret');
  const portalJson = await fetch(`${quote.url}/messages`, { headers: { accept: 'application/json' } });
  expect(portalJson.status).toBe(200);
  const json = await portalJson.text();
  expect(json).toContain('Yes, Friday noon.');
  expect(json).not.toContain('Secret');
  expect(json).not.toContain('internal');
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    const customerMessageId = sellerView[0]!.id;
    await saveClosedHistory(stack.client.workflow, factWorkflowId(`message:${customerMessageId}`), 'fact-customer-message');
    await saveClosedHistory(stack.client.workflow, messageNotificationWorkflowId(customerMessageId, 'assignee'), 'message-notification-assignee');
    await saveClosedHistory(stack.client.workflow, messageNotificationWorkflowId(answer.data!.id, 'customer'), 'message-notification-customer');
  }
});

it('takes a JSON message without a CSRF field, and refuses a form without one', async () => {
  const quote = await sentQuoteWithAttentiveAssignee();
  const json = await fetch(`${quote.url}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ body: 'Hello from an app' }),
  });
  expect(json.status).toBe(201);
  expect(await json.json()).toMatchObject({ author: 'customer', body: 'Hello from an app' });

  const forged = await postForm(`${quote.url}/messages`, { body: 'Forged', decisionId: crypto.randomUUID() });
  expect(forged.status).toBe(403);
  const stored = await messagesOf(quote.documentId);
  expect(stored.map((message) => message.body)).toEqual(['Hello from an app']);
});
