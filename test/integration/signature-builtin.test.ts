/**
 * The portal signature behind the SignatureProvider interface (services/signature/builtin.ts),
 * over the real stack (API, worker, Temporal, PostgreSQL): the back office's signature routes
 * answer for a quote signed on our portal as they do for GetAccept — the digital status read
 * from our own records (sent → viewed → signed), "check now" answering at once, the signed
 * file being the certificate with the pages signed, cancel revoking the links (a later
 * reminder's link only shows the quote, which converts by hand) in one decision of the quote's
 * workflow however often it is retried, and no webhook. The registry picks the provider by the tenant's setting.
 */
import { randomUUID } from 'node:crypto';
import { WebhookRefused } from '../../services/signature/provider';
import { createSignatureProviders, signatureProviderName } from '../../services/signature/registry';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';
import { updateRequests, updatesAccepted } from '../support/workflow-history';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(async () => {
  await stack?.close();
});

async function customerPost(url: string, action: string, json: Record<string, unknown>) {
  const response = await fetch(`${url}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(json),
  });
  return { status: response.status, body: (await response.json()) as { status?: string; detail?: string } };
}

const theDocument = (id: string) => ({ params: { path: { id } } });
const signatureOf = (id: string) => succeeded(office.api.GET('/v1/documents/{id}/signature', theDocument(id)), 200);
const signedPdf = (id: string) => office.api.GET('/v1/documents/{id}/signature/signed.pdf', { ...theDocument(id), parseAs: 'arrayBuffer' });
const cancelSignature = (id: string, reason?: string) => office.api.POST('/v1/documents/{id}/signature/cancel', { ...theDocument(id), body: reason ? { reason } : {} });

it('resolves the provider by the request, else the tenant setting, else builtin', () => {
  expect(signatureProviderName(undefined, 'builtin')).toBe('builtin');
  expect(signatureProviderName(undefined, 'getaccept')).toBe('getaccept');
  expect(signatureProviderName('builtin', 'getaccept')).toBe('builtin');
  expect(signatureProviderName('getaccept', 'builtin')).toBe('getaccept');
  expect(signatureProviderName(undefined, 'fax')).toBe('builtin');
});

it('reports the portal signature as sent, viewed, then signed, and downloads the certificate with the signed pages', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES, title: 'Spring brochures' });
  const sent = await office.sendQuote(documentId, contactEmail, { requireSignature: true });
  const builtin = createSignatureProviders(stack.prisma, stack.config).builtin;

  expect(await signatureOf(documentId)).toMatchObject({
    provider: 'builtin',
    providerDocumentId: documentId,
    digitalStatus: 'sent',
    recipient: { name: 'Zoë Dupré', email: contactEmail },
    signedPdfUrl: null,
  });
  expect(await builtin.getDocument(documentId)).toEqual({ providerDocumentId: documentId, status: 'sent', providerStatus: 'sent' });
  // Create and send are the quote workflow's own: they only answer where it is.
  expect((await builtin.sendDocument(documentId)).status).toBe('sent');

  // The customer puts it on hold: seen, not signed.
  expect((await customerPost(sent.url, 'hold', {})).status).toBe(200);
  // The JSON answer is the decision's own; the rows follow it.
  await eventually(async () => ((await office.document(documentId)).status === 'on_hold' ? true : undefined), { what: 'the hold recorded' });
  const checked = await office.api.POST('/v1/documents/{id}/signature/check', theDocument(documentId));
  expect(checked.response.status).toBe(202);
  expect(checked.data).toEqual({ digitalStatus: 'viewed' });
  expect((await signedPdf(documentId)).response.status).toBe(404);

  const signed = await customerPost(sent.url, 'sign', { signerName: 'Zoë Dupré', consent: true });
  expect(signed).toMatchObject({ status: 200, body: { status: 'accepted' } });
  // Recorded behind the answer: the run ends once the signature and the acceptance are written.
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  const seen = await signatureOf(documentId);
  expect(seen).toMatchObject({ digitalStatus: 'signed', providerStatus: 'signed', recipient: { name: 'Zoë Dupré', email: contactEmail } });
  expect(seen.signedAt).not.toBeNull();
  expect(seen.signedPdfUrl).toBe(`${stack.config.publicUrl}/v1/documents/${documentId}/signature/signed.pdf`);

  const file = await signedPdf(documentId);
  expect(file.response.status).toBe(200);
  const words = pdfText(new Uint8Array(file.data ?? new ArrayBuffer(0)));
  expect(words).toContain('Electronic signature certificate');
  expect(words).toContain('Spring brochures');

  // The customer got their copy: the confirmation with the signed quote and the certificate attached.
  const confirmation = await eventually(
    async () => (await stack.readOutbox()).find((email) => recipientsOf(email).includes(contactEmail) && email.subject.includes('signed: your copy')),
    { what: "the customer's copy of the signed quote" },
  );
  const number = (await office.document(documentId)).number;
  expect(confirmation.attachments.map((attachment) => attachment.filename)).toEqual([`Signed-quote-${number}.pdf`, `Signature-certificate-${number}.pdf`]);

  // Over: nothing to cancel, and our own events need no webhook.
  const cancel = await cancelSignature(documentId);
  expect(cancel.response.status).toBe(409);
  expect(cancel.error?.detail).toContain('already signed');
  expect(() => builtin.verifyWebhook({ body: { document: { id: documentId } }, token: 'x', expectedToken: 'x' })).toThrow(WebhookRefused);
});

it('cancels the portal signing with the quote, in the one decision the API asks of the quote workflow', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail, { requireSignature: true });

  expect((await office.api.POST('/v1/documents/{id}/cancel', { ...theDocument(documentId), body: { reason: 'ordered by phone' } })).response.status).toBe(202);
  // The portal signing is the quote's own status: cancelled with it, nothing left to withdraw.
  expect(await signatureOf(documentId)).toMatchObject({ digitalStatus: 'cancelled' });
  expect((await customerPost(sent.url, 'sign', { signerName: 'Zoë Dupré', consent: true })).status).not.toBe(200);
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  expect(await updatesAccepted(stack.client, `quote-${documentId}`)).toEqual(['cancel']);
  expect((await office.events(documentId)).filter((event) => event.type === 'cancelled')).toHaveLength(1);
  expect(await stack.prisma.quoteSignature.count({ where: { documentId } })).toBe(0);
});

it("cancels the portal signing, the customer's link kept to read the quote; the trail says who and why, and the quote converts by hand", async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail, { requireSignature: true });

  const cancelled = await cancelSignature(documentId, 'approved by phone');
  expect(cancelled.response.status).toBe(202);
  expect(cancelled.data?.digitalStatus).toBe('cancelled');

  // The customer's link still opens the quote (its chain, the conversation), and signs nothing: no signature can come in.
  const page = await fetch(sent.url);
  expect(page.status).toBe(200);
  expect(await page.text()).not.toMatch(/action="[^"]*\/(sign|accept)"/);
  expect((await customerPost(sent.url, 'sign', { signerName: 'Zoë Dupré', consent: true })).status).toBe(403);
  expect(await stack.prisma.accessLink.count({ where: { documentId, revokedAt: { not: null } } })).toBe(0);

  expect(await signatureOf(documentId)).toMatchObject({ digitalStatus: 'cancelled', providerStatus: 'cancelled_by_seller', cancelReason: 'approved by phone' });
  expect((await signatureOf(documentId)).cancelledBy).toMatch(/^(seller|user:)/);
  const trail = await office.events(documentId);
  expect(trail.find((event) => event.type === 'signature_cancelled')).toMatchObject({ data: { provider: 'builtin', reason: 'approved by phone' } });
  expect((await office.document(documentId)).digitalStatus).toBe('cancelled');

  expect((await cancelSignature(documentId)).response.status).toBe(409);
  // A reminder still reaches the customer, with a link that shows the quote and signs nothing.
  expect((await office.api.POST('/v1/documents/{id}/remind', theDocument(documentId))).response.status).toBe(202);
  const reminderUrl = await eventually(
    async () => {
      const links = (await stack.readOutbox())
        .filter((email) => recipientsOf(email).some((to) => to.includes(contactEmail)))
        .flatMap((email) => email.links)
        .filter((link) => link.startsWith(`${stack.baseUrl}/d/`) && link !== sent.url);
      return links[0];
    },
    { what: 'the reminder with its new link' },
  );
  expect((await fetch(reminderUrl)).status).toBe(200);
  expect((await customerPost(reminderUrl, 'sign', { signerName: 'Zoë Dupré', consent: true })).status).toBe(403);
  expect(await stack.prisma.quoteSignature.count({ where: { documentId } })).toBe(0);

  const order = await office.api.POST('/v1/documents/{id}/convert', { ...theDocument(documentId), body: { to: 'order' } });
  expect(order.response.status).toBe(201);
  expect(order.data).toMatchObject({ kind: 'order' });
});

it("takes a retried cancel as the same decision of the quote's workflow: one signature_cancelled in the trail", async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
  await office.sendQuote(documentId, contactEmail, { requireSignature: true });
  const key = `cancel-signing-${randomUUID()}`;
  const cancel = async () => {
    const { data, response } = await office.api.POST('/v1/documents/{id}/signature/cancel', {
      params: { path: { id: documentId }, header: { 'Idempotency-Key': key } },
      body: { reason: 'approved by phone' },
    });
    return { status: response.status, body: data };
  };

  const first = await cancel();
  expect(first).toEqual({ status: 202, body: { digitalStatus: 'cancelled', checks: 0, consecutiveFailures: 0 } });
  // Replayed from the stored answer.
  expect(await cancel()).toEqual(first);
  // As after a first attempt whose answer was lost (a 5xx stores none): the retry reaches the workflow again, under the same decision id.
  await stack.prisma.idempotentRequest.deleteMany({ where: { key } });
  expect(await cancel()).toEqual(first);

  const cancelled = (await office.events(documentId)).filter((event) => event.type === 'signature_cancelled');
  expect(cancelled).toEqual([expect.objectContaining({ data: { provider: 'builtin', reason: 'approved by phone' } })]);
  expect((await updateRequests(stack.client, `quote-${documentId}`)).filter((update) => update.name === 'cancelSigning').map((update) => update.id)).toContain(key);
  // The quote stays open: the seller converts it by hand.
  expect(await office.document(documentId)).toMatchObject({ status: 'sent', digitalStatus: 'cancelled' });
});
