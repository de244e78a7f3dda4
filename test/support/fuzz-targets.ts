/**
 * Every way in Greenlight a stranger can send bytes, as fuzz targets: each operation the served
 * OpenAPI document lists, the portal's posts (api/portal/router.ts) and the provider webhooks
 * (api/inbound/). A target makes cases with fast-check: requests wrong in at least one way
 * (credentials, path, query, headers or body), each saying why it is wrong, so none may be
 * answered with anything but a 4xx, and none may write anything.
 */
import { randomBytes } from 'node:crypto';
import { unescape as unescapeQuery } from 'node:querystring';
import fc from 'fast-check';
import { MAX_MESSAGE_LENGTH } from '../../api/schemas';
import type { RawRequest } from './raw-http';
import {
  DEEP_NESTING,
  HOSTILE_STRINGS,
  PROTOTYPE_KEYS,
  deepArrayText,
  deepObjectText,
  encodeJson,
  invalidValue,
  singleFieldFaults,
  validValue,
  violationsOf,
  type JsonSchema,
  type Semantics,
} from './schema-fuzz';

/** What an answer must be: problem+json, or (a portal form post) an HTML page. */
export type Expected = 'problem' | 'html';

export interface FuzzCase {
  request: RawRequest;
  /** Why the request is invalid: never empty. */
  why: string[];
  expects: Expected;
}

export interface Target {
  name: string;
  cases: fc.Arbitrary<FuzzCase>;
  /** Hostile requests every target gets, whatever the draw: 10 MB, deep nesting, truncated multipart, each field's own fault… */
  fixed: FuzzCase[];
  /** An upload whose connection drops half-way: no answer to check, only that the API lives on. */
  dropped?: RawRequest;
}

/** The tenant being fuzzed, and what else exists. */
export interface FuzzWorld {
  /** Body fields: a field ending in "Id" names something that must exist. */
  semantics: Semantics;
  apiKey: string;
  adminToken: string;
  /** Real ids for a path parameter after `segment` ("documents"), the likeliest kind first. */
  idsAfter(segment: string): readonly string[];
  /** Ids of another tenant: as unknown here as random ones. */
  otherTenantIds: readonly string[];
  /** Portal link tokens of the tenant's sent documents. */
  portalTokens: readonly string[];
  tenantId: string;
  otherTenantId: string;
  /** The token of the tenant's GetAccept webhook URL (GET /v1/signatures/webhook). */
  getAcceptToken: string;
}

/** One dimension of a request and why it is wrong (empty: it is right). */
interface Part {
  headers?: Record<string, string>;
  text?: string;
  body?: Buffer;
  why: string[];
}

const right = (part: Omit<Part, 'why'> = {}): Part => ({ ...part, why: [] });

function combine(method: string, path: string, parts: Part[], expects: (headers: Record<string, string>) => Expected): FuzzCase {
  const headers = Object.assign({}, ...parts.map((part) => part.headers ?? {})) as Record<string, string>;
  const body = parts.find((part) => part.body)?.body;
  return { request: { method: method.toUpperCase(), path, headers, ...(body ? { body } : {}) }, why: parts.flatMap((part) => part.why), expects: expects(headers) };
}

const isInvalid = (fuzzCase: FuzzCase) => fuzzCase.why.length > 0;

// ---------------------------------------------------------------------------------------------
// Bodies

const JSON_TYPE = 'application/json';
const json = (text: string): Part => ({ headers: { 'content-type': JSON_TYPE }, body: Buffer.from(text, 'utf8'), why: [] });
const TEN_MB = 10 * 1024 * 1024;
const TEN_MB_JSON: Part = { headers: { 'content-type': JSON_TYPE }, body: Buffer.from(`{"a":"${'x'.repeat(TEN_MB)}"}`), why: ['10 MB: larger than any body taken'] };

