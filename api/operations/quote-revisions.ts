/**
 * PATCH /v1/documents/:id: the seller changes a document. A draft is edited in place; a quote
 * the customer already has (sent, viewed, on hold) is revised through its workflow, which
 * writes the new version, records `revised` and emails the customer a new link — one step
 * after another with the customer's decisions, so a signature and a revision never cross.
 * A decided, expired or cancelled quote no longer changes.
 *
 * A new assignee alone is not a change of the customer's document (assignees.ts): on any
 * document, it makes no version and sends nothing.
 */
import { editDraft } from '../../services/db/revisions';
import type { DocumentChanges } from '../../domain/documents';
import type { AppDeps } from '../app';
import { sellerActor, type TenantCaller } from '../auth';
import { AppError } from '../../domain/errors';
import { checkReferences, depositOfInput, getDocument, priceLines, validUntilOf, type DocumentWithLines } from './documents';
import { depositAskedOf, depositPolicyOf, type DepositAsked, type DepositPolicy } from '../../domain/deposit';
import { assignDocument } from './assignees';
import { reviseQuote } from './quote-workflow';

export interface DocumentPatch {
  title?: string;
  lines?: DocumentChanges['lines'];
  validUntil?: string;
  contactId?: string;
  assigneeId?: string;
  /** Quotes, while a draft: the deposit asked with the yes (null: none), and its policy. */
  deposit?: DepositAsked | null;
  depositPolicy?: DepositPolicy;
}

const REVISABLE = ['sent', 'viewed', 'on_hold'];

export async function updateDocument(
  deps: AppDeps,
  caller: TenantCaller,
  documentId: string,
  patch: DocumentPatch,
  revisionId: string,
): Promise<DocumentWithLines> {
  const document = await getDocument(deps.prisma, caller.tenantId, documentId);
  await checkReferences(deps.prisma, caller.tenantId, { kind: 'quote', customerId: document.customerId, contactId: patch.contactId, assigneeId: patch.assigneeId });
  if (patch.lines) priceLines(patch.lines);
  const content: DocumentChanges = {
    ...(patch.title !== undefined ? { title: patch.title } : {}),
    ...(patch.lines ? { lines: patch.lines } : {}),
    ...(patch.validUntil ? { validUntil: (await validUntilOf(deps.prisma, caller.tenantId, document.customerId, patch.validUntil)).getTime() } : {}),
    ...(patch.contactId ? { contactId: patch.contactId } : {}),
  };

  const depositChanged = patch.deposit !== undefined || patch.depositPolicy !== undefined;
  // A policy alone changes the deposit already asked; a deposit alone keeps the policy set.
  const asked = patch.deposit === undefined ? depositAskedOf(document) : patch.deposit;
  // A deposit removed takes its policy with it.
  const deposit = depositChanged ? depositOfInput(document.kind, asked, patch.depositPolicy ?? (asked ? depositPolicyOf(document) : undefined)) : undefined;

  if (document.status === 'draft' && !document.workflowId) {
    // Nothing was sent yet: the assignee too is edited in place, with no trail.
    const drafted = await editDraft(deps.prisma, { tenantId: caller.tenantId, documentId }, { ...content, ...(patch.assigneeId ? { assigneeId: patch.assigneeId } : {}) });
    // The same guard as the draft's edit: not once its send has claimed it.
    const deposited = !deposit || (await deps.prisma.document.updateMany({ where: { id: documentId, tenantId: caller.tenantId, workflowId: null }, data: deposit })).count === 1;
    if (!drafted || !deposited) {
      throw new AppError('conflict', 'The document is being sent; change it once it is sent (it will get a new version).');
    }
    return getDocument(deps.prisma, caller.tenantId, documentId);
  }
  // The workflow was started with the deposit's terms: they hold for the quote's life.
  if (depositChanged) throw new AppError('conflict', `The deposit is set while the ${document.kind.replace('_', ' ')} is a draft; this one is ${document.status.replace('_', ' ')}.`);
  if (Object.keys(content).length > 0) {
    if (document.kind !== 'quote' || !document.workflowId || !REVISABLE.includes(document.status)) {
      throw new AppError('conflict', `The ${document.kind.replace('_', ' ')} is ${document.status.replace('_', ' ')}; it can no longer be changed.`);
    }
    await reviseQuote(deps.temporal, documentId, revisionId, { actor: sellerActor(caller), changes: content });
  }
  // After the revision, which may refuse: a refused request changes nothing. The same assignee again records nothing.
  if (patch.assigneeId) await assignDocument(deps, caller, document, patch.assigneeId, revisionId);
  return getDocument(deps.prisma, caller.tenantId, documentId);
}
