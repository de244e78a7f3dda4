/**
 * The local mail outbox: a stand-in for Resend's API so development and tests send real
 * emails through the real SDK without leaving the machine. It answers `POST /emails` as
 * Resend does (Bearer key, `Idempotency-Key`: the same key answers the same id and stores
 * once), takes SMS on `POST /sms`, and lists everything it received on `GET /emails`,
 * newest first, with the links found in each message.
 *
 * Messages live in memory and in <dataDir>/outbox.jsonl, so a restart keeps them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../platform/config';
import { listenOn } from '../../platform/listen';

export interface OutboxAttachment {
  filename: string;
  contentType?: string;
  size: number;
  /** base64, as the SDK sent it; served by GET /emails/:id/attachments/:index. */
  content: string;
}

export interface OutboxMessage {
  id: string;
  channel: 'email' | 'sms';
  from: string;
  to: string[];
  subject: string;
  html: string;
  text: string;
  links: string[];
  attachments: OutboxAttachment[];
  createdAt: string;
  idempotencyKey?: string;
  /** SHA-256 of the request body: the same key with another body is refused, as Resend does. */
  requestHash: string;
}

export interface Outbox {
  url: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 40 * 1024 * 1024;

/** Resend's error body: `{ statusCode, name, message }`. */
class OutboxError extends Error {
  constructor(
    readonly statusCode: number,
    readonly errorName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every http(s) URL in the message, once, in order (HTML-escaped ampersands undone). */
export function linksIn(...texts: string[]): string[] {
  const found = texts.flatMap((text) => text.match(/https?:\/\/[^\s"'<>]+/g) ?? []);
  return [...new Set(found.map((url) => url.replace(/&amp;/g, '&').replace(/[.,;:!?)\]]+$/, '')))];
}

function asList(value: unknown): string[] {
  if (typeof value === 'string' && value) return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return [];
}

function requireText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || !value.trim()) throw new OutboxError(422, 'validation_error', `Missing \`${field}\` field.`);
  return value;
}

function optionalText(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  return typeof value === 'string' ? value : '';
}

function readAttachments(value: unknown): OutboxAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OutboxError(422, 'validation_error', '`attachments` must be an array.');
  return value.map((item: Record<string, unknown>, index) => {
    if (typeof item?.content !== 'string') {
      // The SDK sends binary content as base64; a remote `path` is not fetched here.
      throw new OutboxError(422, 'validation_error', `attachments[${index}].content must be a base64 string.`);
    }
    return {
      filename: typeof item.filename === 'string' ? item.filename : `attachment-${index + 1}`,
      ...(typeof item.content_type === 'string' ? { contentType: item.content_type } : {}),
      size: Buffer.from(item.content, 'base64').length,
      content: item.content,
    };
  });
}

function emailFrom(body: Record<string, unknown>): Omit<OutboxMessage, 'id' | 'createdAt' | 'requestHash' | 'idempotencyKey'> {
  const from = requireText(body, 'from');
  const to = asList(body.to);
  if (to.length === 0) throw new OutboxError(422, 'validation_error', 'Missing `to` field.');
  const subject = requireText(body, 'subject');
  const html = optionalText(body, 'html');
  const text = optionalText(body, 'text');
  if (!html && !text) throw new OutboxError(422, 'validation_error', 'Missing `html` or `text` field.');
  return { channel: 'email', from, to, subject, html, text, links: linksIn(html, text), attachments: readAttachments(body.attachments) };
}

function smsFrom(body: Record<string, unknown>): Omit<OutboxMessage, 'id' | 'createdAt' | 'requestHash' | 'idempotencyKey'> {
  const to = requireText(body, 'to');
  const text = requireText(body, 'body');
  return { channel: 'sms', from: optionalText(body, 'from'), to: [to], subject: '', html: '', text, links: linksIn(text), attachments: [] };
}

/** A message as the outbox shows it: without the bookkeeping of its idempotency, and its attachments without their bytes. */
function publicView({ idempotencyKey: _key, requestHash: _hash, attachments, ...shown }: OutboxMessage) {
  return { ...shown, attachments: attachments.map(({ filename, size, contentType }) => ({ filename, size, ...(contentType ? { contentType } : {}) })) };
}

class MessageStore {
  private readonly messages: OutboxMessage[] = [];
  private readonly byIdempotencyKey = new Map<string, OutboxMessage>();
  private readonly file: string;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'outbox.jsonl');
    if (!existsSync(this.file)) return;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim()) this.remember(JSON.parse(line) as OutboxMessage);
    }
  }

  private remember(message: OutboxMessage): void {
    this.messages.push(message);
    if (message.idempotencyKey) this.byIdempotencyKey.set(`${message.channel}:${message.idempotencyKey}`, message);
  }

  /** Stores a message once per idempotency key; answers the stored one on a repeat. */
  accept(fields: ReturnType<typeof emailFrom>, requestHash: string, idempotencyKey: string | undefined): OutboxMessage {
    if (idempotencyKey) {
      const earlier = this.byIdempotencyKey.get(`${fields.channel}:${idempotencyKey}`);
      if (earlier && earlier.requestHash !== requestHash) {
        throw new OutboxError(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
      }
      if (earlier) return earlier;
    }
    const message: OutboxMessage = {
      id: randomUUID(),
      ...fields,
      createdAt: new Date().toISOString(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      requestHash,
    };
    appendFileSync(this.file, `${JSON.stringify(message)}\n`);
    this.remember(message);
    return message;
  }

  newestFirst(): OutboxMessage[] {
    return [...this.messages].reverse();
  }

  find(id: string): OutboxMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }
}

