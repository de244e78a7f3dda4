/**
 * The local mail outbox: a stand-in for Resend's API and Twilio's Messages API so development
 * and tests send real emails and texts through the real SDKs without leaving the machine. It
 * answers `POST /emails` as Resend does (Bearer key, `Idempotency-Key`: the same key answers
 * the same id and stores once), `POST /2010-04-01/Accounts/<sid>/Messages.json` and its `GET`
 * list as Twilio does (basic auth, form-encoded To/From/Body, 201 with the message's `SM…` sid,
 * Twilio's error JSON — 21211 for a To no network dials), and lists everything it received on
 * `GET /emails`, newest first, with the links found in each message (`?after=<id>`: only those
 * received after that one).
 *
 * Messages live in memory and in <dataDir>/outbox.jsonl, so a restart keeps them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { normalisePhone } from '../../domain/phone';
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

/** Twilio's error body: `{ code, message, more_info, status }`. */
class TwilioError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** A text as Twilio's Messages API takes it: To in E.164, From, Body (form fields, as the SDK sends them). */
function smsFrom(form: URLSearchParams): Omit<OutboxMessage, 'id' | 'createdAt' | 'requestHash' | 'idempotencyKey'> {
  const to = form.get('To') ?? '';
  const from = form.get('From') ?? '';
  const text = form.get('Body') ?? '';
  if (!to) throw new TwilioError(400, 21604, "A 'To' phone number is required.");
  // Twilio dials E.164 only: anything else, or a number no network has, is 21211.
  if (!to.startsWith('+') || normalisePhone(to) !== to) throw new TwilioError(400, 21211, `Invalid 'To' Phone Number: ${to}`);
  if (!from) throw new TwilioError(400, 21603, "A 'From' phone number is required.");
  if (!text.trim()) throw new TwilioError(400, 21602, 'Message body is required.');
  return { channel: 'sms', from, to: [to], subject: '', html: '', text, links: linksIn(text), attachments: [] };
}

