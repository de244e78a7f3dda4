/** Digital signing through an external provider (GetAccept): check now, cancel, the signature, its signed PDF, the summary. */
import { z } from 'zod';
import { DIGITAL_STATUSES } from '../../domain/digital-status';
import { fileRoute, jsonRoute } from '../openapi';
import { cancelSignature, checkSignatureNow, externalSignatureOf, signatureSummary, signedDocument, webhookRegistration } from '../operations/signatures';
import { idParamsSchema, pdfSchema } from '../schemas';

const digitalStatus = z.enum(DIGITAL_STATUSES);

const signatureCheckSchema = z.object({ digitalStatus: z.string() }).openapi('SignatureCheck');
const cancelSignatureSchema = z
  .strictObject({ reason: z.string().trim().min(1).max(2000).optional().openapi({ description: 'Why: "approved by phone", "at the counter"' }) })
  .openapi('CancelSignature');
const signatureStateSchema = z
  .object({
    digitalStatus,
    checks: z.number().int().openapi({ description: 'Checks made by the current run of the signature workflow' }),
    consecutiveFailures: z.number().int(),
    nextCheckAt: z.number().int().optional().openapi({ description: 'Epoch ms of the next scheduled check' }),
  })
  .openapi('SignatureState');
const externalSignatureSchema = z
  .object({
    provider: z.string(),
    providerDocumentId: z.string().nullable(),
    providerStatus: z.string().nullable().openapi({ description: "The provider's own word for the status" }),
    digitalStatus: z.string(),
    purpose: z.string(),
    channel: z.string(),
    recipient: z.object({ name: z.string(), email: z.string().nullable(), mobile: z.string().nullable() }),
    signedAt: z.string().nullable(),
    signedPdfUrl: z.string().nullable(),
    cancelledBy: z.string().nullable(),
    cancelReason: z.string().nullable(),
    lastCheckedAt: z.string().nullable(),
  })
  .openapi('ExternalSignature');
const signatureSummarySchema = z
  .object({ counts: z.record(digitalStatus, z.number().int()), total: z.number().int() })
  .openapi('DigitalSignatureSummary');
const webhookRegistrationSchema = z
  .object({ url: z.string(), events: z.array(z.string()) })
  .openapi('GetAcceptWebhookRegistration', { description: 'POST one GetAccept subscription per event with this target_url' });

export const signatureRoutes = [
  jsonRoute({
    method: 'post',
    path: '/documents/:id/signature/check',
    operationId: 'checkSignature',
    tag: 'Digital signing',
    summary: 'Ask the signature provider for the status now (the workflow checks at once, never two checks at the same time)',
    params: idParamsSchema,
    problems: ['decision_rejected'],
    response: { status: 202, description: 'A check is on its way', schema: signatureCheckSchema },
    handle: ({ deps, caller, params }) => checkSignatureNow(deps, caller, params.id),
  }),
  jsonRoute({
    method: 'post',
    path: '/documents/:id/signature/cancel',
    operationId: 'cancelSignature',
    tag: 'Digital signing',
    summary: 'Cancel the digital signing (the customer answered by phone or at the counter): withdrawn at the provider, polling stops, the document stays open',
    params: idParamsSchema,
    body: cancelSignatureSchema,
    bodyExample: { reason: 'Sent to the wrong signer' },
    problems: ['decision_rejected', 'unavailable'],
    response: { status: 202, description: 'Cancelled', schema: signatureStateSchema },
    handle: ({ deps, caller, params, body, decisionId }) => cancelSignature(deps, caller, params.id, body, decisionId),
  }),
  jsonRoute({
    method: 'get',
    path: '/documents/:id/signature',
    operationId: 'getSignature',
    tag: 'Digital signing',
    summary: "The document's digital signing: provider, digital status, signer, who cancelled and why",
    params: idParamsSchema,
    response: { status: 200, description: 'The signature', schema: externalSignatureSchema },
    handle: ({ deps, caller, params }) => externalSignatureOf(deps, caller, params.id),
  }),
  fileRoute({
    method: 'get',
    path: '/documents/:id/signature/signed.pdf',
    operationId: 'getSignedPdf',
    tag: 'Digital signing',
    summary: 'The signed PDF, as the provider returned it once signed',
    params: idParamsSchema,
    response: { description: 'The signed PDF', contentType: 'application/pdf', schema: pdfSchema },
    handle: ({ deps, caller, params }) => signedDocument(deps, caller, params.id),
  }),
  jsonRoute({
    method: 'get',
    path: '/signatures/summary',
    operationId: 'getSignatureSummary',
    tag: 'Digital signing',
    summary: 'Documents per digital status (the start page summary)',
    response: { status: 200, description: 'Counts per digital status', schema: signatureSummarySchema },
    handle: ({ deps, caller }) => signatureSummary(deps, caller),
  }),
  jsonRoute({
    method: 'get',
    path: '/signatures/webhook',
    operationId: 'getSignatureWebhookTarget',
    tag: 'Digital signing',
    summary: "The URL to register in the tenant's GetAccept account for its events, with the events worth registering",
    response: { status: 200, description: 'The webhook target', schema: webhookRegistrationSchema },
    handle: async ({ deps, caller }) => webhookRegistration(deps, caller),
  }),
];
