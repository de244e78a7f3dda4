/**
 * The proof portal's routes over real HTTP with the real stack (API, worker, Temporal,
 * PostgreSQL, rendering): what the page shows, which page images and PDFs a link reaches, and
 * the decisions it refuses — each refusal clear, in JSON or HTML, and changing nothing.
 *
 * The back office goes through the typed client; the portal is not part of the OpenAPI document,
 * so its pages, JSON and form posts stay raw fetch (fetchPortal), as does the multipart upload
 * (test/support/proof-uploads.ts).
 */
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { eventually } from '../support/eventually';
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { formFields } from './portal-fixtures';
import { MESSAGES } from '../../api/portal/i18n';
import escapeHtml from 'escape-html';

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;
let customerId: string;
let contactId: string;
const unique = () => randomBytes(4).toString('hex');
const contactEmail = `zoe-${unique()}@client-portail.example`;
const TERMS = { version: '2026-03', text: 'Conditions générales de vente : paiement à 30 jours.' };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = { status: number; headers: Headers; body: any; bytes: Buffer };

async function fetchPortal(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${stack.baseUrl}${path}`, init);
  const bytes = Buffer.from(await response.arrayBuffer());
  const type = response.headers.get('content-type') ?? '';
  const body = type.includes('json') ? JSON.parse(bytes.toString('utf8')) : type.startsWith('text/') ? bytes.toString('utf8') : undefined;
  return { status: response.status, headers: response.headers, body, bytes };
}

const postJson = (path: string, body: Record<string, unknown>) =>
  fetchPortal(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });

const postForm = (path: string, fields: Record<string, string>) =>
  fetchPortal(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

/** A proof uploaded with ?send=true; the contact's link from the email once the proof is sent. */
async function sentProof(pages: number): Promise<{ id: string; number: string; path: string }> {
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Catalogue', number: `BAT-${unique()}` } }));
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: await textPdf(proof.number, pages) }], { send: true });
  expect(uploaded.status).toBe(201);
  const url = await eventually(
    async () => {
      const email = (await stack.readOutbox()).find((candidate) => recipientsOf(candidate).includes(contactEmail) && candidate.subject.includes(proof.number));
      return email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
    },
    { what: `the email of ${proof.number}` },
  );
  await eventually(async () => ((await documentOf(proof.id)).status === 'sent' ? true : undefined), { what: 'the proof sent' });
  return { id: proof.id, number: proof.number, path: url.slice(stack.baseUrl.length) };
}

const documentOf = (id: string) => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id } } }));
const eventTypes = async (id: string) => (await documentEvents(api, id)).map((event) => event.type);

let three: Awaited<ReturnType<typeof sentProof>>;
let one: Awaited<ReturnType<typeof sentProof>>;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(`Imprimerie Portail ${unique()}`));
  api = greenlightClient(stack.baseUrl, apiKey);
  expect((await api.PATCH('/v1/settings', { body: { termsOfSale: TERMS, hourlyRate: 6500 } })).response.status).toBe(200);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Librairie Sève', locale: 'fr' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
  [three, one] = await Promise.all([sentProof(3), sentProof(1)]);
});

afterAll(async () => {
  await stack?.close();
});

describe('the proof page', () => {
  it('shows every page in order, the terms to accept, the change-cost notice, and the forms naming the revision', async () => {
    const page = await fetchPortal(three.path, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' } });
    expect(page.status).toBe(200);
    const html = page.body as string;
    expect([...html.matchAll(/<figure class="proof-page" data-page="(\d+)"/g)].map((match) => match[1])).toEqual(['1', '2', '3']);
    expect(html).toContain(`${three.path}/pages/2?revision=1&amp;size=zoom`);
    expect(html).toContain('name="acceptTerms"');
    expect(html).toContain(TERMS.text);
    expect(html).toMatch(/taux horaire habituel \(65,00\s€ de l’heure\)/);
    expect(html).toContain('Approuver la révision 1');
    expect(formFields(html, 'approve')).toMatchObject({ revision: '1', termsVersion: TERMS.version });
  });
});

describe('page images and the PDF', () => {
  it('serves the pages of the link’s own ready revision, cached for good when the revision is named', async () => {
    const named = await fetchPortal(`${three.path}/pages/2?revision=1`);
    expect(named.status).toBe(200);
    expect(named.headers.get('content-type')).toBe('image/jpeg');
    expect(named.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const current = await fetchPortal(`${three.path}/pages/2`);
    expect(current.headers.get('cache-control')).toBe('private, no-cache');
    const [preview, zoom, thumbnail] = await Promise.all(
      ['preview', 'zoom', 'thumbnail'].map(async (size) => (await sharp((await fetchPortal(`${three.path}/pages/1?revision=1&size=${size}`)).bytes).metadata()).width ?? 0),
    );
    expect(zoom).toBeGreaterThan(preview as number);
    expect(preview).toBeGreaterThan(thumbnail as number);
  });

  it('offers each preview at its widths (srcset, sizes), each address serving an image of the width it announces', async () => {
    const html = (await fetchPortal(three.path)).body as string;
    const images = [...html.matchAll(/<img src="[^"]+" srcset="([^"]+)" sizes="([^"]+)"/g)];
    expect(images).toHaveLength(3);
    expect(images[0]![2]).toBe('(min-width: 80rem) 48.75rem, (min-width: 60rem) calc(100vw - 31.25rem), calc(100vw - 1rem)');
    const candidates = images[0]![1]!.replace(/&amp;/g, '&').split(', ').map((candidate) => candidate.split(' '));
    expect(candidates.map(([, width]) => width)).toEqual(['800w', '1200w', '1600w']);
    for (const [url, width] of candidates) {
      const image = await fetchPortal(url!);
      expect(image.status).toBe(200);
      expect(`${(await sharp(image.bytes).metadata()).width}w`).toBe(width);
    }
  });

  it('answers 404 for a page out of range, another revision, another document’s page, or a document that is no proof', async () => {
    expect((await fetchPortal(`${three.path}/pages/4?revision=1`)).status).toBe(404);
    expect((await fetchPortal(`${three.path}/pages/0`)).status).toBe(404);
    expect((await fetchPortal(`${three.path}/pages/1?revision=2`)).status).toBe(404);
    // The one-page proof's link reaches its own page 1 only: page 2 exists, but on the other proof.
    expect((await fetchPortal(`${one.path}/pages/1?revision=1`)).status).toBe(200);
    expect((await fetchPortal(`${one.path}/pages/2?revision=1`)).status).toBe(404);
    const quote = await succeeded(
      api.POST('/v1/documents', { body: { kind: 'quote', customerId, contactId, lines: [{ description: 'Impression', quantity: 1, unitPrice: 10000, taxRate: 20 }] } }),
    );
    expect((await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.id } }, body: {} })).response.status).toBe(202);
    const quoteLink = await eventually(
      async () =>
        (await stack.readOutbox())
          .find((email) => recipientsOf(email).includes(contactEmail) && email.subject.includes(quote.number))
          ?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`)),
      { what: `the email of ${quote.number}` },
    );
    expect((await fetchPortal(`${quoteLink.slice(stack.baseUrl.length)}/pages/1`)).status).toBe(404);
    const unknown = await fetchPortal(`/d/${'A'.repeat(43)}/pages/1`, { headers: { accept: 'application/json' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetchPortal(`${three.path}/pages/1?size=huge`, { headers: { accept: 'application/json' } })).status).toBe(400);
  });

  it('downloads the watermarked PDF of the revision, never the original, and records the download', async () => {
    const pdf = await fetchPortal(`${three.path}/pdf`, { headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0' } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/attachment; filename=".*r1\.pdf"/);
    const seller = await api.GET('/v1/documents/{id}/revisions/{number}/pdf', { params: { path: { id: three.id, number: 1 } }, parseAs: 'arrayBuffer' });
    expect(Buffer.from(seller.data ?? new ArrayBuffer(0)).equals(pdf.bytes)).toBe(true);
    await eventually(async () => ((await documentOf(three.id)).downloadCount === 1 ? true : undefined), {
      what: 'the download counted',
    });
  });

  it('serves the seller the same images and PDF through the API, and another tenant nothing', async () => {
    const image = await api.GET('/v1/documents/{id}/revisions/{number}/pages/{page}', {
      params: { path: { id: three.id, number: 1, page: 3 }, query: { size: 'thumbnail' } },
      parseAs: 'arrayBuffer',
    });
    expect(image.response.status).toBe(200);
    expect(image.response.headers.get('content-type')).toBe('image/jpeg');
    expect((await api.GET('/v1/documents/{id}/revisions/{number}/pages/{page}', { params: { path: { id: three.id, number: 1, page: 4 } } })).response.status).toBe(404);
    const other = greenlightClient(stack.baseUrl, (await stack.createTenant(`Autre ${unique()}`)).apiKey);
    const otherRead = await other.GET('/v1/documents/{id}/revisions/{number}/pdf', { params: { path: { id: three.id, number: 1 } }, parseAs: 'arrayBuffer' });
    expect(otherRead.response.status).toBe(404);
  });
});

