/**
 * Answers taken back (issue 17), over real HTTP with the real quote workflow: the customer
 * withdraws an acceptance from the page's own form (twice clicked: one withdrawal, one webhook),
 * the quote is sent again and accepted anew; once the seller converts it, the window is closed —
 * the API answers 409 and the page says whom to call; a seller's time window closes it by itself.
 * The seller reopens a refused or an expired quote as a new version the customer accepts through
 * the new link; an accepted one is not reopened. A proof's approval is taken back the same way,
 * until the seller marks the proof in production.
 */
import { saveClosedHistory, saveReplayHistory } from '../replay/record';
import { recipientsOf } from '../support/outbox';
import { startReceiver } from '../support/webhook-receiver';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded } from '../support/api';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { quoteRunOver } from '../support/quote-run';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
  const seller = { legalName: 'Imprimerie Lumière', phone: '+33 1 23 45 67 89', email: 'contact@lumiere.test' };
  await succeeded(office.api.PATCH('/v1/settings', { body: { allowPrivateWebhookUrls: true, seller } }), 200);
});
afterAll(() => stack?.close());

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields), redirect: 'manual' });
}

const recording = process.env.RECORD_REPLAY_HISTORIES === '1';

const eventTypes = async (documentId: string) => (await office.events(documentId)).map((event) => event.type);
const count = (types: string[], type: string) => types.filter((one) => one === type).length;

async function acceptedQuote() {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const sent = await office.sendQuote(documentId, contactEmail);
  expect((await postJson(`${sent.url}/accept`, {})).status).toBe(200);
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the acceptance to be recorded' });
  return sent;
}

it('takes an acceptance back once, however often the form is posted: the quote is sent again, and accepted anew', async () => {
  const receiver = await startReceiver();
  try {
    await succeeded(office.api.POST('/v1/webhook-endpoints', { body: { url: receiver.url, events: ['document.withdrawn'] } }));
    const quote = await acceptedQuote();

    const page = await (await fetch(quote.url)).text();
    expect(page).toContain('Retirer mon acceptation');
    const fields = formFields(page, 'withdraw');
    // Two clicks of the same form: one decision.
    const [first, second] = await Promise.all([postForm(`${quote.url}/withdraw`, fields), postForm(`${quote.url}/withdraw`, fields)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(await first.text()).toContain('Votre réponse est retirée');
    expect(await postJson(`${quote.url}/withdraw`, { decisionId: fields.decisionId })).toMatchObject({ status: 200 });

    await eventually(async () => ((await office.document(quote.documentId)).status === 'sent' ? true : undefined), { what: 'the quote to be sent again' });
    const received = await eventually(async () => (receiver.received.length > 0 ? receiver.received : undefined), { what: 'the withdrawn webhook' });
    expect(count(await eventTypes(quote.documentId), 'withdrawn')).toBe(1);

    // The customer decides again, on the same link (a new page's form: a new decision).
    expect(await (await postJson(`${quote.url}/accept`, { decisionId: crypto.randomUUID() })).json()).toMatchObject({ status: 'accepted' });
    await eventually(async () => (count(await eventTypes(quote.documentId), 'accepted') === 2 ? true : undefined), { what: 'the second acceptance' });
    expect(received.map((request) => (JSON.parse(request.body) as { type: string }).type)).toEqual(['document.withdrawn']);
    expect(receiver.received).toHaveLength(1);
    if (recording) {
      await quoteRunOver(stack, quote.documentId);
      await saveReplayHistory(stack.client.workflow.getHandle(`quote-${quote.documentId}`), 'quote-withdrawn-accepted-moved-on');
    }
  } finally {
    await receiver.close();
  }
});

it('refuses a withdrawal once the quote is converted: 409 from the API, and the page says whom to call', async () => {
  const quote = await acceptedQuote();
  const page = await (await fetch(quote.url)).text();
  const fields = formFields(page, 'withdraw');

  const order = await office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: quote.documentId } }, body: { to: 'order' } });
  expect(order.response.status).toBe(201);
  // The conversion closed the window, and with it the quote's workflow.
  await stack.client.workflow.getHandle(`quote-${quote.documentId}`).result();

  const refused = await postJson(`${quote.url}/withdraw`, {});
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ detail: 'The acceptance can no longer be withdrawn' });
  const answered = await postForm(`${quote.url}/withdraw`, fields);
  expect(answered.status).toBe(409);
  const whomToCall = 'contactez Imprimerie Lumière (+33 1 23 45 67 89, contact@lumiere.test)';
  expect(await answered.text()).toContain(whomToCall);
  const reopened = await (await fetch(quote.url)).text();
  expect(reopened).not.toContain('Retirer mon acceptation');
  expect(reopened).toContain(whomToCall);
  expect((await office.document(quote.documentId)).status).toBe('accepted');
  expect(await eventTypes(quote.documentId)).not.toContain('withdrawn');
});

