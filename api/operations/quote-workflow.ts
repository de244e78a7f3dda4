/**
 * The only code in api/ that talks to the document workflows (a quote's, an order's or a
 * delivery note's): start them, pass decisions and facts, read their state, and say why a
 * closed one takes no decision (platform/temporal.ts maps Temporal's failures to the error
 * table). The document's kind names
 * its workflow (`<kind>-<documentId>`) and the decisions it takes.
 */
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { QueryDefinition, UpdateDefinition } from '@temporalio/common';
import { FINAL_ACCEPTANCE_STATUSES, type AcceptanceKind, type AcceptanceStatus } from '../../domain/acceptance';
import { kindName } from '../../domain/chain';
import { FINAL_PROOF_STATUSES, FINAL_QUOTE_STATUSES, type DocumentKind, type ProofStatus, type QuoteStatus } from '../../domain/documents';
import { acceptanceStateQuery, acceptanceUpdates, type AcceptanceView, type AcceptanceWorkflowInput } from '../../workflows/messages/acceptance';
import { documentWorkflowId, downloadedSignal, viewedSignal, type DecisionInput, type RecordAnswerInput, type ViewedSignal } from '../../workflows/messages/document';
import {
  invoiceStateQuery,
  invoiceUpdates,
  type InvoiceView,
  type InvoiceWorkflowInput,
  type OpenPaymentInput,
  type ReceivePaymentInput,
} from '../../workflows/messages/invoice';
import {
  proofStateQuery,
  proofUpdates,
  type ApproveProofInput,
  type ForwardProofInput,
  type ProofView,
  type ProofWorkflowInput,
  type RequestChangesInput,
} from '../../workflows/messages/proof';
import {
  quoteStateQuery,
  quoteUpdates,
  quoteWorkflowId,
  type QuoteView,
  type QuoteWorkflowInput,
  type PayDepositInput,
  type QuoteCommentInput,
  type ReviseInput,
  type SignInput,
} from '../../workflows/messages/quote';
import { closedAcceptanceReason, whyAcceptanceNeverTakes } from '../../workflows/machines/acceptance';
import { closedInvoiceReason, whyInvoiceNeverTakes } from '../../workflows/machines/invoice';
import { FINAL_INVOICE_STATUSES, type InvoiceStatus, type PaymentPage } from '../../domain/invoice';
import { APPROVAL_WITHDRAWAL_CLOSED, closedProofReason, whyProofNeverTakes } from '../../workflows/machines/proof';
import { closedQuoteReason, closedSigningReason, whyQuoteNeverTakes, WITHDRAWAL_CLOSED } from '../../workflows/machines/quote';
import { whyRequestNeverTakes } from '../../workflows/machines/request';
import { documentSearchAttributes, GreenlightStatus } from '../../workflows/search-attributes';
import { AppError } from '../../domain/errors';
import { detailLines, documentSummary, plainDuration, plainTime } from '../../domain/summaries';
import { askWorkflow, temporalAppError } from '../../platform/temporal';

const decisionUpdates = {
  accept: quoteUpdates.accept,
  refuse: quoteUpdates.refuse,
  hold: quoteUpdates.hold,
  remind: quoteUpdates.remind,
  cancel: quoteUpdates.cancel,
  withdraw: quoteUpdates.withdraw,
} as const;

export type QuoteDecision = keyof typeof decisionUpdates;
export type AcceptanceDecision = Exclude<keyof typeof acceptanceUpdates, 'recordAnswer'>;
export type QuoteFact = 'viewed' | 'downloaded';

/** What a decision on any document answers (an order's view has no reminders schedule nor validity). */
export type DocumentView = QuoteView | AcceptanceView | ProofView | InvoiceView;

/**
 * Starts the quote's workflow (the quote is sent by it). One workflow per quote, ever: its
 * activities are idempotent by workflow id and sequence, so a second run under the same id
 * would be taken for a retry of the first. Search attributes and memo are set from the start
 * so operators find the quote in the Temporal UI at once.
 */
export function startQuoteWorkflow(client: Client, taskQueue: string, input: QuoteWorkflowInput): Promise<void> {
  return startDocumentWorkflow(client, taskQueue, 'quote', input);
}