/** Texts a strict JSON parser refuses (and one it reads as {}: the empty body, left out). */
const MALFORMED_JSON = [
  '{',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '[1,2',
  'NaN',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":undefined}',
  '{"a":"\\ud800',
  '{"a":"\\u12"}',
  '{"a":"\\x41"}',
  '{}garbage',
  '"a string"',
  '123',
  'null',
  'true',
  '\u0000{}',
  '{"a":1}{"b":2}',
  '{"a":0x10}',
  '{"a":.5}',
  '{"a":01}',
  '{"a":"line\nbreak"}',
  '{"a":"\u0000"',
];

/** Bodies no parser can read: JSON that is not, charsets and encodings nobody reads. */
const UNREADABLE_BODY: fc.Arbitrary<Part> = fc.oneof(
  fc.constantFrom(...MALFORMED_JSON).map((text) => ({ ...json(text), why: ['the body is not JSON'] })),
  // JSON is read in UTF-8, -16 or -32 only.
  fc.constantFrom('latin1', 'iso-8859-1', 'koi8-r', 'x-unknown').map((charset) => ({
    headers: { 'content-type': `${JSON_TYPE}; charset=${charset}` },
    body: Buffer.from('{"a":"b"}', 'latin1'),
    why: [`charset ${charset} is not read`],
  })),
  fc.tuple(fc.constantFrom('gzip', 'deflate', 'br', 'x-compress'), fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([encoding, junk]) => ({
    headers: { 'content-type': JSON_TYPE, 'content-encoding': encoding },
    body: Buffer.concat([Buffer.from('not compressed:'), Buffer.from(junk)]),
    why: [`the body is not ${encoding}-encoded data`],
  })),
);

/** A JSON body for `schema`: what the server reads decides whether it is wrong. */
function jsonBodyPart(schema: JsonSchema, semantics: Semantics): fc.Arbitrary<Part> {
  const encoded = (value: unknown): Part => ({ ...json(encodeJson(value)), why: violationsOf(schema, value, semantics) });
  // Not declared JSON, the body is not read: the server sees {}.
  const notJson = fc.tuple(validValue(schema, semantics), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data', 'application/json-patch+json')).map(
    ([value, type]): Part => ({ headers: { 'content-type': type }, body: Buffer.from(encodeJson(value)), why: violationsOf(schema, {}, semantics) }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: validValue(schema, semantics).map(encoded) },
    { weight: 8, arbitrary: invalidValue(schema, semantics).map(encoded) },
    { weight: 1, arbitrary: UNREADABLE_BODY },
    { weight: 1, arbitrary: notJson },
  );
}

/** Requests without a body may still carry one; only an unreadable one is wrong. */
const NO_BODY: fc.Arbitrary<Part> = fc.oneof({ weight: 8, arbitrary: fc.constant(right()) }, { weight: 1, arbitrary: UNREADABLE_BODY });

