/**
 * A local stand-in for GetAccept's REST API v1, for development and tests. Written from
 * GetAccept's public description (the OpenAPI document in microsoft/PowerPlatformConnectors
 * certified-connectors/GetAccept and PipedreamHQ's components/getaccept), not from our
 * adapter, so the two can disagree where one of them is wrong. The parts it answers:
 *
 * - Accounts, as each seller has its own: POST /v1/auth `{email, password, entity_id?}` →
 *   `{access_token, expires_in}` signs a user in (a user unknown here is made on its first
 *   sign-in; a wrong password is 401); GET /v1/refresh with a token still valid → a new one.
 *   Every other /v1 call needs `Authorization: Bearer <token>` (401 `{error, description,
 *   status}` otherwise, `token_expired` for a token past its `expires_in`); a token this
 *   stand-in did not issue is taken as a fixed API key, an account of its own. Documents and
 *   subscriptions belong to the account that made them: another account finds none of them,
 *   and a document's events go to its own account's subscriptions only.
 * - POST /v1/documents (name required; file_content base64; recipients each with an email or
 *   a mobile, and its order_num; is_signing_order: recipients sign in that order;
 *   is_automatic_sending sends at once; is_sms_sending) → Document, status "draft";
 *   GET /v1/documents (?filter=<status>, ?external_id=, offset, limit) → Document list;
 *   GET /v1/documents/{id}; GET /v1/documents/{id}/recipients; POST /v1/documents/{id}/send
 *   (drafts only); POST /v1/documents/{id}/recall (status "recalled"); POST
 *   /v1/documents/{id}/reminders `{type: email | sms | video, not_opened?, not_signed?}` (sent
 *   documents only; the recipient "gets" it in the reminder log); GET /v1/documents/{id}/download (?direct=true: the PDF,
 *   else `{document_url}`).
 * - POST /v1/subscriptions `{event, target_url, payload?}` → `[Subscription]` (wrapped in an
 *   array, as the description says); GET / DELETE /v1/subscriptions/{id}. Events are POSTed as
 *   the Webhook object `{event, event_type, event_action, document, recipient, entity,
 *   subscription_id, custom_fields}`; GetAccept documents no signature on them. One attempt
 *   (GetAccept retries after 1, 12, 24 and 48 hours; a stand-in does not wait that long).
 * - The recipient's `document_url` opens a signing page a browser can click: view, sign
 *   (with the signer's name), reject.
 *
 * Test controls, not GetAccept's (under /_dev): GET /_dev/calls counts the /v1 calls by route
 * (`?account=<email>`: that account's); GET /_dev/documents lists every document with its
 * account; POST /_dev/tokens/expire `{email}` expires that account's tokens now;
 * POST /_dev/fault `{status, forMs?, calls?}` answers that status to /v1 calls for a while,
 * or with `delayMs` holds them that long first (DELETE clears it); GET /_dev/reminders lists the
 * reminders the recipients got; POST /_dev/documents/{id}/status `{status, webhook?}` moves a document as
 * its recipient would, without a webhook unless asked.
 *
 * State lives in memory and, with a data directory, in <dataDir>/getaccept.json.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import escapeHtml from 'escape-html';
import express, { type NextFunction, type Request, type Response } from 'express';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { GETACCEPT_STAND_IN_KEY, loadConfig } from '../../platform/config';
import { listenOn } from '../../platform/listen';

/** GetAccept's document statuses (the `filter` values of GET /documents). */
const STATUSES = ['draft', 'sent', 'viewed', 'reviewed', 'signed', 'rejected', 'recalled', 'expired', 'hardbounced'] as const;
type Status = (typeof STATUSES)[number];
const FINAL: readonly Status[] = ['signed', 'rejected', 'recalled', 'expired'];

interface StoredRecipient {
  id: string;
  token: string;
  first_name: string;
  last_name: string;
  fullname: string;
  email: string;
  mobile: string;
  company_name: string;
  role: string;
  status: Status;
  order_num: string;
}

interface StoredDocument {
  id: string;
  /** The account that made it (an email, or `key:<token>` for a fixed API key). */
  account: string;
  name: string;
  external_id: string;
  type: string;
  value: number;
  status: Status;
  is_signing: boolean;
  is_signing_order: boolean;
  is_sms_sending: boolean;
  email_send_subject: string;
  email_send_message: string;
  expiration_date: string;
  created_at: string;
  send_date: string | null;
  sign_date: string | null;
  file_content: string;
  signed_file: string | null;
  recipients: StoredRecipient[];
}

