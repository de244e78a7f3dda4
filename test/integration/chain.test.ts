/**
 * The commercial chain over real HTTP with the real quote workflow: an accepted quote becomes
 * an order carrying the option the customer chose, the chain shows from the API and from both
 * portal links, a document of another chain stays out of reach, a refused quote does not
 * convert, two documents of one chain converted at once make one invoice, and a duplicate is a
 * fresh draft outside the chain.
 */
import { createAccessLink } from '../../services/db/links';
import { conversionWorkflowId } from '../../workflows/conversion';
import { saveClosedHistory } from '../replay/record';
import { succeeded, type components } from '../support/api';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

async function acceptedQuote(choose: (lineId: string) => boolean) {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail);
  const optional = await stack.prisma.documentLine.findFirstOrThrow({ where: { documentId, optional: true } });
  const options = choose(optional.id) ? [optional.id] : [];
  expect((await postJson(`${sent.url}/accept`, { options })).status).toBe(200);
  return { ...sent, optionalLineId: optional.id };
}

async function portalLinkFor(documentId: string): Promise<string> {
  const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId }, include: { contact: true } });
  const { url } = await createAccessLink(
    stack.prisma,
    { tenantId: document.tenantId, documentId, recipient: { contactId: document.contactId ?? undefined, email: document.contact?.email ?? undefined }, actions: ['view', 'download'] },
    stack.config.publicUrl,
  );
  return url;
}

/** Converts with the tenant's own client; `decisionId`: the request's Idempotency-Key. */
const convert = (id: string, to: components['schemas']['ConvertDocument']['to'], decisionId?: string) =>
  office.api.POST('/v1/documents/{id}/convert', { params: { path: { id }, header: decisionId ? { 'Idempotency-Key': decisionId } : {} }, body: { to } });

/** Sends a document of the chain and waits for its workflow to record it sent. */
async function sendAndWait(id: string): Promise<void> {
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id } }, body: {} }), 202);
  await eventually(async () => ((await office.document(id)).status === 'sent' ? true : undefined), { what: `${id} to be sent` });
}

const eventTypes = async (documentId: string) => (await office.events(documentId)).map((event) => event.type);

it('converts an accepted quote into an order with the chosen option, and shows the chain in the API and on both portal links', async () => {
  const quote = await acceptedQuote(() => true);

  const order = await succeeded(convert(quote.documentId, 'order'), 201);
  expect(order).toMatchObject({ kind: 'order', status: 'draft' });
  expect(order.number).toMatch(/^O-\d{4}-\d{4}$/);
  // Every line of the quote, the chosen option now a firm line.
  expect(order.lines.map((line) => line.description)).toEqual(SAMPLE_LINES.map((line) => line.description));
  expect(order.lines.every((line) => !line.optional)).toBe(true);
  expect(order.totals.net).toBe(500 * 182 + 4500 + Math.round(2.5 * 1999) + 500 * 25);

  const quoteNumber = (await office.document(quote.documentId)).number;
  const expectedChain = [
    { id: quote.documentId, kind: 'quote', number: quoteNumber, status: 'accepted' },
    { id: order.id, kind: 'order', number: order.number, status: 'draft' },
  ];
  expect(order.chain).toEqual(expectedChain);
  expect((await office.document(quote.documentId)).chain).toEqual(expectedChain);
  expect((await office.events(quote.documentId)).find((event) => event.type === 'converted')?.data).toEqual({
    targetId: order.id,
    kind: 'order',
    number: order.number,
  });

  // The order is a draft: the customer's portal neither lists nor opens it, and records nothing.
  // Before, the draft order was listed under the quote and opened from its link.
  expect(await (await fetch(quote.url)).text()).not.toContain(`/chain/${order.id}`);
  const draftPage = await fetch(`${quote.url}/chain/${order.id}`);
  expect(draftPage.status).toBe(404);
  expect(await draftPage.text()).toContain('Document introuvable');
  const draftProblem = await fetch(`${quote.url}/chain/${order.id}`, { headers: { accept: 'application/json' } });
  expect(draftProblem.status).toBe(404);
  expect(draftProblem.headers.get('content-type')).toContain('application/problem+json');
  expect(await eventTypes(order.id)).not.toContain('opened');

  // Sent, it is the customer's: from the quote's link, the chain at the bottom, and the order opens read-only, its open recorded for it.
  await sendAndWait(order.id);
  const quotePage = await (await fetch(quote.url)).text();
  expect(quotePage).toContain(`href="/d/${quote.token}/chain/${order.id}"`);
  const orderFromQuote = await fetch(`${quote.url}/chain/${order.id}`);
  expect(orderFromQuote.status).toBe(200);
  const orderPage = await orderFromQuote.text();
  expect(orderPage).toContain(order.number);
  expect(orderPage).not.toContain('/accept"');
  expect(await eventTypes(order.id)).toContain('opened');

  // From the order's own link: the quote opens too.
  const orderUrl = await portalLinkFor(order.id);
  const orderToken = orderUrl.slice(orderUrl.lastIndexOf('/') + 1);
  expect(await (await fetch(orderUrl)).text()).toContain(`href="/d/${orderToken}/chain/${quote.documentId}"`);
  const quoteFromOrder = await fetch(`${orderUrl}/chain/${quote.documentId}`);
  expect(quoteFromOrder.status).toBe(200);
  expect(await quoteFromOrder.text()).toContain(quoteNumber);

  // The chain holds one order: another conversion (another decision) is refused.
  expect((await convert(quote.documentId, 'order', `again-${quote.documentId}`)).response.status).toBe(409);
});

