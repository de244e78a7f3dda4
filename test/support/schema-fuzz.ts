/**
 * Hostile values for a JSON Schema (the OpenAPI 3.1 subset zod-to-openapi writes), as
 * fast-check arbitraries, and the judge that says whether a value is invalid.
 *
 * The fuzz test sends only invalid requests, so that "nothing was written" can be asserted: a
 * value counts as invalid when `violationsOf` names at least one way it breaks the schema, or
 * one way it cannot be true whatever the schema says (a reference to nothing, a currency that
 * does not exist, text PostgreSQL cannot hold, a number beyond the 32 bits every amount is
 * stored in). The judge is conservative: where the server may read a value more leniently than
 * the document (zod trims before it measures, coerces query strings), it calls the value valid,
 * so a request it calls invalid is one the server must refuse.
 */
import currencyCodes from 'currency-codes';
import fc from 'fast-check';

export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  example?: unknown;
}

/** What the schema cannot say: which fields name things that must exist, and the ids that do. */
export interface Semantics {
  resolve(ref: string): JsonSchema;
  /** A field naming a row that must exist (customerId, contactId…): its value must be a known id. */
  isReference(field: string): boolean;
  /** Ids a reference field may hold, the likeliest kind first (for valid values). */
  idsFor(field: string): readonly string[];
  /** Every id of the fuzzed tenant: a reference to anything else is unknown. */
  knownIds: ReadonlySet<string>;
  /** Integers here are stored, in 32 bits: a larger one must be refused (false where an integer is only read). */
  integersAreStored: boolean;
}

/** JSON text JSON.stringify cannot write (1e400, -0, nesting deeper than its stack), with the value the judge reads in its place. */
export class RawJson {
  constructor(
    readonly text: string,
    /** A shallow stand-in: never more invalid than the real thing, so the judge stays conservative. */
    readonly standIn: unknown,
  ) {}
}

