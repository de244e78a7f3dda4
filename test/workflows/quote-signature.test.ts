/**
 * The quote workflow's signature and versions on the real Temporal dev server, with
 * in-memory activities: a signature-required quote refuses a plain acceptance, takes a
 * signature once (evidence kept, signed then accepted recorded, the assignee told of the
 * signature), and a revision makes version 2 — emailed with its own key — after which the
 * version-1 signature is refused. The seller's cancel of the portal signing is one decision:
 * taken once per decision id, refused once cancelled or signed, and no signature after it.
 */
import { randomUUID } from 'node:crypto';
import type {
  ApplyRevisionInput,
  CancelPortalSigningInput,
  GreenlightActivities,
  NotifyAssigneeInput,
  SendConfirmationEmailInput,
  RecordSignatureInput,
  RecordTransitionInput,
  SendDocumentEmailInput,
} from '../../activities/types';
import { AppError } from '../../domain/errors';
import { cancelQuoteSigning, decideQuote, reviseQuote, signQuote, startQuoteWorkflow } from '../../api/operations/quote-workflow';
import type { Actor } from '../../domain/documents';
import type { Decider } from '../../domain/deciders';
import type { SignatureEvidence } from '../../domain/signature';
import { quoteWorkflowId, type QuoteWorkflowInput } from '../../workflows/messages/quote';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/worker';
import { saveReplayHistory } from '../replay/record';

const DAY = 24 * 3600_000;
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Zoë Ångström' };

const records: RecordTransitionInput[] = [];
const emails: SendDocumentEmailInput[] = [];
const notifications: NotifyAssigneeInput[] = [];
const confirmations: SendConfirmationEmailInput[] = [];
const signatures: RecordSignatureInput[] = [];
const revisions: ApplyRevisionInput[] = [];
const signingCancels: CancelPortalSigningInput[] = [];
const once = <T>(list: T[], item: T, same: (a: T) => boolean) => void (list.some(same) || list.push(item));

const activities: GreenlightActivities = {
  recordTransition: async (input) => once(records, input, (r) => r.workflowId === input.workflowId && r.seq === input.seq),
  sendDocumentEmail: async (input) => {
    once(emails, input, (e) => e.idempotencyKey === input.idempotencyKey);
    return { messageId: input.idempotencyKey, linkId: 'link-1' };
  },
  sendConfirmationEmail: async (input) => {
    once(confirmations, input, (c) => c.idempotencyKey === input.idempotencyKey);
    return { messageId: input.idempotencyKey, linkId: 'link-1' };
  },
  sendDocumentSms: async () => {
    throw new Error('sent by email in these tests');
  },
  notifyAssignee: async (input) => {
    once(notifications, input, (n) => n.idempotencyKey === input.idempotencyKey);
    return { sent: 1 };
  },
  notifyForwarder: async () => {
    throw new Error('only proofs are forwarded to a colleague');
  },
  sendRevisionToColleagues: async () => {
    throw new Error('only proofs have revisions for colleagues');
  },
  // Keyed like the table: one per quote, or per signer when several decide.
  recordSignature: async (input) => once(signatures, input, (s) => s.documentId === input.documentId && s.deciderId === input.deciderId),
  applyRevision: async (input) => once(revisions, input, (r) => r.documentId === input.documentId && r.version === input.version),
  cancelPortalSigning: async (input) => once(signingCancels, input, (c) => c.workflowId === input.workflowId && c.seq === input.seq),
  convertDocument: async () => {
    throw new Error('no conversion in this file');
  },
  attemptWebhookDelivery: async () => {
    throw new Error('the quote workflow delivers no webhook');
  },
};

let worker: TestWorker;
beforeAll(async () => {
  worker = await startTestWorker({ activities });
});
afterAll(async () => {
  await worker?.close();
});

async function sendQuote(overrides: Partial<QuoteWorkflowInput> = {}): Promise<string> {
  const input: QuoteWorkflowInput = {
    tenantId: 'tenant-1',
    documentId: `doc-${randomUUID()}`,
    customerId: 'customer-1',
    number: 'Q-2026-0077',
    validUntil: Date.now() + 30 * DAY,
    reminderAfterMs: DAY,
    maxReminders: 1,
    send: { channel: 'email', attachPdf: false },
    sentBy: seller,
    requireSignature: true,
    ...overrides,
  };
  await startQuoteWorkflow(worker.client, worker.taskQueue, input);
  await eventually(async () => (records.some((r) => r.documentId === input.documentId && r.event.type === 'sent') ? true : undefined), { what: 'the quote sent' });
  return input.documentId;
}

