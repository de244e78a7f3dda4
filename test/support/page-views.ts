/**
 * What a customer's browser does that a plain fetch does not: the page's beacon reporting
 * that a person uses the page (api/portal/view-beacon.ts), for tests that drive the portal
 * over HTTP without a browser.
 */

/** A phone browser's user agent: not a known scanner. */
export const PHONE_BROWSER_AGENT =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

/** The view id a page's beacon reports with. */
export function viewIdOf(page: string): string {
  const match = /<script data-view="([^"]+)" data-url="[^"]+\/seen">/.exec(page);
  if (!match?.[1]) throw new Error('the page has no view beacon');
  return match[1];
}

/** Posts the beacon as the page's script does on the first tap, click or key. */
export async function reportSeen(linkUrl: string, viewId: string, userAgent = PHONE_BROWSER_AGENT): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${linkUrl}/seen`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ viewId }),
  });
  return { status: response.status, body: await response.json() };
}
