/**
 * Customer links the seller makes, lists and revokes (POST/GET /v1/documents/:id/links, DELETE
 * /v1/links/:id; seed 002: every sent document has its web link), over real HTTP with the real
 * stack, and what the portal answers for a link that opens nothing any more: 410 Gone, a page
 * in the customer's language naming whom to contact, or problem+json. A quote whose validity
 * ended is not that: its link still shows it, expired, without decisions.
 */
import escapeHtml from 'escape-html';
import { MESSAGES } from '../../api/portal/i18n';
import { createAccessLink } from '../../services/db/links';
import { succeeded, type components } from '../support/api';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { backOffice, SAMPLE_LINES, type BackOffice, type SentQuote } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

const PROBLEMS = 'https://greenlight.dev/problems/';

async function sentQuote(locale: 'fr' | 'en' | 'sv', validUntil?: Date): Promise<SentQuote & { customerId: string; contactId: string }> {
  const { documentId, contactEmail } = await office.createQuote({ locale, lines: SAMPLE_LINES, ...(validUntil ? { validUntil } : {}) });
  const sent = await office.sendQuote(documentId, contactEmail);
  const { customerId, contactId } = await office.document(documentId);
  if (!contactId) throw new Error(`quote ${documentId} has no contact`);
  return { ...sent, customerId, contactId };
}

/** `decisionId`: the request's Idempotency-Key. */
function createLink(documentId: string, body: components['schemas']['CreateLink'], decisionId?: string, by = office) {
  return by.api.POST('/v1/documents/{id}/links', { params: { path: { id: documentId }, header: decisionId ? { 'Idempotency-Key': decisionId } : {} }, body });
}

/** A link the seller makes, which must be made (201). */
const newLink = (documentId: string, body: components['schemas']['CreateLink'], decisionId?: string) => succeeded(createLink(documentId, body, decisionId), 201);

const listLinks = (documentId: string) => succeeded(office.api.GET('/v1/documents/{id}/links', { params: { path: { id: documentId } } }), 200);
const revokeLink = (linkId: string, by = office) => by.api.DELETE('/v1/links/{id}', { params: { path: { id: linkId } } });

const asJson = { accept: 'application/json' };

