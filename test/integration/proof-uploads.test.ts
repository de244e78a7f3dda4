/**
 * Proof uploads refused over HTTP, each with a clear 4xx naming the file and the reason and
 * nothing stored (no revision row, no file), and the Idempotency-Key of an upload matched on
 * the bytes: the same files again get the first answer, other files under the same key 422, and
 * the same files resent after the API died find the revision the first attempt committed.
 * The caps are small here (PROOF_MAX_*) so that small files meet them.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import sharp from 'sharp';
import { openFileStore } from '../../services/files/store';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { eventually } from '../support/eventually';
import { abandonClaim } from '../support/idempotency';
import { recipientsOf } from '../support/outbox';
import { textPdf, uploadRevision, type UploadFile, type UploadOptions } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';

const CAPS = { PROOF_MAX_FILE_MB: '1', PROOF_MAX_PAGES: '3', PROOF_MAX_MEGAPIXELS: '20' };

let stack: Stack;
let apiKey: string;
let api: GreenlightClient;
let customerId: string;

beforeAll(async () => {
  Object.assign(process.env, CAPS);
  stack = await startStack();
  ({ apiKey } = await stack.createTenant('Imprimerie Contrôles'));
  api = greenlightClient(stack.baseUrl, apiKey);
  customerId = (await succeeded(api.POST('/v1/customers', { body: { name: 'Client contrôlé' } }))).id;
});

afterAll(async () => {
  await stack?.close();
  for (const name of Object.keys(CAPS)) delete process.env[name];
});

async function newProof(): Promise<string> {
  return (await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, title: 'Brochure' } }), 201)).id;
}

const upload = (documentId: string, files: UploadFile[], options?: UploadOptions) => uploadRevision(stack.baseUrl, apiKey, documentId, files, options);

/** A PDF locked with a user password (qpdf, installed with poppler by scripts/install-system.sh). */
async function encryptedPdf(): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'encrypted-'));
  try {
    writeFileSync(path.join(dir, 'plain.pdf'), await textPdf('Secret'));
    execFileSync('qpdf', ['--encrypt', 'user-secret', 'owner-secret', '256', '--', path.join(dir, 'plain.pdf'), path.join(dir, 'locked.pdf')]);
    return readFileSync(path.join(dir, 'locked.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function tallPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 2000]).drawText('Banderole', { x: 20, y: 1900 });
  return pdf.save();
}

describe('proof uploads refused', () => {
  const cases: [string, () => Promise<UploadFile[]>, number, RegExp][] = [
    ['a file that is not what it claims', async () => [{ name: 'logo.png', type: 'image/png', bytes: await textPdf('Logo') }], 415, /"logo\.png": the content is a PDF, not a PNG/],
    ['a file of no accepted kind', async () => [{ name: 'notes.pdf', bytes: Buffer.from('just some text, no PDF at all') }], 415, /"notes\.pdf": the content is not a PDF, JPEG, PNG or TIFF/],
    ['an encrypted PDF', async () => [{ name: 'locked.pdf', bytes: await encryptedPdf() }], 422, /"locked\.pdf": the PDF is encrypted/],
    [
      'a broken PDF',
      async () => {
        const whole = await textPdf('Cassé', 2);
        return [{ name: 'cut.pdf', bytes: whole.subarray(0, Math.floor(whole.length / 3)) }];
      },
      422,
      /"cut\.pdf": the PDF is damaged/,
    ],
    ['too many pages in one PDF', async () => [{ name: 'long.pdf', bytes: await textPdf('Long', 4) }], 422, /"long\.pdf": the PDF has 4 pages, more than the 3 allowed/],
    [
      'too many pages across files',
      async () => [
        { name: 'first.pdf', bytes: await textPdf('Un', 2) },
        { name: 'second.pdf', bytes: await textPdf('Deux', 2) },
      ],
      422,
      /"second\.pdf": with this file the upload has 4 pages, more than the 3 allowed/,
    ],
    [
      'an image over the pixel cap',
      async () => [{ name: 'poster.png', type: 'image/png', bytes: await sharp({ create: { width: 5000, height: 5000, channels: 3, background: '#fff' } }).png().toBuffer() }],
      422,
      /"poster\.png": 5000×5000 pixels is more than the 20 megapixels allowed/,
    ],
    ['a PDF page over the pixel cap', async () => [{ name: 'banner.pdf', bytes: await tallPdf() }], 422, /"banner\.pdf": page 1 is so elongated that its zoom image would exceed 20 megapixels/],
    [
      'a file over the size cap',
      async () => [{ name: 'big.pdf', bytes: Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(1536 * 1024)]) }],
      413,
      /"big\.pdf": larger than the 1 MB allowed per file/,
    ],
  ];

  it.each(cases)('refuses %s, naming the file, and stores nothing', async (_, files, status, reason) => {
    const documentId = await newProof();
    const refused = await upload(documentId, await files());
    expect(refused.status).toBe(status);
    expect(refused.body.detail).toMatch(reason);
    expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(0);
    expect(await openFileStore(stack.config).exists(`proofs/${documentId}/`)).toBe(false);
  });
});

