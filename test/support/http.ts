/**
 * The portal's JSON posts, as a customer's app would send them. The back-office API has its typed
 * client (test/support/api.ts); the portal is not part of its OpenAPI document.
 */

export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
}

/** A customer's JSON post to the portal (no CSRF field needed for JSON, API.md "Customer side"). */
export async function postPortalDecision<T = { status: string; decisionId: string }>(
  linkUrl: string,
  decision: 'accept' | 'refuse' | 'hold',
  body: Record<string, unknown> = {},
): Promise<JsonAnswer<T>> {
  const response = await fetch(`${linkUrl}/${decision}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await readBody(response)) as T };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  return type.includes('json') && text ? JSON.parse(text) : text;
}