/**
 * Starts a refused or expired quote's workflow again, for its reopening: the earlier run is
 * over, so the id is reused (its writes numbered after that run's, `writtenBefore`); a run
 * under way (a reopen a moment ago) answers 409.
 */
export async function reopenQuote(client: Client, taskQueue: string, input: QuoteWorkflowInput): Promise<void> {
  try {
    await client.workflow.start(WORKFLOW_TYPES.quote, { ...documentWorkflowStart(taskQueue, 'quote', input), workflowIdReusePolicy: 'ALLOW_DUPLICATE', workflowIdConflictPolicy: 'FAIL' });
  } catch (error) {
    throw temporalAppError(error, { already_started: 'The quote is already being reopened' }) ?? error;
  }
}

/** Starts an order's or a delivery note's workflow (it sends the document), on the same terms. */
export function startAcceptanceWorkflow(client: Client, taskQueue: string, input: AcceptanceWorkflowInput): Promise<void> {
  return startDocumentWorkflow(client, taskQueue, input.kind, input);
}

/** Starts a proof's workflow: it sends the ready revision it is given, or the first one reported ready. */
export function startProofWorkflow(client: Client, taskQueue: string, input: ProofWorkflowInput): Promise<void> {
  return startDocumentWorkflow(client, taskQueue, 'proof', input);
}

/** Starts an invoice's workflow: it sends the invoice, reminds while unpaid, and counts its payments. */
export function startInvoiceWorkflow(client: Client, taskQueue: string, input: InvoiceWorkflowInput): Promise<void> {
  return startDocumentWorkflow(client, taskQueue, 'invoice', input);
}

type DocumentWorkflowInput = QuoteWorkflowInput | AcceptanceWorkflowInput | ProofWorkflowInput | InvoiceWorkflowInput;

/** The workflow that runs each kind's story. */
const WORKFLOW_TYPES: Record<WorkflowKind, string> = {
  quote: 'quoteWorkflow',
  order: 'acceptanceWorkflow',
  delivery_note: 'acceptanceWorkflow',
  proof: 'proofWorkflow',
  invoice: 'invoiceWorkflow',
};