describe('decisions the proof refuses', () => {
  it('refuses an approval without the terms when they are asked: 409 with the reason, nothing recorded', async () => {
    const refused = await postJson(`${one.path}/approve`, { revision: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ status: 409, detail: 'The terms of sale must be accepted to approve the proof' });
    expect(await eventTypes(one.id)).not.toContain('approved');
    expect((await documentOf(one.id)).status).not.toBe('approved');
  });

  it('refuses a change request without a comment as bad input, in JSON and on the page, naming the field in the customer’s language', async () => {
    const json = await postJson(`${one.path}/request-changes`, { revision: 1, comment: '   ' });
    expect(json.status).toBe(400);
    expect(json.body.errors).toEqual([{ path: 'comment', message: 'say what should change' }]);
    const page = await fetchPortal(one.path);
    const form = await postForm(`${one.path}/request-changes`, { ...formFields(page.body as string, 'request-changes'), comment: '' });
    expect(form.status).toBe(400);
    expect(form.headers.get('content-type')).toContain('text/html');
    expect(form.body).toContain('La demande n’est pas valide\u202f: vérifiez les modifications souhaitées.');
    // A pin the form's script could not have written: the pins are named.
    const badPin = await postForm(`${one.path}/request-changes`, { ...formFields(page.body as string, 'request-changes'), comment: 'Voir', pins: '[{"page":1}]' });
    expect(badPin.status).toBe(400);
    expect(badPin.body).toContain('La demande n’est pas valide\u202f: vérifiez les repères sur les pages.');
    expect(await eventTypes(one.id)).not.toContain('changes_requested');
  });

  it('takes a change request without a pin: the form’s own empty `pins` field, and a JSON client’s', async () => {
    const [byForm, byJson] = await Promise.all([sentProof(1), sentProof(1)]);
    const page = (await fetchPortal(byForm.path)).body as string;
    const fields = formFields(page, 'request-changes');
    expect(fields.pins).toBe('');
    const answered = await postForm(`${byForm.path}/request-changes`, { ...fields, comment: 'Le titre en bleu, s’il vous plaît.' });
    expect(answered.status).toBe(200);
    expect(answered.body).toContain('Votre demande de modifications a bien été envoyée.');
    const json = await postJson(`${byJson.path}/request-changes`, { revision: 1, comment: 'Le titre en bleu', pins: '' });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ status: 'changes_requested' });
    for (const proof of [byForm, byJson]) {
      const read = await documentOf(proof.id);
      expect(read.status).toBe('changes_requested');
      expect(read.revisions?.[0]?.changeRequests).toEqual([expect.objectContaining({ comment: expect.stringContaining('Le titre en bleu'), pins: [] })]);
    }
  });

  it('refuses a decision on another revision than the current one, with the reason', async () => {
    const refused = await postJson(`${one.path}/request-changes`, { revision: 2, comment: 'Plus grand' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('This decision is about revision 2 of the proof; the current revision is 1');
  });

  it('takes a change request with pins, lists it with its revision, and then refuses an approval of that revision', async () => {
    const pins = [{ page: 1, x: 0.25, y: 0.5, comment: 'Logo plus grand' }];
    const taken = await postJson(`${one.path}/request-changes`, { revision: 1, comment: 'Voir le repère', pins });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ status: 'changes_requested' });
    const document = await documentOf(one.id);
    // Each pin numbered as drawn, and not resolved until the seller says so (proof-revision-review.test.ts).
    const listedPins = pins.map((pin, index) => ({ ...pin, number: index + 1, resolved: false, resolution: null }));
    expect(document.revisions?.[0]?.changeRequests).toEqual([expect.objectContaining({ comment: 'Voir le repère', pins: listedPins, by: expect.objectContaining({ name: 'Zoë Dupré' }) })]);

    const refused = await postJson(`${one.path}/approve`, { revision: 1, acceptTerms: true });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('Changes were already requested on revision 1; the next revision will be sent for approval');
    // The page shows the request and its pin on the page, and no form any more.
    const page = (await fetchPortal(one.path)).body as string;
    expect(page).toContain('Voir le repère');
    expect(page).toMatch(/<span class="pin" style="left:25\.00%;top:50\.00%"/);
    expect(page).not.toContain('action="' + one.path + '/approve"');
  });

  it('refuses the decisions of another kind: a proof is not accepted', async () => {
    const refused = await postJson(`${three.path}/accept`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('A proof is approved or sent back with changes; it takes no accept');
  });
});