const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';
const filePart = (field: string, filename: string, bytes: Uint8Array, type = 'application/pdf') =>
  Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`, 'latin1'), Buffer.from(bytes), Buffer.from('\r\n')]);
const closing = Buffer.from(`--${BOUNDARY}--\r\n`);
const multipart = (body: Buffer, why: string, type = `multipart/form-data; boundary=${BOUNDARY}`): Part => ({ headers: { 'content-type': type }, body, why: [why] });
/** Bytes that are neither PDF, JPEG, PNG nor TIFF, whatever the name says. */
const junk = fc.uint8Array({ minLength: 0, maxLength: 4_096 }).map((bytes) => Buffer.concat([Buffer.from('JUNK'), Buffer.from(bytes)]));
const HOSTILE_FILENAMES = ['a.pdf', '../../../etc/passwd', 'a\u0000.pdf', '"; name="x', `${'n'.repeat(5_000)}.pdf`, '', 'ﬁlé.pdf'];
/** A multipart body whose end never comes (the form stops mid-file). */
const TRUNCATED_MULTIPART = Buffer.concat([Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="cut.pdf"\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<')]);

/** Uploads (multipart/form-data), always wrong: no upload here may become a revision. */
const UPLOAD_BODY: fc.Arbitrary<Part> = fc.oneof(
  fc.constant(multipart(TRUNCATED_MULTIPART, 'the multipart body is cut short')),
  fc.tuple(junk, fc.integer({ min: 0, max: 200 })).map(([bytes, cut]) => multipart(filePart('files', 'a.pdf', bytes).subarray(0, cut + 60), 'the multipart body is cut short')),
  fc.tuple(junk, fc.constantFrom(...HOSTILE_FILENAMES)).map(([bytes, name]) => multipart(Buffer.concat([filePart('files', name, bytes), closing]), 'the file is no PDF, JPEG, PNG or TIFF')),
  fc.tuple(junk, fc.constantFrom('file', 'files[]', '__proto__', '')).map(([bytes, field]) => multipart(Buffer.concat([filePart(field, 'a.pdf', bytes), closing]), 'the file is not in the "files" field')),
  fc.constant(multipart(closing, 'no file')),
  fc.constant(multipart(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"\r\n\r\nnot a file\r\n--${BOUNDARY}--\r\n`), 'no file')),
  fc.constantFrom('multipart/form-data', 'multipart/form-data; boundary=', 'multipart/mixed; boundary=x').map((type) => multipart(Buffer.concat([filePart('files', 'a.pdf', Buffer.from('%PDF-1.4')), closing]), `no usable boundary in "${type}"`, type)),
  fc.constant<Part>({ ...json('{"files":["%PDF-1.4"]}'), why: ['an upload sent as JSON'] }),
);

// ---------------------------------------------------------------------------------------------
// Path, query and headers

/** Already percent-encoded segments that no decoder should choke on. */
const RAW_SEGMENTS = ['%zz', '%', '%ED%A0%80', '%C0%AF', '%00', '%2F', '..', '%2e%2e', '%20', 'x'.repeat(65), 'x'.repeat(8_000)];

const encodeSegment = (text: string) => {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined; // lone surrogates: sent through RAW_SEGMENTS as their bytes instead
  }
};

const HOSTILE_SEGMENTS: readonly string[] = [...RAW_SEGMENTS, ...HOSTILE_STRINGS.filter((text) => text !== '').flatMap((text) => encodeSegment(text) ?? [])];

function decodePath(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The server reads numeric parameters with Number(): judge them that way, no stricter. */
function judgeNumberText(schema: JsonSchema, text: string, at: string, semantics: Semantics): string[] {
  if (text.trim() === '') return [];
  const value = Number(text);
  return Number.isFinite(value) ? violationsOf(schema, value, semantics, at) : [`${at}: ${JSON.stringify(text.slice(0, 40))} is not a number`];
}

const isNumeric = (schema: JsonSchema) => ([] as string[]).concat(schema.type ?? []).some((type) => type === 'integer' || type === 'number');

function pathParameterPart(parameter: OpenApiParameter, segment: string, world: FuzzWorld): fc.Arbitrary<Part> {
  const at = `path ${parameter.name}`;
  const judge = (raw: string): string[] => {
    const text = decodePath(raw);
    if (text === undefined) return [`${at}: not percent-encoding`];
    if (isNumeric(parameter.schema)) return judgeNumberText(parameter.schema, text, at, world.semantics);
    return [...violationsOf(parameter.schema, text, world.semantics, at), ...(world.semantics.knownIds.has(text) ? [] : [`${at}: names nothing of this tenant`])];
  };
  const valid = isNumeric(parameter.schema) ? fc.constant('1') : fc.constantFrom(...world.idsAfter(segment));
  const unknown = isNumeric(parameter.schema)
    ? fc.constantFrom('0', '-1', '1.5', 'NaN', 'Infinity', '-Infinity', '1e400', '2147483648', '99999999999999999999', 'abc', '0x', ...HOSTILE_SEGMENTS)
    : fc.oneof(fc.stringMatching(/^[a-z]{3}_[A-Za-z0-9_-]{16}$/), fc.uuid(), fc.constantFrom(...world.otherTenantIds), fc.constantFrom(...HOSTILE_SEGMENTS));
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: unknown }).map((raw) => ({ text: raw, why: judge(raw) }));
}

