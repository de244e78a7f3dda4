/**
 * Webhooks out: POST/GET /v1/webhook-endpoints, DELETE /v1/webhook-endpoints/:id,
 * POST /v1/webhook-endpoints/:id/rotate-secret, GET /v1/webhook-endpoints/:id/deliveries
 * and POST /v1/webhook-deliveries/:id/replay.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { rowFields } from '../../platform/rows';
import { z } from 'zod';
import type { WebhookEndpoint } from '../../generated/prisma/client';
import { DOCUMENT_KINDS } from '../../domain/documents';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_SUBSCRIPTIONS } from '../../domain/webhooks';
import { jsonRoute, type WebhookDescription } from '../openapi';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookDeliveries,
  listWebhookEndpoints,
  replayWebhookDelivery,
  rotateWebhookSecret,
  type DeliveryWithAttempts,
} from '../operations/webhooks';
import { mapPage } from '../operations/pagination';
import { documentStatusSchema, idParamsSchema, pageQuerySchema, pageSchema } from '../schemas';

extendZodWithOpenApi(z);

const dateTime = z.iso.datetime({ offset: true });

const createWebhookEndpointSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL' })
      .max(2000)
      .openapi({ example: 'https://crm.example.com/hooks/greenlight' }),
    events: z
      .array(z.enum(WEBHOOK_SUBSCRIPTIONS))
      .min(1)
      .openapi({ description: '"document.*" for every document event, or the event types wanted', example: ['document.accepted', 'document.refused'] }),
  })
  .openapi('CreateWebhookEndpoint');

const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.string()),
    createdAt: dateTime,
    disabledAt: dateTime.nullable().openapi({ description: 'Set when the receiver answered 410 Gone; replaying a delivery re-enables it' }),
    disabledReason: z.string().nullable(),
  })
  .openapi('WebhookEndpoint');

const secretSchema = z.string().openapi({ description: 'Standard Webhooks signing secret (whsec_…): verify every delivery with it', example: 'whsec_…' });

const createdWebhookEndpointSchema = webhookEndpointSchema.extend({ secret: secretSchema }).openapi('CreatedWebhookEndpoint');

const rotatedSecretSchema = z
  .object({
    secret: secretSchema,
    previousSecretExpiresAt: dateTime.openapi({ description: 'Until then every delivery is signed with both secrets; after it, with the new one only' }),
  })
  .openapi('RotatedWebhookSecret');

const webhookAttemptSchema = z
  .object({
    number: z.number().int(),
    at: dateTime,
    statusCode: z.number().int().nullable(),
    durationMs: z.number().int(),
    error: z.string().nullable().openapi({ description: 'Why no answer came: timed out, connection refused, address refused' }),
  })
  .openapi('WebhookAttempt');

const webhookDeliverySchema = z
  .object({
    id: z.string().openapi({ description: 'Also the webhook-id header, the same on every attempt' }),
    type: z.string().openapi({ example: 'document.accepted' }),
    eventId: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    createdAt: dateTime,
    deliveredAt: dateTime.nullable(),
    attempts: z.array(webhookAttemptSchema),
  })
  .openapi('WebhookDelivery');

/** What every delivery's body holds (services/webhooks/outbox.ts builds it): the document as it was when the event happened. */
export const webhookPayloadSchema = z
  .object({
    type: z.enum(WEBHOOK_EVENT_TYPES).openapi({ example: 'document.accepted' }),
    timestamp: dateTime.openapi({ description: 'When the event happened (the name Standard Webhooks recommends)' }),
    createdAt: dateTime.openapi({ description: 'The same as timestamp, under its former name; goes away in the next release', deprecated: true }),
    data: z.object({
      document: z.object({
        id: z.string(),
        kind: z.enum([...DOCUMENT_KINDS, 'request']),
        number: z.string(),
        title: z.string().nullable(),
        status: documentStatusSchema,
        totals: z.object({ net: z.number().int(), tax: z.number().int(), gross: z.number().int(), currency: z.string() }),
        customerId: z.string(),
        contactId: z.string().nullable(),
        assigneeId: z.string().nullable(),
        viewCount: z.number().int(),
        openCount: z.number().int(),
        lastViewedAt: dateTime.nullable(),
        downloadCount: z.number().int(),
        createdAt: dateTime,
        updatedAt: dateTime,
      }),
      event: z.object({
        id: z.string(),
        seq: z.number().int(),
        type: z.string().openapi({ description: 'The audit event type: the webhook type without "document."', example: 'accepted' }),
        at: dateTime,
        actor: z.string(),
        data: z.unknown().openapi({ description: 'What the event carries of its own (a message, a reason, an amount), by type' }),
      }),
    }),
  })
  .openapi('WebhookPayload');

const webhookHeadersSchema = z.object({
  'webhook-id': z.string().openapi({ description: 'The delivery id: the same on every attempt, so a receiver deduplicates on it' }),
  'webhook-timestamp': z.string().openapi({ description: 'Unix seconds of this attempt' }),
  'webhook-signature': z.string().openapi({
    description: 'Space-separated `v1,<base64 HMAC-SHA256>` signatures, one per signing secret (two during a rotation); verify with a Standard Webhooks library',
  }),
});

