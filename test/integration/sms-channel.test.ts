/**
 * SMS as a channel of its own (issue 14), over real HTTP, real Temporal and Twilio's SDK against
 * the local outbox standing in for Twilio: a quote's link texted to a number (once, though the
 * connection dropped after Twilio took it and the activity was retried), its reminder by SMS, an
 * order, an invoice and a proof texted too, a salesperson texted of an acceptance as their
 * preference says, and numbers no network dials refused with a 422 that changes nothing.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { saveClosedHistory } from '../replay/record';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { postPortalDecision } from '../support/http';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { createQuoteScenario, portalLinkIn } from '../support/quote-scenario';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { quoteRunOver } from '../support/quote-run';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let api: GreenlightClient;
let apiKey: string;
let proxy: http.Server;
/** Texts whose first request reached Twilio's stand-in and whose answer never came back. */
const lostAnswers = new Set<string>();

/**
 * Between Twilio's SDK and the outbox: each text's first POST is delivered, then the connection
 * is cut before the answer, as a network drop would; everything else passes through.
 */
async function startDroppingProxy(): Promise<string> {
  proxy = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { authorization: request.headers.authorization ?? '', 'content-type': request.headers['content-type'] ?? 'application/x-www-form-urlencoded' };
      fetch(`${stack.outboxUrl}${request.url}`, { method: request.method, headers, ...(request.method === 'POST' ? { body } : {}) }).then(
        async (answer) => {
          const text = await answer.text();
          const key = request.method === 'POST' ? body.toString('utf8') : '';
          if (key && !lostAnswers.has(key)) {
            lostAnswers.add(key);
            request.socket.destroy();
            return;
          }
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          response.end(text);
        },
        () => request.socket.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const twilioUrl = await startDroppingProxy();
  stack = await startStack({ env: { TWILIO_API_URL: twilioUrl } });
  const tenant = await stack.createTenant('Imprimerie Durand');
  apiKey = tenant.apiKey;
  api = greenlightClient(stack.baseUrl, apiKey);
  // The seller's own number says where national numbers are read: France.
  await succeeded(api.PATCH('/v1/settings', { body: { seller: { legalName: 'Imprimerie Durand', phone: '+33 4 78 00 00 00' } } }));
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => proxy?.close(resolve));
});

const texts = async (number: string, about: string): Promise<OutboxEmail[]> =>
  (await stack.readOutbox()).filter((message) => recipientsOf(message).includes(number) && message.text?.includes(about)).reverse();

const byId = (id: string) => ({ params: { path: { id } } });
const statusOf = async (id: string) => (await succeeded(api.GET('/v1/documents/{id}', byId(id)))).status;

it("texts a quote's link to a number once, though Twilio's answer was lost, and its reminder by SMS", async () => {
  const { documentId, number, contactEmail } = await createQuoteScenario(api);
  const quote = { id: documentId, number };
  const sent = await api.POST('/v1/documents/{id}/send', { ...byId(quote.id), body: { to: { phone: '06 12 34 56 78', name: 'Zoé' }, channel: 'sms' } });
  expect(sent.response.status).toBe(202);
  await eventually(async () => ((await statusOf(quote.id)) === 'sent' ? true : undefined), { what: 'the quote sent by SMS' });

  // Read as French, written E.164; the seller's name first, the portal link that opens the quote.
  const [first, ...more] = await texts('+33612345678', quote.number);
  expect(more).toEqual([]);
  expect(first).toMatchObject({ channel: 'sms', from: '+15005550006' });
  expect(first?.text).toMatch(new RegExp(`^Imprimerie Durand : votre devis ${quote.number} \\(.+\\) est prêt\\. Consultez-le et répondez en ligne : ${stack.config.publicUrl}/d/`));
  const link = portalLinkIn(first as OutboxEmail, stack.config.publicUrl);
  expect((await fetch(link)).status).toBe(200);
  // The developer's outbox shows it as a text, to the number, from the sender.
  const listed = (await (await fetch(`${stack.baseUrl}/dev/outbox`, { headers: { accept: 'application/json' } })).json()) as { data: { id: string }[] };
  expect(listed.data.find((message) => message.id === first?.id)).toMatchObject({ channel: 'sms', from: '+15005550006', to: ['+33612345678'], links: [link] });
  // Its first request reached the stand-in and lost its answer: the retry found it there.
  expect([...lostAnswers].some((body) => body.includes(encodeURIComponent(quote.number)))).toBe(true);
  // By SMS only: no email to the customer.
  expect((await stack.readOutbox()).filter((message) => recipientsOf(message).includes(contactEmail))).toEqual([]);

  expect((await api.POST('/v1/documents/{id}/remind', byId(quote.id))).response.status).toBe(202);
  const reminders = await eventually(async () => {
    const found = await texts('+33612345678', quote.number);
    return found.length === 2 ? found : undefined;
  }, { what: 'the reminder texted' });
  expect(reminders[1]?.text).toContain(`Imprimerie Durand : rappel, votre devis ${quote.number}`);
  expect(portalLinkIn(reminders[1] as OutboxEmail, stack.config.publicUrl)).not.toBe(link);
  const events = await succeeded(api.GET('/v1/documents/{id}/events', byId(quote.id)));
  expect(events.data.map((event) => event.type)).toEqual(expect.arrayContaining(['sent', 'reminded']));
});