/** What a customer's browser and a JSON client get from every portal address under a link. */
async function portalAnswers(url: string) {
  const post = (path: string, body: unknown) =>
    fetch(`${url}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...asJson }, body: JSON.stringify(body) });
  const answers = await Promise.all([
    fetch(url),
    fetch(url, { headers: asJson }),
    fetch(`${url}/pdf`),
    fetch(`${url}/messages`, { headers: asJson }),
    post('accept', {}),
    post('refuse', { reason: 'too late' }),
    post('hold', {}),
    post('messages', { body: 'Hello?' }),
    post('seen', { viewId: '6f1c1b7e-3f4e-4d5b-9a2b-1c2d3e4f5a6b' }),
  ]);
  return { page: answers[0], json: answers[1], statuses: answers.map((answer) => answer.status) };
}

const eventsOf = (documentId: string) => office.events(documentId);

describe('a link the seller makes', () => {
  it('opens the sent quote, is listed without its token, and is recorded in the trail', async () => {
    const quote = await sentQuote('en');
    const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId } });
    expect(created).toEqual({ id: expect.stringMatching(/^lnk_/), url: expect.stringMatching(new RegExp(`^${stack.baseUrl}/d/[A-Za-z0-9_-]{43}$`)), expiresAt: null });
    const token = created.url.slice(`${stack.baseUrl}/d/`.length);
    expect(created.url).not.toBe(quote.url);

    const page = await fetch(created.url, { headers: { 'user-agent': 'Mozilla/5.0 (SellerLinkTest)' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const line of SAMPLE_LINES) expect(html).toContain(escapeHtml(line.description));
    expect(html).toContain(escapeHtml(MESSAGES.en.accept));

    const listed = await eventually(
      async () => {
        const list = await listLinks(quote.documentId);
        return list.data.find((link) => link.id === created.id)?.lastUsedAt ? list : undefined;
      },
      { what: 'the open to show as the link last use' },
    );
    expect(listed.nextCursor).toBeNull();
    // The emailed link and the seller's, newest first.
    expect(listed.data).toHaveLength(2);
    expect(listed.data[0]).toEqual({
      id: created.id,
      recipient: { contactId: quote.contactId, name: 'Zoë Dupré', email: quote.contactEmail, phone: null },
      actions: ['view', 'download', 'accept', 'sign', 'refuse', 'hold'],
      createdAt: expect.any(String),
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: expect.any(String),
      forwardedFrom: null,
    });
    expect(listed.data[1]).toMatchObject({ recipient: { email: quote.contactEmail }, lastUsedAt: null, revokedAt: null });
    const listedJson = JSON.stringify(listed);
    expect(listedJson).not.toContain(token);
    expect(listedJson).not.toContain(quote.token);
    expect(listedJson).not.toMatch(/token/i);

    expect(await eventsOf(quote.documentId)).toContainEqual(
      expect.objectContaining({ type: 'link_created', actor: 'seller', data: expect.objectContaining({ linkId: created.id, actions: listed.data[0]?.actions }) }),
    );
    const stored = await stack.prisma.accessLink.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.tokenHash).not.toContain(token);
  });

  it('carries only the actions asked, always view; an email recipient gets their own name', async () => {
    const quote = await sentQuote('en');
    const created = await newLink(quote.documentId, { recipient: { email: 'buyer@elsewhere.test', name: 'Ines Berg' }, actions: ['download'] });
    const page = await (await fetch(created.url)).text();
    expect(page).toContain(escapeHtml(MESSAGES.en.downloadPdf));
    expect(page).not.toContain(escapeHtml(MESSAGES.en.accept));
    expect(page).not.toMatch(/action="[^"]*\/(accept|refuse|hold|sign)"/);
    const [listed] = (await listLinks(quote.documentId)).data;
    expect(listed).toMatchObject({ recipient: { contactId: null, name: 'Ines Berg', email: 'buyer@elsewhere.test' }, actions: ['view', 'download'] });
  });

  it('refuses what it cannot be: a draft (409), another customer or tenant contact, an action of another kind, a past expiry (422)', async () => {
    const { documentId: draftId } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
    const draft = await createLink(draftId, { recipient: { email: 'someone@customer.test' } });
    expect(draft.response.status).toBe(409);
    expect(draft.error?.detail).toMatch(/draft.*sent/);

    const quote = await sentQuote('fr');
    const contactOfNewCustomer = async (by: BackOffice, name: string, contact: { name: string; email: string }) => {
      const customer = await succeeded(by.api.POST('/v1/customers', { body: { name } }));
      return succeeded(by.api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: contact }));
    };
    const theirContact = await contactOfNewCustomer(office, 'Autre client', { name: 'Paul', email: 'paul@autre.test' });
    const stranger = await backOffice(stack);
    const strangerContact = await contactOfNewCustomer(stranger, 'Ailleurs', { name: 'Eve', email: 'eve@ailleurs.test' });

    for (const contactId of [theirContact.id, strangerContact.id]) {
      const refused = await createLink(quote.documentId, { recipient: { contactId } });
      expect(refused.response.status).toBe(422);
      expect(refused.error?.errors).toEqual([{ path: 'recipient.contactId', message: expect.any(String) }]);
    }
    const forward = await createLink(quote.documentId, { recipient: { contactId: quote.contactId }, actions: ['accept', 'forward', 'approve'] });
    expect(forward.response.status).toBe(422);
    expect(forward.error?.errors).toEqual([{ path: 'actions', message: expect.stringMatching(/forward, approve/) }]);
    const past = await createLink(quote.documentId, { recipient: { contactId: quote.contactId }, expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.response.status).toBe(422);
    expect(past.error?.errors).toEqual([{ path: 'expiresAt', message: expect.any(String) }]);
    // An action the document does not list: sent outside the typed client.
    const unknownAction = await office.raw('POST', `/v1/documents/${quote.documentId}/links`, { recipient: { contactId: quote.contactId }, actions: ['delete'] });
    expect(unknownAction.status).toBe(400);

    // Nothing was made: the emailed link alone, and no link_created.
    expect((await listLinks(quote.documentId)).data).toHaveLength(1);
    expect((await eventsOf(quote.documentId)).map((event) => event.type)).not.toContain('link_created');

    // Another tenant's document, and its links, are not found.
    expect((await createLink(quote.documentId, { recipient: { email: 'x@y.test' } }, undefined, stranger)).response.status).toBe(404);
    expect((await stranger.api.GET('/v1/documents/{id}/links', { params: { path: { id: quote.documentId } } })).response.status).toBe(404);
  });

  it('with an Idempotency-Key, answers a retry with the same link and URL, stored nowhere', async () => {
    const quote = await sentQuote('sv');
    const key = `link-${quote.documentId}`;
    const body = { recipient: { email: 'kund@exempel.test', name: 'Kim' }, expiresAt: new Date(Date.now() + 7 * 24 * 3600_000).toISOString() };
    const first = await newLink(quote.documentId, body, key);
    const again = await createLink(quote.documentId, body, key);
    expect(again.response.status).toBe(201);
    expect(again.data).toEqual(first);
    expect((await fetch(first.url)).status).toBe(200);
    expect((await createLink(quote.documentId, { ...body, actions: ['view'] }, key)).response.status).toBe(422);

    expect((await eventsOf(quote.documentId)).filter((event) => event.type === 'link_created')).toHaveLength(1);
    const token = first.url.slice(`${stack.baseUrl}/d/`.length);
    const kept = await stack.prisma.idempotentRequest.findMany({ where: { key } });
    expect(kept).toHaveLength(1);
    expect(JSON.stringify(kept)).not.toContain(token);
  });
});

describe('a link that opens nothing any more', () => {
  it('revoked: 410 everywhere in the customer language, problem+json for JSON, nothing recorded; revoking twice is 204', async () => {
    const quote = await sentQuote('sv');
    const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId } });
    const revoked = await revokeLink(created.id);
    expect(revoked.response.status).toBe(204);
    expect(await revoked.response.text()).toBe('');
    const before = await eventsOf(quote.documentId);

    const { page, json, statuses } = await portalAnswers(created.url);
    expect(statuses.every((status) => status === 410)).toBe(true);
    const html = await page.text();
    expect(html).toContain('<html lang="sv">');
    expect(html).toContain(escapeHtml(MESSAGES.sv.linkRevoked.title));
    expect(html).toContain('Jeanne Martin');
    expect(html).toMatch(/mailto:jeanne-[0-9a-f]+@lumiere\.test/);
    expect(json.headers.get('content-type')).toContain('application/problem+json');
    expect(await json.json()).toMatchObject({ type: `${PROBLEMS}link-revoked`, status: 410, detail: expect.stringContaining('Jeanne Martin') });
    // The emailed link still works: only the one revoked is gone.
    expect((await fetch(quote.url)).status).toBe(200);

    const revokedAgain = await revokeLink(created.id);
    expect(revokedAgain.response.status).toBe(204);
    expect(await revokedAgain.response.text()).toBe('');
    const after = await eventsOf(quote.documentId);
    // Only the emailed link's open since: the dead one recorded nothing, and one revocation.
    expect(after.slice(before.length).map((event) => event.type)).toEqual(['opened']);
    expect(after.filter((event) => event.type === 'link_revoked')).toEqual([expect.objectContaining({ actor: 'seller', data: { linkId: created.id, colleagueLinkIds: [] } })]);
    expect((await listLinks(quote.documentId)).data.find((link) => link.id === created.id)?.revokedAt).toEqual(expect.any(String));
    expect((await office.document(quote.documentId)).status).toBe('sent');

    const stranger = await backOffice(stack);
    const emailed = (await listLinks(quote.documentId)).data.find((link) => link.id !== created.id);
    expect((await revokeLink(emailed?.id ?? '', stranger)).response.status).toBe(404);
    expect((await fetch(quote.url)).status).toBe(200);
  });

  it('revoked with the colleague links forwarded from it', async () => {
    const quote = await sentQuote('fr');
    const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId } });
    const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: quote.documentId } });
    const colleague = await createAccessLink(
      stack.prisma,
      { tenantId: document.tenantId, documentId: document.id, recipient: { email: 'colleague@customer.test' }, actions: ['view'], forwardedFromLinkId: created.id },
      stack.baseUrl,
    );
    expect((await listLinks(quote.documentId)).data[0]).toMatchObject({ id: colleague.link.id, forwardedFrom: created.id });

    expect((await revokeLink(created.id)).response.status).toBe(204);
    const answer = await fetch(colleague.url);
    expect(answer.status).toBe(410);
    expect(await answer.text()).toContain(escapeHtml(MESSAGES.fr.linkRevoked.title));
    expect((await eventsOf(quote.documentId)).find((event) => event.type === 'link_revoked')?.data).toEqual({ linkId: created.id, colleagueLinkIds: [colleague.link.id] });
  });

  it('expired: 410 once its expiresAt passed, saying since when', async () => {
    const quote = await sentQuote('fr');
    const expiresAt = new Date(Date.now() + 4000);
    const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId }, expiresAt: expiresAt.toISOString() });
    expect(created.expiresAt).toBe(expiresAt.toISOString());
    const page = await eventually(
      async () => {
        const answer = await fetch(created.url);
        return answer.status === 410 ? answer.text() : undefined;
      },
      { what: 'the link to expire' },
    );
    expect(page).toContain(escapeHtml(MESSAGES.fr.linkExpired.title));
    expect(page).toContain('Jeanne Martin');
    const { json, statuses } = await portalAnswers(created.url);
    expect(statuses.every((status) => status === 410)).toBe(true);
    expect(await json.json()).toMatchObject({ type: `${PROBLEMS}link-expired`, status: 410 });
  });

  it("of a cancelled document: every link 410, and the seller can make no more", async () => {
    const quote = await sentQuote('en');
    const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId } });
    expect((await office.api.POST('/v1/documents/{id}/cancel', { params: { path: { id: quote.documentId } }, body: { reason: 'Ordered by phone' } })).response.status).toBe(202);
    await eventually(async () => ((await office.document(quote.documentId)).status === 'cancelled' ? true : undefined), { what: 'the quote to be cancelled' });

    for (const url of [quote.url, created.url]) {
      const { page, json, statuses } = await portalAnswers(url);
      expect(statuses.every((status) => status === 410)).toBe(true);
      const html = await page.text();
      expect(html).toContain(escapeHtml(MESSAGES.en.documentCancelled.title));
      expect(html).toContain('Jeanne Martin');
      expect(await json.json()).toMatchObject({ type: `${PROBLEMS}document-cancelled`, status: 410 });
    }
    const refused = await createLink(quote.documentId, { recipient: { contactId: quote.contactId } });
    expect(refused.response.status).toBe(409);
    expect(refused.error?.detail).toMatch(/cancelled/);
  });
});

it('keeps an expired quote readable: marked expired, without decisions, and a new link shows it too', async () => {
  // Long enough for the quote to be sent before, on a loaded machine.
  const quote = await sentQuote('en', new Date(Date.now() + 12_000));
  await eventually(async () => ((await office.document(quote.documentId)).status === 'expired' ? true : undefined), { what: 'the quote to expire' });

  const created = await newLink(quote.documentId, { recipient: { contactId: quote.contactId } });
  for (const url of [quote.url, created.url]) {
    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(escapeHtml(MESSAGES.en.banner.expired));
    expect(html).not.toMatch(/action="[^"]*\/(accept|refuse|hold|sign)"/);
    for (const line of SAMPLE_LINES) expect(html).toContain(escapeHtml(line.description));
  }
  // A decision is refused with the reason, not with a dead link.
  const accept = await fetch(`${quote.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', ...asJson }, body: '{}' });
  expect(accept.status).toBe(409);
});

it('describes the link routes and their answers in the OpenAPI document', async () => {
  const document = (await (await fetch(`${stack.baseUrl}/v1/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }> }>>;
    components: { schemas: Record<string, { description?: string; properties?: Record<string, { description?: string }> }> };
  };
  const links = document.paths['/v1/documents/{id}/links'];
  expect(links?.post?.responses['201']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/CreatedLink');
  expect(Object.keys(links?.post?.responses ?? {})).toEqual(expect.arrayContaining(['201', '404', '409', '422']));
  expect(links?.get?.responses['200']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/LinkList');
  const revoke = document.paths['/v1/links/{id}']?.delete;
  expect(Object.keys(revoke?.responses ?? {})).toEqual(expect.arrayContaining(['204', '404']));
  expect(revoke?.responses['204']?.content).toBeUndefined();
  expect(document.components.schemas.CreatedLink?.properties?.url?.description).toMatch(/410 Gone.*link-revoked, link-expired or document-cancelled/);
});