const QUERY_VALUES = ['abc', '1.5', 'NaN', 'Infinity', '-Infinity', '1e400', '-1', '0', '101', '2147483648', '%00', '%ED%A0%80', '%zz', '__proto__', 'x'.repeat(300), ...HOSTILE_STRINGS.flatMap((text) => encodeSegment(text) ?? [])];

/** A query parameter as Express reads it (node:querystring): repeated, it is a list. */
function judgeQuery(parameter: OpenApiParameter, raws: string[], semantics: Semantics): string[] {
  const at = `query ${parameter.name}`;
  if (raws.length > 1) return [`${at}: given ${raws.length} times`];
  const text = unescapeQuery((raws[0] ?? '').replace(/\+/g, ' '));
  // An empty value may be read as no value.
  if (text.trim() === '') return [];
  return isNumeric(parameter.schema) ? judgeNumberText(parameter.schema, text, at, semantics) : violationsOf(parameter.schema, text, semantics, at);
}

function queryPart(parameters: OpenApiParameter[], semantics: Semantics): fc.Arbitrary<Part> {
  // Unknown keys may be ignored: they decorate, never make a request wrong.
  const decoration = fc.constantFrom('', '', '', ...PROTOTYPE_KEYS.map((key) => `${key}=1`), '__proto__[polluted]=1', 'a=%00', 'a=%ED%A0%80');
  if (parameters.length === 0) return decoration.map((text) => ({ text, why: [] }));
  const wrong = fc
    .tuple(fc.constantFrom(...parameters), fc.array(fc.constantFrom(...QUERY_VALUES, ...enumNeighbours(parameters)), { minLength: 1, maxLength: 2 }), decoration)
    .map(([parameter, raws, extra]) => ({
      text: [...raws.map((raw) => `${encodeURIComponent(parameter.name)}=${raw}`), ...(extra ? [extra] : [])].join('&'),
      why: judgeQuery(parameter, raws, semantics),
    }));
  return fc.oneof({ weight: 3, arbitrary: decoration.map((text) => ({ text, why: [] })) }, { weight: 2, arbitrary: wrong });
}

function enumNeighbours(parameters: OpenApiParameter[]): string[] {
  const options = parameters.flatMap((parameter) => [...(parameter.schema.enum ?? []), ...(parameter.schema.anyOf ?? []).flatMap((branch) => branch.enum ?? [])]);
  return options.filter((option): option is string => typeof option === 'string').flatMap((option) => [option.toUpperCase(), `${option}%00`, `${option}+`]);
}