it('neither lists nor opens a cancelled document of the chain: 410 once the customer had it, as its own link; 404 for a draft cancelled unsent', async () => {
  const quote = await acceptedQuote(() => true);
  const order = await succeeded(convert(quote.documentId, 'order'));
  await sendAndWait(order.id);
  const orderUrl = await portalLinkFor(order.id);
  expect(await (await fetch(quote.url)).text()).toContain(`/chain/${order.id}`);
  await succeeded(office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: order.id } }, body: {} }));
  await eventually(async () => ((await office.document(order.id)).status === 'cancelled' ? true : undefined), { what: 'the order to be cancelled' });
  const eventsBefore = await eventTypes(order.id);

  expect(await (await fetch(quote.url)).text()).not.toContain(`/chain/${order.id}`);
  const gone = await fetch(`${quote.url}/chain/${order.id}`);
  expect(gone.status).toBe(410);
  expect(await gone.text()).toContain('Document annulé');
  const goneProblem = await fetch(`${quote.url}/chain/${order.id}`, { headers: { accept: 'application/json' } });
  expect(goneProblem.status).toBe(410);
  expect(await goneProblem.json()).toMatchObject({ status: 410, detail: expect.stringContaining(order.number) });
  // The same answer as the order's own link gives.
  expect((await fetch(orderUrl)).status).toBe(410);
  expect(await eventTypes(order.id)).toEqual(eventsBefore);

  // A delivery note cancelled while still a draft never reached the customer: not found.
  const note = await succeeded(convert(quote.documentId, 'delivery_note'));
  await succeeded(office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: note.id } }, body: {} }));
  await eventually(async () => ((await office.document(note.id)).status === 'cancelled' ? true : undefined), { what: 'the delivery note to be cancelled' });
  expect((await fetch(`${quote.url}/chain/${note.id}`)).status).toBe(404);
});

it('converts once however often the request is retried: one order, one converted event, the same answer', async () => {
  const quote = await acceptedQuote(() => true);
  const convertQuote = () => convert(quote.documentId, 'order');
  const answers = [await convertQuote(), await convertQuote(), await convertQuote()];
  // Before, each retry was a conversion of its own: 201, then 409 "The chain already has order …".
  expect(answers.map((answer) => answer.response.status)).toEqual([201, 201, 201]);
  const orderId = answers[0]?.data?.id;
  expect(answers.map((answer) => answer.data?.id)).toEqual([orderId, orderId, orderId]);
  expect((await stack.prisma.document.findMany({ where: { sourceDocumentId: quote.documentId } })).map((row) => row.id)).toEqual([orderId]);
  expect((await eventTypes(quote.documentId)).filter((type) => type === 'converted')).toHaveLength(1);
  expect((await eventTypes(orderId as string)).filter((type) => type === 'created')).toHaveLength(1);
  // Made by its conversion workflow, in Temporal for operators to see.
  const conversion = await stack.client.workflow.getHandle(`convert-${quote.documentId}-order`).result();
  expect(conversion).toMatchObject({ outcome: 'converted', documentId: orderId, created: true });
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, conversionWorkflowId(quote.documentId, 'order'), 'conversion-order');
});

it('leaves out the option the customer did not choose', async () => {
  const quote = await acceptedQuote(() => false);
  const order = await succeeded(convert(quote.documentId, 'order'));
  expect(order.lines.map((line) => line.description)).toEqual(SAMPLE_LINES.filter((line) => !line.optional).map((line) => line.description));
});

it('answers 404 for a document of another chain, and records nothing', async () => {
  const mine = await acceptedQuote(() => true);
  const theirs = await acceptedQuote(() => true);
  const theirOrder = await succeeded(convert(theirs.documentId, 'order'));
  await convert(mine.documentId, 'order');
  const before = await eventTypes(theirOrder.id);
  const beforeQuote = await eventTypes(theirs.documentId);

  for (const id of [theirOrder.id, theirs.documentId, 'doc_does-not-exist']) {
    const answer = await fetch(`${mine.url}/chain/${id}`);
    expect(answer.status).toBe(404);
  }
  expect(await eventTypes(theirOrder.id)).toEqual(before);
  expect(await eventTypes(theirs.documentId)).toEqual(beforeQuote);
});