/** A stored text as Twilio's Message resource. */
function twilioMessage(accountSid: string, message: OutboxMessage) {
  const created = new Date(message.createdAt).toUTCString().replace('GMT', '+0000');
  return {
    sid: message.id,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: message.text,
    date_created: created,
    date_updated: created,
    date_sent: created,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: message.from,
    to: message.to[0],
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(message.text.length / 153))),
    price: null,
    price_unit: 'USD',
    status: 'sent',
    uri: `/2010-04-01/Accounts/${accountSid}/Messages/${message.id}.json`,
    subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${message.id}/Media.json` },
  };
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
  accept(fields: ReturnType<typeof emailFrom>, requestHash: string, idempotencyKey: string | undefined, id: string = randomUUID()): OutboxMessage {
    if (idempotencyKey) {
      const earlier = this.byIdempotencyKey.get(`${fields.channel}:${idempotencyKey}`);
      if (earlier && earlier.requestHash !== requestHash) {
        throw new OutboxError(409, 'invalid_idempotent_request', 'Same idempotency key used with a different request payload.');
      }
      if (earlier) return earlier;
    }
    const message: OutboxMessage = {
      id,
      ...fields,
      createdAt: new Date().toISOString(),
      ...(idempotencyKey ? { idempotencyKey } : {}),
      requestHash,
    };
    appendFileSync(this.file, `${JSON.stringify(message)}\n`);
    this.remember(message);
    return message;
  }

  /** Every message, newest first; with `after`, only those stored after that one (undefined when there is no such message). */
  newestFirst(after?: string): OutboxMessage[] | undefined {
    const from = after === undefined ? 0 : this.messages.findIndex((message) => message.id === after) + 1;
    return from === 0 && after !== undefined ? undefined : this.messages.slice(from).reverse();
  }

  find(id: string): OutboxMessage | undefined {
    return this.messages.find((message) => message.id === id);
  }
}

async function readRaw(request: http.IncomingMessage): Promise<{ raw: Buffer; hash: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new OutboxError(413, 'payload_too_large', 'The request body is larger than 40 MB.');
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks);
  return { raw, hash: createHash('sha256').update(raw).digest('hex') };
}

async function readJson(request: http.IncomingMessage): Promise<{ body: Record<string, unknown>; hash: string }> {
  const { raw, hash } = await readRaw(request);
  try {
    const body: unknown = JSON.parse(raw.toString('utf8'));
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new SyntaxError('not an object');
    return { body: body as Record<string, unknown>, hash };
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

/** Twilio authenticates with the account SID (or an API key) and its secret, as HTTP basic auth. */
function requireBasicAuth(request: http.IncomingMessage, accountSid: string): void {
  const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
  const [user, secret] = Buffer.from(encoded ?? '', 'base64').toString('utf8').split(':');
  if (scheme !== 'Basic' || !user || !secret || (user.startsWith('AC') && user !== accountSid)) throw new TwilioError(401, 20003, 'Authenticate');
}

/** Messages of one account, newest first, filtered as Twilio's list is (To, From), one page of PageSize. */
function listTexts(store: MessageStore, accountSid: string, query: URLSearchParams) {
  const to = query.get('To');
  const from = query.get('From');
  const pageSize = Math.min(Number(query.get('PageSize')) || 50, 1000);
  const texts = (store.newestFirst() ?? [])
    .filter((message) => message.channel === 'sms' && (!to || message.to[0] === to) && (!from || message.from === from))
    .slice(0, pageSize);
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  return {
    messages: texts.map((message) => twilioMessage(accountSid, message)),
    start: 0,
    end: Math.max(texts.length - 1, 0),
    page: 0,
    page_size: pageSize,
    uri,
    first_page_uri: `${uri}?PageSize=${pageSize}&Page=0`,
    next_page_uri: null,
    previous_page_uri: null,
  };
}

function idempotencyKeyOf(request: http.IncomingMessage): string | undefined {
  const value = request.headers['idempotency-key'];
  return typeof value === 'string' && value ? value : undefined;
}

function createHandler(store: MessageStore) {
  async function route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://outbox');
    const attachment = /^\/emails\/([^/]+)\/attachments\/(\d+)$/.exec(pathname);
    const twilioMessages = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(pathname);

    if (request.method === 'POST' && pathname === '/emails') {
      requireBearer(request);
      const { body, hash } = await readJson(request);
      const message = store.accept(emailFrom(body), hash, idempotencyKeyOf(request));
      return sendJson(response, 200, { id: message.id });
    }
    if (twilioMessages && (request.method === 'POST' || request.method === 'GET')) {
      const accountSid = decodeURIComponent(twilioMessages[1] ?? '');
      requireBasicAuth(request, accountSid);
      if (request.method === 'GET') return sendJson(response, 200, listTexts(store, accountSid, new URL(request.url ?? '/', 'http://outbox').searchParams));
      const { raw, hash } = await readRaw(request);
      // Twilio keeps no idempotency key: each request is a text of its own.
      const message = store.accept(smsFrom(new URLSearchParams(raw.toString('utf8'))), hash, undefined, `SM${randomUUID().replaceAll('-', '')}`);
      return sendJson(response, 201, twilioMessage(accountSid, message));
    }
    if (request.method === 'GET' && pathname === '/emails') {
      // `?after=<id>`: what came since a reader's last look, instead of everything every time.
      const after = new URL(request.url ?? '/', 'http://outbox').searchParams.get('after') ?? undefined;
      const messages = store.newestFirst(after);
      if (!messages) throw new OutboxError(400, 'validation_error', `No message ${after} to list the messages after.`);
      return sendJson(response, 200, { object: 'list', data: messages.map(publicView) });
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
      if (error instanceof TwilioError) {
        return sendJson(response, error.status, { code: error.code, message: error.message, more_info: `https://www.twilio.com/docs/errors/${error.code}`, status: error.status });
      }
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
