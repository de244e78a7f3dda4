/**
 * GetAccept as a SignatureProvider: a client of its public REST API v1, written from its
 * published description (microsoft/PowerPlatformConnectors certified-connectors/GetAccept,
 * PipedreamHQ components/getaccept):
 *
 * - auth: `Authorization: Bearer <access token>`. POST /auth `{email, password, entity_id?}`
 *   → `{access_token, expires_in}` signs a user in; GET /refresh (with a token still valid)
 *   → a new one. Tokens come from a TokenSource: a seller's own account renews its token before
 *   it expires and once more when GetAccept answers 401 (tenant-getaccept.ts); the
 *   deployment's fixed key (GETACCEPT_API_KEY) is taken as it is;
 * - POST /documents `{name, external_id, file_content (base64), is_signing, is_automatic_sending:
 *   false, is_sms_sending, recipients: [{first_name, last_name, email, mobile, role: "signer"}],
 *   value, expiration_date, email_send_subject, email_send_message}` → Document (status draft);
 * - GET /documents?external_id= finds the document a previous attempt created;
 * - POST /documents/{id}/send; GET /documents/{id} → `status`; GET /documents/{id}/download?direct=true → the PDF;
 * - POST /documents/{id}/reminders `{type: "email" | "sms", not_signed: true}` reminds the
 *   recipients who have not signed (Pipedream's send-reminder action);
 * - POST /documents/{id}/recall withdraws it (status "recalled"). The connector's description
 *   lists the "recalled" status but not the call; the path is GetAccept's API reference's.
 * - Webhooks (POST /subscriptions) are not signed by GetAccept. We register a target URL that
 *   carries a per-tenant secret token (README, "Digital signing"), check it in constant time,
 *   and never trust the body's status: a webhook only makes the workflow ask the API now.
 */
import { timingSafeEqual } from 'node:crypto';
import { ProviderError, WebhookRefused, type CreateSignatureDocument, type ProviderDocument, type SignatureProvider, type SignatureRecipient, type WebhookNotice } from './provider';
import { digitalStatusFromGetAccept } from './getaccept-status';

export interface GetAcceptOptions {
  /** https://api.getaccept.com/v1, or the local stand-in (devtools/getaccept). */
  apiUrl: string;
  tokens: TokenSource;
  timeoutMs?: number;
}

/** Where the access token of each call comes from. */
export interface TokenSource {
  /** A token to call with now (renewed first when it is about to expire). */
  current(): Promise<string>;
  /** GetAccept refused `rejected` (401): a new token, or `rejected` itself when there is none to get (no retry then). */
  renew(rejected: string): Promise<string>;
}

/** A fixed token (the deployment's GETACCEPT_API_KEY): nothing to renew. */
export function fixedToken(token: string): TokenSource {
  return { current: async () => token, renew: async (rejected) => rejected };
}

export interface GetAcceptToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface GetAcceptLogin {
  email: string;
  password: string;
  entityId?: string;
}

/** Why a GetAccept account could not sign in or renew its token: its words, and its status (401: wrong credentials or an expired token). */
export class GetAcceptAuthError extends Error {
  override name = 'GetAcceptAuthError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function tokenCall(apiUrl: string, path: string, init: RequestInit): Promise<GetAcceptToken> {
  let response: Response;
  try {
    response = await fetch(`${apiUrl.replace(/\/$/, '')}${path}`, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw new ProviderError(`GetAccept unreachable: ${(error as Error).message}`, true);
  }
  if (response.status >= 500 || response.status === 429) throw new ProviderError(`GetAccept ${path} answered ${response.status}`, true, response.status);
  const body = (await response.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown; description?: unknown };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new GetAcceptAuthError(typeof body.description === 'string' ? body.description : `GetAccept ${path} answered ${response.status}`, response.status);
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  return { accessToken: body.access_token, expiresAt: Date.now() + expiresIn * 1000 };
}

/** POST /auth: signs the seller's GetAccept user in. */
export function getAcceptSignIn(apiUrl: string, login: GetAcceptLogin): Promise<GetAcceptToken> {
  return tokenCall(apiUrl, '/auth', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email: login.email, password: login.password, ...(login.entityId ? { entity_id: login.entityId } : {}) }),
  });
}