interface Subscription {
  id: string;
  account: string;
  subscription_id: string;
  event: string;
  target_url: string;
  payload: string;
  global: boolean;
  created_at: string;
}

interface State {
  documents: Record<string, StoredDocument>;
  subscriptions: Record<string, Subscription>;
  /** Users by email (the stand-in's accounts). */
  users: Record<string, { password: string; entityId: string }>;
  /** Issued access tokens: whose, and until when (epoch ms). */
  tokens: Record<string, { account: string; expiresAt: number }>;
}

export interface WebhookAttemptLog {
  event: string;
  targetUrl: string;
  status: number | null;
  error?: string;
}

export interface GetAcceptStandIn {
  url: string;
  /** Base of the REST API: `<url>/v1`. */
  apiUrl: string;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const newId = () => randomBytes(5).toString('hex');

export interface GetAcceptStandInOptions {
  port: number;
  host?: string;
  dataDir?: string;
  /** The `expires_in` of the tokens it issues; 30 days unless told. */
  tokenTtlSeconds?: number;
}

export async function startGetAcceptStandIn(options: GetAcceptStandInOptions): Promise<GetAcceptStandIn> {
  const file = options.dataDir ? path.join(options.dataDir, 'getaccept.json') : undefined;
  const state: State = { documents: {}, subscriptions: {}, users: {}, tokens: {}, ...(file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<State>) : {}) };
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 3600 * 24 * 30;
  // State saved before accounts existed was made with development's fixed key.
  for (const owned of [...Object.values(state.documents), ...Object.values(state.subscriptions)]) owned.account ??= `key:${GETACCEPT_STAND_IN_KEY}`;
  const save = () => {
    if (!file) return;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(state));
  };
  const calls = new Map<string, number>();
  /** The same counts, per account. */
  const accountCalls = new Map<string, Map<string, number>>();
  const webhookLog: WebhookAttemptLog[] = [];
  /** What a recipient would have received: one entry per recipient reminded. */
  const reminderLog: { documentId: string; recipientId: string; type: string; at: string }[] = [];
  /** A fault answers `status`, or (delayMs) holds the call that long before answering it normally. */
  let fault: { status: number; delayMs?: number; until?: number; callsLeft?: number } | undefined;
  let held = 0;
  let baseUrl = '';

  const app = express();
  app.disable('x-powered-by');

  // ------------------------------------------------------------------ test controls
  app.get('/_dev/calls', (req, res) => {
    const counted = typeof req.query.account === 'string' ? (accountCalls.get(req.query.account) ?? new Map<string, number>()) : calls;
    res.json({ total: [...counted.values()].reduce((sum, count) => sum + count, 0), byRoute: Object.fromEntries(counted), held });
  });
  app.get('/_dev/documents', (_req, res) => {
    res.json({ data: Object.values(state.documents).map((document) => ({ id: document.id, external_id: document.external_id, account: document.account, status: document.status })) });
  });
  app.post('/_dev/tokens/expire', express.json(), (req, res) => {
    const { email } = (req.body ?? {}) as { email?: string };
    let expired = 0;
    for (const token of Object.values(state.tokens)) {
      if (token.account === email) {
        token.expiresAt = Date.now() - 1;
        expired += 1;
      }
    }
    save();
    res.json({ expired });
  });
  app.post('/_dev/fault', express.json(), (req, res) => {
    const body = req.body as { status?: number; delayMs?: number; forMs?: number; calls?: number };
    fault = {
      status: body.status ?? 500,
      ...(body.delayMs !== undefined ? { delayMs: body.delayMs } : {}),
      ...(body.forMs !== undefined ? { until: Date.now() + body.forMs } : {}),
      ...(body.calls !== undefined ? { callsLeft: body.calls } : {}),
    };
    res.json({ fault });
  });
  app.delete('/_dev/fault', (_req, res) => {
    fault = undefined;
    res.json({ fault: null });
  });
  app.get('/_dev/webhooks', (_req, res) => void res.json({ data: webhookLog }));
  app.get('/_dev/reminders', (_req, res) => void res.json({ data: reminderLog }));
  app.post('/_dev/documents/:id/status', express.json(), async (req, res, next) => {
    try {
      const document = findDocument(req.params.id as string);
      const { status, webhook } = req.body as { status: Status; webhook?: boolean };
      if (!STATUSES.includes(status)) throw new ApiError(400, 'invalid_status', `Unknown status ${String(status)}`);
      await moveTo(document, status, { webhook: webhook === true });
      res.json(presentDocument(document));
    } catch (error) {
      next(error);
    }
  });

  // ------------------------------------------------------------------ the REST API
  const api = express.Router();
  api.use(express.json({ limit: '30mb' }));
  api.use((req, _res, next) => {
    // Counted by route shape, so a test can say "no GET /documents/:id since the cancel".
    const route = `${req.method} ${req.path.replace(/^\/(documents|subscriptions)\/[^/]+/, '/$1/:id')}`;
    calls.set(route, (calls.get(route) ?? 0) + 1);
    if (fault && (fault.until === undefined || Date.now() < fault.until) && (fault.callsLeft === undefined || fault.callsLeft > 0)) {
      if (fault.callsLeft !== undefined) fault.callsLeft -= 1;
      if (fault.delayMs !== undefined) {
        held += 1;
        setTimeout(next, fault.delayMs).unref();
        return;
      }
      next(new ApiError(fault.status, 'server_error', 'The stand-in was told to fail (POST /_dev/fault)'));
      return;
    }
    fault = undefined;
    next();
  });
  const issueToken = (account: string) => {
    const token = `ga_${randomBytes(16).toString('hex')}`;
    state.tokens[token] = { account, expiresAt: Date.now() + tokenTtlSeconds * 1000 };
    save();
    return { access_token: token, expires_in: tokenTtlSeconds };
  };
  const countFor = (account: string, route: string) => {
    const counted = accountCalls.get(account) ?? new Map<string, number>();
    counted.set(route, (counted.get(route) ?? 0) + 1);
    accountCalls.set(account, counted);
  };
  api.post('/auth', (req, res) => {
    const { email, password, entity_id: entityId } = (req.body ?? {}) as { email?: string; password?: string; entity_id?: string };
    if (!email || !password) throw new ApiError(400, 'invalid_data', 'email and password are required');
    const user = (state.users[email] ??= { password, entityId: entityId ?? `entity-${newId()}` });
    if (user.password !== password) throw new ApiError(401, 'invalid_credentials', 'Wrong email or password');
    countFor(email, 'POST /auth');
    res.json(issueToken(email));
  });
  api.use((req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) {
      next(new ApiError(401, 'unauthorized', 'Authorization: Bearer <token> is required'));
      return;
    }
    const token = match[1] as string;
    const issued = state.tokens[token];
    if (issued && issued.expiresAt <= Date.now()) {
      next(new ApiError(401, 'token_expired', 'The access token has expired'));
      return;
    }
    res.locals.account = issued?.account ?? `key:${token}`;
    countFor(res.locals.account as string, `${req.method} ${req.path.replace(/^\/(documents|subscriptions)\/[^/]+/, '/$1/:id')}`);
    next();
  });
  api.get('/refresh', (_req, res) => void res.json(issueToken(res.locals.account as string)));

  api.post('/documents', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.name !== 'string' || !body.name.trim()) throw new ApiError(400, 'invalid_data', 'name is required');
    if (typeof body.file_content !== 'string' || !body.file_content) {
      // file_ids and file_url need /upload or a public URL: the stand-in takes the file in the create call only.
      throw new ApiError(400, 'invalid_data', 'file_content (base64) is required by this stand-in');
    }
    const recipients = Array.isArray(body.recipients) ? (body.recipients as Record<string, unknown>[]) : [];
    if (recipients.length === 0) throw new ApiError(400, 'invalid_data', 'At least one recipient is required');
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    const stored: StoredRecipient[] = recipients.map((recipient, index) => {
      if (!text(recipient.email) && !text(recipient.mobile)) throw new ApiError(400, 'invalid_data', 'All recipients must have either a valid e-mail or a mobile number');
      const first = text(recipient.first_name);
      const last = text(recipient.last_name);
      return {
        id: newId(),
        token: randomBytes(16).toString('base64url'),
        first_name: first,
        last_name: last,
        fullname: text(recipient.fullname) || `${first} ${last}`.trim(),
        email: text(recipient.email),
        mobile: text(recipient.mobile),
        company_name: text(recipient.company_name),
        role: text(recipient.role) || 'signer',
        status: 'draft',
        order_num: String(typeof recipient.order_num === 'number' ? recipient.order_num : index + 1),
      };
    });
    const document: StoredDocument = {
      id: newId(),
      account: res.locals.account as string,
      name: body.name,
      external_id: text(body.external_id),
      type: text(body.type) || 'sales',
      value: typeof body.value === 'number' ? body.value : 0,
      status: 'draft',
      is_signing: body.is_signing !== false,
      is_signing_order: body.is_signing_order === true,
      is_sms_sending: body.is_sms_sending === true,
      email_send_subject: text(body.email_send_subject),
      email_send_message: text(body.email_send_message),
      expiration_date: text(body.expiration_date),
      created_at: new Date().toISOString(),
      send_date: null,
      sign_date: null,
      file_content: body.file_content,
      signed_file: null,
      recipients: stored,
    };
    state.documents[document.id] = document;
    if (body.is_automatic_sending === true) markSent(document);
    save();
    res.json(presentDocument(document));
  });
  api.get('/documents', (req, res) => {
    const filter = typeof req.query.filter === 'string' ? req.query.filter : undefined;
    const externalId = typeof req.query.external_id === 'string' ? req.query.external_id : undefined;
    const offset = Number(req.query.offset ?? 0) || 0;
    const limit = Number(req.query.limit ?? 100) || 100;
    const list = Object.values(state.documents)
      .filter((document) => document.account === res.locals.account)
      .filter((document) => (filter ? document.status === filter : true))
      .filter((document) => (externalId !== undefined ? document.external_id === externalId : true))
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
      .slice(offset, offset + limit)
      .map((document) => {
        const { recipients: _recipients, ...summary } = presentDocument(document);
        return summary;
      });
    res.json(list);
  });
  api.get('/documents/:id', (req, res) => void res.json(presentDocument(findDocument(req.params.id as string, res.locals.account as string))));
  api.get('/documents/:id/recipients', (req, res) => void res.json({ recipients: findDocument(req.params.id as string, res.locals.account as string).recipients.map(presentRecipient) }));
  api.post('/documents/:id/send', (req, res) => {
    const document = findDocument(req.params.id as string, res.locals.account as string);
    if (document.status !== 'draft') throw new ApiError(400, 'invalid_data', 'Only a document with document_status = draft can be sent');
    markSent(document);
    save();
    res.json(presentDocument(document));
  });
  api.post('/documents/:id/recall', async (req, res) => {
    const document = findDocument(req.params.id as string, res.locals.account as string);
    if (FINAL.includes(document.status)) throw new ApiError(400, 'invalid_data', `A ${document.status} document cannot be recalled`);
    await moveTo(document, 'recalled', { webhook: false });
    res.json(presentDocument(document));
  });
  api.post('/documents/:id/reminders', (req, res) => {
    const document = findDocument(req.params.id as string, res.locals.account as string);
    if (document.status === 'draft' || FINAL.includes(document.status)) throw new ApiError(400, 'invalid_data', 'Only a sent document can be reminded');
    const body = (req.body ?? {}) as { type?: unknown; not_opened?: unknown; not_signed?: unknown };
    const type = body.type ?? 'email';
    if (type !== 'email' && type !== 'sms' && type !== 'video') throw new ApiError(400, 'invalid_data', 'type must be email, sms or video');
    // The filters pick the recipients still to open (or to sign) it; without them, every recipient.
    const reminded = document.recipients.filter((recipient) =>
      body.not_opened === true ? recipient.status === 'sent' : body.not_signed === true ? recipient.status !== 'signed' : true,
    );
    for (const recipient of reminded) reminderLog.push({ documentId: document.id, recipientId: recipient.id, type, at: new Date().toISOString() });
    res.json({ status: 1 });
  });
  api.get('/documents/:id/download', (req, res) => {
    const document = findDocument(req.params.id as string, res.locals.account as string);
    const direct = req.query.direct !== 'false';
    if (!direct) {
      res.json({ document_url: `${baseUrl}/files/${document.id}.pdf` });
      return;
    }
    sendPdf(res, document);
  });
  api.post('/subscriptions', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body.event !== 'string' || typeof body.target_url !== 'string') throw new ApiError(400, 'invalid_data', 'event and target_url are required');
    const id = newId();
    const subscription: Subscription = {
      id,
      account: res.locals.account as string,
      subscription_id: id,
      event: body.event,
      target_url: body.target_url,
      payload: typeof body.payload === 'string' ? body.payload : '',
      global: body.global !== false,
      created_at: new Date().toISOString(),
    };
    state.subscriptions[id] = subscription;
    save();
    res.json([subscription]);
  });
  api.get('/subscriptions/:id', (req, res) => {
    const subscription = state.subscriptions[req.params.id as string];
    if (subscription?.account !== res.locals.account) throw new ApiError(404, 'not_found', 'The specified resource was not found');
    res.json(subscription);
  });
  api.delete('/subscriptions/:id', (req, res) => {
    if (state.subscriptions[req.params.id as string]?.account === res.locals.account) delete state.subscriptions[req.params.id as string];
    save();
    res.status(204).end();
  });
  app.use('/v1', api);

  // ------------------------------------------------------------------ the signer's side
  app.get('/files/:id.pdf', (req, res) => sendPdf(res, findDocument(req.params.id as string)));
  app.get('/', (_req, res) => {
    const rows = Object.values(state.documents)
      .sort((a, b) => b.created_at.localeCompare(a.created_at))
      .map(
        (document) =>
          `<tr><td>${escapeHtml(document.name)}</td><td>${document.status}</td><td>${document.recipients
            .map((recipient) => `<a href="/v/${recipient.token}">${escapeHtml(recipient.fullname || recipient.email || recipient.mobile)}</a>`)
            .join(', ')}</td></tr>`,
      )
      .join('');
    res.type('html').send(page('GetAccept stand-in', `<h1>GetAccept stand-in</h1><table><tr><th>Document</th><th>Status</th><th>Signing pages</th></tr>${rows}</table>`));
  });
  app.get('/v/:token', async (req, res, next) => {
    try {
      const { document, recipient } = findByToken(req.params.token as string);
      if (document.status === 'sent') await moveTo(document, 'viewed', { webhook: true });
      res.type('html').send(signingPage(document, recipient));
    } catch (error) {
      next(error);
    }
  });
  app.get('/v/:token/pdf', (req, res) => sendPdf(res, findByToken(req.params.token as string).document));
  app.post('/v/:token/sign', express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const { document, recipient } = findByToken(req.params.token as string);
      const name = String((req.body as { fullname?: string }).fullname ?? '').trim();
      if (!name) throw new ApiError(400, 'invalid_data', 'Type your name to sign');
      if (!openForSigner(document)) throw new ApiError(409, 'conflict', `The document is ${document.status}`);
      recipient.fullname = name;
      await moveTo(document, 'signed', { webhook: true });
      res.type('html').send(signingPage(document, recipient));
    } catch (error) {
      next(error);
    }
  });
  app.post('/v/:token/reject', express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const { document, recipient } = findByToken(req.params.token as string);
      if (!openForSigner(document)) throw new ApiError(409, 'conflict', `The document is ${document.status}`);
      await moveTo(document, 'rejected', { webhook: true });
      res.type('html').send(signingPage(document, recipient));
    } catch (error) {
      next(error);
    }
  });

  app.use((_req, _res, next) => next(new ApiError(404, 'not_found', 'The specified resource was not found')));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const known = error instanceof ApiError ? error : new ApiError(500, 'server_error', String(error));
    res.status(known.status).json({ error: known.error, description: known.message, status: known.status });
  });

  // ------------------------------------------------------------------ state changes
  /** A document, of the account asking when one is named (another account's is not found). */
  function findDocument(id: string, account?: string): StoredDocument {
    const document = state.documents[id];
    if (!document || (account !== undefined && document.account !== account)) throw new ApiError(404, 'not_found', 'The specified resource was not found');
    return document;
  }

  function findByToken(token: string): { document: StoredDocument; recipient: StoredRecipient } {
    for (const document of Object.values(state.documents)) {
      const recipient = document.recipients.find((candidate) => candidate.token === token);
      if (recipient && document.status !== 'draft') return { document, recipient };
    }
    throw new ApiError(404, 'not_found', 'This link is not valid');
  }

  function openForSigner(document: StoredDocument): boolean {
    return !FINAL.includes(document.status) && document.status !== 'draft';
  }

  function markSent(document: StoredDocument): void {
    document.status = 'sent';
    document.send_date = new Date().toISOString();
    for (const recipient of document.recipients) recipient.status = 'sent';
  }

  async function moveTo(document: StoredDocument, status: Status, options: { webhook: boolean }): Promise<void> {
    if (status === 'sent') markSent(document);
    document.status = status;
    for (const recipient of document.recipients) recipient.status = status;
    if (status === 'signed') {
      document.sign_date = new Date().toISOString();
      document.signed_file = await signedPdf(document);
    }
    save();
    if (options.webhook) await notify(document, status);
  }

  async function notify(document: StoredDocument, status: Status): Promise<void> {
    const event = `document.${status}`;
    for (const subscription of Object.values(state.subscriptions).filter((candidate) => candidate.event === event && candidate.account === document.account)) {
      const body = {
        event,
        event_type: 'document',
        event_action: status,
        subscription_id: subscription.subscription_id,
        document: presentDocument(document),
        recipient: document.recipients[0] ? presentRecipient(document.recipients[0]) : {},
        entity: { entity_id: 'standin', sub_domain: '', custom_domain: '', email_send_subject: '', email_send_message: '' },
        custom_fields: {},
        ...(subscription.payload ? { payload: subscription.payload } : {}),
      };
      try {
        const response = await fetch(subscription.target_url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        webhookLog.push({ event, targetUrl: subscription.target_url, status: response.status });
      } catch (error) {
        webhookLog.push({ event, targetUrl: subscription.target_url, status: null, error: String(error) });
      }
    }
  }

  function presentRecipient(recipient: StoredRecipient) {
    const { token, ...visible } = recipient;
    return { ...visible, document_url: `${baseUrl}/v/${token}` };
  }

  function presentDocument(document: StoredDocument) {
    const { file_content: _file, signed_file: _signed, recipients, ...fields } = document;
    return {
      ...fields,
      is_signed: document.status === 'signed',
      preview_url: `${baseUrl}/files/${document.id}.pdf`,
      download_url: `${baseUrl}/files/${document.id}.pdf`,
      recipients: recipients.map(presentRecipient),
    };
  }

  function sendPdf(res: Response, document: StoredDocument): void {
    res
      .type('application/pdf')
      .set('content-disposition', `attachment; filename="${document.id}.pdf"`)
      .send(Buffer.from(document.signed_file ?? document.file_content, 'base64'));
  }

  const server = await listenOn(http.createServer(app), options.port, options.host ?? '127.0.0.1', 'getaccept stand-in');
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/v1`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The document as sent, with a last page saying who signed and when (base64). */
async function signedPdf(document: StoredDocument): Promise<string> {
  const pdf = await PDFDocument.load(Buffer.from(document.file_content, 'base64')).catch(() => PDFDocument.create());
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const sheet = pdf.addPage([595, 842]);
  const lines = [
    'Signed with GetAccept (local stand-in)',
    `Document: ${document.name}`,
    ...document.recipients.map((recipient) => `Signed by ${recipient.fullname} <${recipient.email || recipient.mobile}>`),
    `At: ${document.sign_date ?? ''}`,
  ];
  lines.forEach((line, index) => sheet.drawText(line.replace(/[^\x20-\x7e]/g, '?'), { x: 56, y: 760 - index * 22, size: 12, font }));
  return Buffer.from(await pdf.save()).toString('base64');
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:720px;margin:2rem auto;padding:0 1rem}button{padding:.6rem 1.2rem;margin:.3rem 0}input{padding:.5rem}</style></head><body>${body}</body></html>`;
}

