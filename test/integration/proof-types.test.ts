/**
 * Proof types over HTTP with the real stack (seed 000, "type de BAT par défaut"): the tenant's
 * default and the customer's override (or "default"), validated and shown; a proof document
 * takes the resolved type; "none" refuses the proof; "email" sends the revision's watermarked
 * PDF attached to the email, and the emailed link still takes the decision.
 */
import { randomUUID } from 'node:crypto';
import { openFileStore } from '../../services/files/store';
import { eventually } from '../support/eventually';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { emailTo } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';
import { apiClient, type ApiCall } from './api-http';

let stack: Stack;
let apiKey: string;
let call: ApiCall;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Types de BAT'));
  call = apiClient(stack.baseUrl, apiKey);
});

afterAll(async () => {
  await stack?.close();
});

async function newCustomer(name: string, proofType?: string | null): Promise<{ id: string; contactId: string; contactEmail: string }> {
  const created = await call('POST', '/v1/customers', { name, ...(proofType !== undefined ? { proofType } : {}) });
  expect(created.status).toBe(201);
  const contactEmail = `bat-${randomUUID().slice(0, 8)}@client.example`;
  const contact = await call('POST', `/v1/customers/${created.body.id}/contacts`, { name: `Contact ${name}`, email: contactEmail });
  expect(contact.status).toBe(201);
  return { id: created.body.id, contactId: contact.body.id, contactEmail };
}

const newProof = (customer: { id: string; contactId: string }) => call('POST', '/v1/documents', { kind: 'proof', customerId: customer.id, contactId: customer.contactId, title: 'Catalogue' });

async function setDefault(defaultProofType: string | null): Promise<void> {
  const patched = await call('PATCH', '/v1/settings', { defaultProofType });
  expect(patched.status).toBe(200);
}

/** Uploads a revision with ?send=true and waits until the proof is recorded as sent (its email is out then). */
async function sendWithRevision(documentId: string): Promise<void> {
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, documentId, [{ name: 'catalogue.pdf', bytes: await textPdf('Catalogue', 2) }], { send: true });
  expect(uploaded.status).toBe(201);
  await eventually(async () => ((await call('GET', `/v1/documents/${documentId}`)).body.status === 'sent' ? true : undefined), { what: `${documentId} sent` });
}

describe('proof types', () => {
  it('validates and shows the tenant default and the customer override', async () => {
    expect((await call('GET', '/v1/settings')).body.defaultProofType).toBe('online');
    await setDefault('email');
    expect((await call('GET', '/v1/settings')).body.defaultProofType).toBe('email');

    const wrongSetting = await call('PATCH', '/v1/settings', { defaultProofType: 'fax' });
    expect(wrongSetting.status).toBe(400);
    expect(wrongSetting.body.errors).toEqual([expect.objectContaining({ path: 'defaultProofType' })]);
    const wrongCustomer = await call('POST', '/v1/customers', { name: 'Fax', proofType: 'pdf' });
    expect(wrongCustomer.status).toBe(400);
    expect(wrongCustomer.body.errors).toEqual([expect.objectContaining({ path: 'proofType' })]);

    const follower = await call('POST', '/v1/customers', { name: 'Suit le défaut', proofType: 'default' });
    expect(follower.body).toMatchObject({ proofType: null, effectiveProofType: 'email' });
    const overridden = await call('PATCH', `/v1/customers/${follower.body.id}`, { proofType: 'none' });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({ proofType: 'none', effectiveProofType: 'none' });
    expect((await call('GET', `/v1/customers/${follower.body.id}`)).body).toMatchObject({ name: 'Suit le défaut', proofType: 'none', effectiveProofType: 'none' });
    const backToDefault = await call('PATCH', `/v1/customers/${follower.body.id}`, { proofType: null });
    expect(backToDefault.body).toMatchObject({ proofType: null, effectiveProofType: 'email' });
    expect((await call('PATCH', `/v1/customers/${follower.body.id}`, { proofType: 'paper' })).status).toBe(400);
    await setDefault(null);
  });

  it('gives each proof the resolved type, and refuses a proof to a customer who takes none', async () => {
    await setDefault('email');
    const follower = await newCustomer('Suit le défaut');
    const online = await newCustomer('Toujours en ligne', 'online');
    const noProof = await newCustomer('Sans BAT', 'none');

    expect((await newProof(follower)).body).toMatchObject({ kind: 'proof', proofType: 'email' });
    expect((await newProof(online)).body).toMatchObject({ kind: 'proof', proofType: 'online' });
    // Other kinds have no proof type.
    expect((await call('POST', '/v1/documents', { kind: 'quote', customerId: noProof.id, lines: [{ description: 'Flyers', quantity: 1, unitPrice: 1000 }] })).body.proofType).toBeNull();

    const before = await stack.prisma.document.count({ where: { customerId: noProof.id, kind: 'proof' } });
    const refused = await newProof(noProof);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/Sans BAT/);
    expect(refused.body.detail).toMatch(/proofType is "none"/);
    expect(await stack.prisma.document.count({ where: { customerId: noProof.id, kind: 'proof' } })).toBe(before);

    // The tenant's "none" reaches the customers who follow it, and only them.
    await setDefault('none');
    const refusedByDefault = await newProof(follower);
    expect(refusedByDefault.status).toBe(422);
    expect(refusedByDefault.body.detail).toMatch(/Suit le défaut.*defaultProofType, which is "none"/);
    expect((await newProof(online)).body.proofType).toBe('online');
    await setDefault(null);
    expect((await newProof(follower)).body.proofType).toBe('online');
  });

  it('emails the watermarked PDF with an email proof, and the link still decides', async () => {
    const customer = await newCustomer('Par email', 'email');
    const proof = (await newProof(customer)).body;
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
    await eventually(async () => ((await call('GET', `/v1/documents/${proof.id}`)).body.status === 'approved' ? true : undefined), { what: 'the proof approved' });
  });

  it('sends an online proof by link only', async () => {
    const customer = await newCustomer('En ligne', 'online');
    const proof = (await newProof(customer)).body;
    await sendWithRevision(proof.id);
    const email = await emailTo(stack.readOutbox, customer.contactEmail);
    expect(email.attachments).toEqual([]);
    expect(email.links.some((url) => url.includes('/d/'))).toBe(true);
  });
});
