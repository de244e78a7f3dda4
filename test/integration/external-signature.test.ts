/**
 * Digital signing through GetAccept (seed 003), over HTTP with the real worker, Temporal and
 * PostgreSQL, against the local GetAccept stand-in: polling alone follows the signer, the
 * webhook fast path follows at once, the seller checks now and cancels, faults at the
 * provider lose nothing, and webhooks that cannot be verified signal nothing.
 */
import { saveClosedHistory, saveReplayHistory } from '../replay/record';
import { signatureWorkflowId } from '../../workflows/messages/signature';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { signingOffice, startSigningStack, type AuditRow, type SigningOffice, type SigningStack } from '../support/getaccept';
import { pdfText } from '../support/pdf-text';
import { updateRequests, updatesAccepted } from '../support/workflow-history';
import type { Stack } from '../support/stack';

let signing: SigningStack;
let stack: Stack;
let office: SigningOffice;

beforeAll(async () => {
  signing = await startSigningStack({ webhooks: true });
  ({ stack, office } = signing);
});
afterAll(async () => {
  await signing?.close();
});

const signatureEvents = (events: AuditRow[]) => events.filter((event) => event.type.startsWith('signature_') || event.type === 'signed');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('follows the signer by polling alone: viewed, then signed; the quote is accepted and the signed PDF kept', async () => {
  await office.settings({ signaturePollInterval: 'PT2S' });
  const { documentId, email } = await office.createDocument();
  const sent = await office.sendForSignature(documentId, { purpose: 'quick_quote' });

  // GetAccept mails the signer in the purpose's words; Greenlight sends no email of its own.
  expect(sent.status).toBe('sent');
  expect(sent.is_sms_sending).toBe(false);
  expect(sent.recipients[0]?.email).toBe(email);
  expect(sent.email_send_subject).toMatch(/^Snabboffert /);
  expect(sent.external_id).toBe(documentId);
  expect((await stack.readOutbox()).filter((message) => message.to.includes(email))).toEqual([]);
  const listed = await succeeded(office.api.GET('/v1/documents', { params: { query: { digitalStatus: 'sent' } } }), 200);
  expect(listed.data.map((row) => row.id)).toContain(documentId);

  await office.moveAtProvider(sent.id, 'viewed');
  await office.waitForDigitalStatus(documentId, 'viewed');
  await office.moveAtProvider(sent.id, 'signed');
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });

  const document = await office.document(documentId);
  expect(document.digitalStatus).toBe('signed');
  const events = await office.events(documentId);
  expect(signatureEvents(events).map((event) => [event.type, event.data.trigger])).toEqual([
    ['signature_sent', 'send'],
    ['signature_viewed', 'poll'],
    ['signed', 'poll'],
  ]);
  // Signed first, then accepted through the quote's own workflow.
  const types = events.map((event) => event.type);
  expect(types.indexOf('accepted')).toBeGreaterThan(types.indexOf('signed'));

  const pdf = await office.api.GET('/v1/documents/{id}/signature/signed.pdf', { params: { path: { id: documentId } }, parseAs: 'arrayBuffer' });
  expect(pdf.response.status).toBe(200);
  expect(pdf.response.headers.get('content-type')).toMatch(/application\/pdf/);
  expect(pdfText(new Uint8Array(pdf.data ?? new ArrayBuffer(0)))).toContain('Signed by Åsa Öberg'.replace(/[^\x20-\x7e]/g, '?'));

  const summary = await succeeded(office.api.GET('/v1/signatures/summary'), 200);
  expect(summary.counts.signed).toBeGreaterThanOrEqual(1);
  // The workflow ends with the signature: nothing more to poll.
  const signatureRun = stack.client.workflow.getHandle(signatureWorkflowId(documentId));
  await signatureRun.result();
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    // test/replay/: the quote that started a GetAccept signature, and the signature, replayed by CI.
    await saveReplayHistory(stack.client.workflow.getHandle(`quote-${documentId}`), 'quote-signed-getaccept');
    await saveReplayHistory(signatureRun, 'signature-signed-getaccept');
  }
});

