/**
 * The `inviteDeciders` action of the quote and proof machines (domain/deciders.ts): each decider
 * of the step that opens gets the document's email with a link of their own, which carries their
 * decider id (their votes are theirs in the trail) and what their role may do. Keyed by the
 * decider and the round (the proof's revision, the quote's version), so a retried activity or a
 * replay sends each invitation once and mints one link.
 *
 * And the `tellRoundDecision` action: once the round is settled, those it concerns hear its
 * decision, each on a link of their own.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities, SendDocumentEmailInput } from '../activities/types';
import { declinedBy, decidersOfStep, roundProgress, toldOfDecision, type DecisionRound } from '../domain/deciders';
import type { InviteParams, RoundOutcomeParams } from './machines/deciders';
import { CUSTOMER_MESSAGES } from './customer-emails';
import type { StoryTools } from './story';

const { sendDocumentEmail, sendConfirmationEmail } = proxyActivities<GreenlightActivities>(CUSTOMER_MESSAGES);

export interface DeciderEmail {
  tenantId: string;
  documentId: string;
  template: SendDocumentEmailInput['template'];
  message?: string;
  attachPdf: boolean;
  /** Proofs: the revision asked about. */
  revision?: number;
}

export function inviteDeciders(round: DecisionRound | undefined, params: InviteParams, email: DeciderEmail): Promise<void> {
  return emailDeciders(decidersOfStep(round ?? { deciders: [], rules: [] }, params.step), `round#${params.round}`, `invite`, email);
}

/**
 * A reminder goes to the deciders still awaited in the open step, not to the document's
 * contact (who may not be one of them): each their own, keyed by the reminder's number.
 */
export function remindDeciders(round: DecisionRound, reminder: number, email: DeciderEmail): Promise<void> {
  const awaited = new Set(roundProgress(round).filter((standing) => standing.state === 'awaited').map((standing) => standing.id));
  return emailDeciders(
    round.deciders.filter((decider) => awaited.has(decider.id)),
    `reminder#${reminder}`,
    `remind (reminder ${reminder})`,
    email,
  );
}

async function emailDeciders(deciders: DecisionRound['deciders'], key: string, what: string, email: DeciderEmail): Promise<void> {
  const { workflowId } = workflowInfo();
  for (const decider of deciders) {
    await sendDocumentEmail.executeWithOptions({ summary: `${what} ${decider.name ?? decider.email} (step ${decider.step}, ${decider.role})` }, [
      {
        tenantId: email.tenantId,
        documentId: email.documentId,
        template: email.template,
        to: { email: decider.email, name: decider.name ?? decider.email },
        ...(email.message ? { message: email.message } : {}),
        attachPdf: email.attachPdf,
        ...(email.revision !== undefined ? { revision: email.revision } : {}),
        decider: { id: decider.id, role: decider.role },
        idempotencyKey: `${workflowId}#decider#${decider.id}#${key}`,
      },
    ]);
  }
}

/**
 * The round's decision told behind the answer, keyed by the transition that took it (as a
 * customer's confirmation) and the decider: each invited decider on their own link
 * (`toldOfDecision`), and the document's contact (else its customer) on theirs when
 * `informContact` (none of the deciders: the API knows at send).
 */
export function tellRoundDecision(round: DecisionRound | undefined, { outcome }: RoundOutcomeParams, document: { tenantId: string; documentId: string; informContact: boolean }, tools: StoryTools): void {
  if (!round) return;
  const { tenantId, documentId } = document;
  const key = `${workflowInfo().workflowId}#${tools.lastWriteSeq()}#confirmation`;
  const confirmation = `deciders_${outcome}` as const;
  const declined = declinedBy(round);
  const told = { tenantId, documentId, confirmation, ...(declined ? { declinedBy: declined } : {}) };
  const tell = (input: Parameters<typeof sendConfirmationEmail>[0], whom: string) =>
    tools.behindTheAnswer(() => sendConfirmationEmail.executeWithOptions({ summary: `email ${whom} the decision: ${outcome}` }, [input]), { notice: 'decider', confirmation, whom });
  for (const decider of toldOfDecision(round)) {
    tell({ ...told, to: { email: decider.email, name: decider.name ?? decider.email }, decider: { id: decider.id, role: decider.role }, idempotencyKey: `${key}#${decider.id}` }, `${decider.name ?? decider.email} (${decider.role})`);
  }
  if (document.informContact) tell({ ...told, idempotencyKey: key }, "the document's contact");
}
