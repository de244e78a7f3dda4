/**
 * The built-in signature over HTTP, with the real worker, workflow, database and outbox: a
 * quote sent with a signature required cannot be accepted plainly nor signed without
 * consent; revised after sending, its old link only says a newer version exists and cannot
 * sign; signed through the new link with an option ticked, it is accepted with its evidence,
 * and the certificate — from the API and from the portal — holds the SHA-256 this test
 * computes itself from the PDF the portal served for that version.
 */
import { createHash } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { pdfText } from '../support/pdf-text';
import { backOffice, type BackOffice, type LineInput } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(async () => {
  await stack?.close();
});

const LINES: LineInput[] = [
  { description: 'Cartes de visite, 350 g', quantity: 500, unitPrice: 12, taxRate: 20 },
  { description: 'Vernis sélectif', quantity: 500, unitPrice: 4, taxRate: 20, optional: true },
  { description: 'Livraison express', quantity: 1, unitPrice: 1500, taxRate: 20, optional: true },
];

async function portal(url: string, path = '', init: { method?: string; json?: unknown } = {}) {
  const response = await fetch(`${url}${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    headers: init.json === undefined ? {} : { 'content-type': 'application/json', accept: 'application/json' },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', bytes: new Uint8Array(await response.arrayBuffer()) };
}
async function assigneeOf(documentId: string) {
  const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId }, include: { assignee: true } });
  if (!document.assignee) throw new Error('the quote has no assignee');
  return { email: document.assignee.email, number: document.number };
}
const subjectsTo = async (address: string) =>
  (await stack.readOutbox()).filter((email) => recipientsOf(email).includes(address)).map((email) => email.subject);
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

it('refuses accepting, signing without consent and signing an outdated version; signs the current one with its evidence', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: LINES, title: 'Business cards' });
  const first = await office.sendQuote(documentId, contactEmail, { requireSignature: true });
  const theQuote = { params: { path: { id: documentId } } };

  // The email asks for a signature, not for an answer (template signature_request).
  const request = (await stack.readOutbox()).find((email) => recipientsOf(email).some((to) => to.includes(contactEmail)));
  expect(request?.subject).toMatch(/^Quote DEV-\w+ from Imprimerie Lumière \w+, ready to sign$/);
  expect(request?.text).toContain('To accept it, sign it online');

  const page = text((await portal(first.url)).bytes);
  expect(page).toContain('name="signerName"');
  expect(page).toContain('Zoë Dupré'); // prefilled with the contact's name
  expect(page).toContain('I have read quote');
  expect(page).not.toContain('/accept"');

  const plain = await portal(first.url, '/accept', { json: {} });
  expect(plain.status).toBe(409);
  expect(JSON.parse(text(plain.bytes)).detail).toBe('This quote must be signed');

  const withoutConsent = await portal(first.url, '/sign', { json: { signerName: 'Zoë Dupré', consent: false } });
  expect(withoutConsent.status).toBe(409);
  expect(JSON.parse(text(withoutConsent.bytes)).detail).toBe('Consent is required to sign');
  expect(await stack.prisma.quoteSignature.count({ where: { documentId } })).toBe(0);
  expect((await office.document(documentId)).status).toMatch(/^(sent|viewed)$/);

  // The seller changes the quote: a new version, a new link by email, the old one outdated.
  const revised = await office.api.PATCH('/v1/documents/{id}', { ...theQuote, body: { title: 'Business cards, matt' } });
  expect(revised.response.status).toBe(200);
  expect(revised.data).toMatchObject({ version: 2, title: 'Business cards, matt' });
  const secondUrl = await eventually(
    async () => {
      const links = (await stack.readOutbox())
        .filter((email) => recipientsOf(email).some((to) => to.includes(contactEmail)))
        .flatMap((email) => email.links)
        .filter((link) => link.startsWith(`${stack.baseUrl}/d/`) && link !== first.url);
      return links[0];
    },
    { what: 'the email with the new version’s link' },
  );
  const oldPage = text((await portal(first.url)).bytes);
  expect(oldPage).toContain('A newer version of this quote exists');
  expect(oldPage).not.toContain('<form');
  expect((await portal(first.url, '/pdf')).type).toContain('text/html');
  const outdated = await portal(first.url, '/sign', { json: { signerName: 'Zoë Dupré', consent: true } });
  expect(outdated.status).toBe(409);
  expect(JSON.parse(text(outdated.bytes)).detail).toBe('This link is for version 1 of the quote; version 2 replaces it');
  expect(await stack.prisma.quoteSignature.count({ where: { documentId } })).toBe(0);

  // Signed through the current link, with one option ticked.
  const shownPdf = (await portal(secondUrl, '/pdf')).bytes;
  expect(pdfText(shownPdf)).toContain('Business cards, matt');
  const lines = (await office.document(documentId)).lines;
  const varnish = lines.find((line) => line.optional);
  if (!varnish) throw new Error('no optional line');
  const signed = await portal(secondUrl, '/sign', { json: { signerName: 'Zoë Dupré', consent: true, options: [varnish.id], decisionId: 'sign-once-1234' } });
  expect(signed.status).toBe(200);
  expect(JSON.parse(text(signed.bytes))).toMatchObject({ status: 'accepted' });
  // The JSON answer is the decision's own; the run ends once the signature and the acceptance are written.
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();

  const document = await office.document(documentId);
  expect(document.status).toBe('accepted');
  expect(document.totals.net).toBe(6000 + 2000);
  expect(document.lines.find((line) => line.id === varnish.id)?.selected).toBe(true);
  expect(document.signature).toMatchObject({ signerName: 'Zoë Dupré', signerEmail: contactEmail });
  expect(document.signature?.certificateUrl).toBe(`${stack.config.publicUrl}/v1/documents/${documentId}/signature/certificate`);
  const trail = (await office.events(documentId)).map((event) => event.type);
  expect(trail.slice(trail.indexOf('revised'))).toEqual(expect.arrayContaining(['revised', 'signed', 'accepted']));
  expect(trail.indexOf('signed')).toBe(trail.indexOf('accepted') - 1);

  // The certificate, from the API and from the portal, holds the hash of the PDF shown.
  const fromApi = await office.api.GET('/v1/documents/{id}/signature/certificate', { ...theQuote, parseAs: 'arrayBuffer' });
  expect(fromApi.response.status).toBe(200);
  const fromPortal = await portal(secondUrl, '/signature/certificate');
  expect(fromPortal.status).toBe(200);
  for (const certificate of [new Uint8Array(fromApi.data ?? new ArrayBuffer(0)), fromPortal.bytes]) {
    const words = pdfText(certificate);
    expect(words).toContain(sha256(shownPdf));
    expect(words).toContain('Zoë Dupré');
    expect(words).toContain('Vernis sélectif');
    expect(words).toContain('Business cards, matt'); // the signed quote's own pages follow
  }

  // The assignee, who set no preferences, gets the confirmation by email (seed 001).
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  const assignee = await assigneeOf(documentId);
  expect(await subjectsTo(assignee.email)).toEqual([`Devis ${assignee.number} signé par Zoë Dupré`]);

  // Decided: no more changes, no second signature.
  expect((await office.api.PATCH('/v1/documents/{id}', { ...theQuote, body: { title: 'Too late' } })).response.status).toBe(409);
  expect((await portal(secondUrl, '/sign', { json: { signerName: 'Zoë Dupré', consent: true } })).status).toBe(409);
});

it('sends no signature confirmation to an assignee who opted out with `signed: []`', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: LINES });
  const optedOut = await succeeded(office.api.POST('/v1/users', { body: { name: 'Noé Silence', email: `noe-${documentId}@lumiere.test`, notify: { signed: [] } } }), 201);
  const assigned = await office.api.PATCH('/v1/documents/{id}', { params: { path: { id: documentId } }, body: { assigneeId: optedOut.id } });
  expect(assigned.response.status).toBe(200);
  const sent = await office.sendQuote(documentId, contactEmail, { requireSignature: true });

  expect((await portal(sent.url, '/sign', { json: { signerName: 'Zoë Dupré', consent: true } })).status).toBe(200);
  await stack.client.workflow.getHandle(`quote-${documentId}`).result();
  expect((await office.events(documentId)).map((event) => event.type)).toContain('signed');
  expect(await subjectsTo(optedOut.email)).toEqual([]);
});
