/**
 * The route table. Each back-office route is defined once — method, path, who may call
 * it, request and response schemas, handler — and that one definition both mounts the
 * Express handler (which validates with the schemas) and registers the OpenAPI path, so
 * `GET /v1/openapi.json` describes exactly what the server accepts and answers.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode } from '../domain/errors';
import { derivedId, newId, type IdPrefix } from '../platform/ids';
import type { AppDeps } from './app';
import { authenticate, type AuthMode, type Caller, type CallerOf } from './auth';
import { derivedDecisionId } from './decision-id';
import { canonicalJson, withIdempotency, type Answer } from './idempotency';
import { readMultipartFiles, readRawBody, type MultipartLimits, type ReceivedFile } from './multipart';
import { requestIdOf } from './request-id';
import { idempotencyHeadersSchema, parseWith, problemSchema } from './schemas';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type AnyObject = z.ZodObject;

export interface RouteCall<A extends AuthMode, P, Q, B> {
  deps: AppDeps;
  caller: CallerOf<A>;
  params: P;
  query: Q;
  body: B;
  /** The request's decision id: its Idempotency-Key when sent, else derived from the request (api/decision-id.ts). */
  decisionId: string;
  /**
   * The id of a row this POST creates: new, or, when the request carries an Idempotency-Key,
   * made from the key and the body it is matched on, so that the create resent after its first
   * attempt wrote the row but lost its answer finds that row (insertOnce, platform/db.ts)
   * instead of writing a second. Without a key, two like requests are two creations: nothing
   * tells them from a retry.
   */
  createdId(prefix: IdPrefix): string;
  req: Request;
}

/** A binary answer (PDF): not JSON, so never stored for idempotent replay (GET only). */
export interface FileReply {
  bytes: Uint8Array;
  filename: string;
}

/**
 * The groups of the reference, each said in a sentence: a route names one of these, so no
 * operation sits under a tag the document does not describe.
 */
const TAG_DESCRIPTIONS = {
  Tenants: 'Creating a tenant (a seller) and its first API key; the operator does this.',
  'API keys': "A tenant's own API keys: made, listed, revoked.",
  Users: "The seller's people: assignees of documents, who get what concerns their documents.",
  Customers: 'The companies and people documents are for, and their contacts.',
  Settings: "The tenant's defaults: seller details, reminders, templates, time zone, logo.",
  Documents: 'Quotes, orders, delivery notes and invoices: drafted, sent, reminded, cancelled, read back with their history.',
  Quotes: 'What only quotes have: the certificate of a signature made on the portal.',
  Proofs: 'Proofs (artwork for approval): revisions uploaded, pages rendered, approved or sent back.',
  Chain: 'Converting a document into the next one (quote → order → delivery note → invoice) and duplicating it.',
  Conversation: 'Messages between the seller and the customer about a document.',
  Links: "The customer's links to a document: made, listed, revoked.",
  'Digital signing': 'Documents signed through an external provider (GetAccept): status, checks, signed PDF and certificate.',
  Webhooks: 'Endpoints that hear about document events, signed per Standard Webhooks; their deliveries, replays and secret rotation.',
  'Service requests': 'Requests from customers: triage, price proposals, confirmation and payment.',
  Subscriptions: "Plans billed each period: charged to the customer's saved card, or by an invoice sent to them.",
  Meta: 'This document.',
} as const;
export type ApiTag = keyof typeof TAG_DESCRIPTIONS;

interface RouteBase<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType> {
  method: Method;
  /** Express-style, relative to /v1: "/documents/:id/send". */
  path: string;
  /** The operation's name in the document and in generated clients: a verb and its object, "sendDocument". */
  operationId: string;
  summary: string;
  /** More than the summary says: what an integrator must know about the answers. */
  description?: string;
  tag: ApiTag;
  /** Who may call it: a tenant's API key unless the route says otherwise (the operator's token, or anyone). */
  auth?: A;
  params?: P;
  query?: Q;
  body?: B;
  /** A body this route accepts, shown in the document (test/unit/api/openapi-lint.test.ts parses it with `body`). */
  bodyExample?: z.input<B>;
  /** Failures this route answers besides bad input, auth and (with params) not_found, for the document. */
  problems?: ErrorCode[];
}

