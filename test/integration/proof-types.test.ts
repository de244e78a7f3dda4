/**
 * Proof types over HTTP with the real stack (seed 000, "type de BAT par défaut"): the tenant's
 * default and the customer's override (or "default"), validated and shown; a proof document
 * takes the resolved type; "none" refuses the proof; "email" sends the revision's watermarked
 * PDF attached to the email, and the emailed link still takes the decision.
 */
import { randomUUID } from 'node:crypto';
import { openFileStore } from '../../services/files/store';
import { greenlightClient, succeeded, type components, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { emailTo } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { apiClient, type ApiCall } from './api-http';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
/** Raw: for the proof types the document does not list, sent on purpose. */
let call: ApiCall;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Types de BAT'));
  api = greenlightClient(stack.baseUrl, apiKey);
  call = apiClient(stack.baseUrl, apiKey);
});

afterAll(async () => {
  await stack?.close();
});

type ProofType = components['schemas']['CreateCustomer']['proofType'];
const byId = (id: string) => ({ params: { path: { id } } });

async function newCustomer(name: string, proofType?: ProofType): Promise<{ id: string; contactId: string; contactEmail: string }> {
  const created = await succeeded(api.POST('/v1/customers', { body: { name, ...(proofType !== undefined ? { proofType } : {}) } }), 201);
  const contactEmail = `bat-${randomUUID().slice(0, 8)}@client.example`;
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(created.id), body: { name: `Contact ${name}`, email: contactEmail } }), 201);
  return { id: created.id, contactId: contact.id, contactEmail };
}

const newProof = (customer: { id: string; contactId: string }) => api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, contactId: customer.contactId, title: 'Catalogue' } });
const statusOf = async (id: string) => (await succeeded(api.GET('/v1/documents/{id}', byId(id)))).status;
const defaultProofType = async () => (await succeeded(api.GET('/v1/settings'))).defaultProofType;

async function setDefault(defaultProofType: components['schemas']['UpdateSettings']['defaultProofType']): Promise<void> {
  const patched = await api.PATCH('/v1/settings', { body: { defaultProofType } });
  expect(patched.response.status).toBe(200);
}

/** Uploads a revision with ?send=true and waits until the proof is recorded as sent (its email is out then). */
async function sendWithRevision(documentId: string): Promise<void> {
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, documentId, [{ name: 'catalogue.pdf', bytes: await textPdf('Catalogue', 2) }], { send: true });
  expect(uploaded.status).toBe(201);
  await eventually(async () => ((await statusOf(documentId)) === 'sent' ? true : undefined), { what: `${documentId} sent` });
}