function idempotencyPart(parameters: OpenApiParameter[], semantics: Semantics): fc.Arbitrary<Part> {
  const header = parameters.find((parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key');
  if (!header) return fc.constant(right());
  const key = (value: string): Part => ({ headers: { 'idempotency-key': value }, why: violationsOf(header.schema, value, semantics, 'Idempotency-Key header') });
  return fc.oneof(
    { weight: 5, arbitrary: fc.constant(right()) },
    { weight: 3, arbitrary: fc.uuid().map(key) },
    { weight: 1, arbitrary: fc.constantFrom('', 'k'.repeat(256), '__proto__', 'constructor').map(key) },
    // Too long, and random: no compression fits it into an index row.
    { weight: 1, arbitrary: fc.uint8Array({ minLength: 1_500, maxLength: 1_500 }).map((bytes) => key(Buffer.from(bytes).toString('hex'))) },
  );
}

function credentialsPart(security: OpenApiOperation['security'], world: FuzzWorld): fc.Arbitrary<Part> {
  const scheme = Object.keys(security?.[0] ?? {})[0];
  if (!scheme) return fc.constant(right());
  const [valid, other] = scheme === 'adminToken' ? [world.adminToken, world.apiKey] : [world.apiKey, world.adminToken];
  const wrong = fc.constantFrom(undefined, 'Bearer', `Bearer ${other}`, 'Basic Zm9vOmJhcg==', `Bearer gl_live_${'0'.repeat(40)}`, `Bearer ${valid}x`, `Bearer ${'k'.repeat(4_000)}`, `bearer  ${valid.slice(0, -1)}`);
  return fc.oneof(
    { weight: 9, arbitrary: fc.constant(right({ headers: { authorization: `Bearer ${valid}` } })) },
    { weight: 1, arbitrary: wrong.map((value): Part => ({ headers: value === undefined ? {} : { authorization: value }, why: ['no valid credentials'] })) },
  );
}

// ---------------------------------------------------------------------------------------------
// The targets

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: Record<string, unknown>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const problemAnswer = () => 'problem' as const;
/** The fixed corpus does not move with FUZZ_SEED: the same valid values around each field's fault, run after run. */
const FIXED_SEED = 1;

/** The path template's parameters, each with the segment before it ("documents" for {id}). */
function pathPieces(template: string): (string | { name: string; after: string })[] {
  const segments = template.split('/');
  return segments.map((segment, index) => {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    return name ? { name, after: segments[index - 1] ?? '' } : segment;
  });
}

function operationTarget(method: string, template: string, operation: OpenApiOperation, world: FuzzWorld): Target {
  const parameters = operation.parameters ?? [];
  const pieces = pathPieces(template);
  const pathParts = pieces.map((piece) => {
    if (typeof piece === 'string') return fc.constant(right({ text: piece }));
    const parameter = parameters.find((candidate) => candidate.in === 'path' && candidate.name === piece.name) ?? { name: piece.name, in: 'path' as const, schema: { type: 'string' } };
    return pathParameterPart(parameter, piece.after, world);
  });
  const content = operation.requestBody?.content ?? {};
  const bodyPart = content['multipart/form-data'] ? UPLOAD_BODY : content[JSON_TYPE] ? jsonBodyPart(content[JSON_TYPE].schema, world.semantics) : NO_BODY;
  const cases = fc
    .record({
      path: fc.tuple(...pathParts),
      query: queryPart(parameters.filter((parameter) => parameter.in === 'query'), world.semantics),
      credentials: credentialsPart(operation.security, world),
      idempotency: idempotencyPart(parameters, world.semantics),
      body: bodyPart,
    })
    .map(({ path, query, credentials, idempotency, body }) =>
      combine(method, `${path.map((part) => part.text).join('/')}${query.text ? `?${query.text}` : ''}`, [...path, query, credentials, idempotency, body], problemAnswer),
    )
    .filter(isInvalid);

  // The fixed corpus: real ids, right credentials, so only the body's hostility is met.
  const realPath = pieces.map((piece) => (typeof piece === 'string' ? piece : /number|page/.test(piece.name) ? '1' : (world.idsAfter(piece.after)[0] ?? 'x'))).join('/');
  const authorized = credentialsPart(operation.security, world);
  const [credentials] = fc.sample(authorized.filter((part) => part.why.length === 0), { numRuns: 1, seed: 1 });
  const fixed = (parts: Part[]) => combine(method, realPath, [credentials ?? right(), ...parts], problemAnswer);
  const schema = content[JSON_TYPE]?.schema;
  const whyOf = (value: unknown) => (schema ? violationsOf(schema, value, world.semantics) : []);
  const protoBody = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown;
  const fieldFaults = schema ? singleFieldFaults(schema, fc.sample(validValue(schema, world.semantics, undefined, true), { seed: FIXED_SEED, numRuns: 1 })[0], world.semantics, FIXED_SEED) : [];
  return {
    name: `${method.toUpperCase()} ${template}`,
    cases,
    fixed: [
      fixed([TEN_MB_JSON]),
      fixed([{ ...json(deepArrayText(DEEP_NESTING)), why: whyOf([]) }]),
      fixed([{ ...json(deepArrayText(DEEP_NESTING)), headers: { 'content-type': JSON_TYPE, 'idempotency-key': randomBytes(12).toString('hex') }, why: whyOf([]) }]),
      fixed([{ ...json(deepObjectText(20_000)), why: whyOf({}) }]),
      fixed([{ ...json(encodeJson(protoBody)), why: whyOf(protoBody) }]),
      // A JSON route does not read multipart: it sees an empty body.
      fixed([{ ...multipart(TRUNCATED_MULTIPART, 'the multipart body is cut short'), ...(content['multipart/form-data'] ? {} : { why: whyOf({}) }) }]),
      ...fieldFaults.map((value) => fixed([{ ...json(encodeJson(value)), why: whyOf(value) }])),
    ].filter(isInvalid),
    ...(content['multipart/form-data'] ? { dropped: droppedUpload(method, realPath, credentials ?? right()) } : {}),
  };
}

export function openApiTargets(document: OpenApiDocument, world: FuzzWorld): Target[] {
  return Object.entries(document.paths).flatMap(([template, operations]) =>
    Object.entries(operations).map(([method, operation]) => operationTarget(method, template, operation, world)),
  );
}

/** An upload announced whole, its connection dropped a quarter of the way in. */
function droppedUpload(method: string, path: string, credentials: Part): RawRequest {
  const body = Buffer.concat([filePart('files', 'dropped.pdf', Buffer.alloc(256 * 1024, 0x25)), closing]);
  return { method: method.toUpperCase(), path, headers: { ...credentials.headers, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body, cutAfter: 64 * 1024 };
}

// ---------------------------------------------------------------------------------------------
// The portal: what api/portal/router.ts reads from each post

const decisionId: JsonSchema = { type: 'string', pattern: '^[A-Za-z0-9_-]{8,100}$' };
const options: JsonSchema = { anyOf: [{ type: 'string', minLength: 1, maxLength: 64 }, { type: 'array', items: { type: 'string', minLength: 1, maxLength: 64 }, maxItems: 100 }] };
const reason: JsonSchema = { type: 'string', maxLength: 2_000 };
const decision = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', properties: { decisionId, ...properties } });
const PROOF_DECISION = decision({
  reason,
  revision: { anyOf: [{ type: 'integer', exclusiveMinimum: 0, maximum: 100_000 }, { type: 'string' }] },
  acceptTerms: { anyOf: [{ type: 'boolean' }, { enum: ['true', 'on'] }] },
  termsVersion: { type: 'string', minLength: 1, maxLength: 50 },
  comment: { type: 'string', maxLength: 5_000 },
  pins: {
    anyOf: [
      {
        type: 'array',
        maxItems: 50,
        items: { type: 'object', properties: { page: { type: 'integer' }, x: { type: 'number' }, y: { type: 'number' }, comment: { type: 'string', minLength: 1, maxLength: 1_000 } }, required: ['page', 'x', 'y', 'comment'] },
      },
      { type: 'string' },
    ],
  },
});

/**
 * Each post of the portal and the fields of its JSON body that the post uses (router.ts reads
 * one schema for every decision and ignores the fields a decision does not use, and the
 * anti-CSRF field of JSON posts: a fault there may rightly go unnoticed). {} takes anything:
 * paying reads no field.
 */
const PORTAL_POSTS: Record<string, JsonSchema> = {
  seen: { type: 'object', properties: { viewId: { type: 'string', format: 'uuid' } }, required: ['viewId'] },
  accept: decision({ options }),
  sign: decision({ options, signerName: { type: 'string', maxLength: 200 }, consent: { anyOf: [{ type: 'boolean' }, { const: 'true' }] }, drawnSignature: { type: 'string', maxLength: 140_000 } }),
  hold: decision({ reason }),
  refuse: decision({ reason }),
  approve: PROOF_DECISION,
  'request-changes': PROOF_DECISION,
  messages: { type: 'object', properties: { body: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_LENGTH }, decisionId }, required: ['body'] },
  forward: { type: 'object', properties: { email: { type: 'string', format: 'email', maxLength: 254 }, name: { type: 'string', maxLength: 200 }, decisionId }, required: ['email'] },
  pay: {},
};

/** JSON posts, or an Accept asking for JSON, are answered problem+json; form posts, a page. */
const portalAnswer = (headers: Record<string, string>): Expected => (/^application\/json\s*(;|$)/i.test(headers['content-type'] ?? '') || /json/.test(headers.accept ?? '') ? 'problem' : 'html');

/** A form post never carries a valid anti-CSRF field here: every one must be refused. */
const FORM_BODY: fc.Arbitrary<Part> = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom('decisionId', 'csrf', 'reason', 'options', 'body', 'email', 'consent', 'viewId', ...PROTOTYPE_KEYS, '__proto__[polluted]', 'options[]', 'a[b][c]'), fc.constantFrom(...QUERY_VALUES)), { maxLength: 8 }),
    fc.constantFrom(0, 0, 250),
    fc.constantFrom('application/x-www-form-urlencoded', 'text/plain', `multipart/form-data; boundary=${BOUNDARY}`, 'application/xml'),
    fc.constantFrom(undefined, JSON_TYPE, 'text/html'),
  )
  .map(([fields, padding, type, accept]) => {
    const pairs = [...fields.map(([name, value]) => `${encodeURIComponent(name)}=${value}`), ...Array.from({ length: padding }, (_, index) => `p${index}=1`)];
    const body = type.startsWith('multipart') ? TRUNCATED_MULTIPART : Buffer.from(pairs.join('&'));
    return { headers: { 'content-type': type, ...(accept ? { accept } : {}) }, body, why: ['a form post without a valid anti-CSRF field'] };
  });

