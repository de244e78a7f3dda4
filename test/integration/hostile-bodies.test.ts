/**
 * Hostile request bodies against the real app (DESIGN.md §6: "every process survives any
 * request"): an upload cut before its closing boundary, or left mid-way, answers 400 (or
 * nothing) and stores nothing, and the same server keeps serving.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { openFileStore } from '../../activities/files/store';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS, seedTenant } from './api-http';

let stack: Stack;
let tenant: Awaited<ReturnType<typeof seedTenant>>;

beforeAll(async () => {
  stack = await startStack();
  tenant = await seedTenant(stack);
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is on a new connection (the server closes it: Connection: close) and reads the answer. */
function rawExchange(request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
  });
}

async function newProof(): Promise<string> {
  const created = await tenant.call('POST', '/v1/documents', { kind: 'proof', customerId: tenant.customerId, title: 'Brochure' });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function expectNothingStored(documentId: string): Promise<void> {
  expect(await stack.prisma.revision.count({ where: { documentId } })).toBe(0);
  expect(await openFileStore(stack.config).exists(`proofs/${documentId}/`)).toBe(false);
}

/** The server still serves: a plain read answers. */
async function expectServing(documentId: string): Promise<void> {
  const read = await tenant.call('GET', `/v1/documents/${documentId}`);
  expect(read.status).toBe(200);
}

const BOUNDARY = 'XYZ';
const CUT_UPLOAD = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 trunc`;

function uploadRequest(documentId: string, body: string, contentLength = Buffer.byteLength(body)): string {
  return [
    `POST /v1/documents/${documentId}/revisions HTTP/1.1`,
    `Host: ${new URL(stack.baseUrl).host}`,
    `Authorization: Bearer ${tenant.apiKey}`,
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    `Content-Length: ${contentLength}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

describe('an upload cut short', () => {
  it('without its closing boundary: 400 problem+json, nothing stored, and the same server answers next', async () => {
    const documentId = await newProof();
    const answer = await rawExchange(uploadRequest(documentId, CUT_UPLOAD));
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 400, detail: expect.stringMatching(/malformed or incomplete/) });
    await expectNothingStored(documentId);
    await expectServing(documentId);
  });

  it('with an Idempotency-Key: 400, and the key stays free for the whole upload sent again', async () => {
    const documentId = await newProof();
    const key = randomUUID();
    const request = uploadRequest(documentId, CUT_UPLOAD).replace('Connection: close', `Idempotency-Key: ${key}\r\nConnection: close`);
    expect((await rawExchange(request)).status).toBe(400);
    await expectNothingStored(documentId);
    const whole = await uploadRevision(stack.baseUrl, tenant.apiKey, documentId, [{ name: 'a.pdf', bytes: await textPdf('Entier') }], { idempotencyKey: key });
    expect(whole.status).toBe(201);
    expect(whole.body.revision.number).toBe(1);
  });

  it('by a client that leaves mid-upload: nothing stored, and the server answers next', async () => {
    const documentId = await newProof();
    const { hostname, port } = new URL(stack.baseUrl);
    await new Promise<void>((resolve, reject) => {
      // Announces a megabyte, sends the first part's start, and hangs up.
      const socket = net.connect({ host: hostname, port: Number(port) }, () => {
        socket.write(uploadRequest(documentId, CUT_UPLOAD, 1024 * 1024), () => {
          socket.destroy();
          resolve();
        });
      });
      socket.on('error', reject);
    });
    await expectServing(documentId);
    await expectNothingStored(documentId);
  });
});
