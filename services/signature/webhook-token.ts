/**
 * GetAccept signs no webhook, so the URL we register with it carries a secret of the tenant:
 * HMAC-SHA256(APP_SECRET, "getaccept-webhook:<tenantId>"), base64url. Nothing is stored;
 * rotating APP_SECRET changes every tenant's URL (they register it again).
 */
import { createHmac } from 'node:crypto';

export function getAcceptWebhookToken(appSecret: string, tenantId: string): string {
  return createHmac('sha256', appSecret).update(`getaccept-webhook:${tenantId}`).digest('base64url');
}

export function getAcceptWebhookUrl(config: { publicUrl: string; appSecret: string }, tenantId: string): string {
  return `${config.publicUrl}/webhooks/getaccept/${encodeURIComponent(tenantId)}?token=${getAcceptWebhookToken(config.appSecret, tenantId)}`;
}

/** The GetAccept events worth a look now (each is a POST /subscriptions of its own). */
export const GETACCEPT_WEBHOOK_EVENTS = ['document.viewed', 'document.reviewed', 'document.signed', 'document.rejected', 'document.expired', 'document.hardbounced'] as const;