function portalTarget(action: string, schema: JsonSchema, world: FuzzWorld, semantics: Semantics): Target {
  const token = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...world.portalTokens).map((text) => ({ text, why: [] as string[] })) },
    {
      weight: 1,
      arbitrary: fc.oneof(fc.base64String({ minLength: 40, maxLength: 44 }).map((text) => text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')), fc.constantFrom(...HOSTILE_SEGMENTS)).map((text) => ({ text, why: ['no such link'] })),
    },
  );
  const body = fc.oneof({ weight: 3, arbitrary: jsonBodyPart(schema, semantics) }, { weight: 1, arbitrary: FORM_BODY });
  const cases = fc
    .tuple(token, body)
    .map(([link, part]) => combine('post', `/d/${link.text}/${action}`, [link, part], portalAnswer))
    .filter(isInvalid);
  const realLink = `/d/${world.portalTokens[0] ?? 'none'}/${action}`;
  const fieldFaults = singleFieldFaults(schema, fc.sample(validValue(schema, semantics, undefined, true), { seed: FIXED_SEED, numRuns: 1 })[0], semantics, FIXED_SEED);
  return {
    name: `POST /d/{token}/${action}`,
    cases,
    fixed: [
      combine('post', realLink, [TEN_MB_JSON], portalAnswer),
      combine('post', realLink, [{ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`reason=${'r'.repeat(TEN_MB)}`), why: ['10 MB: larger than any body taken'] }], portalAnswer),
      combine('post', realLink, [{ ...json(deepArrayText(8_000)), why: violationsOf(schema, [], semantics) }], portalAnswer),
      combine('post', realLink, [multipart(TRUNCATED_MULTIPART, 'the multipart body is cut short (and no anti-CSRF field)')], portalAnswer),
      ...fieldFaults.map((value) => combine('post', realLink, [{ ...json(encodeJson(value)), why: violationsOf(schema, value, semantics) }], portalAnswer)),
    ].filter(isInvalid),
  };
}

