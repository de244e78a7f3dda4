/**
 * "Envoyer à un collègue" (seed 000) and the terms of sale kept on the customer, over real
 * HTTP with the real stack: the customer forwards a sent proof from its page; the colleague's
 * own link opens that proof and nothing else of the account; the colleague's approval counts,
 * and both the seller and the customer who forwarded hear of it; the terms the colleague
 * ticked are kept on the customer, so the customer's next proof does not ask again.
 */
import { randomBytes } from 'node:crypto';
import { PDFDocument, rgb } from 'pdf-lib';
import { formatDate } from '../../services/locale-format';
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { uploadRevision } from '../support/proof-uploads';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';
import { formFields } from './portal-fixtures';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;
let contactId: string;
const unique = () => randomBytes(4).toString('hex');
const contactEmail = `zoe-${unique()}@client-bat.example`;
const assigneeEmail = `jeanne-${unique()}@imprimerie.example`;
const colleague = { email: `marc-${unique()}@client-bat.example`, name: 'Marc Colin' };
const tenantName = `Imprimerie Collègues ${unique()}`;
let assigneeId: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Answer = { status: number; body: any };

const byId = (id: string) => ({ params: { path: { id } } });
const customerNow = () => succeeded(api.GET('/v1/customers/{id}', byId(customerId)));

/** A JSON post of the portal, as a script (or an integration) would send it. */
async function portalJson(path: string, body: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function onePagePdf(label: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([420, 595]).drawText(label, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  return pdf.save();
}

const emailsTo = async (address: string): Promise<OutboxEmail[]> => (await stack.readOutbox()).filter((email) => recipientsOf(email).includes(address));

/** The portal link of the one email to `address` about proof `number` that `matches`. */
async function linkIn(address: string, number: string, what: string, matches: (email: OutboxEmail) => boolean = () => true): Promise<{ token: string; email: OutboxEmail }> {
  return eventually(
    async () => {
      const email = (await emailsTo(address)).find((candidate) => candidate.subject.includes(number) && matches(candidate));
      const url = email?.links.find((link) => link.startsWith(`${stack.baseUrl}/d/`));
      return email && url ? { token: url.slice(`${stack.baseUrl}/d/`.length), email } : undefined;
    },
    { what },
  );
}

const events = (id: string) => documentEvents(api, id);

/** A proof of the customer, uploaded and sent with its rendered revision; the contact's token from the email. */
async function sentProof(): Promise<{ id: string; number: string; token: string }> {
  const created = await succeeded(
    api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, assigneeId, title: 'Dépliant 3 volets', number: `BAT-${unique()}` } }),
    201,
  );
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, created.id, [{ name: 'bat.pdf', bytes: await onePagePdf(created.number) }], { send: true });
  expect(uploaded.status).toBe(201);
  const { token } = await linkIn(contactEmail, created.number, `the proof email of ${created.number}`);
  await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', byId(created.id)))).status === 'sent' ? true : undefined), { what: 'the proof sent' });
  return { id: created.id, number: created.number, token };
}

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant(tenantName));
  api = greenlightClient(stack.baseUrl, apiKey);
  expect((await api.PATCH('/v1/settings', { body: { termsOfSale: { version: 'v2', text: 'Conditions générales de vente, version 2.' } } })).response.status).toBe(200);
  assigneeId = (await succeeded(api.POST('/v1/users', { body: { name: 'Jeanne Martin', email: assigneeEmail, notify: { decided: ['email'] } } }))).id;
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client BAT SARL', locale: 'fr' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(customerId), body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
});

afterAll(async () => {
  await stack?.close();
});