interface JsonRouteDefinition<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType>
  extends RouteBase<A, P, Q, B> {
  response: { status: 200 | 201 | 202; description: string; schema: R };
  /** The answer holds a secret shown once: kept for Idempotency-Key replays only sealed (api/idempotency.ts). */
  answerHoldsSecret?: true;
  handle(call: RouteCall<A, z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

interface NoContentRouteDefinition<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject> extends RouteBase<A, P, Q, z.ZodUndefined> {
  method: 'delete';
  response: { status: 204; description: string };
  handle(call: RouteCall<A, z.output<P>, z.output<Q>, undefined>): Promise<void>;
}

interface FileRouteDefinition<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject> extends RouteBase<A, P, Q, z.ZodUndefined> {
  method: 'get';
  response: { description: string; contentType: string; schema: z.ZodType };
  handle(call: RouteCall<A, z.output<P>, z.output<Q>, undefined>): Promise<FileReply>;
}

type Outcome = Answer | { status: 200; file: FileReply; contentType: string };

/** A body the route reads itself (multipart files): what identifies it for Idempotency-Key, and what the handler gets. */
interface ReadBody {
  fingerprint: unknown;
  content: unknown;
}

/** A route as the table keeps it: its OpenAPI description and how to run it. */
export interface Route {
  method: Method;
  path: string;
  auth: AuthMode;
  openapi: RouteConfig;
  /** See JsonRouteDefinition.answerHoldsSecret. */
  answerHoldsSecret?: boolean;
  /** Reads a body express does not parse, before the Idempotency-Key is matched on it. */
  readBody?(deps: AppDeps, req: Request): Promise<ReadBody>;
  run(deps: AppDeps, caller: CallerOf<AuthMode>, req: Request, read?: ReadBody): Promise<Outcome>;
}

const emptyObject = z.object({});

function toOpenApiPath(expressPath: string): string {
  return `/v1${expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`;
}

const SECURITY: Record<AuthMode, RouteConfig['security']> = {
  tenant: [{ apiKey: [] }],
  operator: [{ adminToken: [] }],
  public: [],
};

function problemResponses(route: RouteBase<AuthMode, AnyObject, AnyObject, z.ZodType>): RouteConfig['responses'] {
  const codes = new Set<ErrorCode>(route.problems ?? []);
  // A path with parameters names something the tenant may not have.
  if (route.params) codes.add('not_found');
  if (route.params || route.query || route.body) codes.add('validation_failed');
  // Every /v1 request's URL and JSON body are read and inspected the same way (api/body.ts).
  codes.add('invalid_characters');
  if (route.body) for (const code of ['malformed_json', 'too_deeply_nested', 'payload_too_large', 'unsupported_media_type'] as const) codes.add(code);
  if (route.auth !== 'public') codes.add('unauthorized');
  if (route.method === 'post') codes.add('idempotency_key_reused');
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const { status, title } = ERROR_CODES[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), title]);
  }
  const responses: RouteConfig['responses'] = {};
  for (const [status, titles] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = { description: titles.join('; '), content: { 'application/problem+json': { schema: problemSchema } } };
  }
  responses.default = { description: 'Unexpected error', content: { 'application/problem+json': { schema: problemSchema } } };
  return responses;
}

function describe(route: RouteBase<AuthMode, AnyObject, AnyObject, z.ZodType>, success: RouteConfig['responses']): RouteConfig {
  return {
    method: route.method,
    path: toOpenApiPath(route.path),
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [route.tag],
    security: SECURITY[route.auth ?? 'tenant'],
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.method === 'post' ? { headers: idempotencyHeadersSchema } : {}),
      // A request without a body is read as {} (see the handler below): the body is required only when {} is not enough.
      ...(route.body
        ? {
            body: {
              required: !route.body.safeParse({}).success,
              content: { 'application/json': { schema: route.body, ...(route.bodyExample !== undefined ? { example: route.bodyExample } : {}) } },
            },
          }
        : {}),
    },
    responses: { ...success, ...problemResponses(route) },
  };
}

