/**
 * The seller's reminder on the proof machine, stepped purely: taken while the customer owes an
 * answer (sent, viewed), about the revision they were sent, counted; refused with a reason
 * everywhere else. Proofs resumed from before reminders existed count from 0.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import { proofMachine, proofStatus, proofView, whyNotProof, type ProofEvent, type ProofSnapshot } from '../../../workflows/machines/proof';

const seller: Actor = { kind: 'seller' };
const customer: Actor = { kind: 'customer', linkId: 'link-1' };
let clock = Date.UTC(2026, 3, 6, 9, 0, 0);
const at = () => (clock += 60_000);

const REMIND: ProofEvent = { type: 'REMIND', at: 0, actor: seller };
const steps: Record<string, (snapshot: ProofSnapshot) => ProofEvent> = {
  ready: (s) => ({ type: 'REVISION_READY', at: at(), actor: { kind: 'system' }, revision: s.context.revision + 1, pageCount: 2 }),
  viewed: () => ({ type: 'VIEWED', at: at(), occurredAt: clock, eventId: `view-${clock}`, actor: customer }),
  changes: (s) => ({ type: 'REQUEST_CHANGES', at: at(), actor: customer, revision: s.context.revision, comment: 'Bigger logo' }),
  approve: (s) => ({ type: 'APPROVE', at: at(), actor: customer, revision: s.context.revision }),
  cancel: () => ({ type: 'CANCEL', at: at(), actor: seller }),
};

function after(path: (keyof typeof steps)[]): ProofSnapshot {
  let [snapshot] = initialTransition(proofMachine, { now: clock }) as [ProofSnapshot, unknown[]];
  for (const name of path) [snapshot] = transition(proofMachine, snapshot, steps[name]!(snapshot)) as [ProofSnapshot, unknown[]];
  return snapshot;
}

function remind(snapshot: ProofSnapshot) {
  const [next, actions] = transition(proofMachine, snapshot, { ...REMIND, at: at() }) as [ProofSnapshot, { type: string; params?: unknown }[]];
  return { next, activities: actions.filter((action) => !action.type.startsWith('xstate.')).map(({ type, params }) => ({ type, params })) };
}

describe('reminding a proof', () => {
  it.each([
    ['sent', ['ready', 'changes', 'ready']],
    ['viewed', ['ready', 'changes', 'ready', 'viewed']],
  ] as const)('emails and records a reminder about the current revision when %s, counting them', (status, path) => {
    const start = after([...path]);
    expect(proofStatus(start)).toBe(status);

    const first = remind(start);
    expect(proofStatus(first.next)).toBe(status);
    expect(first.activities).toEqual([
      { type: 'sendReminderEmail', params: { revision: 2, reminder: 1 } },
      { type: 'recordTransition', params: { type: 'reminded', data: { revision: 2, reminder: 1 } } },
    ]);
    const second = remind(first.next);
    expect(second.activities[0]).toEqual({ type: 'sendReminderEmail', params: { revision: 2, reminder: 2 } });
    expect(proofView(second.next).remindersSent).toBe(2);
  });

  it.each([
    ['draft', [], 'The proof has not been sent yet; send it first'],
    ['changes_requested', ['ready', 'changes'], 'Changes were requested on revision 1; upload the next revision rather than remind'],
    ['approved', ['ready', 'approve'], 'The proof is already approved (revision 1)'],
    ['cancelled', ['ready', 'cancel'], 'The proof is cancelled'],
  ] as const)('refuses a reminder when %s, saying why', (status, path, reason) => {
    const snapshot = after([...path]);
    expect(proofStatus(snapshot)).toBe(status);
    expect(snapshot.can(REMIND)).toBe(false);
    expect(whyNotProof(snapshot, REMIND)).toBe(reason);
  });

  it('counts from 0 in a proof resumed from before reminders existed', () => {
    const { value, context } = after(['ready']);
    const { remindersSent: _, ...older } = context;
    const resumed = proofMachine.resolveState({ value, context: older });
    expect(remind(resumed).activities[0]).toEqual({ type: 'sendReminderEmail', params: { revision: 1, reminder: 1 } });
  });
});