describe('forwarding a proof to a colleague', () => {
  let proof: { id: string; number: string; token: string };
  let colleagueToken: string;

  beforeAll(async () => {
    proof = await sentProof();
  });

  it("is the proof page's form: the colleague gets a link of their own, and `forwarded` says who sent it to whom", async () => {
    const page = await (await fetch(`${stack.baseUrl}/d/${proof.token}`)).text();
    // The customer's page: the terms to tick, the conversation, and the form.
    expect(page).toContain('name="acceptTerms"');
    expect(page).toContain('id="conversation"');
    const answer = await fetch(`${stack.baseUrl}/d/${proof.token}/forward`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...formFields(page, 'forward'), email: colleague.email, name: colleague.name }).toString(),
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(`Le BAT a été envoyé à ${colleague.email}`);

    const { token, email } = await linkIn(colleague.email, proof.number, 'the email to the colleague');
    colleagueToken = token;
    expect(token).not.toBe(proof.token);
    expect(email.subject).toContain('Zoë Dupré vous transmet le BAT');
    expect(email.text).toContain(`Bonjour ${colleague.name}`);

    const forwarded = (await events(proof.id)).filter((event) => event.type === 'forwarded');
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0]?.data).toMatchObject({ revision: 1, to: colleague, by: { name: 'Zoë Dupré', email: contactEmail } });
    expect(forwarded[0]?.actor).toMatch(/^customer:lnk_/);
  });

  it('opens that proof only: the same token on another document of the account is 404 and records nothing', async () => {
    // A proof in a chain (the order it proofs), set up in the database: the customer's own link
    // opens the other documents of the chain; the colleague's does not.
    const other = await succeeded(api.POST('/v1/documents', { body: { kind: 'quote', customerId, contactId, lines: [{ description: 'Dépliants', quantity: 1000, unitPrice: 12 }] } }));
    await stack.prisma.document.updateMany({ where: { id: { in: [other.id, proof.id] } }, data: { chainId: other.id } });
    // Sent to the customer: a draft of the chain is not theirs to open from any link.
    await stack.prisma.document.update({ where: { id: other.id }, data: { status: 'sent', sentAt: new Date() } });
    const before = (await events(other.id)).length;

    expect((await fetch(`${stack.baseUrl}/d/${colleagueToken}`)).status).toBe(200);
    expect((await fetch(`${stack.baseUrl}/d/${colleagueToken}/chain/${other.id}`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/d/${colleagueToken}/messages`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await portalJson(`/d/${colleagueToken}/messages`, { body: 'Bonjour' })).status).toBe(404);
    expect((await events(other.id)).length).toBe(before);
    // The customer's own link does open it: the 404 is the colleague's scope, not a missing document.
    expect((await fetch(`${stack.baseUrl}/d/${proof.token}/chain/${other.id}`)).status).toBe(200);

    const page = await (await fetch(`${stack.baseUrl}/d/${colleagueToken}`)).text();
    expect(page).not.toContain('id="conversation"');
    expect(page).not.toContain('/forward"');
    const again = await portalJson(`/d/${colleagueToken}/forward`, { email: 'someone@client-bat.example' });
    expect(again.status).toBe(403);
  });

  it("counts the colleague's approval: the seller and the customer who forwarded are told, and the terms are kept on the customer", async () => {
    const approved = await portalJson(`/d/${colleagueToken}/approve`, { acceptTerms: true });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');

    const toSeller = await eventually(async () => (await emailsTo(assigneeEmail)).find((email) => email.subject.includes(proof.number)), { what: "the seller's notice" });
    expect(toSeller.subject).toContain(colleague.name);
    const toForwarder = await linkIn(contactEmail, proof.number, 'the notice to the customer who forwarded', (email) => email.subject.includes('réponse de'));
    expect(toForwarder.email.subject).toContain(`réponse de ${colleague.name}`);
    expect(toForwarder.email.text).toContain(`Vous avez transmis le BAT ${proof.number} à ${colleague.name}, qui l’a approuvé.`);

    const approval = (await events(proof.id)).find((event) => event.type === 'approved');
    expect(approval?.data).toMatchObject({ revision: 1, termsAccepted: true, termsVersion: 'v2' });
    const customer = await customerNow();
    expect(customer).toMatchObject({ termsVersion: 'v2', termsAcceptedBy: { name: colleague.name, email: colleague.email, colleague: true } });
    expect(Date.parse(customer.termsAcceptedAt ?? '')).toBeLessThanOrEqual(Date.now());
  });

  it('refuses to forward a closed (approved) proof: 409 with the reason', async () => {
    const refused = await portalJson(`/d/${proof.token}/forward`, { email: 'late@client-bat.example' });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toMatch(/^The proof is already approved/);
    expect((await events(proof.id)).filter((event) => event.type === 'forwarded')).toHaveLength(1);
  });
});

describe('a new revision', () => {
  it('is announced for what it is, to the customer and to the colleague (a link of their own), and the forward box says what a colleague can do meanwhile', async () => {
    const proof = await sentProof();
    const other = { email: `lea-${unique()}@client-bat.example`, name: 'Léa Roux' };
    expect((await portalJson(`/d/${proof.token}/forward`, { email: other.email, name: other.name })).status).toBe(200);
    const { token: firstColleagueToken } = await linkIn(other.email, proof.number, 'the email to the colleague');
    const pins = [{ page: 1, x: 0.3, y: 0.6, comment: 'Logo plus grand' }];
    expect((await portalJson(`/d/${proof.token}/request-changes`, { revision: 1, comment: 'Le titre en bleu.', pins })).status).toBe(200);

    // Nothing to approve while the changes are made: the box says so, and the notice once sent.
    const page = await (await fetch(`${stack.baseUrl}/d/${proof.token}`)).text();
    expect(page).toContain('Des modifications sont en cours\u202f: il recevra aussi la prochaine révision');
    expect(page).not.toContain('il recevra un lien pour voir ce BAT, l’approuver');
    const forwarded = await fetch(`${stack.baseUrl}/d/${proof.token}/forward`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...formFields(page, 'forward'), email: colleague.email }).toString(),
    });
    expect(await forwarded.text()).toContain(`Le BAT a été envoyé à ${colleague.email}. La prochaine révision lui sera envoyée aussi`);
    await linkIn(colleague.email, proof.number, 'the second colleague’s email');

    expect((await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'bat-r2.pdf', bytes: await onePagePdf(`${proof.number} R2`) }])).status).toBe(201);

    const requestedOn = formatDate(new Date((await events(proof.id)).find((event) => event.type === 'changes_requested')!.at), 'fr');
    const toCustomer = await linkIn(contactEmail, proof.number, 'revision 2 to the customer', (email) => email.subject.includes('Révision 2'));
    expect(toCustomer.email.subject).toBe(`Révision 2 du BAT ${proof.number} à valider — ${tenantName}`);
    expect(toCustomer.email.text).toContain(
      `La révision 2 du BAT ${proof.number} est prête. Elle fait suite aux modifications demandées le ${requestedOn}\u202f:\n– Le titre en bleu.\n– Repère 1, page 1\u202f: Logo plus grand`,
    );
    expect(toCustomer.token).not.toBe(proof.token);

    // Each colleague hears of it once, greeted by name (or address), with a colleague's link of their own.
    for (const [address, greeting, earlierToken] of [
      [other.email, other.name, firstColleagueToken],
      [colleague.email, colleague.email, undefined],
    ] as const) {
      const toColleague = await linkIn(address, proof.number, `revision 2 to ${address}`, (email) => email.subject.includes('Révision 2'));
      expect(toColleague.email.text).toContain(`Bonjour ${greeting},`);
      expect(toColleague.email.text).toContain('– Repère 1, page 1\u202f: Logo plus grand');
      expect([proof.token, toCustomer.token, earlierToken]).not.toContain(toColleague.token);
      const colleaguePage = await (await fetch(`${stack.baseUrl}/d/${toColleague.token}`)).text();
      expect(colleaguePage).toContain('Révision 2\u202f: en attente de votre validation');
      expect(colleaguePage).not.toContain('id="conversation"');
      expect(colleaguePage).not.toContain('id="forward"');
      expect((await emailsTo(address)).filter((email) => email.subject.includes('Révision 2'))).toHaveLength(1);
    }

    // Approved, the proof offers no forwarding any more.
    expect((await portalJson(`/d/${toCustomer.token}/approve`, { acceptTerms: true })).status).toBe(200);
    expect(await (await fetch(`${stack.baseUrl}/d/${toCustomer.token}`)).text()).not.toContain('id="forward"');
  });
});

describe('a second proof of the same customer', () => {
  it('takes a repeated forward decision once, and is approved without the terms, already accepted', async () => {
    const proof = await sentProof();
    const badAddress = await portalJson(`/d/${proof.token}/forward`, { email: 'marc at client' });
    expect(badAddress.status).toBe(400);
    expect(badAddress.body.errors).toEqual([{ path: 'email', message: 'Invalid email address' }]);
    const decisionId = `forward-${unique()}-again`;
    const twice = [await portalJson(`/d/${proof.token}/forward`, { email: colleague.email, decisionId }), await portalJson(`/d/${proof.token}/forward`, { email: colleague.email, decisionId })];
    expect(twice.map((answer) => [answer.status, answer.body.decisionId])).toEqual([
      [200, decisionId],
      [200, decisionId],
    ]);
    await linkIn(colleague.email, proof.number, 'the email to the colleague');
    expect((await events(proof.id)).filter((event) => event.type === 'forwarded')).toHaveLength(1);
    expect((await emailsTo(colleague.email)).filter((email) => email.subject.includes(proof.number))).toHaveLength(1);

    // The customer accepted v2 through the first proof: no checkbox, and approving needs none.
    const page = await (await fetch(`${stack.baseUrl}/d/${proof.token}`)).text();
    expect(page).not.toContain('name="acceptTerms"');
    const approved = await portalJson(`/d/${proof.token}/approve`, {});
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    // The first acceptance stays: who and which version.
    expect((await customerNow()).termsAcceptedBy).toMatchObject({ name: colleague.name, colleague: true });
  });
});
