/**
 * Digital signing as a back office drives it, against the local GetAccept stand-in (an outside
 * service, so using it is right): a tenant with its webhooks registered at the stand-in, quotes
 * and orders sent for signature through the real API, and the stand-in's own controls (move a
 * document as its signer would, count calls, fail for a while).
 */
import { randomBytes } from 'node:crypto';
import { GETACCEPT_STAND_IN_KEY } from '../../platform/config';
import { registerStandInWebhooks } from '../../devtools/getaccept/register-webhooks';
import { startGetAcceptStandIn, type GetAcceptStandIn } from '../../devtools/getaccept/server';
import { signatureStateQuery, signatureWorkflowId, type SignatureView } from '../../workflows/messages/signature';
import { eventually } from './eventually';
import { type components, documentEvents, greenlightClient, succeeded } from './api';
import { startStack, type Stack, type StackOptions } from './stack';

export type AuditRow = components['schemas']['AuditEvent'];

export interface StandInDocument {
  id: string;
  status: string;
  is_sms_sending: boolean;
  email_send_subject: string;
  email_send_message: string;
  external_id: string;
  /** Several signers: they sign in their recipients' order_num. */
  is_signing_order: boolean;
  recipients: { email: string; mobile: string; document_url: string; fullname: string; order_num: string }[];
}

const unique = () => randomBytes(4).toString('hex');

export interface SigningStack {
  stack: Stack;
  standIn: GetAcceptStandIn;
  /** A tenant's back office, signing through the stand-in. */
  office: SigningOffice;
  close(): Promise<void>;
}

/**
 * A stack whose signatures go to a GetAccept stand-in of its own (config reads
 * GETACCEPT_API_URL when the stack starts), and a tenant's back office; `webhooks`: the
 * tenant's webhooks registered at the stand-in (otherwise polling alone follows the signer).
 */
export async function startSigningStack(options: { webhooks?: boolean; stack?: StackOptions } = {}): Promise<SigningStack> {
  const standIn = await startGetAcceptStandIn({ port: 0 });
  process.env.GETACCEPT_API_URL = standIn.apiUrl;
  delete process.env.GETACCEPT_API_KEY;
  let stack: Stack | undefined;
  try {
    stack = await startStack(options.stack);
    const office = await signingOffice(stack, standIn, { webhooks: options.webhooks ?? false });
    const started = stack;
    return {
      stack,
      standIn,
      office,
      close: async () => {
        await started.close();
        await standIn.close();
      },
    };
  } catch (error) {
    await stack?.close();
    await standIn.close();
    throw error;
  }
}

export async function signingOffice(stack: Stack, standIn: GetAcceptStandIn, options: { webhooks?: boolean } = {}) {
  const { tenantId, apiKey } = await stack.createTenant(`Servicebolaget ${unique()}`);
  const api = greenlightClient(stack.baseUrl, apiKey);
  const standInCall = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${standIn.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${GETACCEPT_STAND_IN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`stand-in ${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  if (options.webhooks) {
    await registerStandInWebhooks({ greenlightUrl: stack.baseUrl, apiKey, standInApiUrl: standIn.apiUrl, standInKey: GETACCEPT_STAND_IN_KEY });
  }

  const document = (id: string) => succeeded(api.GET('/v1/documents/{id}', { params: { path: { id } } }), 200);
  const events = (id: string) => documentEvents(api, id);

  return {
    tenantId,
    apiKey,
    api,
    document,
    events,
    settings: (patch: components['schemas']['UpdateSettings']) => succeeded(api.PATCH('/v1/settings', { body: patch }), 200),
    /** A customer (Swedish unless told) with a contact reachable by email and mobile, and a document of one line. */
    async createDocument(kind: 'quote' | 'order' = 'quote', locale = 'sv'): Promise<{ documentId: string; email: string; mobile: string }> {
      const email = `kund-${unique()}@example.test`;
      const mobile = `+46 70 ${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
      const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Åsa Öberg AB', locale } }), 201);
      const contact = await succeeded(api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Åsa Öberg', email, phone: mobile } }), 201);
      const created = await succeeded(
        api.POST('/v1/documents', {
          body: {
            kind,
            customerId: customer.id,
            contactId: contact.id,
            title: 'Service av värmepump',
            lines: [{ description: 'Årlig service', quantity: 1, unitPrice: 189_000, taxRate: 25 }],
            ...(kind === 'quote' ? { validUntil: new Date(Date.now() + 30 * 24 * 3600_000).toISOString() } : {}),
          },
        }),
        201,
      );
      return { documentId: created.id, email, mobile };
    },
    /** The seller's "check now" and cancel of the digital signing, answered as they come. */
    checkSignature: (id: string) => api.POST('/v1/documents/{id}/signature/check', { params: { path: { id } } }),
    cancelSignature: (id: string, body: components['schemas']['CancelSignature'] = {}) => api.POST('/v1/documents/{id}/signature/cancel', { params: { path: { id } }, body }),
    /** Sends for signature through GetAccept and waits for digital status "sent". */
    async sendForSignature(documentId: string, body: components['schemas']['SendDocument'] = {}): Promise<StandInDocument> {
      await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: documentId } }, body: { signature: { provider: 'getaccept' }, ...body } }), 202);
      await eventually(async () => ((await document(documentId)).digitalStatus === 'sent' ? true : undefined), { what: 'digital status sent' });
      return this.standInDocument(documentId);
    },
    async standInDocument(documentId: string): Promise<StandInDocument> {
      const signature = await stack.prisma.externalSignature.findUniqueOrThrow({ where: { documentId } });
      return standInCall<StandInDocument>('GET', `/v1/documents/${signature.providerDocumentId}`);
    },
    /** The stand-in moves the document as its signer would; no webhook unless asked. */
    async moveAtProvider(providerDocumentId: string, status: string, webhook = false): Promise<void> {
      await standInCall('POST', `/_dev/documents/${providerDocumentId}/status`, { status, webhook });
    },
    async providerCalls(): Promise<number> {
      return (await standInCall<{ total: number }>('GET', '/_dev/calls')).total;
    },
    /** Calls the stand-in took on one route since it started ("POST /documents/:id/recall"). */
    async providerCallsTo(route: string): Promise<number> {
      return (await standInCall<{ byRoute: Record<string, number> }>('GET', '/_dev/calls')).byRoute[route] ?? 0;
    },
    /** The reminders the stand-in's recipients got for this document. */
    async remindersAt(providerDocumentId: string): Promise<{ type: string }[]> {
      return (await standInCall<{ data: { documentId: string; type: string }[] }>('GET', '/_dev/reminders')).data.filter((reminder) => reminder.documentId === providerDocumentId);
    },
    async failProvider(fault: { status?: number; delayMs?: number; calls?: number; forMs?: number }): Promise<void> {
      await standInCall('POST', '/_dev/fault', fault);
    },
    /** Calls the stand-in holds (a `delayMs` fault) since it started. */
    async heldCalls(): Promise<number> {
      return (await standInCall<{ held: number }>('GET', '/_dev/calls')).held;
    },
    async waitForDigitalStatus(documentId: string, status: string): Promise<void> {
      await eventually(async () => ((await document(documentId)).digitalStatus === status ? true : undefined), { what: `digital status ${status}` });
    },
    signatureState(documentId: string): Promise<SignatureView> {
      return stack.client.workflow.getHandle(signatureWorkflowId(documentId)).query(signatureStateQuery);
    },
  };
}

export type SigningOffice = Awaited<ReturnType<typeof signingOffice>>;
