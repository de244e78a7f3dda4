/**
 * The `inviteDeciders` action of the quote and proof machines (domain/deciders.ts): each decider
 * of the step that opens gets the document's email with a link of their own, which carries their
 * decider id (their votes are theirs in the trail) and what their role may do. Keyed by the
 * decider and the round (the proof's revision, the quote's version), so a retried activity or a
 * replay sends each invitation once and mints one link.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities, SendDocumentEmailInput } from '../activities/types';
import { decidersOfStep, roundProgress, type DecisionRound } from '../domain/deciders';
import type { InviteParams } from './machines/deciders';
import { patiently } from './story';

const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

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
