/**
 * The back office reminds and cancels proofs like quotes (POST /v1/documents/:id/remind and
 * /cancel), over HTTP with the real stack: the reminder uses the proof_reminder template about
 * the revision waiting for an answer (with the PDF attached for an email proof), and a cancel
 * records who and why, sent or still a draft.
 */
import { randomUUID } from 'node:crypto';
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf, type OutboxEmail } from '../support/outbox';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Relance BAT'));
  api = greenlightClient(stack.baseUrl, apiKey);
});

afterAll(async () => {
  await stack?.close();
});

const byId = (id: string) => ({ params: { path: { id } } });
const statusOf = async (id: string) => (await succeeded(api.GET('/v1/documents/{id}', byId(id)))).status;
const remind = (id: string, decisionId?: string) => api.POST('/v1/documents/{id}/remind', { params: { path: { id }, header: decisionId ? { 'Idempotency-Key': decisionId } : {} } });
const cancel = (id: string, body: { reason?: string }) => api.POST('/v1/documents/{id}/cancel', { ...byId(id), body });

async function newProof(proofType: 'online' | 'email'): Promise<{ id: string; number: string; contactEmail: string }> {
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: `Client ${proofType}`, proofType } }));
  const contactEmail = `relance-${randomUUID().slice(0, 8)}@client.example`;
  const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { ...byId(customer.id), body: { name: 'Léa Martin', email: contactEmail } }));
  const proof = await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, contactId: contact.id, title: 'Affiche' } }), 201);
  return { id: proof.id, number: proof.number, contactEmail };
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
  await eventually(async () => ((await statusOf(proof.id)) === 'sent' ? true : undefined), { what: `${proof.id} sent` });
  return proof;
}

const eventsOf = (id: string) => documentEvents(api, id);

describe('reminding and cancelling a proof', () => {
  it('reminds the customer of the revision waiting, with the reminder template', async () => {
    const proof = await sentProof('online');
    const reminded = await remind(proof.id, randomUUID());
    expect(reminded.response.status).toBe(202);
    expect(reminded.data).toMatchObject({ status: 'sent', remindersSent: 1 });

    const [reminder] = await emailsTo(proof.contactEmail, 2);
    // The tenant speaks French: "Rappel\u202f: BAT …" (a narrow no-break space before the colon), not the first email’s words again.
    expect(reminder!.subject).toMatch(new RegExp(`^Rappel\u202f: BAT ${proof.number}`));
    expect(reminder!.links.some((url) => url.includes('/d/'))).toBe(true);
    expect(reminder!.attachments).toEqual([]);
    expect(await eventsOf(proof.id)).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'reminded', actor: 'seller', data: expect.objectContaining({ revision: 1, reminder: 1 }) })]));
  });

  it('attaches the watermarked PDF to the reminder of an email proof', async () => {
    const proof = await sentProof('email');
    expect((await remind(proof.id)).response.status).toBe(202);
    const [reminder, first] = await emailsTo(proof.contactEmail, 2);
    expect(first!.attachments).toHaveLength(1);
    expect(reminder!.subject).toMatch(/^Rappel/);
    expect(reminder!.attachments).toEqual([expect.objectContaining({ filename: `BAT-${proof.number}-r1.pdf`, size: first!.attachments[0]!.size })]);
  });

  it('cancels a sent proof, recording who and why; the customer can no longer decide and reminders are refused', async () => {
    const proof = await sentProof('online');
    const cancelled = await cancel(proof.id, { reason: 'Commande annulée par téléphone' });
    expect(cancelled.response.status).toBe(202);
    expect(cancelled.data?.status).toBe('cancelled');
    await eventually(async () => ((await statusOf(proof.id)) === 'cancelled' ? true : undefined), { what: 'the proof cancelled' });
    expect(await eventsOf(proof.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: expect.objectContaining({ reason: 'Commande annulée par téléphone' }) })]),
    );

    const reminded = await remind(proof.id);
    expect(reminded.response.status).toBe(409);
    expect(reminded.error?.detail).toMatch(/cancelled/);
    const again = await cancel(proof.id, {});
    expect(again.response.status).toBe(409);
  });

  it('cancels a draft proof through a workflow started for that decision, and refuses to remind one never sent', async () => {
    const proof = await newProof('online');
    const reminded = await remind(proof.id);
    expect(reminded.response.status).toBe(409);
    expect(reminded.error?.detail).toMatch(/not been sent/);

    const cancelled = await cancel(proof.id, { reason: 'Fichiers jamais reçus' });
    expect(cancelled.response.status).toBe(202);
    expect(await statusOf(proof.id)).toBe('cancelled');
    expect(await eventsOf(proof.id)).toEqual([expect.objectContaining({ type: 'cancelled', actor: 'seller', data: { reason: 'Fichiers jamais reçus' } })]);
  });
});