/** Every event Greenlight sends, each as its own entry of the document's `webhooks`. */
export const webhookEvents: WebhookDescription[] = WEBHOOK_EVENT_TYPES.map((type) => ({
  name: type,
  operationId: `on${type.replace(/(^|[._])(\w)/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}`,
  summary: `A document's ${type.slice('document.'.length).replaceAll('_', ' ')} event`,
  headers: webhookHeadersSchema,
  payload: webhookPayloadSchema,
}));

function presentEndpoint(endpoint: WebhookEndpoint) {
  return rowFields(endpoint, ['id', 'url', 'events', 'createdAt', 'disabledAt', 'disabledReason']);
}

function presentDelivery(delivery: DeliveryWithAttempts) {
  return {
    ...rowFields(delivery, ['id', 'type', 'createdAt', 'deliveredAt']),
    eventId: delivery.auditEventId,
    status: delivery.status as 'pending' | 'delivered' | 'failed',
    attempts: delivery.attempts.map((attempt) => rowFields(attempt, ['number', 'at', 'statusCode', 'durationMs', 'error'])),
  };
}

export const webhookRoutes = [
  jsonRoute({
    method: 'post',
    path: '/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    tag: 'Webhooks',
    summary: 'Register a URL to hear about document events (signed per Standard Webhooks)',
    body: createWebhookEndpointSchema,
    bodyExample: { url: 'https://crm.example.com/hooks/greenlight', events: ['document.accepted', 'document.refused'] },
    problems: ['unprocessable'],
    response: { status: 201, description: 'The endpoint, with its signing secret', schema: createdWebhookEndpointSchema },
    answerHoldsSecret: true,
    handle: async ({ deps, caller, body, createdId }) => {
      const endpoint = await createWebhookEndpoint(deps.prisma, caller.tenantId, body, createdId('whe'));
      return { ...presentEndpoint(endpoint), secret: endpoint.secret };
    },
  }),
  jsonRoute({
    method: 'get',
    path: '/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    tag: 'Webhooks',
    summary: "The tenant's webhook endpoints, oldest first",
    query: pageQuerySchema,
    response: { status: 200, description: 'A page of endpoints', schema: pageSchema(webhookEndpointSchema, 'WebhookEndpointList') },
    handle: async ({ deps, caller, query }) => mapPage(await listWebhookEndpoints(deps.prisma, caller.tenantId, query), presentEndpoint),
  }),
  jsonRoute({
    method: 'delete',
    path: '/webhook-endpoints/:id',
    operationId: 'deleteWebhookEndpoint',
    tag: 'Webhooks',
    summary: 'Stop sending to an endpoint (its deliveries stay listed)',
    params: idParamsSchema,
    response: { status: 200, description: 'The endpoint as it was', schema: webhookEndpointSchema },
    handle: async ({ deps, caller, params }) => presentEndpoint(await deleteWebhookEndpoint(deps.prisma, caller.tenantId, params.id)),
  }),
  jsonRoute({
    method: 'post',
    path: '/webhook-endpoints/:id/rotate-secret',
    operationId: 'rotateWebhookSecret',
    tag: 'Webhooks',
    summary: "Replace an endpoint's signing secret; the old one keeps signing beside it for 24 hours",
    description:
      'During the overlap each delivery carries two signatures in `webhook-signature` (space-separated, as Standard Webhooks allows), ' +
      'so a receiver verifying with either secret accepts it. Rotating again within the overlap drops the older secret at once.',
    params: idParamsSchema,
    problems: ['conflict'],
    response: { status: 200, description: 'The new secret, shown once', schema: rotatedSecretSchema },
    answerHoldsSecret: true,
    handle: async ({ deps, caller, params, createdId }) => {
      const rotated = await rotateWebhookSecret(deps.prisma, caller.tenantId, params.id, createdId('rot'));
      return { secret: rotated.secret, previousSecretExpiresAt: rotated.previousSecretExpiresAt.toISOString() };
    },
  }),
  jsonRoute({
    method: 'get',
    path: '/webhook-endpoints/:id/deliveries',
    operationId: 'listWebhookDeliveries',
    tag: 'Webhooks',
    summary: "An endpoint's deliveries, newest first, each with its attempts",
    params: idParamsSchema,
    query: pageQuerySchema,
    response: {
      status: 200,
      description: 'The deliveries',
      schema: pageSchema(webhookDeliverySchema, 'WebhookDeliveryList'),
    },
    handle: async ({ deps, caller, params, query }) =>
      mapPage(await listWebhookDeliveries(deps.prisma, caller.tenantId, params.id, query), presentDelivery),
  }),
  jsonRoute({
    method: 'post',
    path: '/webhook-deliveries/:id/replay',
    operationId: 'replayWebhookDelivery',
    tag: 'Webhooks',
    summary: 'Send a failed delivery again (same webhook-id, a fresh retry schedule)',
    params: idParamsSchema,
    problems: ['conflict'],
    response: { status: 202, description: 'The delivery, pending again', schema: webhookDeliverySchema },
    handle: async ({ deps, caller, params }) => presentDelivery(await replayWebhookDelivery(deps, caller.tenantId, params.id)),
  }),
];