it('texts the salesperson of an acceptance when their preference for decisions says sms', async () => {
  const scenario = await createQuoteScenario(api, undefined, { user: { phone: '06 98 76 54 32', notify: { decided: ['sms'] } }, contactPhone: '+46 70 123 45 67' });
  expect((await succeeded(api.GET('/v1/users/{id}', byId(scenario.userId)))).phone).toBe('+33698765432');
  const quote = { id: scenario.documentId, number: scenario.number };
  // To the contact's mobile, written internationally.
  expect((await api.POST('/v1/documents/{id}/send', { ...byId(quote.id), body: { channel: 'sms' } })).response.status).toBe(202);
  const [sent] = await eventually(async () => {
    const found = await texts('+46701234567', quote.number);
    return found.length ? found : undefined;
  }, { what: "the quote texted to the contact's mobile" });
  const link = portalLinkIn(sent as OutboxEmail, stack.config.publicUrl);
  expect(await postPortalDecision(link, 'accept', { decisionId: `sms-${quote.id}` })).toMatchObject({ status: 200, body: { status: 'accepted' } });
  await quoteRunOver(stack, quote.id);

  const notices = await texts('+33698765432', quote.number);
  expect(notices.map((notice) => notice.text)).toEqual([expect.stringMatching(new RegExp(`^Devis ${quote.number} accepté par Zoé Müller le .+ UTC\\.$`))]);
  // Decisions by SMS only: no email of the acceptance to the salesperson.
  expect((await stack.readOutbox()).filter((message) => recipientsOf(message).includes(scenario.userEmail) && message.subject.includes('accepté'))).toEqual([]);
  // A quote texted, then accepted: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(stack.client.workflow, `quote-${quote.id}`, 'quote-texted-accepted');
});

it('texts an order, an invoice and a proof as it texts a quote: any document goes by SMS', async () => {
  const { customerId, contactId } = await createQuoteScenario(api, undefined, { contactPhone: '07 81 22 33 44' });
  const lines = [{ description: 'Affiches A2, papier satiné', quantity: 25, unitPrice: 450, taxRate: 20 }];
  for (const [kind, words] of [
    ['order', 'votre bon de commande'],
    ['invoice', 'votre facture'],
  ] as const) {
    const document = await succeeded(api.POST('/v1/documents', { body: { kind, customerId, contactId, lines } }));
    const sent = await api.POST('/v1/documents/{id}/send', { ...byId(document.id), body: { channel: 'sms' } });
    expect([sent.response.status, sent.error]).toEqual([202, undefined]);
    const [text] = await eventually(async () => {
      const found = await texts('+33781223344', document.number);
      return found.length ? found : undefined;
    }, { what: `the ${kind} texted` });
    expect(text?.text).toContain(`Imprimerie Durand : ${words} ${document.number}`);
    expect((await fetch(portalLinkIn(text as OutboxEmail, stack.config.publicUrl))).status).toBe(200);
  }

  // A proof, once its revision is rendered: its link to check and approve.
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Catalogue' } }));
  expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'catalogue.pdf', bytes: await textPdf(proof.number) }])).status).toBe(201);
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(proof.id)))).revisions?.[0]?.status === 'ready' ? true : undefined), {
    what: 'the revision rendered',
    timeoutMs: 120_000,
  });
  expect((await api.POST('/v1/documents/{id}/send', { ...byId(proof.id), body: { channel: 'sms' } })).response.status).toBe(202);
  const [proofText] = await eventually(async () => {
    const found = await texts('+33781223344', proof.number);
    return found.length ? found : undefined;
  }, { what: 'the proof texted' });
  expect(proofText?.text).toContain(`Imprimerie Durand : votre BAT ${proof.number} est prêt`);
}, 180_000);

it('refuses a number no network dials with a 422 naming the field, and changes nothing', async () => {
  const { documentId } = await createQuoteScenario(api);
  const quote = { id: documentId };
  const before = await succeeded(api.GET('/v1/documents/{id}', byId(quote.id)));
  const outboxBefore = (await stack.readOutbox()).length;

  const refused = await api.POST('/v1/documents/{id}/send', { ...byId(quote.id), body: { to: { phone: '+33 6 12' }, channel: 'sms' } });
  expect(refused.response.status).toBe(422);
  expect(refused.response.headers.get('content-type')).toContain('application/problem+json');
  expect(refused.error).toMatchObject({ errors: [{ path: 'to.phone', message: expect.stringContaining('dialled') }] });
  // Its contact has no phone at all.
  const noPhone = await api.POST('/v1/documents/{id}/send', { ...byId(quote.id), body: { channel: 'sms' } });
  expect(noPhone.response.status).toBe(422);
  expect(noPhone.error).toMatchObject({ errors: [{ path: 'contactId', message: 'no phone number' }] });
  // A number is texted, never emailed.
  const byEmail = await api.POST('/v1/documents/{id}/send', { ...byId(quote.id), body: { to: { phone: '0612345678' }, channel: 'email' } });
  expect(byEmail.response.status).toBe(422);

  expect(await succeeded(api.GET('/v1/documents/{id}', byId(quote.id)))).toEqual(before);
  expect((await succeeded(api.GET('/v1/documents/{id}/events', byId(quote.id)))).data).toEqual([]);
  expect((await stack.readOutbox()).length).toBe(outboxBefore);

  const user = await api.POST('/v1/users', { body: { name: 'Ines Lind', email: 'ines@print.example', phone: '+33 12' } });
  expect(user.response.status).toBe(422);
  expect(user.error).toMatchObject({ errors: [{ path: 'phone' }] });
});