it("closes the window by itself when the seller's time is up", async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { withdrawalWindow: 'PT2S' } }), 200);
  try {
    const quote = await acceptedQuote();
    await stack.client.workflow.getHandle(`quote-${quote.documentId}`).result();
    if (recording) await saveClosedHistory(stack.client.workflow, `quote-${quote.documentId}`, 'quote-withdrawal-window-ended');
    const refused = await postJson(`${quote.url}/withdraw`, {});
    expect(refused.status).toBe(409);
    expect((await office.document(quote.documentId)).status).toBe('accepted');
  } finally {
    await succeeded(office.api.PATCH('/v1/settings', { body: { withdrawalWindow: null } }), 200);
  }
});

/** The link of the newest version, from the email that carries it. */
function newLink(contactEmail: string, oldUrl: string): Promise<string> {
  return eventually(
    async () =>
      (await stack.readOutbox())
        .filter((email) => recipientsOf(email).some((to) => to.includes(contactEmail)))
        .flatMap((email) => email.links)
        .find((link) => link.startsWith(`${stack.baseUrl}/d/`) && link !== oldUrl),
    { what: "the email with the reopened version's link" },
  );
}

const reopen = (id: string, body: { validUntil?: string } = {}) => office.api.POST('/v1/documents/{id}/reopen', { params: { path: { id } }, body });

async function reopenedAndAccepted(quote: { documentId: string; url: string; contactEmail: string }) {
  const url = await newLink(quote.contactEmail, quote.url);
  expect(await (await fetch(quote.url)).text()).toContain('Une nouvelle version de ce devis existe');
  expect(await (await postJson(`${url}/accept`, {})).json()).toMatchObject({ status: 'accepted' });
  await eventually(async () => ((await office.document(quote.documentId)).status === 'accepted' ? true : undefined), { what: 'the reopened quote to be accepted' });
  const types = await eventTypes(quote.documentId);
  expect(types.slice(types.indexOf('reopened'))).toEqual(['reopened', 'accepted']);
}

it('reopens a refused quote as a new version, which the customer accepts through the new link', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES });
  const quote = await office.sendQuote(documentId, contactEmail);
  expect((await postJson(`${quote.url}/refuse`, { reason: 'Trop cher' })).status).toBe(200);
  await quoteRunOver(stack, documentId);

  const reopened = await reopen(documentId, { validUntil: '2099-01-31' });
  expect(reopened.response.status).toBe(202);
  expect(reopened.data?.status).toBe('sent');
  expect(await eventually(async () => {
    const document = await office.document(documentId);
    return document.status === 'sent' ? document : undefined;
  }, { what: 'the quote to be sent again' })).toMatchObject({ version: 2 });
  const events = await office.events(documentId);
  expect(events.find((event) => event.type === 'reopened')).toMatchObject({ data: { version: 2 } });
  // A second reopen finds it open.
  expect((await reopen(documentId)).response.status).toBe(409);

  await reopenedAndAccepted(quote);
  if (recording) {
    await quoteRunOver(stack, documentId);
    await saveReplayHistory(stack.client.workflow.getHandle(`quote-${documentId}`), 'quote-reopened-accepted');
  }
});