it('refuses to convert a refused quote (409 with the reason) and changes nothing', async () => {
  const { documentId, contactEmail } = await office.createQuote({ lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail);
  expect((await postJson(`${sent.url}/refuse`, { reason: 'Trop cher' })).status).toBe(200);
  // Recorded behind the answer: the run ends once the refusal is written.
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  const eventsBefore = await eventTypes(documentId);
  const documentsBefore = await stack.prisma.document.count({ where: { customerId: (await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).customerId } });

  const answer = await convert(documentId, 'order');
  expect(answer.response.status).toBe(409);
  expect(answer.error?.detail).toBe('The customer refused the quote.');

  const after = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
  expect(after.chainId).toBeNull();
  expect(await stack.prisma.document.count({ where: { customerId: after.customerId } })).toBe(documentsBefore);
  expect(await eventTypes(documentId)).toEqual(eventsBefore);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, conversionWorkflowId(documentId, 'order'), 'conversion-refused');
});

it('refuses a conversion backwards in the chain', async () => {
  const quote = await acceptedQuote(() => true);
  const order = await succeeded(convert(quote.documentId, 'order'));
  const invoice = await succeeded(convert(order.id, 'invoice'), 201);
  expect(invoice.chain.map((link) => link.kind)).toEqual(['quote', 'order', 'invoice']);
  expect((await convert(invoice.id, 'order')).response.status).toBe(409);
});

it('makes one invoice when two documents of one chain are converted to it at once', async () => {
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Brasserie du Port' } }), 201);
  const order = await succeeded(office.api.POST('/v1/documents', { body: { kind: 'order', customerId: customer.id, lines: SAMPLE_LINES } }), 201);
  const deliveryNote = await succeeded(convert(order.id, 'delivery_note'), 201);
  const answers = await Promise.all([convert(order.id, 'invoice'), convert(deliveryNote.id, 'invoice')]);
  expect(answers.map((answer) => answer.response.status).sort()).toEqual([201, 409]);
  const invoice = answers.find((answer) => answer.response.status === 201)?.data;
  expect(invoice?.chain.map((link) => link.kind)).toEqual(['order', 'delivery_note', 'invoice']);
  expect(await stack.prisma.document.count({ where: { chainId: order.id, kind: 'invoice' } })).toBe(1);
});

it('duplicates a document as a new draft with the same lines, its own number, outside the chain', async () => {
  const quote = await acceptedQuote(() => true);
  const source = await office.document(quote.documentId);
  const copy = await succeeded(office.api.POST('/v1/documents/{id}/duplicate', { params: { path: { id: quote.documentId } } }), 201);
  expect(copy).toMatchObject({ kind: 'quote', status: 'draft' });
  expect(copy.id).not.toBe(source.id);
  expect(copy.number).not.toBe(source.number);
  expect(copy.lines.map(({ description, optional }) => ({ description, optional }))).toEqual(
    SAMPLE_LINES.map((line) => ({ description: line.description, optional: line.optional ?? false })),
  );
  expect(copy.chain).toEqual([{ id: copy.id, kind: 'quote', number: copy.number, status: 'draft' }]);
  expect((await office.events(copy.id))[0]).toMatchObject({ type: 'created', data: { duplicateOf: { id: source.id, number: source.number } } });
});

it('converts to an order by itself on acceptance when the tenant asks for it (autoConvertToOrder)', async () => {
  const automatic = await backOffice(stack);
  expect((await automatic.api.PATCH('/v1/settings', { body: { autoConvertToOrder: true } })).response.status).toBe(200);
  const { documentId, contactEmail } = await automatic.createQuote({ lines: SAMPLE_LINES });
  const sent = await automatic.sendQuote(documentId, contactEmail);
  const optional = await stack.prisma.documentLine.findFirstOrThrow({ where: { documentId, optional: true } });
  expect((await postJson(`${sent.url}/accept`, { options: [optional.id] })).status).toBe(200);

  const chain = await eventually(
    async () => {
      const quote = await automatic.document(documentId);
      return quote.chain.length === 2 ? quote.chain : undefined;
    },
    { what: 'the order made on acceptance' },
  );
  expect(chain.map((link) => [link.kind, link.status])).toEqual([
    ['quote', 'accepted'],
    ['order', 'draft'],
  ]);
  const order = await automatic.document(chain[1]?.id ?? '');
  expect(order.lines.map((line) => line.description)).toEqual(SAMPLE_LINES.map((line) => line.description));
  // The order is committed before the quote's trail records the conversion: wait for the event, then count.
  const trail = await eventually(async () => {
    const events = await automatic.events(documentId);
    return events.some((event) => event.type === 'converted') ? events : undefined;
  }, { what: 'the converted event' });
  expect(trail.filter((event) => event.type === 'converted')).toHaveLength(1);
});
