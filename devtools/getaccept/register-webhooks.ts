/**
 * Development: subscribes a tenant's webhook URL (GET /v1/signatures/webhook) to the local
 * GetAccept stand-in, as its administrator would in GetAccept's settings, so the signing
 * page's clicks reach Greenlight at once. Subscriptions already there are kept.
 */
export async function registerStandInWebhooks(options: { greenlightUrl: string; apiKey: string; standInApiUrl: string; standInKey: string }): Promise<number> {
  const registration = await fetch(`${options.greenlightUrl}/v1/signatures/webhook`, { headers: { authorization: `Bearer ${options.apiKey}` } });
  if (!registration.ok) throw new Error(`GET /v1/signatures/webhook answered ${registration.status}`);
  const { url, events } = (await registration.json()) as { url: string; events: string[] };
  for (const event of events) {
    const response = await fetch(`${options.standInApiUrl}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.standInKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event, target_url: url, global: true }),
    });
    if (!response.ok) throw new Error(`POST /subscriptions answered ${response.status}`);
  }
  return events.length;
}
