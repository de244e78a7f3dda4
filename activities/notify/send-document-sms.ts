/**
 * sendDocumentSms: the text that carries a document's portal link to its customer's mobile
 * (POST /v1/documents/:id/send with channel "sms"): the template's `sms` words in the customer's
 * language, the seller's name first. As its email twin, it records nothing in the audit trail:
 * the workflow's transition does.
 *
 * Idempotent by input.idempotencyKey: a retry makes the same link, and the SMS sender sends
 * once per key (services/notify/sms.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { SendDocumentSmsInput } from '../types';
import type { SmsSender } from '../../services/notify/sms';
import { renderSms } from '../../services/notify/templates';
import { prepareDocumentMessage, resolveSmsRecipient, type SendDocumentEmailDeps } from './send-document-email';

export interface SendDocumentSmsDeps extends Pick<SendDocumentEmailDeps, 'prisma' | 'config'> {
  sms?: SmsSender;
}

export async function sendDocumentSms(deps: SendDocumentSmsDeps, input: SendDocumentSmsInput): Promise<{ messageId: string; linkId: string }> {
  // A worker without SMS (production without TWILIO_ACCOUNT_SID) leaves the text to one with it.
  if (!deps.sms) throw ApplicationFailure.retryable('This worker sends no SMS: set TWILIO_ACCOUNT_SID', 'SmsNotConfigured');
  const { sms } = deps;
  const { recipient, link, url, template, values } = await prepareDocumentMessage(deps, input, (document, seller) => resolveSmsRecipient(deps.prisma, document, seller, input.to));
  const { id } = await sms.send({ to: recipient.phone, body: renderSms(template, { ...values, link: url }), idempotencyKey: input.idempotencyKey });
  return { messageId: id, linkId: link.id };
}
