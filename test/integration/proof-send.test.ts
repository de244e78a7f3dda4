/**
 * Sending a proof over HTTP with the real stack: a proof goes out with its latest ready
 * revision, every revision rendered afterwards sends it again (the render reports to the
 * proof's workflow), ?send=true sends with the revision being uploaded, and a proof with
 * nothing rendered yet is refused.
 */
import { PDFDocument, rgb } from 'pdf-lib';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let customerId: string;
let contactId: string;
const contactEmail = 'bat@client-proof.example';

beforeAll(async () => {
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Envoi BAT'));
  customerId = (await call('POST', '/v1/customers', { name: 'Client BAT' })).body.id;
  contactId = (await call('POST', `/v1/customers/${customerId}/contacts`, { name: 'Zoë Dupré', email: contactEmail })).body.id;
});

afterAll(async () => {
  await stack?.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function upload(url: string, pdf: Uint8Array): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('files', new Blob([pdf], { type: 'application/pdf' }), 'proof.pdf');
  const response = await fetch(`${stack.baseUrl}${url}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}` }, body: form });
  return { status: response.status, body: await response.json() };
}

async function newProof(): Promise<{ id: string; number: string }> {
  const created = await call('POST', '/v1/documents', { kind: 'proof', customerId, contactId, title: 'Flyer A5', lines: [] });
  expect(created.status).toBe(201);
  return created.body;
}

async function twoPagePdf(label: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  for (const page of [1, 2]) pdf.addPage([420, 595]).drawText(`${label} page ${page}`, { x: 40, y: 540, size: 20, color: rgb(0, 0, 0) });
  return pdf.save();
}

async function revisionReady(documentId: string, number: number): Promise<void> {
  await eventually(
    async () => {
      const { body } = await call('GET', `/v1/documents/${documentId}`);
      const revision = body.revisions.find((candidate: { number: number }) => candidate.number === number);
      if (revision?.status === 'failed') throw new Error(`revision ${number} failed: ${revision.failureReason}`);
      return revision?.status === 'ready' ? true : undefined;
    },
    { what: `revision ${number} of ${documentId} ready` },
  );
}

const sentEvents = async (documentId: string) =>
  ((await call('GET', `/v1/documents/${documentId}/events`)).body as { type: string; data?: { revision?: number } }[]).filter((event) => event.type === 'sent');

async function sentRevisions(documentId: string, count: number): Promise<(number | undefined)[]> {
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
    const refused = await call('POST', `/v1/documents/${proof.id}/send`, {});
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/no rendered revision/);
    expect((await call('GET', `/v1/documents/${proof.id}`)).body.status).toBe('draft');
  });

  it('sends the ready revision to the customer, then every new revision once rendered', async () => {
    const proof = await newProof();
    expect((await upload(`/v1/documents/${proof.id}/revisions`, await twoPagePdf('v1'))).status).toBe(201);
    await revisionReady(proof.id, 1);

    const sent = await call('POST', `/v1/documents/${proof.id}/send`, {});
    expect(sent.status).toBe(202);
    expect(sent.body.status).toBe('sent');
    await eventually(async () => ((await call('GET', `/v1/documents/${proof.id}`)).body.status === 'sent' ? true : undefined), { what: 'the proof sent' });
    await eventually(
      async () => (await stack.readOutbox()).find((email) => recipientsOf(email).includes(contactEmail) && email.subject.includes(proof.number)),
      { what: `the email of ${proof.number}` },
    );
    expect(await sentRevisions(proof.id, 1)).toEqual([1]);

    // Revision 2 needs no send: its render reports it, and the proof goes out again with it.
    expect((await upload(`/v1/documents/${proof.id}/revisions`, await twoPagePdf('v2'))).status).toBe(201);
    expect(await sentRevisions(proof.id, 2)).toEqual([1, 2]);
    expect((await call('GET', `/v1/documents/${proof.id}`)).body.status).toBe('sent');
  });

  it('sends with the uploaded revision when ?send=true, once it is rendered', async () => {
    const proof = await newProof();
    const uploaded = await upload(`/v1/documents/${proof.id}/revisions?send=true`, await twoPagePdf('v1'));
    expect(uploaded.status).toBe(201);
    expect(await sentRevisions(proof.id, 1)).toEqual([1]);
    await eventually(async () => ((await call('GET', `/v1/documents/${proof.id}`)).body.status === 'sent' ? true : undefined), { what: 'the proof sent' });
  });
});
