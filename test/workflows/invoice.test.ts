/**
 * The invoice workflow's "Pay online" on the real Temporal dev server, with in-memory
 * activities, asked as the API asks it (api/operations/quote-workflow.ts): the page its
 * activity opens for the amount the machine counts as due, the same decision answered the same,
 * and a payment provider that does not answer said so (503), not waited out.
 */
import { randomUUID } from 'node:crypto';
import type { GreenlightActivities, OpenHostedPaymentInput, PaymentActivities } from '../../activities/types';
import { openInvoicePaymentPage, startInvoiceWorkflow } from '../../api/operations/quote-workflow';
import { AppError } from '../../domain/errors';
import type { Actor } from '../../domain/documents';
import type { InvoiceWorkflowInput, OpenPaymentInput } from '../../workflows/messages/invoice';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/worker';

const seller: Actor = { kind: 'seller', userId: 'user-1' };
const ask: OpenPaymentInput = { actor: { kind: 'customer', linkId: 'link-1' }, payOnline: true, linkUrl: 'https://app.test/d/token' };

const sent = new Set<string>();
const asked: OpenHostedPaymentInput[] = [];
/** Documents whose payment provider does not answer. */
const providerDown = new Set<string>();

/** An activity the invoice workflow never asks for: asked, it fails the test loudly. */
const noneForInvoices = (name: string) => async (): Promise<never> => {
  throw new Error(`the invoice workflow asks no ${name}`);
};

const activities: GreenlightActivities & Pick<PaymentActivities, 'openHostedPayment'> = {
  recordTransition: async (input) => {
    if (input.event.type === 'sent') sent.add(input.documentId);
  },
  sendDocumentEmail: async (input) => ({ messageId: `message-${input.idempotencyKey}`, linkId: 'link-1' }),
  sendDocumentSms: async () => {
    throw new Error('these invoices are sent by email');
  },
  sendConfirmationEmail: async (input) => ({ messageId: `message-${input.idempotencyKey}`, linkId: 'link-1' }),
  notifyAssignee: async () => ({ sent: 0 }),
  openHostedPayment: async (input) => {
    asked.push(input);
    if (providerDown.has(input.documentId)) throw new Error('connect ECONNREFUSED (the payment provider)');
    return { page: { url: `https://pay.test/c/pay/cs_${input.documentId}`, sessionId: `cs_${input.documentId}` } };
  },
  notifyForwarder: noneForInvoices('notifyForwarder'),
  sendRevisionToColleagues: noneForInvoices('sendRevisionToColleagues'),
  recordSignature: noneForInvoices('recordSignature'),
  applyRevision: noneForInvoices('applyRevision'),
  convertDocument: noneForInvoices('convertDocument'),
  attemptWebhookDelivery: noneForInvoices('attemptWebhookDelivery'),
  cancelPortalSigning: noneForInvoices('cancelPortalSigning'),
};

let worker: TestWorker;

beforeAll(async () => {
  worker = await startTestWorker({ activities });
});

afterAll(async () => {
  await worker?.close();
});

async function sendInvoice(): Promise<string> {
  const documentId = `doc-${randomUUID()}`;
  const input: InvoiceWorkflowInput = {
    tenantId: 'tenant-1',
    documentId,
    customerId: 'customer-1',
    number: 'F-2026-0007',
    grossTotal: 12000,
    currency: 'EUR',
    reminderAfterMs: 0,
    maxReminders: 0,
    send: { channel: 'email', attachPdf: false },
    sentBy: seller,
  };
  await startInvoiceWorkflow(worker.client, worker.taskQueue, input);
  await eventually(async () => (sent.has(documentId) ? true : undefined), { what: 'the invoice to be sent' });
  return documentId;
}

it('answers the page its activity opened for the amount due, the same decision the same page', async () => {
  const documentId = await sendInvoice();
  const page = await openInvoicePaymentPage(worker.client, documentId, 'click-1', ask);
  expect(page).toEqual({ url: `https://pay.test/c/pay/cs_${documentId}`, sessionId: `cs_${documentId}` });
  expect(asked.filter((input) => input.documentId === documentId)).toEqual([{ tenantId: 'tenant-1', documentId, amountDue: 12000, linkUrl: ask.linkUrl }]);
  expect(await openInvoicePaymentPage(worker.client, documentId, 'click-1', ask)).toEqual(page);
  expect(asked.filter((input) => input.documentId === documentId)).toHaveLength(1);
});

it('says a payment provider that does not answer is unavailable (503), after a few attempts', async () => {
  const documentId = await sendInvoice();
  providerDown.add(documentId);
  const error = await openInvoicePaymentPage(worker.client, documentId, 'click-1', ask).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('unavailable');
  expect(asked.filter((input) => input.documentId === documentId)).toHaveLength(3);
  // The provider back: the next click gets its page.
  providerDown.delete(documentId);
  expect((await openInvoicePaymentPage(worker.client, documentId, 'click-2', ask)).sessionId).toBe(`cs_${documentId}`);
});
