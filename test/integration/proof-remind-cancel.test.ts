/**
 * The back office reminds and cancels proofs like quotes (POST /v1/documents/:id/remind and
 * /cancel), over HTTP with the real stack: the reminder uses the proof_reminder template about
 * the revision waiting for an answer (with the PDF attached for an email proof), and a cancel
 * records who and why, sent or still a draft.
 */
import { randomUUID } from 'node:crypto';
import { eventually } from '../support/eventually';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { apiClient, type ApiCall } from './api-http';

let stack: Stack;
let apiKey: string;
let call: ApiCall;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Relance BAT'));
  call = apiClient(stack.baseUrl, apiKey);
});

afterAll(async () => {
  await stack?.close();
});

async function newProof(proofType: 'online' | 'email'): Promise<{ id: string; number: string; contactEmail: string }> {
  const customer = (await call('POST', '/v1/customers', { name: `Client ${proofType}`, proofType })).body;
  const contactEmail = `relance-${randomUUID().slice(0, 8)}@client.example`;
  const contact = (await call('POST', `/v1/customers/${customer.id}/contacts`, { name: 'Léa Martin', email: contactEmail })).body;
  const proof = await call('POST', '/v1/documents', { kind: 'proof', customerId: customer.id, contactId: contact.id, title: 'Affiche' });
  expect(proof.status).toBe(201);
  return { id: proof.body.id, number: proof.body.number, contactEmail };
}

async function emailsTo(address: string, count: number): Promise<OutboxEmail[]> {
  return eventually(
    async () => {
      const emails = (await stack.readOutbox()).filter((email) => recipientsOf(email).includes(address));
      return emails.length >= count ? emails : undefined;
    },
    { what: `${count} email(s) to ${address}` },
  );
}

async function sentProof(proofType: 'online' | 'email') {
  const proof = await newProof(proofType);
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, proof.id, [{ name: 'affiche.pdf', bytes: await textPdf('Affiche') }], { send: true });
  expect(uploaded.status).toBe(201);
  await emailsTo(proof.contactEmail, 1);
  await eventually(async () => ((await call('GET', `/v1/documents/${proof.id}`)).body.status === 'sent' ? true : undefined), { what: `${proof.id} sent` });
  return proof;
}

const eventsOf = async (documentId: string) => (await call('GET', `/v1/documents/${documentId}/events`)).body as { type: string; actor: string; data: Record<string, unknown> }[];

describe('reminding and cancelling a proof', () => {
  it('reminds the customer of the revision waiting, with the reminder template', async () => {
    const proof = await sentProof('online');
    const reminded = await call('POST', `/v1/documents/${proof.id}/remind`, undefined, { idempotencyKey: randomUUID() });
    expect(reminded.status).toBe(202);
    expect(reminded.body).toMatchObject({ status: 'sent', remindersSent: 1 });

    const [reminder] = await emailsTo(proof.contactEmail, 2);
    // The tenant speaks French: "Rappel : BAT …", not the first email's words again.
    expect(reminder!.subject).toMatch(new RegExp(`^Rappel : BAT ${proof.number}`));
    expect(reminder!.links.some((url) => url.includes('/d/'))).toBe(true);
    expect(reminder!.attachments).toEqual([]);
    expect(await eventsOf(proof.id)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'reminded', actor: 'seller', data: expect.objectContaining({ revision: 1, reminder: 1 }) })]));
  });

  it('attaches the watermarked PDF to the reminder of an email proof', async () => {
    const proof = await sentProof('email');
    expect((await call('POST', `/v1/documents/${proof.id}/remind`)).status).toBe(202);
    const [reminder, first] = await emailsTo(proof.contactEmail, 2);
    expect(first!.attachments).toHaveLength(1);
    expect(reminder!.subject).toMatch(/^Rappel/);
    expect(reminder!.attachments).toEqual([expect.objectContaining({ filename: `BAT-${proof.number}-r1.pdf`, size: first!.attachments[0]!.size })]);
  });

  it('cancels a sent proof, recording who and why; the customer can no longer decide and reminders are refused', async () => {
    const proof = await sentProof('online');
    const cancelled = await call('POST', `/v1/documents/${proof.id}/cancel`, { reason: 'Commande annulée par téléphone' });
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.status).toBe('cancelled');
    await eventually(async () => ((await call('GET', `/v1/documents/${proof.id}`)).body.status === 'cancelled' ? true : undefined), { what: 'the proof cancelled' });
    expect(await eventsOf(proof.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: expect.objectContaining({ reason: 'Commande annulée par téléphone' }) })]),
    );

    const remind = await call('POST', `/v1/documents/${proof.id}/remind`);
    expect(remind.status).toBe(409);
    expect(remind.body.detail).toMatch(/cancelled/);
    const again = await call('POST', `/v1/documents/${proof.id}/cancel`, {});
    expect(again.status).toBe(409);
  });

  it('cancels a draft proof through a workflow started for that decision, and refuses to remind one never sent', async () => {
    const proof = await newProof('online');
    const remind = await call('POST', `/v1/documents/${proof.id}/remind`);
    expect(remind.status).toBe(409);
    expect(remind.body.detail).toMatch(/not been sent/);

    const cancelled = await call('POST', `/v1/documents/${proof.id}/cancel`, { reason: 'Fichiers jamais reçus' });
    expect(cancelled.status).toBe(202);
    expect((await call('GET', `/v1/documents/${proof.id}`)).body.status).toBe('cancelled');
    expect(await eventsOf(proof.id)).toEqual([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: { reason: 'Fichiers jamais reçus' } })]);
  });
});
