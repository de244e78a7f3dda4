/**
 * What the seller records of what happened away from the portal (seed 003: "Om kunden ringer in
 * eller lämnar godkännande över disk"), over HTTP with the real API, worker, Temporal and
 * PostgreSQL: a quote's answer given by phone or at the counter, taken by the quote's workflow
 * as the customer's decision; an invoice's payment received by transfer or cheque, counted by
 * the invoice's workflow; the due date of an invoice made from an order; a new request's status.
 */
import { succeeded, type components } from '../support/api';
import { eventually } from '../support/eventually';
import { createInvoice } from '../support/payments';
import { pdfText } from '../support/pdf-text';
import { saveClosedHistory } from '../replay/record';
import { startStack, type Stack } from '../support/stack';
import { startReceiver, type Receiver } from '../support/webhook-receiver';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;
let receiver: Receiver;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
  receiver = await startReceiver();
  await succeeded(office.api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true } }), 200);
  await succeeded(office.api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.accepted', 'document.refused', 'document.paid'] } }), 201);
});
afterAll(async () => {
  await receiver?.close();
  await stack?.close();
});

const theDocument = (id: string) => ({ params: { path: { id } } });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FIRM_LINES = SAMPLE_LINES.filter((line) => !line.optional);

type RecordAnswer = components['schemas']['RecordAnswer'];
const recordAnswer = (id: string, body: RecordAnswer) => office.api.POST('/v1/documents/{id}/record-answer', { ...theDocument(id), body });
const recordPayment = (id: string, body: components['schemas']['RecordPayment']) => office.api.POST('/v1/documents/{id}/payments', { ...theDocument(id), body });

/** The webhooks delivered about `documentId`, as the receiver got them. */
function webhooksAbout(documentId: string): { type: string; data: { document: { id: string }; event: { data: Record<string, unknown> } } }[] {
  return receiver.received
    .map((request) => JSON.parse(request.body) as { type: string; data: { document: { id: string }; event: { data: Record<string, unknown> } } })
    .filter((body) => body.data.document.id === documentId);
}

it("takes an answer given by phone as the customer's acceptance: the portal signing cancelled first, the link kept, options chosen, the order made", async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { autoConvertToOrder: true } }), 200);
  try {
    const { documentId, contactEmail } = await office.createQuote({ locale: 'sv', lines: SAMPLE_LINES });
    const sent = await office.sendQuote(documentId, contactEmail, { requireSignature: true });
    const option = (await office.document(documentId)).lines.find((line) => line.optional)?.id as string;
    const answeredAt = new Date(Date.now() - 3_600_000).toISOString();

    const answered = await recordAnswer(documentId, { answer: 'accepted', channel: 'phone', by: 'Åsa Öberg', at: answeredAt, options: [option] });
    expect(answered.response.status).toBe(202);
    expect(answered.data?.status).toBe('accepted');

    // The signing is over, the quote accepted: taken once, by the quote's workflow, with how, by whom and when.
    const quote = await office.document(documentId);
    expect(quote).toMatchObject({ status: 'accepted', digitalStatus: 'cancelled' });
    expect(quote.lines.find((line) => line.id === option)?.selected).toBe(true);
    const trail = await office.events(documentId);
    const types = trail.map((event) => event.type);
    expect(types.indexOf('signature_cancelled')).toBeLessThan(types.indexOf('accepted'));
    expect(trail.find((event) => event.type === 'signature_cancelled')?.data).toMatchObject({ provider: 'builtin', reason: 'The customer answered by phone (Åsa Öberg)' });
    const accepted = trail.find((event) => event.type === 'accepted');
    expect(accepted).toMatchObject({ at: answeredAt, data: { offline: true, channel: 'phone', by: 'Åsa Öberg', options: [option] } });
    expect(accepted?.actor).toMatch(/^(seller|user:|apikey:)/);

    // The customer's own link still opens the quote (read only: nothing to sign or decide there any more).
    const page = await fetch(sent.url);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toMatch(/action="[^"]*\/(sign|accept)"/);

    // Webhooks as for a portal decision, and the order made as for any accepted quote.
    await eventually(async () => (webhooksAbout(documentId).some((hook) => hook.type === 'document.accepted') ? true : undefined), { what: 'the document.accepted webhook' });
    expect(webhooksAbout(documentId).find((hook) => hook.type === 'document.accepted')?.data.event.data).toMatchObject({ channel: 'phone', by: 'Åsa Öberg' });
    await eventually(async () => ((await office.document(documentId)).chain.some((link) => link.kind === 'order') ? true : undefined), { what: 'the order made on acceptance' });
    if (process.env.RECORD_REPLAY_HISTORIES === '1') {
      // test/replay/: a portal signing cancelled by an answer given by phone, then the order made.
      await saveClosedHistory(stack.client.workflow, `quote-${documentId}`, 'quote-answered-offline');
    }

    const again = await recordAnswer(documentId, { answer: 'refused', channel: 'email' });
    expect(again.response.status).toBe(409);
    expect(again.error?.detail).toBe('The quote is already accepted');
  } finally {
    await succeeded(office.api.PATCH('/v1/settings', { body: { autoConvertToOrder: false } }), 200);
  }
});