async function readJson(request: http.IncomingMessage): Promise<{ body: Record<string, unknown>; hash: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new OutboxError(413, 'payload_too_large', 'The request body is larger than 40 MB.');
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SyntaxError('not an object');
    return { body: body as Record<string, unknown>, hash: createHash('sha256').update(raw).digest('hex') };
  } catch {
    throw new OutboxError(422, 'validation_error', 'The body must be a JSON object.');
  }
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function requireBearer(request: http.IncomingMessage): void {
  if (!/^Bearer \S+/.test(request.headers.authorization ?? '')) {
    throw new OutboxError(401, 'missing_api_key', 'Missing API key in the authorization header.');
  }
}

function idempotencyKeyOf(request: http.IncomingMessage): string | undefined {
  const value = request.headers['idempotency-key'];
  return typeof value === 'string' && value ? value : undefined;
}

function createHandler(store: MessageStore) {
  async function route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://outbox');
    const attachment = /^\/emails\/([^/]+)\/attachments\/(\d+)$/.exec(pathname);

    if (request.method === 'POST' && (pathname === '/emails' || pathname === '/sms')) {
      requireBearer(request);
      const { body, hash } = await readJson(request);
      const fields = pathname === '/emails' ? emailFrom(body) : smsFrom(body);
      const message = store.accept(fields, hash, idempotencyKeyOf(request));
      return sendJson(response, 200, { id: message.id });
    }
    if (request.method === 'GET' && pathname === '/emails') {
      return sendJson(response, 200, { object: 'list', data: store.newestFirst().map(publicView) });
    }
    if (request.method === 'GET' && attachment) {
      const file = store.find(attachment[1] ?? '')?.attachments[Number(attachment[2])];
      if (!file) throw new OutboxError(404, 'not_found', 'Attachment not found.');
      response.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream' });
      response.end(Buffer.from(file.content, 'base64'));
      return;
    }
    throw new OutboxError(404, 'not_found', `No route for ${request.method} ${pathname}.`);
  }

  return (request: http.IncomingMessage, response: http.ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      const known = error instanceof OutboxError ? error : new OutboxError(500, 'application_error', String(error));
      sendJson(response, known.statusCode, { statusCode: known.statusCode, name: known.errorName, message: known.message });
    });
  };
}

export async function startOutbox(options: { port: number; dataDir: string; host?: string }): Promise<Outbox> {
  const store = new MessageStore(options.dataDir);
  const server = http.createServer(createHandler(store));
  const host = options.host ?? '127.0.0.1';
  await listenOn(server, options.port, host, 'outbox');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

if (require.main === module) {
  const { outboxPort: port, dataDir } = loadConfig();
  // Loopback by default; a container sets OUTBOX_HOST=0.0.0.0 so its neighbours reach it.
  startOutbox({ port, dataDir, host: process.env.OUTBOX_HOST || undefined }).then(
    (outbox) => {
      console.log(`[outbox] listening on ${outbox.url} (messages kept in ${path.join(dataDir, 'outbox.jsonl')})`);
      const stop = (signal: string) => {
        console.log(`[outbox] ${signal}: stopping`);
        outbox.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      console.error(`[outbox] could not start on port ${port}: ${String(error)}`);
      process.exit(1);
    },
  );
}