const evidence: SignatureEvidence = {
  signerName: 'Zoë Ångström',
  consent: true,
  consentText: 'I have read quote Q-2026-0077 …',
  locale: 'en',
  linkId: 'link-1',
  pdfSha256: 'b'.repeat(64),
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
  return error;
}

it('refuses a plain acceptance, then takes one signature: evidence, signed, accepted, the assignee told', async () => {
  const documentId = await sendQuote();
  const refused = await rejection(decideQuote(worker.client, documentId, 'accept', randomUUID(), { actor: customer, version: 1 }));
  expect(refused.detail).toBe('This quote must be signed');

  const decisionId = randomUUID();
  const view = await signQuote(worker.client, documentId, decisionId, { actor: customer, version: 1, options: ['lin-1'], signature: evidence });
  expect(view.status).toBe('accepted');
  // The same decision id again is answered, not signed twice.
  expect((await signQuote(worker.client, documentId, decisionId, { actor: customer, version: 1, signature: evidence })).status).toBe('accepted');
  // Recorded behind the answer: the run ends once everything is written.
  await worker.client.workflow.getHandle(quoteWorkflowId(documentId)).result();

  expect(signatures.filter((s) => s.documentId === documentId)).toMatchObject([{ version: 1, evidence, options: ['lin-1'] }]);
  const trail = records.filter((r) => r.documentId === documentId).sort((a, b) => a.seq - b.seq);
  expect(trail.map((r) => r.event.type)).toEqual(['sent', 'signed', 'accepted']);
  expect(trail[2]?.event.data).toMatchObject({ options: ['lin-1'] });
  await eventually(async () => (notifications.some((n) => n.documentId === documentId && n.event === 'signed') ? true : undefined), {
    what: 'the assignee to be told of the signature',
  });
  await worker.client.workflow.getHandle(quoteWorkflowId(documentId)).result();
});

it('revises to version 2 with a new email, and refuses signing version 1', async () => {
  const documentId = await sendQuote();
  const revised = await reviseQuote(worker.client, documentId, randomUUID(), { actor: seller, changes: { title: 'Second take' } });
  expect(revised).toMatchObject({ status: 'sent', version: 2 });
  expect(revisions.filter((r) => r.documentId === documentId)).toEqual([{ tenantId: 'tenant-1', documentId, version: 2, changes: { title: 'Second take' } }]);
  expect(emails.filter((e) => e.documentId === documentId).map((e) => e.idempotencyKey)).toEqual([
    `${quoteWorkflowId(documentId)}#first_send`,
    `${quoteWorkflowId(documentId)}#version#2`,
  ]);

  const outdated = await rejection(signQuote(worker.client, documentId, randomUUID(), { actor: customer, version: 1, signature: evidence }));
  expect(outdated.detail).toBe('This link is for version 1 of the quote; version 2 replaces it');
  const noConsent = await rejection(signQuote(worker.client, documentId, randomUUID(), { actor: customer, version: 2, signature: { ...evidence, consent: false } }));
  expect(noConsent.detail).toBe('Consent is required to sign');
  expect((await signQuote(worker.client, documentId, randomUUID(), { actor: customer, version: 2, signature: evidence })).status).toBe('accepted');
});