export function portalTargets(world: FuzzWorld, semantics: Semantics): Target[] {
  return Object.entries(PORTAL_POSTS).map(([action, schema]) => portalTarget(action, schema, world, semantics));
}

// ---------------------------------------------------------------------------------------------
// Webhooks in

const EVENT_BODY: fc.Arbitrary<Part> = fc.oneof(
  fc
    .record({ id: fc.string(), type: fc.constantFrom('checkout.session.completed', 'payment_intent.succeeded', 'charge.refunded', '__proto__'), created: fc.constantFrom(...([0, -1, 1e21, 'NaN'] as unknown[])) })
    .map((event) => json(encodeJson({ ...event, data: { object: { id: 'cs_fuzz', metadata: { documentId: 'doc_unknown' } } } }))),
  fc.constantFrom(...MALFORMED_JSON).map(json),
  fc.constant(json(deepArrayText(DEEP_NESTING))),
  fc.uint8Array({ maxLength: 2_048 }).map((bytes) => ({ headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(bytes), why: [] })),
);

function stripeTarget(): Target {
  const signature = fc.oneof(
    fc.constant(undefined),
    fc.constantFrom('', 'garbage', 't=,v1=', 't=NaN,v1=00', 't=99999999999999999999,v1=00', `t=-1,v1=${'0'.repeat(64)}`, `${'t=1,'.repeat(2_000)}v1=0`),
    fc.tuple(fc.integer({ min: -600, max: 600 }), fc.stringMatching(/^[0-9a-f]{64}$/)).map(([skew, mac]) => `t=${Math.floor(Date.now() / 1000) + skew},v1=${mac}`),
  );
  const cases = fc.tuple(signature, EVENT_BODY).map(([header, body]) =>
    combine('post', '/webhooks/stripe', [{ headers: header === undefined ? {} : { 'stripe-signature': header }, why: ['not signed with the endpoint secret'] }, body], problemAnswer),
  );
  return {
    name: 'POST /webhooks/stripe',
    cases,
    fixed: [combine('post', '/webhooks/stripe', [TEN_MB_JSON], problemAnswer)],
  };
}