/** What every kind of route keeps of its definition: where it answers, who may call it, and how the document describes it. */
function routeEntry(route: RouteBase<AuthMode, AnyObject, AnyObject, z.ZodType>, success: RouteConfig['responses']): Pick<Route, 'method' | 'path' | 'auth' | 'openapi'> {
  return { method: route.method, path: route.path, auth: route.auth ?? 'tenant', openapi: describe(route, success) };
}

/** The success answer of a route that answers a body of `contentType`. */
function successWith(status: number, description: string, contentType: string, schema: z.ZodType): RouteConfig['responses'] {
  return { [String(status)]: { description, content: { [contentType]: { schema } } } };
}

/** The request's Idempotency-Key, checked: one that is invalid (empty, longer than 255) is a 400 before it is claimed. */
function idempotencyKeyOf(req: Request): string | undefined {
  return parseWith(idempotencyHeadersSchema, { 'Idempotency-Key': req.get('idempotency-key') }, 'headers')['Idempotency-Key'];
}

function parseRequest<A extends AuthMode, P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(
  route: RouteBase<A, P, Q, B>,
  deps: AppDeps,
  caller: CallerOf<A>,
  req: Request,
  read?: ReadBody,
): RouteCall<A, z.output<P>, z.output<Q>, z.output<B>> {
  const key = idempotencyKeyOf(req);
  const scope = scopeOf(caller);
  const operation = `${req.method} ${req.baseUrl}${req.path}`;
  const decisionId = key ?? derivedDecisionId({ scope, operation, body: { query: req.query, body: req.body ?? {} } });
  return {
    deps,
    caller,
    params: parseWith(route.params ?? emptyObject, req.params, 'params') as z.output<P>,
    query: parseWith(route.query ?? emptyObject, req.query, 'query') as z.output<Q>,
    // A POST without a body (remind, cancel) is an empty object, not a missing one.
    body: (route.body ? parseWith(route.body, req.body ?? {}, 'body') : undefined) as z.output<B>,
    decisionId,
    createdId: (prefix) => (key ? derivedId(prefix, scope, key, operation, canonicalJson(keyedBody(req, read))) : newId(prefix)),
    req,
  };
}

export function jsonRoute<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType>(
  definition: JsonRouteDefinition<A, P, Q, B, R>,
): Route {
  const { response } = definition;
  return {
    ...routeEntry(definition, successWith(response.status, response.description, 'application/json', response.schema)),
    ...(definition.answerHoldsSecret ? { answerHoldsSecret: true } : {}),
    async run(deps, caller, req) {
      const body = await definition.handle(parseRequest(definition, deps, caller as CallerOf<A>, req));
      assertMatchesSchema(deps, definition, response.schema, body);
      return { status: response.status, body };
    },
  };
}

/** A DELETE that answers 204 No Content once done (and again when already done). */
export function noContentRoute<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject>(definition: NoContentRouteDefinition<A, P, Q>): Route {
  return {
    ...routeEntry(definition, { '204': { description: definition.response.description } }),
    async run(deps, caller, req) {
      await definition.handle(parseRequest(definition, deps, caller as CallerOf<A>, req));
      return { status: 204, body: undefined };
    },
  };
}

export function fileRoute<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject>(definition: FileRouteDefinition<A, P, Q>): Route {
  const { response } = definition;
  return {
    ...routeEntry(definition, successWith(200, response.description, response.contentType, response.schema)),
    async run(deps, caller, req) {
      const file = await definition.handle(parseRequest(definition, deps, caller as CallerOf<A>, req));
      return { status: 200, file, contentType: response.contentType };
    },
  };
}

interface UploadRouteDefinition<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, R extends z.ZodType = z.ZodType> extends RouteBase<A, P, Q, z.ZodUndefined> {
  method: 'post';
  /** The multipart/form-data body as OpenAPI shows it. */
  upload: z.ZodObject;
  /** The files' field and caps (api/multipart.ts reads them, in order, hashing each). */
  files: (deps: AppDeps) => MultipartLimits;
  response: { status: 201; description: string; schema: R };
  handle(call: RouteCall<A, z.output<P>, z.output<Q>, undefined> & { files: ReceivedFile[] }): Promise<z.input<R>>;
}

/**
 * A JSON-answering POST whose body is multipart/form-data files. The files are read before the
 * Idempotency-Key is matched, and the key is matched on their names and SHA-256 (with the
 * query): a retried upload of the same bytes gets the first answer, other bytes under the same
 * key are 422, like a JSON body.
 */