it('cancels the portal signing once per decision, then refuses a second cancel and any signature; the quote stays open', async () => {
  const documentId = await sendQuote();
  const decisionId = randomUUID();
  const cancel = { actor: seller, reason: 'approved by phone' };
  expect((await cancelQuoteSigning(worker.client, documentId, decisionId, cancel)).status).toBe('sent');
  // The same decision id again is answered, not cancelled twice.
  expect((await cancelQuoteSigning(worker.client, documentId, decisionId, cancel)).status).toBe('sent');
  expect(signingCancels.filter((c) => c.documentId === documentId)).toEqual([
    { tenantId: 'tenant-1', documentId, workflowId: quoteWorkflowId(documentId), seq: expect.any(Number), at: expect.any(Number), actor: seller, reason: 'approved by phone' },
  ]);

  expect((await rejection(cancelQuoteSigning(worker.client, documentId, randomUUID(), { actor: seller }))).detail).toBe('The digital signing is already cancelled');
  expect((await rejection(signQuote(worker.client, documentId, randomUUID(), { actor: customer, version: 1, signature: evidence }))).detail).toBe(
    'The seller cancelled the signing of this quote',
  );
  // Its write number is the workflow's own: the transitions after it do not reuse it.
  expect((await decideQuote(worker.client, documentId, 'cancel', randomUUID(), { actor: seller })).status).toBe('cancelled');
  const seqs = [...records.filter((r) => r.documentId === documentId).map((r) => r.seq), ...signingCancels.filter((c) => c.documentId === documentId).map((c) => c.seq)];
  expect(new Set(seqs).size).toBe(seqs.length);
  const handle = worker.client.workflow.getHandle(quoteWorkflowId(documentId));
  await handle.result();
  // A quote whose portal signing was cancelled, then the quote itself: the history CI replays (test/replay/record.ts).
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-signing-cancelled');
});

it('refuses to cancel the portal signing of a signed quote, also once its workflow is over', async () => {
  const documentId = await sendQuote();
  expect((await signQuote(worker.client, documentId, randomUUID(), { actor: customer, version: 1, signature: evidence })).status).toBe('accepted');
  await worker.client.workflow.getHandle(quoteWorkflowId(documentId)).result();
  const refused = await rejection(cancelQuoteSigning(worker.client, documentId, randomUUID(), { actor: seller }));
  expect(refused).toMatchObject({ code: 'decision_rejected', detail: 'The digital signing is already signed' });
  expect(signingCancels.filter((c) => c.documentId === documentId)).toEqual([]);
});

it("takes each signer's signature with their own evidence, in the last step, and accepts once the last signed", async () => {
  const signer = (id: string, step: number, role: 'approver' | 'signer'): Decider => ({ id, step, role, email: `${id}@client.example`, name: `Signer ${id}` });
  const as = (id: string): Actor => ({ kind: 'customer', linkId: `link-${id}`, name: `Signer ${id}`, deciderId: id });
  const documentId = await sendQuote({ deciders: { deciders: [signer('d1', 1, 'approver'), signer('d2', 2, 'signer'), signer('d3', 2, 'signer')], rules: ['all', 'all'] } });
  const signedBy = (id: string) => signQuote(worker.client, documentId, randomUUID(), { actor: as(id), version: 1, signature: { ...evidence, signerName: `Signer ${id}`, linkId: `link-${id}` } });

  expect((await rejection(signedBy('d1'))).detail).toBe('The signers sign; approvers accept');
  expect((await decideQuote(worker.client, documentId, 'accept', randomUUID(), { actor: as('d1'), version: 1 })).status).toBe('sent');
  expect((await rejection(decideQuote(worker.client, documentId, 'accept', randomUUID(), { actor: as('d2'), version: 1 }))).detail).toBe('A signer signs the quote');
  expect((await signedBy('d3')).status).toBe('sent');
  expect((await signedBy('d2')).status).toBe('accepted');
  await worker.client.workflow.getHandle(quoteWorkflowId(documentId)).result();

  expect(signatures.filter((s) => s.documentId === documentId).map((s) => [s.deciderId, s.evidence.signerName, s.evidence.linkId])).toEqual([
    ['d3', 'Signer d3', 'link-d3'],
    ['d2', 'Signer d2', 'link-d2'],
  ]);
  const trail = records.filter((r) => r.documentId === documentId).sort((a, b) => a.seq - b.seq);
  expect(trail.map((r) => [r.event.type, r.event.data?.deciderId])).toEqual([
    ['sent', undefined],
    ['decider_approved', 'd1'],
    ['step_completed', undefined],
    ['decider_approved', 'd3'],
    ['decider_approved', 'd2'],
    ['signed', undefined],
    ['accepted', undefined],
  ]);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(worker.client.workflow.getHandle(quoteWorkflowId(documentId)), 'quote-deciders-signed');
});