describe('an approval', () => {
  it('answers with one banner that says what happens next, and confirms it to the customer by email, once', async () => {
    const proof = await sentProof(1);
    const page = (await fetchPortal(proof.path)).body as string;
    const answered = await postForm(`${proof.path}/approve`, { ...formFields(page, 'approve'), acceptTerms: 'true' });
    expect(answered.status).toBe(200);
    const banners = [...(answered.body as string).matchAll(/<p class="(banner|notice)[^"]*" role="status"[^>]*>(.*?)<\/p>/g)];
    expect(banners.map(([, kind]) => kind)).toEqual(['banner']);
    expect(banners[0]?.[0]).toContain('data-status="approved"');
    expect(banners[0]?.[2]).toContain(`<span class="next">${escapeHtml(MESSAGES.fr.decided.approve)}</span>`);

    const confirmation = (email: OutboxEmail) => recipientsOf(email).includes(contactEmail) && email.subject.startsWith(`BAT ${proof.number} approuvé`);
    const [email] = await eventually(async () => {
      const found = (await stack.readOutbox()).filter(confirmation);
      return found.length > 0 ? found : undefined;
    }, { what: 'the confirmation of the approval' });
    expect(email?.text).toContain('Votre travail part en production');
    expect(email?.links.some((link) => link.startsWith(`${stack.baseUrl}/d/`))).toBe(true);
    // Still one once the workflow has settled (the notices run behind the answer).
    await eventually(async () => ((await documentOf(proof.id)).status === 'approved' ? true : undefined), { what: 'the proof approved' });
    expect((await stack.readOutbox()).filter(confirmation)).toHaveLength(1);
  });
});
