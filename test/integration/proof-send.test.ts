/**
 * Sending a proof over HTTP with the real stack: a proof goes out with its latest ready
 * revision, every revision rendered afterwards sends it again (the render reports to the
 * proof's workflow), ?send=true sends with the revision being uploaded, and a proof with
 * nothing rendered yet is refused.
 */
import { PDFDocument, rgb } from 'pdf-lib';
import { documentEvents, type GreenlightClient, greenlightClient, succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { uploadRevision } from '../support/proof-uploads';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;
let contactId: string;
const contactEmail = 'bat@client-proof.example';

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Envoi BAT'));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client BAT' } }))).id;
  contactId = (await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Zoë Dupré', email: contactEmail } }))).id;
});

afterAll(async () => {
  await stack?.close();
});

const byId = (id: string) => ({ params: { path: { id } } });
const documentOf = (id: string) => succeeded(api.GET('/v1/documents/{id}', byId(id)));
const upload = (documentId: string, pdf: Uint8Array, send = false) => uploadRevision(stack.baseUrl, apiKey, documentId, [{ name: 'proof.pdf', bytes: pdf }], { send });
const send = (id: string) => api.POST('/v1/documents/{id}/send', { ...byId(id), body: {} });

const newProof = () => succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId, title: 'Flyer A5', lines: [] } }), 201);

async function twoPagePdf(label: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of [1, 2]) pdf.addPage([420, 595]).drawText(`${label} page ${page}`, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  return pdf.save();
}

async function revisionReady(documentId: string, number: number): Promise<void> {
  await eventually(
    async () => {
      const revision = (await documentOf(documentId)).revisions?.find((candidate) => candidate.number === number);
      if (revision?.status === 'failed') throw new Error(`revision ${number} failed: ${revision.failureReason}`);
      return revision?.status === 'ready' ? true : undefined;
    },
    { what: `revision ${number} of ${documentId} ready` },
  );
}

const sentEvents = async (id: string) => (await documentEvents(api, id)).filter((event) => event.type === 'sent');

async function sentRevisions(documentId: string, count: number): Promise<unknown[]> {
  return eventually(
    async () => {
      const sent = await sentEvents(documentId);
      return sent.length >= count ? sent.map((event) => event.data?.revision) : undefined;
    },
    { what: `${documentId} sent ${count} time(s)` },
  );
}

describe('sending a proof', () => {
  it('is refused while no revision is rendered', async () => {
    const proof = await newProof();
    const refused = await send(proof.id);
    expect(refused.response.status).toBe(422);
    expect(refused.error?.detail).toMatch(/no rendered revision/);
    expect((await documentOf(proof.id)).status).toBe('draft');
  });

  it('sends the ready revision to the customer, then every new revision once rendered', async () => {
    const proof = await newProof();
    expect((await upload(proof.id, await twoPagePdf('v1'))).status).toBe(201);
    await revisionReady(proof.id, 1);

    const sent = await send(proof.id);
    expect(sent.response.status).toBe(202);
    expect(sent.data?.status).toBe('sent');
    await eventually(async () => ((await documentOf(proof.id)).status === 'sent' ? true : undefined), { what: 'the proof sent' });
    await eventually(
      async () => (await stack.readOutbox()).find((email) => recipientsOf(email).includes(contactEmail) && email.subject.includes(proof.number)),
      { what: `the email of ${proof.number}` },
    );
    expect(await sentRevisions(proof.id, 1)).toEqual([1]);

    // Revision 2 needs no send: its render reports it, and the proof goes out again with it.
    expect((await upload(proof.id, await twoPagePdf('v2'))).status).toBe(201);
    expect(await sentRevisions(proof.id, 2)).toEqual([1, 2]);
    expect((await documentOf(proof.id)).status).toBe('sent');
  });

  it('sends with the uploaded revision when ?send=true, once it is rendered', async () => {
    const proof = await newProof();
    const uploaded = await upload(proof.id, await twoPagePdf('v1'), true);
    expect(uploaded.status).toBe(201);
    expect(await sentRevisions(proof.id, 1)).toEqual([1]);
    await eventually(async () => ((await documentOf(proof.id)).status === 'sent' ? true : undefined), { what: 'the proof sent' });
  });
});