it('takes a refusal given at the counter; refuses an answer the quote cannot take, and bad input, changing nothing', async () => {
  const { documentId, contactEmail } = await office.createQuote({ lines: FIRM_LINES });
  // Not sent yet: nothing to answer.
  const early = await recordAnswer(documentId, { answer: 'accepted', channel: 'counter' });
  expect(early.response.status).toBe(409);
  expect(early.error?.detail).toBe('The quote has not been sent yet');
  await office.sendQuote(documentId, contactEmail);

  expect((await office.raw('POST', `/v1/documents/${documentId}/record-answer`, { answer: 'accepted', channel: 'fax' })).status).toBe(400);
  expect((await office.raw('POST', `/v1/documents/${documentId}/record-answer`, { answer: 'maybe', channel: 'phone' })).status).toBe(400);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  expect((await office.raw('POST', `/v1/documents/${documentId}/record-answer`, { answer: 'accepted', channel: 'phone', at: tomorrow })).status).toBe(400);
  const wrongOption = await recordAnswer(documentId, { answer: 'accepted', channel: 'phone', options: ['line_not_here'] });
  expect(wrongOption.response.status).toBe(422);
  expect((await office.document(documentId)).status).toBe('sent');

  const refused = await recordAnswer(documentId, { answer: 'refused', channel: 'counter', reason: 'Trop cher' });
  expect(refused.response.status).toBe(202);
  expect(refused.data?.status).toBe('refused');
  expect((await office.events(documentId)).find((event) => event.type === 'refused')?.data).toMatchObject({ offline: true, channel: 'counter', reason: 'Trop cher' });
  await eventually(async () => (webhooksAbout(documentId).some((hook) => hook.type === 'document.refused') ? true : undefined), { what: 'the document.refused webhook' });

  // An order's answer too, taken by its own workflow.
  const order = await office.createQuote({ lines: FIRM_LINES });
  const quoteRow = await office.document(order.documentId);
  const orderRow = await succeeded(
    office.api.POST('/v1/documents', { body: { kind: 'order', customerId: quoteRow.customerId, ...(quoteRow.contactId ? { contactId: quoteRow.contactId } : {}), lines: FIRM_LINES } }),
    201,
  );
  await office.sendQuote(orderRow.id, order.contactEmail);
  const orderAnswer = await recordAnswer(orderRow.id, { answer: 'accepted', channel: 'email', by: 'Zoë Dupré' });
  expect(orderAnswer.response.status).toBe(202);
  expect(orderAnswer.data?.status).toBe('accepted');
  expect((await office.events(orderRow.id)).find((event) => event.type === 'accepted')?.data).toMatchObject({ offline: true, channel: 'email', by: 'Zoë Dupré' });

  // An invoice is paid, not answered.
  const { documentId: invoiceId } = await createInvoice(office, { lines: FIRM_LINES });
  expect((await recordAnswer(invoiceId, { answer: 'accepted', channel: 'phone' })).response.status).toBe(409);
});

