/**
 * Orders and delivery notes answered online (seed 002) over real HTTP, with the real
 * workflows, worker, database and outbox: an order made from an accepted quote is sent, its
 * email and PDF say "order", its emailed link opens it with accept and refuse (never hold),
 * and the customer's answer (JSON or form) reaches the API with its events in order; a
 * delivery note is refused with a reason; hold on an order is refused and changes nothing.
 */
import { documentWorkflowId } from '../../workflows/messages/document';
import { saveClosedHistory } from '../replay/record';
import { pdfText } from '../support/pdf-text';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { succeeded, type components } from '../support/api';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

type DocumentBody = components['schemas']['Document'];

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

/** A French customer's quote, sent and accepted on the portal, converted to an order (a draft). */
async function orderFromAcceptedQuote(): Promise<DocumentBody> {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const quote = await office.sendQuote(documentId, contactEmail);
  expect((await postJson(`${quote.url}/accept`, {})).status).toBe(200);
  return succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: documentId } }, body: { to: 'order' } }), 201);
}

/** Sends the document and reads its email (the one naming its number) and the portal link in it. */
async function send(document: DocumentBody) {
  const answer = await office.api.POST('/v1/documents/{id}/send', { params: { path: { id: document.id } }, body: {} });
  expect(answer.response.status).toBe(202);
  expect(answer.data).toEqual({ status: 'sent' });
  const email = await eventually(async () => (await stack.readOutbox()).find((candidate) => candidate.subject.includes(document.number)), {
    what: `the email of ${document.number}`,
  });
  await eventually(async () => ((await office.document(document.id)).status === 'sent' ? true : undefined), { what: `${document.number} to be sent` });
  const url = email.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
  if (!url) throw new Error(`no portal link in ${email.subject}`);
  return { email, url };
}

const eventTypes = async (documentId: string) => (await office.events(documentId)).map((event) => event.type);

it('sends an order made from an accepted quote; the customer opens it and accepts it (JSON)', async () => {
  const order = await orderFromAcceptedQuote();
  const { email, url } = await send(order);

  // The email, the PDF and the page say what the document is: an order, not a quote.
  expect(email.subject).toContain('Bon de commande');
  expect(`${email.subject} ${email.text}`).not.toMatch(/devis/i);
  const described = await stack.client.workflow.getHandle(`order-${order.id}`).describe();
  expect(described.type).toBe('acceptanceWorkflow');

  const page = await (await fetch(url)).text();
  expect(page).toContain(order.number);
  expect(page).toContain('Accepter le bon de commande');
  expect(page).toContain('Refuser le bon de commande');
  expect(page).toMatch(/action="[^"]*\/accept"/);
  expect(page).toMatch(/action="[^"]*\/refuse"/);
  expect(page).not.toMatch(/action="[^"]*\/(hold|sign)"/);

  const pdf = await fetch(`${url}/pdf`);
  expect(pdf.status).toBe(200);
  const text = pdfText(new Uint8Array(await pdf.arrayBuffer()));
  expect(text).toContain('Bon de commande');
  expect(text).not.toContain('Devis');

  const accepted = await postJson(`${url}/accept`, { decisionId: 'order-accept-0001' });
  expect(accepted.status).toBe(200);
  expect(await accepted.json()).toEqual({ status: 'accepted', decisionId: 'order-accept-0001' });

  // The read model follows the workflow; the trail tells the story in order.
  await eventually(async () => ((await office.document(order.id)).status === 'accepted' ? true : undefined), { what: 'the order accepted' });
  const types = await eventTypes(order.id);
  // Whoever decides has read the page: the view is confirmed just before the answer.
  expect(types.filter((type) => ['sent', 'viewed', 'downloaded', 'accepted'].includes(type))).toEqual(['sent', 'downloaded', 'viewed', 'accepted']);
  const events = await office.events(order.id);
  expect(events.find((event) => event.type === 'accepted')?.actor).toMatch(/^customer:/);

  // Taken once: the same decision id answers the same, a new one is refused with the kind's reason.
  expect(await (await postJson(`${url}/accept`, { decisionId: 'order-accept-0001' })).json()).toEqual({ status: 'accepted', decisionId: 'order-accept-0001' });
  const again = await postJson(`${url}/refuse`, {});
  expect(again.status).toBe(409);
  expect(((await again.json()) as { detail: string }).detail).toBe('The order is already accepted');
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, documentWorkflowId('order', order.id), 'acceptance-order-accepted-actions-behind');
});