export function encodeJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(encodeJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([key, item]) => `${JSON.stringify(key)}:${encodeJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Objects built this way keep "__proto__" as an own key instead of setting the prototype. */
const objectOf = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const ISO_CURRENCIES = new Set(currencyCodes.codes());
/** Nesting deep enough to overflow any recursive reader, small enough to pass a 1 MB limit. */
export const DEEP_NESTING = 100_000;

export function deepArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

export function deepObjectText(depth: number): string {
  return '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
}

const hasLoneSurrogate = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

/** Why a string cannot be stored as text, whatever field it is in. */
function textViolation(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains NUL, which PostgreSQL text cannot hold';
  if (hasLoneSurrogate(text)) return 'contains a lone surrogate: not Unicode text';
  return undefined;
}

/** Every string of a value (keys too), for the text rule. */
function textViolationsIn(value: unknown, at: string): string[] {
  if (typeof value === 'string') {
    const why = textViolation(value);
    return why ? [`${at}: ${why}`] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => textViolationsIn(item, `${at}[${index}]`));
  if (value !== null && typeof value === 'object' && !(value instanceof RawJson)) {
    return Object.entries(value).flatMap(([key, item]) => [...textViolationsIn(key, `${at} key`), ...textViolationsIn(item, `${at}.${key}`)]);
  }
  return [];
}

type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';

function jsonTypeOf(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      if (!Number.isFinite(value)) return undefined;
      return Number.isInteger(value) ? 'integer' : 'number';
    case 'object':
      return 'object';
    default:
      return undefined;
  }
}

function typesOf(schema: JsonSchema): JsonType[] | undefined {
  return schema.type === undefined ? undefined : ([] as string[]).concat(schema.type).map((type) => type as JsonType);
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Clear format violations only: a string that fails these fails any stricter reading too. */
const FORMAT_SHAPES: Record<string, (text: string) => boolean> = {
  'date-time': (text) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/.test(text),
  date: (text) => /^\d{4}-\d{2}-\d{2}$/.test(text),
  email: (text) => /^[^\s@]+@[^\s@]+$/.test(text),
  uri: (text) => URL.canParse(text),
  uuid: (text) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text),
};

function stringViolations(schema: JsonSchema, text: string, at: string, field: string | undefined, semantics: Semantics): string[] {
  const out: string[] = [];
  // zod may trim before it measures or matches: judge the trimmed text for upper bounds and patterns.
  const trimmed = text.trim();
  if (schema.maxLength !== undefined && [...trimmed].length > schema.maxLength) out.push(`${at}: longer than ${schema.maxLength}`);
  if (schema.minLength !== undefined && text.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
  if (schema.pattern !== undefined) {
    const pattern = new RegExp(schema.pattern);
    if (!pattern.test(text) && !pattern.test(trimmed)) out.push(`${at}: does not match ${schema.pattern}`);
  }
  const shape = schema.format ? FORMAT_SHAPES[schema.format] : undefined;
  if (shape && !shape(text) && !shape(trimmed)) out.push(`${at}: not a ${schema.format}`);
  if (field && semantics.isReference(field) && !semantics.knownIds.has(text)) out.push(`${at}: names nothing of this tenant`);
  if (field === 'currency' && !ISO_CURRENCIES.has(text)) out.push(`${at}: not an ISO 4217 currency`);
  return out;
}

function numberViolations(schema: JsonSchema, value: number, types: JsonType[] | undefined, at: string, semantics: Semantics): string[] {
  const out: string[] = [];
  if (schema.minimum !== undefined && value < schema.minimum) out.push(`${at}: below ${schema.minimum}`);
  if (schema.maximum !== undefined && value > schema.maximum) out.push(`${at}: above ${schema.maximum}`);
  if (schema.exclusiveMinimum !== undefined && !(value > schema.exclusiveMinimum)) out.push(`${at}: not above ${schema.exclusiveMinimum}`);
  if (schema.exclusiveMaximum !== undefined && !(value < schema.exclusiveMaximum)) out.push(`${at}: not below ${schema.exclusiveMaximum}`);
  if (semantics.integersAreStored && types?.includes('integer') && !types.includes('number') && (value < INT32.min || value > INT32.max)) out.push(`${at}: beyond the 32 bits integers are stored in`);
  return out;
}

/**
 * The ways `value` breaks `schema` (empty: valid as far as can be told). `field` is the
 * property name the value sits under, for the rules the schema cannot express.
 */
export function violationsOf(schema: JsonSchema, value: unknown, semantics: Semantics, at = 'body', field?: string): string[] {
  if (schema.$ref) return violationsOf(semantics.resolve(schema.$ref), value, semantics, at, field);
  const seen = value instanceof RawJson ? value.standIn : value;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const each = alternatives.map((branch) => violationsOf(branch, seen, semantics, at, field));
    if (!each.some((found) => found.length === 0)) return [`${at}: matches none of its ${alternatives.length} forms (${each.map((found) => found[0]).join('; ')})`];
  }
  const out = (schema.allOf ?? []).flatMap((part) => violationsOf(part, seen, semantics, at, field));
  const type = jsonTypeOf(seen);
  if (type === undefined) return [...out, `${at}: not a JSON value`];
  if ('const' in schema && !sameJson(schema.const, seen)) out.push(`${at}: not ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.some((option) => sameJson(option, seen))) out.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
  const types = typesOf(schema);
  if (types && !types.includes(type) && !(type === 'integer' && types.includes('number'))) return [...out, `${at}: a ${type}, not ${types.join(' or ')}`];
  if (typeof seen === 'string') out.push(...stringViolations(schema, seen, at, field, semantics));
  if (typeof seen === 'number') out.push(...numberViolations(schema, seen, types, at, semantics));
  if (Array.isArray(seen)) {
    if (schema.minItems !== undefined && seen.length < schema.minItems) out.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && seen.length > schema.maxItems) out.push(`${at}: more than ${schema.maxItems} items`);
    const { items } = schema;
    if (items) seen.forEach((item, index) => out.push(...violationsOf(items, item, semantics, `${at}[${index}]`)));
  }
  if (type === 'object') out.push(...objectViolations(schema, seen as Record<string, unknown>, semantics, at));
  // Text rules hold anywhere: on strings, and on whatever a schema takes without describing it.
  const described = schema.properties !== undefined || schema.items !== undefined || typeof schema.additionalProperties === 'object';
  if (typeof seen === 'string' || !described) out.push(...textViolationsIn(seen, at));
  return out;
}