describe('an upload retried with its Idempotency-Key', () => {
  it('answers the first revision again for the same bytes, and 422 for other bytes under the same key', async () => {
    const documentId = await newProof();
    const key = randomUUID();
    const bytes = await textPdf('Version A');
    const first = await upload(documentId, [{ name: 'brochure.pdf', bytes }], { idempotencyKey: key });
    expect(first.status).toBe(201);

    const retried = await upload(documentId, [{ name: 'brochure.pdf', bytes }], { idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body).toEqual(first.body);

    const otherBytes = await upload(documentId, [{ name: 'brochure.pdf', bytes: await textPdf('Version B') }], { idempotencyKey: key });
    expect(otherBytes.status).toBe(422);
    expect(otherBytes.body.type).toMatch(/idempotency/);
    const otherQuery = await upload(documentId, [{ name: 'brochure.pdf', bytes }], { idempotencyKey: key, send: true });
    expect(otherQuery.status).toBe(422);

    expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(1);
    // A new key is a new upload: revision 2.
    const next = await upload(documentId, [{ name: 'brochure.pdf', bytes }], { idempotencyKey: randomUUID() });
    expect(next.body.revision.number).toBe(2);
  });

  it('finds the revision its first attempt committed when resent after its API died, and sends the proof once', async () => {
    const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customerId } }, body: { name: 'Lou Relecture', email: `${randomUUID()}@client.example` } }), 201);
    const documentId = (await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId, contactId: contact.id, title: 'Dépliant' } }), 201)).id;
    const key = randomUUID();
    const files = [{ name: 'depliant.pdf', bytes: await textPdf('Dépliant') }];
    const first = await upload(documentId, files, { idempotencyKey: key, send: true });
    expect(first.status).toBe(201);
    // Its API SIGKILLed before the answer was stored.
    await abandonClaim(stack.prisma, key);

    const resent = await upload(documentId, files, { idempotencyKey: key, send: true });
    expect(resent.status).toBe(201);
    expect(resent.headers.get('idempotent-replayed')).toBeNull();
    expect(resent.body.revision).toMatchObject({ id: first.body.revision.id, number: 1 });
    expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(1);
    await eventually(async () => ((await succeeded(api.GET('/v1/documents/{id}', { params: { path: { id: documentId } } }))).status === 'sent' ? true : undefined), { what: 'the proof sent' });
    await eventually(async () => ((await stack.readOutbox()).some((email) => recipientsOf(email).includes(contact.email as string)) ? true : undefined), { what: 'the proof email' });
    expect((await stack.readOutbox()).filter((email) => recipientsOf(email).includes(contact.email as string))).toHaveLength(1);
  });
});
