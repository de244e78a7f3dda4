/**
 * Every list of the API pages one way (API.md "Lists"): `?limit=&cursor=` answers
 * `{data, nextCursor}`. Pages are read by keyset on (an ordering column, id): a page starts
 * strictly after the last row of the one before, so a walk to the end meets every row that
 * existed when it began once, whatever is created meanwhile — which offsets cannot promise.
 * The cursor is that last row's (column, id), opaque to clients (base64url JSON).
 */
import { AppError } from '../../domain/errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What a caller asks of a list: validated by listQuerySchema (api/schemas.ts). */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** A page of a list, and the cursor of the next one (null on the last). */
export interface Page<Row> {
  data: Row[];
  nextCursor: string | null;
}

type Direction = 'asc' | 'desc';
type KeyValue = Date | number;
type Beyond<Value> = { lt: Value } | { gt: Value };

/** The order a list is read in: one column, ties broken by id, both one way. */
export interface PageOrder<Key extends string, Value extends KeyValue> {
  key: Key;
  direction: Direction;
  /** The column's value from a decoded cursor, or null when the cursor holds none of its kind. */
  parse(value: unknown): Value | null;
}

function dateOf(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

function integerOf(value: unknown): number | null {
  return Number.isSafeInteger(value) ? (value as number) : null;
}

/** Most lists: the newest first. */
export const NEWEST_FIRST: PageOrder<'createdAt', Date> = { key: 'createdAt', direction: 'desc', parse: dateOf };
/** Conversations: read as they were written. */
export const OLDEST_FIRST: PageOrder<'createdAt', Date> = { key: 'createdAt', direction: 'asc', parse: dateOf };
/** An audit trail: in the order its workflow recorded it (seq), which times alone do not give. */
export const SEQUENCE_ORDER: PageOrder<'seq', number> = { key: 'seq', direction: 'asc', parse: integerOf };

/** What a findMany adds to its own filter to read one page: `after` goes into its where. */
export interface PageQuery<Key extends string, Value extends KeyValue> {
  after: { OR?: [{ [K in Key]: Beyond<Value> }, { [K in Key]: Value } & { id: Beyond<string> }] };
  orderBy: [{ [K in Key]: Direction }, { id: Direction }];
  take: number;
}

function encodeCursor(value: KeyValue, id: string): string {
  return Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, id])).toString('base64url');
}

function decodeCursor<Value extends KeyValue>(cursor: string, order: PageOrder<string, Value>): { value: Value; id: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  const [value, id] = Array.isArray(decoded) && decoded.length === 2 ? [order.parse(decoded[0]), decoded[1] as unknown] : [null, null];
  if (value === null || typeof id !== 'string') {
    throw new AppError('validation_failed', 'The cursor is not one this API gave.', [{ path: 'query.cursor', message: 'use the nextCursor of the previous page' }]);
  }
  return { value, id };
}

function pageQuery<Key extends string, Value extends KeyValue>(order: PageOrder<Key, Value>, cursor: string | undefined, take: number): PageQuery<Key, Value> {
  const beyond = <V>(value: V): Beyond<V> => (order.direction === 'desc' ? { lt: value } : { gt: value });
  const byKey = <V>(value: V) => ({ [order.key]: value }) as { [K in Key]: V };
  const orderBy: PageQuery<Key, Value>['orderBy'] = [byKey(order.direction), { id: order.direction }];
  if (!cursor) return { after: {}, orderBy, take };
  const last = decodeCursor(cursor, order);
  return { after: { OR: [byKey(beyond(last.value)), { ...byKey(last.value), id: beyond(last.id) }] }, orderBy, take };
}

/**
 * One page of rows in `order`. `find` reads one row more than the page holds, which only
 * tells whether a next page exists.
 */
export async function readPage<Key extends string, Value extends KeyValue, Row extends { id: string } & { [K in Key]: Value }>(
  page: PageRequest,
  order: PageOrder<Key, Value>,
  find: (query: PageQuery<Key, Value>) => Promise<Row[]>,
): Promise<Page<Row>> {
  const limit = page.limit ?? DEFAULT_PAGE_SIZE;
  const rows = await find(pageQuery(order, page.cursor, limit + 1));
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last[order.key], last.id) : null };
}

/** The page with each row presented for the answer. */
export function mapPage<Row, Presented>(page: Page<Row>, present: (row: Row) => Presented): Page<Presented> {
  return { data: page.data.map(present), nextCursor: page.nextCursor };
}