/** GET /refresh: a new token for one not expired yet. */
export function getAcceptRefresh(apiUrl: string, accessToken: string): Promise<GetAcceptToken> {
  return tokenCall(apiUrl, '/refresh', { method: 'GET', headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
}

interface GetAcceptDocument {
  id: string;
  status: string;
  recipients?: { document_url?: string }[];
}

export function createGetAcceptProvider(options: GetAcceptOptions): SignatureProvider {
  const base = options.apiUrl.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function send(token: string, method: string, path: string, body?: unknown): Promise<Response> {
    try {
      return await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new ProviderError(`GetAccept unreachable: ${(error as Error).message}`, true);
    }
  }

  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const token = await options.tokens.current();
    let response = await send(token, method, path, body);
    if (response.status === 401) {
      // An expired (or revoked) token: renewed once, and the call made again with the new one.
      const renewed = await options.tokens.renew(token);
      if (renewed !== token) response = await send(renewed, method, path, body);
    }
    if (response.ok) return response;
    const detail = await response.text().catch(() => '');
    // 429 (rate limit), 408 and 5xx pass with time; any other 4xx is our mistake or a gone document.
    const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
    throw new ProviderError(`GetAccept ${method} ${path} answered ${response.status}: ${detail.slice(0, 300)}`, retryable, response.status);
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await call(method, path, body)).json()) as T;
  }

  function present(document: GetAcceptDocument): ProviderDocument {
    const status = digitalStatusFromGetAccept(document.status);
    if (!status) throw new ProviderError(`GetAccept status "${document.status}" is not in our table`, false);
    const signingUrl = document.recipients?.[0]?.document_url;
    return { providerDocumentId: document.id, status, providerStatus: document.status, ...(signingUrl ? { signingUrl } : {}) };
  }

  const documentPath = (id: string) => `/documents/${encodeURIComponent(id)}`;

  return {
    name: 'getaccept',
    async createDocument(input: CreateSignatureDocument) {
      const existing = await json<GetAcceptDocument[]>('GET', `/documents?external_id=${encodeURIComponent(input.externalId)}&showall=true`);
      const previous = Array.isArray(existing) ? existing[0] : undefined;
      if (previous) return present(await json<GetAcceptDocument>('GET', documentPath(previous.id)));
      const created = await json<GetAcceptDocument>('POST', '/documents', {
        name: input.name,
        external_id: input.externalId,
        file_content: Buffer.from(input.pdf).toString('base64'),
        type: 'sales',
        is_signing: true,
        is_automatic_sending: false,
        is_sms_sending: input.channel === 'sms',
        email_send_subject: input.message.subject,
        email_send_message: input.message.body,
        ...(input.value !== undefined ? { value: Math.round(input.value) } : {}),
        ...(input.expiresAt ? { expiration_date: input.expiresAt.toISOString() } : {}),
        // Several signers sign in their order (GetAccept's signing order), each a recipient of their own.
        ...(input.signers ? { is_signing_order: true } : {}),
        recipients: input.signers ? input.signers.map((signer) => recipientBody(signer, signer.order)) : [recipientBody(input.recipient)],
      });
      return present(created);
    },
    async sendDocument(providerDocumentId) {
      const current = present(await json<GetAcceptDocument>('GET', documentPath(providerDocumentId)));
      // Sending is only allowed on a draft: a retry after a send that went through finds it sent.
      if (current.status !== 'draft') return current;
      return present(await json<GetAcceptDocument>('POST', `${documentPath(providerDocumentId)}/send`, {}));
    },
    async getDocument(providerDocumentId) {
      return present(await json<GetAcceptDocument>('GET', documentPath(providerDocumentId)));
    },
    async cancelDocument(providerDocumentId) {
      await call('POST', `${documentPath(providerDocumentId)}/recall`, {});
    },
    async remindSigner(providerDocumentId, channel) {
      await call('POST', `${documentPath(providerDocumentId)}/reminders`, { type: channel, not_signed: true });
    },
    async downloadSignedDocument(providerDocumentId) {
      const response = await call('GET', `${documentPath(providerDocumentId)}/download?direct=true`);
      return new Uint8Array(await response.arrayBuffer());
    },
    // GetAccept neither signs nor dates its webhooks, so there is no time to hold within a
    // tolerance: the URL's token says it is GetAccept, and nothing in the body is acted on. A
    // late or replayed one only makes the workflow ask GetAccept's API again (rate-limited).
    verifyWebhook({ body, token, expectedToken }): WebhookNotice {
      if (!token || !sameSecret(token, expectedToken)) throw new WebhookRefused('The webhook token is wrong');
      const payload = body as { event?: unknown; document?: { id?: unknown } } | undefined;
      const id = payload?.document?.id;
      if (typeof id !== 'string' || !id) throw new WebhookRefused('The webhook names no document');
      return { providerDocumentId: id, event: typeof payload?.event === 'string' ? payload.event : 'unknown' };
    },
  };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A recipient as GetAccept takes it: a signer, named in two parts, with their place in the signing order when there is one. */
function recipientBody(recipient: SignatureRecipient, order?: number) {
  const [firstName, ...rest] = recipient.name.trim().split(/\s+/);
  return {
    first_name: firstName,
    last_name: rest.join(' '),
    role: 'signer',
    ...(recipient.email ? { email: recipient.email } : {}),
    ...(recipient.mobile ? { mobile: recipient.mobile } : {}),
    ...(recipient.companyName ? { company_name: recipient.companyName } : {}),
    ...(order !== undefined ? { order_num: order } : {}),
  };
}