it('counts payments received off line: partially paid, then paid; reminders stop, webhooks sent, payments listed; too much is refused', async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { reminderAfter: 'PT2S', maxReminders: 20 } }), 200);
  try {
    const { documentId, contactEmail } = await createInvoice(office, { locale: 'fr', lines: FIRM_LINES });
    // Not sent: nothing to pay yet.
    expect((await recordPayment(documentId, { amount: 100, method: 'cash' })).response.status).toBe(409);
    await office.sendQuote(documentId, contactEmail);
    const gross = (await office.document(documentId)).totals.gross;

    const tooMuch = await recordPayment(documentId, { amount: gross + 1, method: 'transfer' });
    expect(tooMuch.response.status).toBe(422);
    expect(tooMuch.error?.errors?.[0]?.path).toBe('amount');
    expect((await office.raw('POST', `/v1/documents/${documentId}/payments`, { amount: 100, method: 'bitcoin' })).status).toBe(400);
    expect((await office.document(documentId)).payments).toEqual([]);

    const receivedAt = new Date(Date.now() - 86_400_000).toISOString();
    const part = await recordPayment(documentId, { amount: 1000, method: 'transfer', receivedAt, reference: 'VIR-2026-0412' });
    expect(part.response.status).toBe(201);
    expect(part.data).toMatchObject({ status: 'partially_paid', paidTotal: 1000, amountDue: gross - 1000 });
    expect((await office.document(documentId)).payments).toEqual([
      expect.objectContaining({ provider: 'offline', status: 'succeeded', amount: 1000, method: 'transfer', reference: 'VIR-2026-0412', paidAt: receivedAt }),
    ]);
    // Still due: the reminders go on.
    const remindedBefore = (await office.events(documentId)).filter((event) => event.type === 'reminded').length;
    await eventually(async () => ((await office.events(documentId)).filter((event) => event.type === 'reminded').length > remindedBefore ? true : undefined), {
      what: 'a reminder while partially paid',
    });

    const rest = await recordPayment(documentId, { amount: gross - 1000, method: 'cheque', reference: 'CHQ 0012345' });
    expect(rest.response.status).toBe(201);
    expect(rest.data).toMatchObject({ status: 'paid', paidTotal: gross, amountDue: 0 });
    expect(rest.data?.nextReminderAt).toBeUndefined();
    expect((await office.document(documentId)).status).toBe('paid');

    const paidEvents = (await office.events(documentId)).filter((event) => event.type === 'paid');
    expect(paidEvents.map((event) => event.data)).toEqual([
      expect.objectContaining({ provider: 'offline', method: 'transfer', reference: 'VIR-2026-0412', amount: 1000, partial: true }),
      expect.objectContaining({ provider: 'offline', method: 'cheque', amount: gross - 1000, partial: false }),
    ]);
    await eventually(async () => (webhooksAbout(documentId).filter((hook) => hook.type === 'document.paid').length === 2 ? true : undefined), {
      what: 'two document.paid webhooks',
    });

    // Paid: no reminder any more, and nothing more to pay.
    const reminded = (await office.events(documentId)).filter((event) => event.type === 'reminded').length;
    await sleep(3_000);
    expect((await office.events(documentId)).filter((event) => event.type === 'reminded').length).toBe(reminded);
    const late = await recordPayment(documentId, { amount: 1, method: 'cash' });
    expect(late.response.status).toBe(409);
    expect(late.error?.detail).toBe('The invoice is already paid');
    if (process.env.RECORD_REPLAY_HISTORIES === '1') {
      // test/replay/: an invoice reminded, paid off line in two parts.
      await saveClosedHistory(stack.client.workflow, `invoice-${documentId}`, 'invoice-paid-offline');
    }
  } finally {
    await succeeded(office.api.PATCH('/v1/settings', { body: { reminderAfter: 'P3D', maxReminders: 3 } }), 200);
  }
});

it("dates an invoice made from an order after the tenant's payment terms, and prints the due date on its PDF", async () => {
  const { documentId: quoteId } = await office.createQuote({ locale: 'en', lines: FIRM_LINES });
  const quote = await office.document(quoteId);
  const order = await succeeded(
    office.api.POST('/v1/documents', { body: { kind: 'order', customerId: quote.customerId, ...(quote.contactId ? { contactId: quote.contactId } : {}), lines: FIRM_LINES } }),
    201,
  );
  const settings = await succeeded(office.api.PATCH('/v1/settings', { body: { invoiceDueAfter: 'P14D' } }), 200);
  expect(settings.invoiceDueAfter).toBe('P14D');
  try {
    const before = Date.now();
    const invoice = await succeeded(office.api.POST('/v1/documents/{id}/convert', { ...theDocument(order.id), body: { to: 'invoice' } }), 201);
    const due = Date.parse(invoice.dueDate ?? '');
    expect(due).toBeGreaterThanOrEqual(before + 14 * 86_400_000 - 1_000);
    expect(due).toBeLessThanOrEqual(Date.now() + 14 * 86_400_000 + 1_000);

    const pdf = await office.api.GET('/v1/documents/{id}/pdf', { ...theDocument(invoice.id), parseAs: 'arrayBuffer' });
    expect(pdf.response.status).toBe(200);
    const text = pdfText(new Uint8Array(pdf.data ?? new ArrayBuffer(0)));
    expect(text).toContain('Due date');
  } finally {
    await succeeded(office.api.PATCH('/v1/settings', { body: { invoiceDueAfter: 'P30D' } }), 200);
  }
});

it('answers a new service request as pending at once', async () => {
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Åsa Öberg AB', email: 'asa@customer.test' } }), 201);
  const created = await succeeded(office.api.POST('/v1/requests', { body: { customerId: customer.id, product: 'Shooting photo produit', options: { photos: 20 }, priceOnQuote: true } }), 201);
  expect(created.status).toBe('pending');
  expect(created.box).toBe('inbox');
});