export function uploadRoute<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, R extends z.ZodType = z.ZodType>(definition: UploadRouteDefinition<A, P, Q, R>): Route {
  const { response } = definition;
  const entry = routeEntry(definition, successWith(response.status, response.description, 'application/json', response.schema));
  entry.openapi.request = { ...entry.openapi.request, body: { required: true, content: { 'multipart/form-data': { schema: definition.upload } } } };
  return {
    ...entry,
    async readBody(deps, req) {
      const files = await readMultipartFiles(req, definition.files(deps));
      return { fingerprint: { query: req.query, files: files.map(({ filename, sha256 }) => ({ filename, sha256 })) }, content: files };
    },
    async run(deps, caller, req, read) {
      const call = parseRequest(definition, deps, caller as CallerOf<A>, req, read) as RouteCall<A, z.output<P>, z.output<Q>, undefined>;
      const body = await definition.handle({ ...call, files: read?.content as ReceivedFile[] });
      assertMatchesSchema(deps, definition, response.schema, body);
      return { status: response.status, body };
    },
  };
}

interface BinaryBodyRouteDefinition<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, R extends z.ZodType = z.ZodType> extends RouteBase<A, P, AnyObject, z.ZodUndefined> {
  method: 'put';
  /** The media types the body may be, as the document lists them; the handler checks the content itself. */
  mediaTypes: readonly string[];
  maxBytes: number;
  response: { status: 200; description: string; schema: R };
  handle(call: RouteCall<A, z.output<P>, Record<string, never>, undefined> & { bytes: Buffer; contentType: string | undefined }): Promise<z.input<R>>;
}

/**
 * A PUT whose body is a file itself (an image), not JSON: read whole up to maxBytes (a larger
 * one is refused with 413 before it is all received), then handed to the handler.
 */
export function binaryBodyRoute<A extends AuthMode = 'tenant', P extends AnyObject = AnyObject, R extends z.ZodType = z.ZodType>(definition: BinaryBodyRouteDefinition<A, P, R>): Route {
  const { response } = definition;
  const entry = routeEntry(definition, successWith(response.status, response.description, 'application/json', response.schema));
  const binary = z.string().openapi({ format: 'binary' });
  entry.openapi.request = {
    ...entry.openapi.request,
    body: { required: true, content: Object.fromEntries(definition.mediaTypes.map((type) => [type, { schema: binary }])) },
  };
  return {
    ...entry,
    async readBody(_deps, req) {
      const bytes = await readRawBody(req, definition.maxBytes);
      return { fingerprint: null, content: bytes };
    },
    async run(deps, caller, req, read) {
      const call = parseRequest(definition, deps, caller as CallerOf<A>, req, read) as RouteCall<A, z.output<P>, Record<string, never>, undefined>;
      const body = await definition.handle({ ...call, bytes: read?.content as Buffer, contentType: req.get('content-type') });
      assertMatchesSchema(deps, definition, response.schema, body);
      return { status: response.status, body };
    },
  };
}

/**
 * Outside production every answer is checked against its declared schema: a handler that
 * drifts from the document fails loudly in tests instead of surprising an integrator.
 */
function assertMatchesSchema(deps: AppDeps, route: { method: Method; path: string }, schema: z.ZodType, body: unknown): void {
  if (!deps.config.devMode) return;
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new Error(`${route.method.toUpperCase()} ${route.path} answered outside its schema: ${z.prettifyError(result.error)}`);
  }
}

function send(res: Response, outcome: Outcome, replayed: boolean): void {
  if (replayed) res.set('Idempotent-Replayed', 'true');
  if ('file' in outcome) {
    res
      .status(outcome.status)
      .type(outcome.contentType)
      .set('Content-Disposition', `inline; filename="${outcome.file.filename.replace(/[^\w.-]/g, '_')}"`)
      .send(Buffer.from(outcome.file.bytes));
    return;
  }
  if (outcome.status === 204) {
    res.status(204).end();
    return;
  }
  // Answers stored for replay can be problems (a 4xx is an answer too, see api/idempotency.ts).
  res.status(outcome.status).type(outcome.status >= 400 ? 'application/problem+json' : 'application/json').send(JSON.stringify(outcome.body));
}

