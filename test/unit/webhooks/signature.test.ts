/** What signWebhook sends, checked by the standard's own verifier, and which secrets sign when. */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret, signingSecrets, signWebhook, type SignedHeaders } from '../../../services/webhooks/signature';

const body = JSON.stringify({ type: 'document.sent', timestamp: '2026-12-04T21:00:00.000Z', data: {} });

function verifiesUnder(secret: string, headers: SignedHeaders, payload = body): boolean {
  try {
    new Webhook(secret).verify(payload, { ...headers });
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}

test('one secret: Webhook.verify accepts the message under it, and refuses another secret or another body', () => {
  const secret = newWebhookSecret();
  const headers = signWebhook([secret], 'whm_1', new Date(), body);
  expect(headers['webhook-id']).toBe('whm_1');
  expect(verifiesUnder(secret, headers)).toBe(true);
  expect(verifiesUnder(newWebhookSecret(), headers)).toBe(false);
  expect(verifiesUnder(secret, headers, body.replace('sent', 'paid'))).toBe(false);
});

test('two secrets: two space-separated signatures, each verifying under its own secret', () => {
  const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
  const headers = signWebhook([current, previous], 'whm_2', new Date(), body);
  expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
  expect(verifiesUnder(current, headers)).toBe(true);
  expect(verifiesUnder(previous, headers)).toBe(true);
});

test('the previous secret signs until its expiry, not at it', () => {
  const expiry = new Date('2026-12-05T12:00:00Z');
  const endpoint = { secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretExpiresAt: expiry };
  expect(signingSecrets(endpoint, new Date(expiry.getTime() - 1))).toEqual(['whsec_new', 'whsec_old']);
  expect(signingSecrets(endpoint, expiry)).toEqual(['whsec_new']);
  expect(signingSecrets({ secret: 'whsec_new', previousSecret: null, previousSecretExpiresAt: null }, expiry)).toEqual(['whsec_new']);
});