it('follows the webhook at once; the next check finds nothing new', async () => {
  // An hour between polls: only the webhook and the seller's check can make it look.
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);
  const signingUrl = sent.recipients[0]?.document_url as string;

  // The signer opens GetAccept's page: GetAccept posts document.viewed to Greenlight.
  expect((await fetch(signingUrl)).status).toBe(200);
  await office.waitForDigitalStatus(documentId, 'viewed');
  const afterWebhook = signatureEvents(await office.events(documentId));
  expect(afterWebhook.map((event) => [event.type, event.data.trigger])).toEqual([
    ['signature_sent', 'send'],
    ['signature_viewed', 'webhook'],
  ]);

  const checksBefore = (await office.signatureState(documentId)).checks;
  expect((await office.checkSignature(documentId)).response.status).toBe(202);
  await eventually(async () => ((await office.signatureState(documentId)).checks > checksBefore ? true : undefined), { what: 'the check to run' });
  expect(signatureEvents(await office.events(documentId))).toEqual(afterWebhook);
  expect((await office.document(documentId)).status).toBe('sent');
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    // test/replay/: a webhook and a check while waiting, then the seller's cancel, closing the run.
    expect((await office.cancelSignature(documentId)).response.status).toBe(202);
    await saveClosedHistory(stack.client.workflow, signatureWorkflowId(documentId), 'signature-webhook-check-cancelled');
  }
});