function objectViolations(schema: JsonSchema, value: Record<string, unknown>, semantics: Semantics, at: string): string[] {
  const out: string[] = [];
  const properties = schema.properties ?? {};
  for (const name of schema.required ?? []) if (!Object.hasOwn(value, name)) out.push(`${at}.${name}: missing`);
  for (const [key, item] of Object.entries(value)) {
    if (Object.hasOwn(properties, key)) out.push(...violationsOf(properties[key] as JsonSchema, item, semantics, `${at}.${key}`, key));
    else if (schema.additionalProperties === false) out.push(`${at}.${key}: not a field of this body`);
    else if (typeof schema.additionalProperties === 'object') out.push(...violationsOf(schema.additionalProperties, item, semantics, `${at}.${key}`));
    const keyText = textViolation(key);
    if (keyText) out.push(`${at} key ${JSON.stringify(key)}: ${keyText}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hostile values

/** Strings that have broken parsers, validators, databases and templates somewhere. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e400',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  "' OR '1'='1",
  '"; DROP TABLE "Document"; --',
  '../../../../etc/passwd',
  '%00',
  '%ED%A0%80',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '{{link}}',
  '\u202egnp.exe',
  '\ufeff',
  '😀😀😀',
  'ß'.repeat(40),
  '\r\nX-Injected: 1',
  'a'.repeat(70),
];

/** Keys that change what an object is when code copies it carelessly. */
export const PROTOTYPE_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

const NUMBER_EXTREMES: readonly unknown[] = [
  0,
  -1,
  0.5,
  1.5,
  new RawJson('-0', -0),
  2_147_483_648,
  -2_147_483_649,
  4_294_967_296,
  new RawJson('9007199254740993', 9_007_199_254_740_992),
  1e21,
  1e308,
  -1e308,
  5e-324,
  new RawJson('1e400', Number.POSITIVE_INFINITY),
  new RawJson('-1e400', Number.NEGATIVE_INFINITY),
];

/** Values of every JSON type (and some that are no JSON value at all once parsed). */
const OTHER_TYPES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  '',
  'NaN',
  'Infinity',
  '-Infinity',
  '__proto__',
  [],
  [null],
  {},
  objectOf([['__proto__', { polluted: true }]]),
  objectOf([['constructor', { prototype: { polluted: true } }]]),
  new RawJson('1e400', Number.POSITIVE_INFINITY),
  new RawJson(deepArrayText(DEEP_NESTING), []),
  new RawJson(deepObjectText(2_000), {}),
];

/** A string longer than `maxLength` even once trimmed (and in UTF-16 units as in code points). */
const tooLong = (maxLength: number) =>
  fc.constantFrom(maxLength + 1, maxLength * 2 + 7, Math.max(maxLength + 1, 300_000)).map((length) => 'x'.repeat(length - 1) + 'é');

const resolved = (schema: JsonSchema, semantics: Semantics): JsonSchema => (schema.$ref ? resolved(semantics.resolve(schema.$ref), semantics) : schema);

// ---------------------------------------------------------------------------------------------
// Valid values: the rest of a request around its invalid part

const VALID_DATE_TIME = fc.date({ min: new Date('2031-01-01T00:00:00Z'), max: new Date('2039-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());

function validString(schema: JsonSchema, semantics: Semantics, field: string | undefined, plain: boolean): fc.Arbitrary<string> {
  if (field && semantics.isReference(field)) {
    const ids = semantics.idsFor(field);
    if (ids.length > 0) return fc.constantFrom(...ids);
  }
  if (typeof schema.example === 'string' && violationsOf(schema, schema.example, semantics, 'example', field).length === 0) return fc.constant(schema.example);
  const minLength = Math.max(schema.minLength ?? 0, 1);
  const maxLength = Math.min(schema.maxLength ?? 40, 40);
  switch (schema.format) {
    case 'date-time':
      return VALID_DATE_TIME;
    case 'date':
      return VALID_DATE_TIME.map((text) => text.slice(0, 10));
    case 'email':
      return fc.constantFrom('fuzz@example.com', 'zoé.dupré@example.org');
    case 'uri':
      return fc.constant('https://example.com/greenlight');
    case 'uuid':
      return fc.uuid();
    default:
      break;
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length >= minLength && text.length <= (schema.maxLength ?? Infinity));
  const words = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzéåö0123456789 '), minLength: 0, maxLength: Math.max(0, maxLength - 1) });
  // At the bound too: the longest text a field takes must fit where it is stored.
  const longest = schema.maxLength !== undefined && !plain ? [fc.constant('w'.repeat(Math.min(schema.maxLength, 200_000)))] : [];
  return fc.oneof({ arbitrary: words.map((text) => `W${text}`.slice(0, maxLength).padEnd(minLength, 'w')), weight: 4 }, ...longest.map((arbitrary) => ({ arbitrary, weight: 1 })));
}

function validNumber(schema: JsonSchema, integer: boolean, plain: boolean): fc.Arbitrary<number> {
  const low = Math.max(schema.minimum ?? INT32.min, schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + (integer ? 1 : 0.001) : INT32.min, INT32.min);
  const high = Math.min(schema.maximum ?? INT32.max, schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - (integer ? 1 : 0.001) : INT32.max, INT32.max);
  const small = fc.integer({ min: Math.ceil(Math.max(low, -1000)), max: Math.floor(Math.min(high, 1000)) });
  if (plain) return small;
  // The bounds themselves: the largest amounts are where sums overflow.
  return fc.oneof({ arbitrary: small, weight: 4 }, { arbitrary: fc.constantFrom(integer ? Math.ceil(low) : low, integer ? Math.floor(high) : high), weight: 1 });
}

/**
 * A value `schema` accepts (as far as this generator can tell: a miss only makes the request
 * invalid twice). `plain`: no values at the bounds, the first of each choice — the quiet
 * surroundings a single fault is set in.
 */
export function validValue(schema: JsonSchema, semantics: Semantics, field?: string, plain = false): fc.Arbitrary<unknown> {
  const node = resolved(schema, semantics);
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) return plain && alternatives[0] ? validValue(alternatives[0], semantics, field, plain) : fc.oneof(...alternatives.map((branch) => validValue(branch, semantics, field)));
  if ('const' in node) return fc.constant(node.const);
  if (node.enum) return plain ? fc.constant(node.enum[0]) : fc.constantFrom(...node.enum);
  const types = typesOf(node);
  const type = types?.find((candidate) => candidate !== 'null') ?? types?.[0];
  switch (type) {
    case 'string':
      return validString(node, semantics, field, plain);
    case 'integer':
      return validNumber(node, true, plain);
    case 'number':
      return validNumber(node, false, plain);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = node.minItems ?? 0;
      const item = node.items ? validValue(node.items, semantics, undefined, plain) : fc.constant('item');
      return fc.array(item, { minLength, maxLength: Math.min(node.maxItems ?? minLength + 2, minLength + 2) });
    }
    case 'object':
      return validObject(node, semantics, plain);
    default:
      return node.properties ? validObject(node, semantics, plain) : fc.constant('anything');
  }
}

function validObject(schema: JsonSchema, semantics: Semantics, plain = false): fc.Arbitrary<Record<string, unknown>> {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const value = validValue(property, semantics, name, plain).map((item): [string, unknown] => [name, item]);
    return required.has(name) ? value.map((entry) => [entry]) : fc.option(value, { freq: 2, nil: undefined }).map((entry) => (entry ? [entry] : []));
  });
  return fc.tuple(...entries).map((parts) => objectOf(parts.flat()));
}

// ---------------------------------------------------------------------------------------------
// Invalid values

function invalidString(schema: JsonSchema, semantics: Semantics, field: string | undefined): fc.Arbitrary<unknown>[] {
  const base = validString(schema, semantics, field, false);
  const options: fc.Arbitrary<unknown>[] = [
    fc.constantFrom(...HOSTILE_STRINGS),
    // Valid text made unstorable: the only fault, so it reaches the database if nothing stops it.
    fc.tuple(base, fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\u0000')).map(([text, bad]) => text + bad),
  ];
  if (schema.maxLength !== undefined) options.push(tooLong(schema.maxLength));
  if (schema.enum) options.push(fc.constantFrom(...schema.enum.filter((option) => typeof option === 'string').flatMap((option) => [option.toUpperCase(), ` ${option}`, `${option}\u0000`])));
  // Right shape, wrong meaning: an id of nothing, a currency that does not exist.
  if (schema.pattern) options.push(fc.stringMatching(new RegExp(schema.pattern)));
  if (field && semantics.isReference(field)) options.push(fc.oneof(fc.stringMatching(/^[a-z]{3}_[A-Za-z0-9_-]{16}$/), fc.uuid()));
  return options;
}

function invalidNumber(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  const bounds: number[] = [];
  if (schema.minimum !== undefined) bounds.push(schema.minimum - 1, schema.minimum - 0.5);
  if (schema.maximum !== undefined) bounds.push(schema.maximum + 1, schema.maximum + 0.5);
  if (schema.exclusiveMinimum !== undefined) bounds.push(schema.exclusiveMinimum);
  return [fc.constantFrom(...NUMBER_EXTREMES), ...(bounds.length ? [fc.constantFrom(...bounds)] : [])];
}

function invalidArray(schema: JsonSchema, semantics: Semantics): fc.Arbitrary<unknown>[] {
  const item = schema.items ? validValue(schema.items, semantics) : fc.constant('item');
  const options: fc.Arbitrary<unknown>[] = [];
  const { items } = schema;
  if (items) options.push(fc.tuple(fc.array(item, { maxLength: 2 }), invalidValue(items, semantics)).map(([valid, bad]) => [...valid, bad]));
  if (schema.maxItems !== undefined) {
    const count = schema.maxItems + 1;
    options.push(item.map((one) => Array.from({ length: count }, () => one)));
  }
  if (schema.minItems) options.push(fc.constant([]));
  return options;
}

function invalidObject(schema: JsonSchema, semantics: Semantics): fc.Arbitrary<unknown>[] {
  const properties = Object.entries(schema.properties ?? {});
  const options: fc.Arbitrary<unknown>[] = [];
  const valid = validObject(schema, semantics);
  if (properties.length > 0) {
    options.push(
      fc
        .constantFrom(...properties)
        .chain(([name, property]) => fc.tuple(valid, invalidValue(property, semantics, name)).map(([rest, bad]) => objectOf([...Object.entries(rest).filter(([key]) => key !== name), [name, bad]]))),
    );
  }
  const required = schema.required ?? [];
  if (required.length > 0) {
    options.push(fc.tuple(valid, fc.constantFrom(...required)).map(([rest, missing]) => objectOf(Object.entries(rest).filter(([key]) => key !== missing))));
  }
  if (schema.additionalProperties === false) {
    const extraKey = fc.constantFrom(...PROTOTYPE_KEYS, 'toString', '', '\u0000', 'x'.repeat(1_000), 'id', 'tenantId', 'status');
    options.push(fc.tuple(valid, extraKey, fc.constantFrom(...OTHER_TYPES)).map(([rest, key, extra]) => objectOf([...Object.entries(rest), [key, extra]])));
  }
  return options;
}

/**
 * A value that breaks `schema` in one of the ways it allows (wrong type, out of range, too
 * long, missing or extra field, unstorable text, a reference to nothing…), the rest of it valid
 * so the fault is met where it is.
 */
export function invalidValue(schema: JsonSchema, semantics: Semantics, field?: string): fc.Arbitrary<unknown> {
  const node = resolved(schema, semantics);
  const types = typesOf(node) ?? [];
  const alternatives = node.anyOf ?? node.oneOf ?? [];
  const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...OTHER_TYPES)];
  for (const part of [node, ...alternatives.map((branch) => resolved(branch, semantics))]) {
    const partTypes = typesOf(part) ?? types;
    if (partTypes.includes('string')) options.push(...invalidString(part, semantics, field));
    if (partTypes.includes('integer') || partTypes.includes('number')) options.push(...invalidNumber(part));
    if (partTypes.includes('array')) options.push(...invalidArray(part, semantics));
    if (partTypes.includes('object') || part.properties) options.push(...invalidObject(part, semantics));
  }
  return fc.oneof(...options).filter((value) => violationsOf(node, value, semantics, 'value', field).length > 0);
}

// ---------------------------------------------------------------------------------------------
// One fault per field

/** The one value of an arbitrary a seed gives. */
const sampleOne = <T>(arbitrary: fc.Arbitrary<T>, seed: number): T => fc.sample(arbitrary, { seed, numRuns: 1 })[0] as T;

/**
 * Faults a schema cannot see at a leaf, for the server's own code to catch: free text made
 * unstorable (NUL, a lone surrogate), a reference to nothing, a value of the right shape and
 * no meaning (a currency that does not exist), an integer past 32 bits.
 */
function leafFaults(schema: JsonSchema, value: unknown, semantics: Semantics, field: string | undefined, seed: number): unknown[] {
  const types = typesOf(schema) ?? [];
  if (types.includes('integer') && !types.includes('number') && semantics.integersAreStored && (schema.maximum ?? Infinity) > INT32.max) return [INT32.max + 1];
  if (!types.includes('string') || schema.enum) return [];
  if (schema.pattern) {
    const shapedRight = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { seed, numRuns: 30 });
    const meaningless = shapedRight.find((text) => violationsOf(schema, text, semantics, 'value', field).length > 0);
    return meaningless === undefined ? [] : [meaningless];
  }
  if (field && semantics.isReference(field)) return ['zzz_unknown_0000000'];
  return !schema.format && typeof value === 'string' ? [`${value}\u0000`, `${value}\ud800`] : [];
}

/**
 * `base` (a valid value of `schema`) once per field and fault of `leafFaults`, the rest left
 * valid: each field's fault meets the code behind that field alone.
 */
export function singleFieldFaults(schema: JsonSchema, base: unknown, semantics: Semantics, seed: number, field?: string, depth = 0): unknown[] {
  const node = resolved(schema, semantics);
  if (depth > 4) return [];
  const alternatives = node.anyOf ?? node.oneOf;
  if (alternatives) {
    const matching = alternatives.find((branch) => violationsOf(branch, base, semantics).length === 0) ?? alternatives[0];
    return matching ? singleFieldFaults(matching, base, semantics, seed, field, depth) : [];
  }
  if (node.properties && base !== null && typeof base === 'object' && !Array.isArray(base)) {
    const record = base as Record<string, unknown>;
    return Object.entries(node.properties).flatMap(([name, property]) => {
      const current = Object.hasOwn(record, name) ? record[name] : sampleOne(validValue(property, semantics, name, true), seed);
      return singleFieldFaults(property, current, semantics, seed, name, depth + 1).map((fault) =>
        objectOf([...Object.entries(record).filter(([key]) => key !== name), [name, fault]]),
      );
    });
  }
  const { items } = node;
  if (items && Array.isArray(base)) {
    const first = base.length > 0 ? base[0] : sampleOne(validValue(items, semantics, undefined, true), seed);
    return singleFieldFaults(items, first, semantics, seed, undefined, depth + 1).map((fault) => [fault, ...base.slice(1)]);
  }
  return leafFaults(node, base, semantics, field, seed);
}