/** Whose requests these are: a tenant's, or the operator's. Idempotency-Keys and derived decision ids are scoped by it. */
/** What an Idempotency-Key is matched on: the JSON body, or what identifies a body the route reads itself (its files). */
function keyedBody(req: Request, read: ReadBody | undefined): unknown {
  return read ? read.fingerprint : (req.body ?? {});
}

function scopeOf(caller: Caller): string {
  return caller.kind === 'tenant' ? caller.tenantId : caller.kind;
}

/** Mounts every route on the router, each request counted until handled. */
export function mountRoutes(router: Router, deps: AppDeps, routes: readonly Route[]): void {
  for (const route of routes) {
    router[route.method](route.path, (req: Request, res: Response) => handledInFlight(deps, answerRoute(route, deps, req, res)));
  }
}

/** Counts a request's handling until it is done (api/server.ts waits for them when closing). */
export function handledInFlight(deps: Pick<AppDeps, 'requestsInFlight'>, handling: Promise<void>): Promise<void> {
  return deps.requestsInFlight ? deps.requestsInFlight.track(handling) : handling;
}

/** Authenticate, then (POST) idempotency, then the handler. */
async function answerRoute(route: Route, deps: AppDeps, req: Request, res: Response): Promise<void> {
  const caller = await authenticate(deps, req, route.auth);
  const read = await route.readBody?.(deps, req);
  if (route.method !== 'post') {
    send(res, await route.run(deps, caller, req, read), false);
    return;
  }
  const { answer, replayed } = await withIdempotency(
    deps.prisma,
    {
      scope: scopeOf(caller),
      key: idempotencyKeyOf(req),
      method: route.method,
      path: req.baseUrl + req.path,
      body: keyedBody(req, read),
      ...(route.answerHoldsSecret ? { sealWith: deps.config.appSecret } : {}),
      requestId: requestIdOf(res),
    },
    async () => {
      const outcome = await route.run(deps, caller, req, read);
      if ('file' in outcome) throw new AppError('internal', 'A POST route cannot answer a file');
      return outcome;
    },
  );
  send(res, answer, replayed);
}

/**
 * A webhook Greenlight sends, as OpenAPI 3.1 `webhooks` describes it: the request it makes to
 * the integrator's endpoint, and what the endpoint should answer.
 */
export interface WebhookDescription {
  name: string;
  operationId: string;
  summary: string;
  headers: AnyObject;
  payload: z.ZodType;
}

function describeWebhook(webhook: WebhookDescription): RouteConfig {
  return {
    method: 'post',
    path: webhook.name,
    operationId: webhook.operationId,
    summary: webhook.summary,
    tags: ['Webhooks'],
    // The receiver asks for no credentials: the webhook-signature header is the proof of origin.
    security: [],
    request: { headers: webhook.headers, body: { required: true, content: { 'application/json': { schema: webhook.payload } } } },
    responses: {
      '200': { description: 'Any 2xx: received, never sent again' },
      '410': { description: 'Gone: the endpoint is disabled, nothing more is sent until a delivery is replayed' },
      default: { description: 'Anything else, or no answer in time: retried with backoff over about three days' },
    },
  };
}

/** The OpenAPI 3.1 document of a route table and the webhooks it sends. */
export function buildOpenApiDocument(routes: readonly Route[], webhooks: readonly WebhookDescription[]): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A tenant API key (gl_live_…)',
  });
  registry.registerComponent('securitySchemes', 'adminToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token (ADMIN_TOKEN)',
  });
  for (const route of routes) registry.registerPath(route.openapi);
  for (const webhook of webhooks) registry.registerWebhook(describeWebhook(webhook));
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Greenlight back-office API',
      version: '1.0.0',
      description:
        'Quotes, orders, delivery notes, invoices and proofs, from the back office to the customer and back. ' +
        'Money is an integer in minor units of the currency named beside it; times are ISO 8601 UTC.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    // Relative: the server that serves this document (its paths start with /v1).
    servers: [{ url: '/', description: 'The Greenlight server serving this document' }],
    tags: Object.entries(TAG_DESCRIPTIONS).map(([name, description]) => ({ name, description })),
  });
}