it('takes an order accepted from the HTML form, and shows it accepted', async () => {
  const order = await orderFromAcceptedQuote();
  const { url } = await send(order);
  const page = await (await fetch(url)).text();
  const answer = await fetch(`${url}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(formFields(page, 'accept')).toString(),
  });
  expect(answer.status).toBe(200);
  const answered = await answer.text();
  expect(answered).toContain('Votre acceptation a bien été enregistrée');
  expect(answered).not.toMatch(/action="[^"]*\/(accept|refuse)"/);
  await eventually(async () => ((await office.document(order.id)).status === 'accepted' ? true : undefined), { what: 'the order accepted' });
  expect(await eventTypes(order.id)).toEqual(expect.arrayContaining(['sent', 'viewed', 'accepted']));
});

it('takes a delivery note refused with a reason', async () => {
  const order = await orderFromAcceptedQuote();
  const note = await succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: order.id } }, body: { to: 'delivery_note' } }), 201);
  const { email, url } = await send(note);
  expect(email.subject).toContain('Bon de livraison');
  expect(await (await fetch(url)).text()).toContain('Refuser le bon de livraison');

  const refused = await postJson(`${url}/refuse`, { reason: 'Colis abîmé à la livraison' });
  expect(refused.status).toBe(200);
  expect(((await refused.json()) as { status: string }).status).toBe('refused');
  await eventually(async () => ((await office.document(note.id)).status === 'refused' ? true : undefined), { what: 'the delivery note refused' });
  const events = await office.events(note.id);
  expect(events.find((event) => event.type === 'refused')?.data).toMatchObject({ reason: 'Colis abîmé à la livraison' });
  expect(events.map((event) => event.type).filter((type) => type === 'sent' || type === 'refused')).toEqual(['sent', 'refused']);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, documentWorkflowId('delivery_note', note.id), 'acceptance-delivery-note-refused');
});

it('refuses hold on an order with the reason (409) and changes nothing', async () => {
  const order = await orderFromAcceptedQuote();
  const { url } = await send(order);
  const before = { status: (await office.document(order.id)).status, events: await eventTypes(order.id) };

  const held = await postJson(`${url}/hold`, {});
  expect(held.status).toBe(409);
  expect(((await held.json()) as { detail: string }).detail).toBe('Only quotes can be put on hold');

  expect((await office.document(order.id)).status).toBe(before.status);
  expect(await eventTypes(order.id)).toEqual(before.events);
  const state = await stack.client.workflow.getHandle(`order-${order.id}`).query<{ status: string }>('state');
  expect(state.status).toBe('sent');
});

it('cancels a sent order from the back office; the customer can no longer answer', async () => {
  const order = await orderFromAcceptedQuote();
  const { url } = await send(order);
  const cancelled = await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: order.id } }, body: { reason: 'Commande passée en double' } });
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data).toMatchObject({ status: 'cancelled' });
  await eventually(async () => ((await office.document(order.id)).status === 'cancelled' ? true : undefined), { what: 'the order to be cancelled' });
  // A cancelled document's link is gone (410), whatever it is asked.
  const accepted = await postJson(`${url}/accept`, {});
  expect(accepted.status).toBe(410);
  expect(await accepted.json()).toMatchObject({ type: 'https://greenlight.dev/problems/document-cancelled', detail: expect.stringContaining(order.number) });
  expect(await eventTypes(order.id)).not.toContain('accepted');
});