/** How a document's workflow is started, whatever starts it: its stable id, once ever, found at once in the Temporal UI. */
function documentWorkflowStart(taskQueue: string, kind: WorkflowKind, input: DocumentWorkflowInput) {
  return {
    taskQueue,
    workflowId: documentWorkflowId(kind, input.documentId),
    args: [input] as [DocumentWorkflowInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
    typedSearchAttributes: documentSearchAttributes({ tenantId: input.tenantId, kind, customerId: input.customerId, status: 'draft' }),
    memo: { number: input.number, title: input.title ?? null },
    // What operators read in the Temporal UI without opening the input; its current details are the workflow's own.
    staticSummary: documentSummary(kind, input),
    staticDetails: documentDetails(input),
  };
}

/** The terms the document was sent on, for operators: they hold for the workflow's whole life. */
function documentDetails(input: DocumentWorkflowInput): string {
  const terms = input as Partial<QuoteWorkflowInput & InvoiceWorkflowInput>;
  const reminders = terms.maxReminders && terms.reminderAfterMs ? `up to ${terms.maxReminders}, ${plainDuration(terms.reminderAfterMs)} after the last email` : undefined;
  return detailLines([
    ['Title', input.title],
    ['Document', input.documentId],
    ['Customer', input.customerName ? `${input.customerName} (${input.customerId})` : input.customerId],
    ['Valid until', terms.validUntil === undefined ? undefined : plainTime(terms.validUntil)],
    ['Due', terms.dueDate === undefined ? undefined : plainTime(terms.dueDate)],
    ['Automatic reminders', reminders],
    ['Signature', terms.signature ? `${terms.signature.provider} (${terms.signature.channel})` : terms.requireSignature ? 'on the portal' : undefined],
    ['Started for', input.draft ? "the draft's cancel" : terms.reopen ? `its reopening as version ${terms.reopen.version + 1}` : undefined],
  ]);
}

async function startDocumentWorkflow(client: Client, taskQueue: string, kind: WorkflowKind, input: DocumentWorkflowInput): Promise<void> {
  try {
    await client.workflow.start(WORKFLOW_TYPES[kind], documentWorkflowStart(taskQueue, kind, input));
  } catch (error) {
    throw temporalAppError(error, { already_started: `The ${kindName(kind)} has already been sent` }) ?? error;
  }
}

/** A draft, as its workflow needs it when it starts for the draft's cancel. */
export interface CancelledDraft {
  id: string;
  kind: WorkflowKind;
  tenantId: string;
  customerId: string;
  number: string;
  title: string | null;
  grossTotal: number;
  currency: string;
  customer: { name: string };
}

/** The input a kind's workflow starts with for a draft: sends nothing, reminds nobody. */
function draftInput(draft: CancelledDraft, decision: DecisionInput): DocumentWorkflowInput {
  const story = {
    tenantId: draft.tenantId,
    documentId: draft.id,
    customerId: draft.customerId,
    number: draft.number,
    ...(draft.title ? { title: draft.title } : {}),
    customerName: draft.customer.name,
    ...(draft.kind === 'proof' ? {} : { grossTotal: draft.grossTotal, currency: draft.currency }),
    send: { channel: 'email' as const, attachPdf: false },
    sentBy: decision.actor,
    draft: true as const,
  };
  switch (draft.kind) {
    case 'quote':
      return { ...story, reminderAfterMs: 0, maxReminders: 0 };
    case 'invoice':
      return { ...story, grossTotal: draft.grossTotal, currency: draft.currency, reminderAfterMs: 0, maxReminders: 0 };
    case 'proof':
      return story;
    default:
      return { ...story, kind: draft.kind };
  }
}

/**
 * Cancels a draft through its own workflow, started for that decision (update-with-start): the
 * machine goes draft → cancelled, the workflow records it and ends, so the trail is written by
 * the one writer of document state. A workflow already there (a send under way) takes the
 * cancel as any decision; one already over answers a retried decision id with its first answer.
 */
export async function cancelDraft(client: Client, taskQueue: string, draft: CancelledDraft, decisionId: string, decision: DecisionInput): Promise<DocumentView> {
  const update = CANCEL_UPDATES[draft.kind];
  const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPES[draft.kind], {
    ...documentWorkflowStart(taskQueue, draft.kind, draftInput(draft, decision)),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    return await client.workflow.executeUpdateWithStart(update, { args: [decision], updateId: decisionId, startWorkflowOperation });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return executeDecision(client, draft, update, decisionId, decision);
    throw temporalAppError(error) ?? error;
  }
}

/**
 * A decision on the quote, taken once per decision id: the same id again answers with the
 * current state. Refused decisions throw AppError('decision_rejected') with the reason.
 */
export function decideQuote(
  client: Client,
  documentId: string,
  decision: QuoteDecision,
  decisionId: string,
  input: DecisionInput,
): Promise<QuoteView> {
  const document = { id: documentId, kind: 'quote' } as const;
  return executeDecision(client, document, decisionUpdates[decision], decisionId, input, decision === 'withdraw' ? () => whyWithdrawalClosed(client, document) : undefined);
}

/** Why a closed document's answer is past withdrawing: its window ended (converted, in production, its time up), or it is not accepted or approved. */
async function whyWithdrawalClosed(client: Client, document: { id: string; kind: 'quote' | 'proof' }): Promise<string> {
  const status = (await client.workflow.getHandle(documentWorkflowId(document.kind, document.id)).describe().catch(() => undefined))?.typedSearchAttributes.get(GreenlightStatus);
  if (status === 'accepted' && document.kind === 'quote') return WITHDRAWAL_CLOSED;
  if (status === 'approved' && document.kind === 'proof') return APPROVAL_WITHDRAWAL_CLOSED;
  return whyClosed(client, document);
}

/** The seller marks an approved proof in production: its workflow closes the customer's withdrawal window and records it. */
export function markProofInProduction(client: Client, documentId: string, decisionId: string, input: DecisionInput): Promise<ProofView> {
  const document = { id: documentId, kind: 'proof' } as const;
  return executeDecision(client, document, proofUpdates.moveOn, decisionId, input, () => whyWithdrawalClosed(client, document));
}

/**
 * The seller moves an accepted quote on (it is being converted): its workflow closes the
 * customer's withdrawal window first, so a withdrawal and a conversion never both happen. A
 * quote whose workflow is over has no window left; one the machine refuses (withdrawn
 * meanwhile) answers 409 with the reason.
 */
export async function moveQuoteOn(client: Client, documentId: string, decisionId: string, input: DecisionInput): Promise<void> {
  const handle = client.workflow.getHandle(quoteWorkflowId(documentId));
  try {
    await handle.executeUpdate(quoteUpdates.moveOn, { args: [input], updateId: decisionId });
  } catch (error) {
    const known = temporalAppError(error);
    if (known?.code === 'not_found') return;
    throw known ?? error;
  }
}

/** What a customer decides on a proof (the portal's names: `/approve`, `/request-changes`). */
export type ProofDecision = 'approve' | 'request-changes' | 'comment';
/** Each kind's machine, asked which events it takes in no status. */
const NEVER_TAKES: Partial<Record<string, (type: string) => string | undefined>> = {
  quote: whyQuoteNeverTakes,
  order: whyAcceptanceNeverTakes,
  delivery_note: whyAcceptanceNeverTakes,
  proof: whyProofNeverTakes,
  invoice: whyInvoiceNeverTakes,
  request: whyRequestNeverTakes,
};

/** Why a document of this kind never takes `decision`, whatever its status; undefined when it may. */
export function whyKindRefuses(kind: string, decision: QuoteDecision | 'sign' | ProofDecision): string | undefined {
  const neverTakes = NEVER_TAKES[kind];
  if (!neverTakes) return `A ${kindName(kind as DocumentKind)} takes no decision`;
  return neverTakes(decision.toUpperCase().replace('-', '_'));
}

/** A decision on any document, routed to its kind's workflow (refused at once when the kind never takes it). */
export async function decideDocument(
  client: Client,
  document: { id: string; kind: string },
  decision: QuoteDecision,
  decisionId: string,
  input: DecisionInput,
): Promise<DocumentView> {
  const refusal = whyKindRefuses(document.kind, decision);
  if (refusal) throw new AppError('decision_rejected', refusal);
  if (document.kind === 'quote') return decideQuote(client, document.id, decision, decisionId, input);
  if (document.kind === 'proof') {
    const proof = { id: document.id, kind: 'proof' } as const;
    return executeDecision(client, proof, proofUpdates[decision as 'remind' | 'cancel' | 'withdraw'], decisionId, input, decision === 'withdraw' ? () => whyWithdrawalClosed(client, proof) : undefined);
  }
  if (document.kind === 'invoice') return executeDecision(client, { id: document.id, kind: 'invoice' }, invoiceUpdates[decision as 'remind' | 'cancel'], decisionId, input);
  return executeDecision(client, { id: document.id, kind: document.kind as AcceptanceKind }, acceptanceUpdates[decision as AcceptanceDecision], decisionId, input);
}

/**
 * The customer approves a proof's revision, or asks for changes to it; refused like any
 * decision, with the machine's reason (another revision, terms not accepted, no comment).
 */
export function decideProof(
  client: Client,
  documentId: string,
  decisionId: string,
  decision: { kind: 'approve'; input: ApproveProofInput } | { kind: 'request-changes' | 'comment'; input: RequestChangesInput },
): Promise<ProofView> {
  const document = { id: documentId, kind: 'proof' } as const;
  if (decision.kind === 'approve') return executeDecision(client, document, proofUpdates.approve, decisionId, decision.input);
  return executeDecision(client, document, decision.kind === 'comment' ? proofUpdates.comment : proofUpdates.requestChanges, decisionId, decision.input);
}

/** The customer forwards a proof to a colleague: the proof's workflow emails them a link of their own; refused once the proof is closed. */
export function forwardProof(client: Client, documentId: string, decisionId: string, input: ForwardProofInput): Promise<ProofView> {
  return executeDecision(client, { id: documentId, kind: 'proof' }, proofUpdates.forward, decisionId, input);
}

/** The proof's state as its workflow knows it (the revision asked about, whether terms are asked); null if it was never sent. */
export async function queryProof(client: Client, documentId: string): Promise<ProofView | null> {
  try {
    return await client.workflow.getHandle(documentWorkflowId('proof', documentId)).query(proofStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/** A quote's reviewer comments without deciding; refused like any decision, with the machine's reason (not a named decider, the quote decided). */
export function commentOnQuote(client: Client, documentId: string, decisionId: string, input: QuoteCommentInput): Promise<QuoteView> {
  return executeDecision(client, { id: documentId, kind: 'quote' }, quoteUpdates.comment, decisionId, input);
}

/** The customer signs (built-in signature); refused like any decision, with the machine's reason. */
export function signQuote(client: Client, documentId: string, decisionId: string, input: SignInput): Promise<QuoteView> {
  return executeDecision(client, { id: documentId, kind: 'quote' }, quoteUpdates.sign, decisionId, input);
}

/**
 * The seller cancels the portal signing of a quote (the customer answered by phone): its
 * workflow cancels it (the customer's links keep opening the quote) and records it, or refuses with the machine's reason; once the
 * workflow is over, the reason is the digital status its final status means.
 */
export function cancelQuoteSigning(client: Client, documentId: string, decisionId: string, input: DecisionInput): Promise<QuoteView> {
  const document = { id: documentId, kind: 'quote' } as const;
  return executeDecision(client, document, quoteUpdates.cancelSigning, decisionId, input, () => whyClosed(client, document, closedSigningReason));
}

/**
 * The seller records the customer's answer given off line: the quote's (or the order's, the
 * delivery note's) workflow takes it as their decision, or refuses with its machine's reason.
 */
export function recordAnswer(client: Client, document: { id: string; kind: 'quote' | AcceptanceKind }, decisionId: string, input: RecordAnswerInput): Promise<QuoteView | AcceptanceView> {
  if (document.kind === 'quote') return executeDecision(client, { id: document.id, kind: 'quote' }, quoteUpdates.recordAnswer, decisionId, input);
  return executeDecision(client, { id: document.id, kind: document.kind }, acceptanceUpdates.recordAnswer, decisionId, input);
}

/** The seller changes a sent quote: its workflow writes the new version and emails the new link. */
export function reviseQuote(client: Client, documentId: string, revisionId: string, input: ReviseInput): Promise<QuoteView> {
  return executeDecision(client, { id: documentId, kind: 'quote' }, quoteUpdates.revise, revisionId, input);
}

/** The customer asks to pay an invoice online: its workflow answers the payment page, or refuses with its machine's reason. */
export function openInvoicePaymentPage(client: Client, documentId: string, decisionId: string, input: OpenPaymentInput): Promise<PaymentPage> {
  return executeDecision(client, { id: documentId, kind: 'invoice' }, invoiceUpdates.openPayment, decisionId, input);
}

/** The customer's yes with its deposit (or the deposit due): the quote's workflow hands out the deposit's payment page, or refuses with its machine's reason. */
export function openDepositPaymentPage(client: Client, documentId: string, decisionId: string, input: PayDepositInput): Promise<PaymentPage> {
  return executeDecision(client, { id: documentId, kind: 'quote' }, quoteUpdates.payDeposit, decisionId, input);
}

/** The seller records a payment received off line: the invoice's workflow counts it, or refuses with its machine's reason. */
export function receiveInvoicePayment(client: Client, documentId: string, decisionId: string, input: ReceivePaymentInput): Promise<InvoiceView> {
  return executeDecision(client, { id: documentId, kind: 'invoice' }, invoiceUpdates.receivePayment, decisionId, input);
}

/** The invoice's state as its workflow knows it (also once finished); null if it was never sent. */
export async function queryInvoice(client: Client, documentId: string): Promise<InvoiceView | null> {
  try {
    return await client.workflow.getHandle(documentWorkflowId('invoice', documentId)).query(invoiceStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

type WorkflowKind = 'quote' | AcceptanceKind | 'proof' | 'invoice';

/** Every kind's cancel: the same name and input, each answering its own view. */
const CANCEL_UPDATES: Record<WorkflowKind, UpdateDefinition<DocumentView, [DecisionInput]>> = {
  quote: quoteUpdates.cancel,
  order: acceptanceUpdates.cancel,
  delivery_note: acceptanceUpdates.cancel,
  proof: proofUpdates.cancel,
  invoice: invoiceUpdates.cancel,
};

async function executeDecision<TView, TInput>(
  client: Client,
  document: { id: string; kind: WorkflowKind },
  update: UpdateDefinition<TView, [TInput]>,
  decisionId: string,
  input: TInput,
  whyNoWorkflow: () => Promise<string> = () => whyClosed(client, document),
): Promise<TView> {
  const handle = client.workflow.getHandle(documentWorkflowId(document.kind, document.id));
  return askWorkflow(() => handle.executeUpdate(update, { args: [input], updateId: decisionId }), whyNoWorkflow);
}

/**
 * Tells the running workflow a view or download happened. False when no workflow runs (never
 * sent, or already finished): the caller then records it through a fact workflow (api/operations/facts.ts).
 */
export async function signalDocumentFact(client: Client, workflowId: string, fact: QuoteFact, payload: ViewedSignal): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).signal(fact === 'viewed' ? viewedSignal : downloadedSignal, payload);
    return true;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return false;
    throw error;
  }
}

export function signalQuoteFact(client: Client, documentId: string, fact: QuoteFact, payload: ViewedSignal): Promise<boolean> {
  return signalDocumentFact(client, quoteWorkflowId(documentId), fact, payload);
}

/**
 * The kinds whose workflow answers a decision as soon as its machine took it and records it
 * behind the answer (workflows/story.ts `actionsRunBehind`): their row may lag a decision by
 * a moment, their workflow's state query never does.
 */
const DECIDED_BEFORE_RECORDED: Record<'quote' | AcceptanceKind, QueryDefinition<{ status: string }>> = {
  quote: quoteStateQuery,
  order: acceptanceStateQuery,
  delivery_note: acceptanceStateQuery,
};

export function recordsBehindTheAnswer(kind: string): kind is keyof typeof DECIDED_BEFORE_RECORDED {
  return Object.hasOwn(DECIDED_BEFORE_RECORDED, kind);
}

/**
 * The document's status as its workflow holds it, asked for `withinMs` at most; undefined for a
 * kind whose row is written before its answers, and when no workflow answers in time (never
 * sent, no worker): the row is then as current as anything.
 */
export async function decidedStatus(client: Client, document: { id: string; kind: string }, withinMs: number): Promise<string | undefined> {
  const { kind } = document;
  if (!recordsBehindTheAnswer(kind)) return undefined;
  const handle = client.workflow.getHandle(documentWorkflowId(kind, document.id));
  try {
    const view = await client.withDeadline(Date.now() + withinMs, () => handle.query(DECIDED_BEFORE_RECORDED[kind]));
    return view.status;
  } catch {
    // Whatever kept the workflow from answering (none, no worker, the deadline), the row answers instead.
    return undefined;
  }
}

/** The quote's state as its workflow knows it (also once finished); null if it was never sent. */
export async function queryQuote(client: Client, documentId: string): Promise<QuoteView | null> {
  try {
    return await client.workflow.getHandle(quoteWorkflowId(documentId)).query(quoteStateQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

/**
 * Why a document without a running workflow takes no decision, from the status its workflow
 * last published; a closed quote's words are `closedQuote`'s (the portal signing has its own).
 */
async function whyClosed(client: Client, document: { id: string; kind: WorkflowKind }, closedQuote = closedQuoteReason): Promise<string> {
  const name = kindName(document.kind);
  try {
    const description = await client.workflow.getHandle(documentWorkflowId(document.kind, document.id)).describe();
    const status = description.typedSearchAttributes.get(GreenlightStatus);
    if (document.kind === 'quote' && isFinal(FINAL_QUOTE_STATUSES, status)) return closedQuote(status);
    if (document.kind === 'proof' && isFinal(FINAL_PROOF_STATUSES, status)) return closedProofReason(status);
    if (document.kind === 'invoice' && isFinal(FINAL_INVOICE_STATUSES, status)) return closedInvoiceReason(status);
    if (document.kind !== 'quote' && document.kind !== 'proof' && document.kind !== 'invoice' && isFinal(FINAL_ACCEPTANCE_STATUSES, status)) return closedAcceptanceReason(document.kind, status);
    // A run that failed or was terminated by an operator stopped before a final status.
    return `The ${name} is no longer open for decisions`;
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return `The ${name} has not been sent yet`;
    throw error;
  }
}

function isFinal<TStatus extends QuoteStatus | AcceptanceStatus | ProofStatus | InvoiceStatus>(finals: readonly TStatus[], value: string | undefined): value is TStatus {
  return (finals as readonly (string | undefined)[]).includes(value);
}
