/**
 * Anti-CSRF field of the portal's forms.
 *
 * Scheme: field = base64url(HMAC-SHA256(appSecret, "portal-form:v1:<linkId>:<decisionId>")).
 * The page renders each form with a fresh decision id and this field. On POST the field is
 * recomputed from the link the URL's token resolves to and the posted decision id, and
 * compared in constant time. So a form is accepted only if this server rendered it, for
 * this link, with this decision id: another site cannot forge one (it lacks the secret),
 * a form of one link cannot be replayed against another, and the decision id — the
 * workflow's update id — cannot be chosen by anyone but us. No server-side session is
 * needed, which keeps the API stateless. JSON posts skip the field: browsers cannot send
 * `Content-Type: application/json` cross-site without a CORS preflight, which we never
 * grant.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

function formMac(secret: string, linkId: string, decisionId: string): Buffer {
  return createHmac('sha256', secret).update(`portal-form:v1:${linkId}:${decisionId}`).digest();
}

export function signForm(secret: string, linkId: string, decisionId: string): string {
  return formMac(secret, linkId, decisionId).toString('base64url');
}

export function isFormSignatureValid(secret: string, linkId: string, decisionId: string, field: string): boolean {
  const expected = formMac(secret, linkId, decisionId);
  const given = Buffer.from(field, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