function signingPage(document: StoredDocument, recipient: StoredRecipient): string {
  const token = recipient.token;
  const status = `<p>Status: <strong id="status">${document.status}</strong></p>`;
  const pdfLink = `<p><a id="pdf" href="/v/${token}/pdf">Open the document (PDF)</a></p>`;
  const actions = FINAL.includes(document.status)
    ? document.status === 'signed'
      ? `<p id="done">Signed by ${escapeHtml(recipient.fullname)}. Thank you.</p>`
      : `<p id="done">This document is ${document.status}.</p>`
    : `<form method="post" action="/v/${token}/sign"><label>Your full name <input name="fullname" id="fullname" value="${escapeHtml(recipient.fullname)}"></label>
<button type="submit" id="sign">Sign</button></form>
<form method="post" action="/v/${token}/reject"><button type="submit" id="reject">Reject</button></form>`;
  return page(document.name, `<h1>${escapeHtml(document.name)}</h1>${status}${pdfLink}${actions}`);
}

if (require.main === module) {
  const config = loadConfig();
  startGetAcceptStandIn({ port: config.getaccept.standInPort, host: process.env.GETACCEPT_STANDIN_HOST || undefined, dataDir: config.dataDir }).then(
    (standIn) => {
      console.log(`[getaccept] stand-in listening on ${standIn.url} (API ${standIn.apiUrl}; state in ${path.join(config.dataDir, 'getaccept.json')})`);
      const stop = (signal: string) => {
        console.log(`[getaccept] ${signal}: stopping`);
        standIn.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      console.error(`[getaccept] could not start on port ${config.getaccept.standInPort}: ${String(error)}`);
      process.exit(1);
    },
  );
}
