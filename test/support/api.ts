/**
 * The back-office API as Greenlight's own tests call it: through the typed client of
 * clients/typescript, so a test that sends or reads what the OpenAPI document does not describe
 * fails to compile — the document, the client and the tests cannot drift apart. Headers of one
 * call (Idempotency-Key, ...) go in that call's `params.header` or `headers`.
 */
import { createGreenlightClient, type GreenlightClient } from '../../clients/typescript/src/index';

export type { components, GreenlightClient } from '../../clients/typescript/src/index';

/** A client for one tenant's API key against a stack's base URL. */
export function greenlightClient(baseUrl: string, apiKey: string): GreenlightClient {
  return createGreenlightClient({ baseUrl, apiKey });
}

/** What every call of the client answers: its data on success, its problem otherwise, and the response. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * The data of a successful answer, or an error naming the status and problem answered
 * instead: for the steps a test builds on rather than checks (a customer to quote for).
 * `status`: the one status the step must answer, when "any 2xx" is too loose.
 */
export async function succeeded<T>(call: Promise<Answer<T>>, status?: number): Promise<Exclude<T, undefined>> {
  const { data, error, response } = await call;
  const expected = status === undefined ? response.ok : response.status === status;
  if (!expected || data === undefined) {
    throw new Error(`${response.url} answered ${response.status}${status === undefined ? '' : ` (not ${status})`}: ${JSON.stringify(error ?? data)}`);
  }
  return data as Exclude<T, undefined>;
}

/** One page of any list of the API (API.md "Lists"). */
interface ListPage<T> {
  data: T[];
  nextCursor: string | null;
}

/** The largest page a list answers: a test reading a whole list asks for the fewest pages. */
const LARGEST_PAGE = 100;

/**
 * Every item of a list, page after page to the last: `page` reads the page of `limit` items at
 * `cursor` (none: the first).
 */
export async function everyItem<T>(page: (query: { limit: number; cursor?: string }) => Promise<Answer<ListPage<T>>>, limit = LARGEST_PAGE): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await succeeded(page({ limit, ...(cursor ? { cursor } : {}) }), 200);
    if (answer.data.length > limit) throw new Error(`a page of ${answer.data.length} items, asked for ${limit}`);
    items.push(...answer.data);
    cursor = answer.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** A small page: a handful of items takes several. */
const SMALL_PAGE = 2;

/**
 * A list read SMALL_PAGE items at a time to its end, checked as the list convention promises:
 * no page larger than asked, no item twice, no page more than needed. The items' keys, in
 * the order read.
 */
export async function walk<T, K>(read: (query: { limit: number; cursor?: string }) => Promise<Answer<ListPage<T>>>, keyOf: (item: T) => K): Promise<K[]> {
  let pages = 0;
  const items = await everyItem((query) => {
    pages += 1;
    return read(query);
  }, SMALL_PAGE);
  const keys = items.map(keyOf);
  expect(new Set(keys).size).toBe(keys.length);
  expect(pages).toBe(Math.max(1, Math.ceil(keys.length / SMALL_PAGE)));
  return keys;
}

/** A document's whole audit trail, in order. */
export function documentEvents(api: GreenlightClient, id: string) {
  return everyItem((query) => api.GET('/v1/documents/{id}/events', { params: { path: { id }, query } }));
}

/** A document's whole conversation, internal notes included, oldest first. */
export function documentMessages(api: GreenlightClient, id: string) {
  return everyItem((query) => api.GET('/v1/documents/{id}/messages', { params: { path: { id }, query } }));
}