it('reopens an expired quote with the default validity', async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES, validUntil: new Date(Date.now() + 3_000) });
  const quote = await office.sendQuote(documentId, contactEmail);
  await quoteRunOver(stack, documentId);
  expect((await office.document(documentId)).status).toBe('expired');

  const reopened = await reopen(documentId);
  expect(reopened.response.status).toBe(202);
  expect(new Date(reopened.data?.validUntil ?? 0).getTime()).toBeGreaterThan(Date.now() + 20 * 24 * 3600_000);
  await reopenedAndAccepted(quote);
});

it('does not reopen an accepted quote (409)', async () => {
  const quote = await acceptedQuote();
  const refused = await reopen(quote.documentId);
  expect(refused.response.status).toBe(409);
  expect(refused.error).toMatchObject({ detail: 'Only a refused or expired quote is reopened; this one is accepted.' });
});

it('takes a proof approval back until the seller marks it in production; then the page says whom to call', async () => {
  const { apiKey } = await stack.createTenant(`Atelier Sève ${crypto.randomUUID().slice(0, 8)}`);
  const api = greenlightClient(stack.baseUrl, apiKey);
  await succeeded(api.PATCH('/v1/settings', { body: { seller: { legalName: 'Atelier Sève', phone: '+46 8 123 45 67' } } }), 200);
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Bokhandel Lind', locale: 'en' } }));
  const email = `lind-${customer.id}@client.example`;
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Ebba Lind', email } }));
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, contactId: contact.id, title: 'Catalogue' } }));
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: await textPdf(proof.number, 1) }], { send: true })).status).toBe(201);
  const url = await newLink(email, '');
  const statusOf = async () => (await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: proof.id } } }))).status;
  const trail = async () => (await succeeded(api.GET('/v1/documents/{id}/events', { params: { path: { id: proof.id } } }))).data.map((event) => event.type);
  await eventually(async () => ((await statusOf()) === 'sent' ? true : undefined), { what: 'the proof to be sent' });

  expect(await (await postJson(`${url}/approve`, { revision: 1 })).json()).toMatchObject({ status: 'approved' });
  const page = await (await fetch(url)).text();
  expect(page).toContain('Withdraw my approval');
  const withdrawn = await postForm(`${url}/withdraw`, formFields(page, 'withdraw'));
  expect(withdrawn.status).toBe(200);
  expect(await withdrawn.text()).toContain('Your answer is withdrawn');
  await eventually(async () => ((await statusOf()) === 'sent' ? true : undefined), { what: 'the proof to await its answer again' });
  expect(count(await trail(), 'withdrawn')).toBe(1);

  // Approved again, then in production: the window is closed and the workflow over.
  expect(await (await postJson(`${url}/approve`, { revision: 1, decisionId: crypto.randomUUID() })).json()).toMatchObject({ status: 'approved' });
  expect((await api.POST('/v1/documents/{id}/production', { params: { path: { id: proof.id } } })).response.status).toBe(202);
  await stack.client.workflow.getHandle(`proof-${proof.id}`).result();
  if (recording) await saveClosedHistory(stack.client.workflow, `proof-${proof.id}`, 'proof-withdrawn-in-production');
  const refused = await postJson(`${url}/withdraw`, {});
  expect(refused.status).toBe(409);
  expect(await refused.json()).toMatchObject({ detail: 'The approval can no longer be withdrawn' });
  const closedPage = await (await fetch(url)).text();
  expect(closedPage).not.toContain('Withdraw my approval');
  expect(closedPage).toContain('contact Atelier Sève (+46 8 123 45 67)');
  expect(await trail()).toContain('in_production');
  // The same request again is answered as first; another decision finds it in production.
  const again = { params: { path: { id: proof.id }, header: { 'Idempotency-Key': crypto.randomUUID() } } };
  expect((await api.POST('/v1/documents/{id}/production', again)).response.status).toBe(409);
});