it('refuses webhooks with a bad token or for an unknown document, and signals nothing', async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);
  const { url } = await succeeded(office.api.GET('/v1/signatures/webhook'), 200);
  const target = new URL(url);
  const post = (token: string, body: unknown) =>
    fetch(`${stack.baseUrl}${target.pathname}?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const goodToken = target.searchParams.get('token') as string;
  const stateBefore = await office.signatureState(documentId);
  const eventsBefore = await office.events(documentId);
  await office.moveAtProvider(sent.id, 'signed');

  expect((await post('forged', { event: 'document.signed', document: { id: sent.id } })).status).toBe(401);
  expect((await post('', { event: 'document.signed', document: { id: sent.id } })).status).toBe(401);
  expect((await post(goodToken, { event: 'document.signed', document: { id: 'not-ours' } })).status).toBe(404);
  expect((await post(goodToken, { event: 'document.signed' })).status).toBe(400);
  // Another tenant's URL token does not open this tenant's documents.
  const other = await signingOffice(stack, signing.standIn);
  const otherToken = new URL((await succeeded(other.api.GET('/v1/signatures/webhook'), 200)).url).searchParams.get('token') as string;
  expect((await post(otherToken, { event: 'document.signed', document: { id: sent.id } })).status).toBe(401);

  const stateAfter = await office.signatureState(documentId);
  expect(stateAfter.checks).toBe(stateBefore.checks);
  expect(stateAfter.digitalStatus).toBe('sent');
  expect(await office.events(documentId)).toEqual(eventsBefore);

  // The genuine one is taken.
  expect((await post(goodToken, { event: 'document.signed', document: { id: sent.id } })).status).toBe(202);
  await office.waitForDigitalStatus(documentId, 'signed');
});

it("cancels while sent: withdrawn at the provider, no more provider calls; the seller records the customer's answer by phone and the quote is accepted", async () => {
  await office.settings({ signaturePollInterval: 'PT1S' });
  const { documentId } = await office.createDocument();
  await office.sendForSignature(documentId);

  const cancelled = await office.cancelSignature(documentId, { reason: 'Godkänd per telefon' });
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data?.digitalStatus).toBe('cancelled');
  expect((await office.standInDocument(documentId)).status).toBe('recalled');
  await stack.client.workflow.getHandle(signatureWorkflowId(documentId)).result();

  const callsAfterCancel = await office.providerCalls();
  await sleep(3_500); // three poll intervals: a loop still running would have called
  expect(await office.providerCalls()).toBe(callsAfterCancel);

  const signature = await succeeded(office.api.GET('/v1/documents/{id}/signature', { params: { path: { id: documentId } } }), 200);
  expect(signature).toMatchObject({ digitalStatus: 'cancelled', cancelledBy: 'seller', cancelReason: 'Godkänd per telefon' });
  const cancelEvent = (await office.events(documentId)).find((event) => event.type === 'signature_cancelled');
  expect(cancelEvent).toMatchObject({ actor: 'seller', data: { reason: 'Godkänd per telefon' } });
  expect((await office.cancelSignature(documentId)).response.status).toBe(409);

  // Nothing left to remind at GetAccept: said so, nothing sent.
  const remind = await office.api.POST('/v1/documents/{id}/remind', { params: { path: { id: documentId } }, body: {} });
  expect(remind.response.status).toBe(409);
  expect(remind.error?.detail).toMatch(/^The digital signing is cancelled/);

  // The quote waits for the answer the customer gave by phone, which the seller records: accepted, never expired.
  expect((await office.document(documentId)).status).toBe('sent');
  const answered = await office.api.POST('/v1/documents/{id}/record-answer', {
    params: { path: { id: documentId } },
    body: { answer: 'accepted', channel: 'phone', by: 'Åsa Öberg' },
  });
  expect(answered.response.status).toBe(202);
  expect(answered.data?.status).toBe('accepted');
  expect((await office.events(documentId)).find((event) => event.type === 'accepted')).toMatchObject({ data: { offline: true, channel: 'phone', by: 'Åsa Öberg' } });
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  const order = await office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: documentId } }, body: { to: 'order' } });
  expect(order.response.status).toBe(201);
  expect(order.data).toMatchObject({ kind: 'order', status: 'draft' });
});

it('takes an answer given at the counter while the signing is out: one decision of the quote withdraws it at GetAccept, then accepts', async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  await office.sendForSignature(documentId);
  const recallsBefore = await office.providerCallsTo('POST /documents/:id/recall');

  const answered = await office.api.POST('/v1/documents/{id}/record-answer', { params: { path: { id: documentId } }, body: { answer: 'accepted', channel: 'counter' } });
  expect(answered.response.status).toBe(202);
  expect(answered.data?.status).toBe('accepted');
  await office.waitForDigitalStatus(documentId, 'cancelled');
  expect((await office.standInDocument(documentId)).status).toBe('recalled');
  await stack.client.workflow.getHandle(signatureWorkflowId(documentId)).result();
  expect(await updatesAccepted(stack.client, `quote-${documentId}`)).toEqual(['recordAnswer']);
  expect((await office.providerCallsTo('POST /documents/:id/recall')) - recallsBefore).toBe(1);
  const withdrawn = (await office.events(documentId)).find((event) => event.type === 'signature_cancelled');
  expect(withdrawn?.data).toMatchObject({ reason: 'The customer answered at the counter' });
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    // test/replay/: a quote out at GetAccept answered at the counter: its signing withdrawn by the quote's own decision.
    await saveClosedHistory(stack.client.workflow, `quote-${documentId}`, 'quote-getaccept-answered-offline');
  }
});

it('reminds the signer through GetAccept when the seller asks, in the channel the signing went out on', async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument('order');
  const sent = await office.sendForSignature(documentId, { purpose: 'order_confirmation', channel: 'sms' });
  const remindersBefore = await office.providerCallsTo('POST /documents/:id/reminders');

  const reminded = await office.api.POST('/v1/documents/{id}/remind', { params: { path: { id: documentId } }, body: {} });
  expect(reminded.response.status).toBe(202);
  expect((await office.providerCallsTo('POST /documents/:id/reminders')) - remindersBefore).toBe(1);
  expect(await office.remindersAt(sent.id)).toEqual([expect.objectContaining({ type: 'sms' })]);
  expect((await office.events(documentId)).filter((event) => event.type === 'reminded')).toHaveLength(1);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    // test/replay/: an order out at GetAccept reminded through the provider, then cancelled.
    expect((await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: documentId } }, body: {} })).response.status).toBe(202);
    await saveClosedHistory(stack.client.workflow, `order-${documentId}`, 'order-getaccept-reminded');
  }
});

it("refuses a cancel the signer overtook: asked while a check was reading 'signed', it is refused at its turn, nothing withdrawn", async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);
  await office.moveAtProvider(sent.id, 'signed');
  // The seller's check reaches GetAccept and is held there: the signature is still "sent" here.
  const heldBefore = await office.heldCalls();
  await office.failProvider({ delayMs: 2_000, calls: 1 });
  expect((await office.checkSignature(documentId)).response.status).toBe(202);
  await eventually(async () => ((await office.heldCalls()) > heldBefore ? true : undefined), { what: 'the check held at GetAccept' });

  // Valid when asked; by its turn the check read "signed".
  const cancel = await office.cancelSignature(documentId, { reason: 'Godkänd per telefon' });
  expect(cancel.response.status).toBe(409);
  expect(cancel.error?.detail).toBe('The digital signing is already signed');
  expect((await office.standInDocument(documentId)).status).toBe('signed');
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });
  expect(signatureEvents(await office.events(documentId)).map((event) => event.type)).toEqual(['signature_sent', 'signed']);
});

it('keeps polling through a provider outage: one event tells the checks failed, nothing is lost', async () => {
  await office.settings({ signaturePollInterval: 'PT1S' });
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);

  // Three checks of three attempts each: 500s, then GetAccept is back.
  await office.failProvider({ status: 500, calls: 9 });
  await eventually(async () => ((await office.events(documentId)).some((event) => event.type === 'signature_checks_recovered') ? true : undefined), {
    what: 'the checks to fail, then recover',
  });
  await office.moveAtProvider(sent.id, 'signed');
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });

  const types = signatureEvents(await office.events(documentId)).map((event) => event.type);
  expect(types).toEqual(['signature_sent', 'signature_checks_failed', 'signature_checks_recovered', 'signed']);
  const failed = (await office.events(documentId)).find((event) => event.type === 'signature_checks_failed');
  expect(failed?.data).toMatchObject({ failures: 3 });
  if (process.env.RECORD_REPLAY_HISTORIES === '1') {
    await saveClosedHistory(stack.client.workflow, signatureWorkflowId(documentId), 'signature-checks-failed-recovered');
  }
});

it('sends an order confirmation by SMS and accepts the order when signed', async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId, mobile } = await office.createDocument('order');
  const sent = await office.sendForSignature(documentId, { purpose: 'order_confirmation', channel: 'sms' });
  expect(sent.is_sms_sending).toBe(true);
  expect(sent.recipients[0]?.mobile).toBe(mobile);
  expect(sent.email_send_subject).toMatch(/^Orderbekräftelse /);

  // A quick quote is not signed on an order.
  const { documentId: otherOrder } = await office.createDocument('order');
  const refused = await office.api.POST('/v1/documents/{id}/send', { params: { path: { id: otherOrder } }, body: { signature: { provider: 'getaccept' }, purpose: 'quick_quote' } });
  expect(refused.response.status).toBe(422);
  // Texting is not only GetAccept's: a portal send by SMS texts the link to the contact's mobile (test/integration/sms-channel.test.ts).
  const { documentId: portalQuote } = await office.createDocument();
  expect((await office.api.POST('/v1/documents/{id}/send', { params: { path: { id: portalQuote } }, body: { channel: 'sms' } })).response.status).toBe(202);
  await eventually(async () => ((await office.document(portalQuote)).status === 'sent' ? true : undefined), { what: 'the quote texted' });

  const signingUrl = sent.recipients[0]?.document_url as string;
  const signed = await fetch(`${signingUrl}/sign`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ fullname: 'Åsa Öberg' }).toString(),
  });
  expect(signed.status).toBe(200);
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the order accepted' });
  expect((await office.document(documentId)).digitalStatus).toBe('signed');
});

it('withdraws the digital signing when the seller cancels the quote itself: one decision of the quote, one recall at the provider', async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  await office.sendForSignature(documentId);
  const recallsBefore = await office.providerCallsTo('POST /documents/:id/recall');

  expect((await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: documentId } }, body: { reason: 'Kunden avstår' } })).response.status).toBe(202);
  expect((await office.document(documentId)).status).toBe('cancelled');
  await office.waitForDigitalStatus(documentId, 'cancelled');
  expect((await office.standInDocument(documentId)).status).toBe('recalled');
  await stack.client.workflow.getHandle(signatureWorkflowId(documentId)).result();
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();

  // The API asked once; the quote's workflow withdrew the signing itself, in the same decision.
  expect(await updatesAccepted(stack.client, `quote-${documentId}`)).toEqual(['cancel']);
  // Asked by the quote's workflow (its update id says so), not by a second call of the API.
  expect(await updateRequests(stack.client, signatureWorkflowId(documentId))).toEqual([
    { name: 'cancelSignature', id: expect.stringMatching(new RegExp(`^quote-${documentId}#withdraw-signature`)) },
  ]);
  expect((await office.providerCallsTo('POST /documents/:id/recall')) - recallsBefore).toBe(1);
  const withdrawn = (await office.events(documentId)).filter((event) => event.type === 'signature_cancelled');
  expect(withdrawn).toEqual([expect.objectContaining({ actor: 'seller', data: expect.objectContaining({ reason: 'Kunden avstår' }) })]);
});