describe('proof types', () => {
  it('validates and shows the tenant default and the customer override', async () => {
    expect(await defaultProofType()).toBe('online');
    await setDefault('email');
    expect(await defaultProofType()).toBe('email');

    const wrongSetting = await call('PATCH', '/v1/settings', { defaultProofType: 'fax' });
    expect(wrongSetting.status).toBe(400);
    expect(wrongSetting.body.errors).toEqual([expect.objectContaining({ path: 'defaultProofType' })]);
    const wrongCustomer = await call('POST', '/v1/customers', { name: 'Fax', proofType: 'pdf' });
    expect(wrongCustomer.status).toBe(400);
    expect(wrongCustomer.body.errors).toEqual([expect.objectContaining({ path: 'proofType' })]);

    const follower = await succeeded(api.POST('/v1/customers', { body: { name: 'Suit le défaut', proofType: 'default' } }));
    expect(follower).toMatchObject({ proofType: null, effectiveProofType: 'email' });
    const overridden = await api.PATCH('/v1/customers/{id}', { ...byId(follower.id), body: { proofType: 'none' } });
    expect(overridden.response.status).toBe(200);
    expect(overridden.data).toMatchObject({ proofType: 'none', effectiveProofType: 'none' });
    expect((await api.GET('/v1/customers/{id}', byId(follower.id))).data).toMatchObject({ name: 'Suit le défaut', proofType: 'none', effectiveProofType: 'none' });
    const backToDefault = await api.PATCH('/v1/customers/{id}', { ...byId(follower.id), body: { proofType: null } });
    expect(backToDefault.data).toMatchObject({ proofType: null, effectiveProofType: 'email' });
    expect((await call('PATCH', `/v1/customers/${follower.id}`, { proofType: 'paper' })).status).toBe(400);
    await setDefault(null);
  });

  it('gives each proof the resolved type, and refuses a proof to a customer who takes none', async () => {
    await setDefault('email');
    const follower = await newCustomer('Suit le défaut');
    const online = await newCustomer('Toujours en ligne', 'online');
    const noProof = await newCustomer('Sans BAT', 'none');

    expect((await newProof(follower)).data).toMatchObject({ kind: 'proof', proofType: 'email' });
    expect((await newProof(online)).data).toMatchObject({ kind: 'proof', proofType: 'online' });
    // Other kinds have no proof type.
    const quote = await api.POST('/v1/documents', { body: { kind: 'quote', customerId: noProof.id, lines: [{ description: 'Flyers', quantity: 1, unitPrice: 1000 }] } });
    expect(quote.data?.proofType).toBeNull();

    const before = await stack.prisma.document.count({ where: { customerId: noProof.id, kind: 'proof' } });
    const refused = await newProof(noProof);
    expect(refused.response.status).toBe(422);
    expect(refused.error?.detail).toMatch(/Sans BAT/);
    expect(refused.error?.detail).toMatch(/proofType is "none"/);
    expect(await stack.prisma.document.count({ where: { customerId: noProof.id, kind: 'proof' } })).toBe(before);

    // The tenant's "none" reaches the customers who follow it, and only them.
    await setDefault('none');
    const refusedByDefault = await newProof(follower);
    expect(refusedByDefault.response.status).toBe(422);
    expect(refusedByDefault.error?.detail).toMatch(/Suit le défaut.*defaultProofType, which is "none"/);
    expect((await newProof(online)).data?.proofType).toBe('online');
    await setDefault(null);
    expect((await newProof(follower)).data?.proofType).toBe('online');
  });

  it('emails the watermarked PDF with an email proof, and the link still decides', async () => {
    const customer = await newCustomer('Par email', 'email');
    const proof = await succeeded(newProof(customer));
    expect(proof.proofType).toBe('email');
    await sendWithRevision(proof.id);

    const email = await emailTo(stack.readOutbox, customer.contactEmail);
    expect(email.attachments).toEqual([expect.objectContaining({ filename: `BAT-${proof.number}-r1.pdf` })]);
    const attached = Buffer.from(await (await fetch(`${stack.outboxUrl}/emails/${email.id}/attachments/0`)).arrayBuffer());
    const revision = await stack.prisma.revision.findFirstOrThrow({ where: { documentId: proof.id, number: 1 } });
    expect(attached.equals(await openFileStore(stack.config).get(revision.watermarkedPdfKey!))).toBe(true);

    // The decision is taken through the emailed link, as for an online proof.
    const link = email.links.find((url) => url.includes('/d/'))!;
    const approved = await fetch(`${link}/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ revision: 1, decisionId: randomUUID() }),
    });
    expect(approved.status).toBe(200);
    await eventually(async () => ((await statusOf(proof.id)) === 'approved' ? true : undefined), { what: 'the proof approved' });
  });

  it('sends an online proof by link only', async () => {
    const customer = await newCustomer('En ligne', 'online');
    const proof = await succeeded(newProof(customer));
    await sendWithRevision(proof.id);
    const email = await emailTo(stack.readOutbox, customer.contactEmail);
    expect(email.attachments).toEqual([]);
    expect(email.links.some((url) => url.includes('/d/'))).toBe(true);
  });
});
