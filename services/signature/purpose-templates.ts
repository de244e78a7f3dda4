/**
 * The provider's email (or SMS) to the signer, from the purpose's template (purpose-texts.ts)
 * or the tenant's override of it (settings `templates.digital_<purpose>`), through the same
 * renderer as our own emails (services/notify/templates.ts).
 */
import type { Locale } from '../../domain/documents';
import type { SignaturePurpose } from '../../domain/digital-status';
import { pickTemplate, renderEmail, renderSms } from '../notify/templates';
import { digitalTemplateName } from './purpose-texts';

/** The subject and plain-text body the provider sends; for SMS the body is the short text. */
export function purposeMessage(
  purpose: SignaturePurpose,
  locale: Locale,
  channel: 'email' | 'sms',
  values: { number: string; seller: string; customer: string; total: string; message?: string },
  /** The tenant's TenantSettings.templates. */
  overrides: unknown,
): { subject: string; body: string } {
  const template = pickTemplate(digitalTemplateName(purpose), locale, overrides);
  const filled = { ...values, message: values.message ?? '' };
  const email = renderEmail(template, { locale, values: filled });
  return { subject: email.subject, body: channel === 'sms' ? renderSms(template, filled) : email.text.trim() };
}