function getAcceptTarget(world: FuzzWorld): Target {
  const tenant = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ text: world.tenantId, why: [] as string[] }) },
    { weight: 1, arbitrary: fc.constantFrom(world.otherTenantId, 'ten_unknown', ...HOSTILE_SEGMENTS).map((text) => ({ text, why: ['the token is not this tenant’s'] })) },
  );
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constant({ text: `token=${world.getAcceptToken}`, why: [] as string[] }) },
    { weight: 1, arbitrary: fc.constantFrom('', 'token=', 'token=wrong', `token=${world.getAcceptToken}x`, `token=${world.getAcceptToken}&token=x`, 'token=%00').map((text) => ({ text, why: ['a wrong token'] })) },
  );
  // Right token or not, no GetAccept document of this tenant exists here: every notice names nothing.
  const body = fc.oneof(
    fc.record({ event: fc.constantFrom('document.signed', 'document.viewed', '__proto__'), document: fc.record({ id: fc.oneof(fc.string(), fc.constantFrom(...HOSTILE_STRINGS)) }) }).map((notice) => json(encodeJson(notice))),
    fc.constantFrom(...OTHER_BODIES).map(json),
    EVENT_BODY,
  );
  const cases = fc
    .tuple(tenant, token, body)
    .map(([tenantPart, tokenPart, bodyPart]) =>
      combine('post', `/webhooks/getaccept/${tenantPart.text}?${tokenPart.text}`, [tenantPart, tokenPart, { ...bodyPart, why: ['no GetAccept document of this tenant exists'] }], problemAnswer),
    );
  return {
    name: 'POST /webhooks/getaccept/{tenantId}',
    cases,
    fixed: [combine('post', `/webhooks/getaccept/${world.tenantId}?token=${world.getAcceptToken}`, [TEN_MB_JSON], problemAnswer)],
  };
}

const OTHER_BODIES = ['{}', '[]', '{"document":null}', '{"document":"x"}', '{"document":{"id":123}}', '{"document":{"id":""}}', '{"__proto__":{"document":{"id":"x"}}}'];

export function webhookTargets(world: FuzzWorld): Target[] {
  return [stripeTarget(), getAcceptTarget(world)];
}
