/**
 * The quote machine on its own: pure stepping with XState's `initialTransition`/`transition`,
 * the clock given by the events, timers kept by a small book of deadlines as the workflow's
 * interpreter keeps them (named delays come back as `xstate.raise` with `params.delay`).
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import type { Decider } from '../../../domain/deciders';
import { providerSignerActor } from '../../../domain/signature';
import {
  closedQuoteReason,
  isClosed,
  quoteMachine,
  quoteView,
  whyNot,
  type DecisionEvent,
  type QuoteEvent,
  type QuoteMachineInput,
  type QuoteSnapshot,
} from '../../../workflows/machines/quote';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Åsa Öberg' };

interface Action {
  type: string;
  params?: unknown;
}

/** Steps the machine like the workflow does, keeping its deadlines. */
function quote(overrides: Partial<QuoteMachineInput> = {}) {
  const input: QuoteMachineInput = { now: T0, validUntil: T0 + 30 * DAY, reminderAfterMs: 3 * DAY, maxReminders: 2, ...overrides };
  let [snapshot, actions] = initialTransition(quoteMachine, input) as [QuoteSnapshot, Action[]];
  const deadlines = new Map<string, { event: string; at: number }>();

  function book(stepActions: Action[], at: number) {
    for (const action of stepActions) {
      if (action.type === 'xstate.raise') {
        const { event, id, delay } = action.params as { event: { type: string }; id: string; delay: number };
        if (Number.isFinite(delay)) deadlines.set(id, { event: event.type, at: at + delay });
      } else if (action.type === 'xstate.cancel') {
        deadlines.delete((action.params as { sendId: string }).sendId);
      }
    }
  }
  book(actions, T0);

  const driver = {
    get snapshot() {
      return snapshot;
    },
    get status() {
      return snapshot.value;
    },
    get context() {
      return snapshot.context;
    },
    /** The activity actions of the last step, as the interpreter would run them. */
    get activities() {
      return actions.filter((a) => !a.type.startsWith('xstate.')).map((a) => ({ type: a.type, params: a.params }));
    },
    send(event: QuoteEvent | { type: string; at: number }) {
      [snapshot, actions] = transition(quoteMachine, snapshot, event as QuoteEvent) as [QuoteSnapshot, Action[]];
      book(actions, event.at);
      return driver;
    },
    /** When the named delay is due, if a deadline for it is armed. */
    due(delay: 'reminderDelay' | 'untilExpiry' | 'untilWithdrawalCloses'): number | undefined {
      return [...deadlines.entries()].find(([id]) => id.includes(`.${delay}.`))?.[1].at;
    },
    /** Let time pass until the named delay fires, and feed its event back. */
    fire(delay: 'reminderDelay' | 'untilExpiry' | 'untilWithdrawalCloses') {
      const entry = [...deadlines.entries()].find(([id]) => id.includes(`.${delay}.`));
      if (!entry) throw new Error(`No ${delay} deadline armed in ${snapshot.value}`);
      deadlines.delete(entry[0]);
      return driver.send({ type: entry[1].event, at: entry[1].at });
    },
  };
  return driver;
}

const at = (ms: number) => T0 + ms;
const send = (when = T0): QuoteEvent => ({ type: 'SEND', at: when, actor: seller });
const view = (when: number, type: 'VIEWED' | 'DOWNLOADED' = 'VIEWED'): QuoteEvent => ({
  type,
  at: when,
  occurredAt: when,
  eventId: `open-${when}`,
  actor: customer,
});
const decide = (type: DecisionEvent['type'], when: number, extra: Partial<DecisionEvent> = {}): DecisionEvent => ({
  type,
  at: when,
  actor: type === 'REMIND' || type === 'CANCEL' ? seller : customer,
  ...extra,
});
const sentQuote = (overrides?: Partial<QuoteMachineInput>) => quote(overrides).send(send());
const viewedQuote = () => sentQuote().send(view(at(MINUTE)));

describe('draft', () => {
  it('starts as a draft with no timer and no activity', () => {
    const q = quote();
    expect(q.status).toBe('draft');
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(q.due('untilExpiry')).toBeUndefined();
  });

  it('is sent: first email, then the audit record, and both timers armed from the send time', () => {
    const q = quote().send(send(at(5 * MINUTE)));
    expect(q.status).toBe('sent');
    expect(q.activities).toEqual([
      { type: 'sendFirstEmail', params: undefined },
      { type: 'recordTransition', params: { type: 'sent' } },
    ]);
    expect(q.due('reminderDelay')).toBe(at(5 * MINUTE + 3 * DAY));
    expect(q.due('untilExpiry')).toBe(at(30 * DAY));
  });

  it.each(['ACCEPT', 'REFUSE', 'HOLD', 'REMIND'] as const)('refuses %s before it is sent', (type) => {
    const q = quote();
    expect(q.snapshot.can(decide(type, T0))).toBe(false);
    expect(whyNot(q.snapshot, decide(type, T0))).toBe('The quote has not been sent yet');
  });

  it('can be cancelled by the seller before sending', () => {
    const q = quote().send(decide('CANCEL', T0));
    expect(q.status).toBe('cancelled');
    expect(q.activities).toEqual([{ type: 'recordTransition', params: { type: 'cancelled' } }, { type: 'withdrawSignature' }]);
  });
});

describe('sent and viewed', () => {
  it('moves to viewed on the first view, recording and notifying it', () => {
    const q = sentQuote().send(view(at(MINUTE)));
    expect(q.status).toBe('viewed');
    expect(q.activities).toEqual([
      { type: 'recordTransition', params: { type: 'viewed' } },
      { type: 'notifyAssignee', params: { event: 'viewed', what: 'viewed' } },
    ]);
  });

  it('keeps counting the reminder from the email, not from the view', () => {
    const q = sentQuote().send(view(at(DAY)));
    expect(q.due('reminderDelay')).toBe(at(3 * DAY));
    expect(q.due('untilExpiry')).toBe(at(30 * DAY));
  });

  it('records every further view and download without changing the status', () => {
    const q = viewedQuote().send(view(at(2 * MINUTE))).send(view(at(3 * MINUTE), 'DOWNLOADED'));
    expect(q.status).toBe('viewed');
    expect(q.activities).toEqual([
      { type: 'recordTransition', params: { type: 'downloaded' } },
      { type: 'notifyAssignee', params: { event: 'downloaded', what: 'downloaded' } },
    ]);
  });

  it('records a download of a sent quote and stays sent (only a view marks it viewed)', () => {
    const q = sentQuote().send(view(at(MINUTE), 'DOWNLOADED'));
    expect(q.status).toBe('sent');
    expect(q.activities[0]).toEqual({ type: 'recordTransition', params: { type: 'downloaded' } });
  });

  it.each([
    ['ACCEPT', 'accepted', 'accepted'],
    ['REFUSE', 'refused', 'refused'],
    ['HOLD', 'on_hold', 'put_on_hold'],
  ] as const)('takes %s from sent and from viewed', (type, status, audit) => {
    for (const q of [sentQuote(), viewedQuote()]) {
      q.send(decide(type, at(HOUR), { reason: 'Budget' }));
      expect(q.status).toBe(status);
      // Only an acceptance is confirmed to the customer (a refusal or a hold is their own, with nothing to follow).
      expect(q.activities).toEqual([
        { type: 'recordTransition', params: { type: audit } },
        { type: 'notifyAssignee', params: { event: 'decided', what: audit } },
        ...(type === 'ACCEPT' ? [{ type: 'confirmToCustomer', params: { confirmation: 'accepted' } }] : []),
      ]);
    }
  });

  it('refuses a second send', () => {
    const q = sentQuote();
    expect(whyNot(q.snapshot, send(at(MINUTE)))).toBe('The quote has already been sent');
  });
});

describe('reminders', () => {
  it('reminds after reminderAfter, re-arms, and stops at maxReminders', () => {
    const q = viewedQuote();
    q.fire('reminderDelay');
    expect(q.status).toBe('viewed');
    expect(q.context.remindersSent).toBe(1);
    expect(q.activities).toEqual([
      { type: 'sendReminderEmail', params: { reminder: 1, automatic: true } },
      { type: 'recordTransition', params: { type: 'reminded', data: { reminder: 1, automatic: true } } },
    ]);
    expect(q.due('reminderDelay')).toBe(at(6 * DAY));

    q.fire('reminderDelay');
    expect(q.context.remindersSent).toBe(2);
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(quoteView(q.snapshot)).toEqual({ status: 'viewed', remindersSent: 2, validUntil: at(30 * DAY), version: 1 });
  });

  it('ignores a reminder event that arrives after the budget is spent', () => {
    const q = sentQuote({ maxReminders: 1 });
    q.fire('reminderDelay');
    q.send({ type: 'xstate.after.reminderDelay.quote.sent', at: at(7 * DAY) });
    expect(q.context.remindersSent).toBe(1);
    expect(q.activities).toEqual([]);
  });

  it('never reminds when maxReminders is 0', () => {
    expect(sentQuote({ maxReminders: 0 }).due('reminderDelay')).toBeUndefined();
  });

  it('lets the seller remind by hand: it counts and restarts the reminder clock', () => {
    const q = sentQuote().send(decide('REMIND', at(DAY)));
    expect(q.status).toBe('sent');
    expect(q.activities).toEqual([
      { type: 'sendReminderEmail', params: { reminder: 1, automatic: false } },
      { type: 'recordTransition', params: { type: 'reminded', data: { reminder: 1, automatic: false } } },
    ]);
    expect(q.due('reminderDelay')).toBe(at(4 * DAY));
    expect(quoteView(q.snapshot).nextReminderAt).toBe(at(4 * DAY));
  });

  it('still takes a manual reminder once the automatic budget is spent', () => {
    const q = sentQuote({ maxReminders: 1 }).send(decide('REMIND', at(DAY)));
    expect(q.due('reminderDelay')).toBeUndefined();
    q.send(decide('REMIND', at(2 * DAY)));
    expect(q.context.remindersSent).toBe(2);
  });

  it('stops reminding once the customer decides', () => {
    const q = viewedQuote().send(decide('ACCEPT', at(HOUR)));
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(quoteView(q.snapshot).nextReminderAt).toBeUndefined();
  });

  it('does not announce a reminder due after the quote expires', () => {
    const q = sentQuote({ validUntil: at(2 * DAY) });
    expect(quoteView(q.snapshot).nextReminderAt).toBeUndefined();
  });
});

describe('expiry', () => {
  it('expires at validUntil, from sent, viewed and on hold', () => {
    for (const q of [sentQuote(), viewedQuote(), viewedQuote().send(decide('HOLD', at(HOUR)))]) {
      q.fire('untilExpiry');
      expect(q.status).toBe('expired');
      expect(q.activities).toEqual([{ type: 'recordTransition', params: { type: 'expired' } }]);
      expect(q.due('reminderDelay')).toBeUndefined();
    }
  });

  it('refuses a decision made at validUntil even before the expiry timer fired', () => {
    const q = viewedQuote();
    const late = decide('ACCEPT', at(30 * DAY));
    expect(q.snapshot.can(late)).toBe(false);
    expect(whyNot(q.snapshot, late)).toBe('The quote has expired');
  });

  it('never expires without validUntil', () => {
    const q = sentQuote({ validUntil: undefined });
    expect(q.due('untilExpiry')).toBeUndefined();
    expect(quoteView(q.snapshot).validUntil).toBeUndefined();
  });
});

describe('on hold', () => {
  const heldQuote = () => viewedQuote().send(decide('HOLD', at(HOUR)));

  it('has no automatic reminder, only the expiry', () => {
    const q = heldQuote();
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(q.due('untilExpiry')).toBe(at(30 * DAY));
  });

  it('stays on hold when the customer looks again', () => {
    const q = heldQuote().send(view(at(2 * HOUR)));
    expect(q.status).toBe('on_hold');
    expect(q.activities.map((a) => a.type)).toEqual(['recordTransition', 'notifyAssignee']);
  });

  it('then accepts', () => {
    const q = heldQuote().send(decide('ACCEPT', at(DAY), { options: ['line-2'] }));
    expect(q.status).toBe('accepted');
  });

  it('then refuses', () => {
    expect(heldQuote().send(decide('REFUSE', at(DAY))).status).toBe('refused');
  });

  it('refuses a second hold', () => {
    expect(whyNot(heldQuote().snapshot, decide('HOLD', at(DAY)))).toBe('The quote is already on hold');
  });

  it('takes a manual reminder and stays on hold', () => {
    const q = heldQuote().send(decide('REMIND', at(DAY)));
    expect(q.status).toBe('on_hold');
    expect(q.context.remindersSent).toBe(1);
    expect(q.activities.map((a) => a.type)).toEqual(['sendReminderEmail', 'recordTransition']);
  });

  it('can be cancelled', () => {
    expect(heldQuote().send(decide('CANCEL', at(DAY))).status).toBe('cancelled');
  });
});

describe('cancellation', () => {
  it.each([
    ['sent', sentQuote],
    ['viewed', viewedQuote],
  ] as const)('cancels a %s quote and drops its timers', (_, make) => {
    const q = make().send(decide('CANCEL', at(HOUR), { reason: 'Duplicate' }));
    expect(q.status).toBe('cancelled');
    expect(q.activities).toEqual([{ type: 'recordTransition', params: { type: 'cancelled' } }, { type: 'withdrawSignature' }]);
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(q.due('untilExpiry')).toBeUndefined();
  });
});

describe('final statuses', () => {
  const finals = {
    accepted: () => viewedQuote().send(decide('ACCEPT', at(HOUR))),
    refused: () => viewedQuote().send(decide('REFUSE', at(HOUR))),
    expired: () => viewedQuote().fire('untilExpiry'),
    cancelled: () => viewedQuote().send(decide('CANCEL', at(HOUR))),
  };
  const reasons = {
    accepted: 'The quote is already accepted',
    refused: 'The quote is already refused',
    expired: 'The quote has expired',
    cancelled: 'The quote is cancelled',
  };

  it.each(Object.keys(finals) as (keyof typeof finals)[])('%s refuses every decision with its reason', (status) => {
    const q = finals[status]();
    expect(q.status).toBe(status);
    for (const type of ['ACCEPT', 'REFUSE', 'HOLD', 'REMIND', 'CANCEL'] as const) {
      const event = decide(type, at(2 * HOUR));
      expect(q.snapshot.can(event)).toBe(false);
      expect(whyNot(q.snapshot, event)).toBe(reasons[status]);
    }
    expect(closedQuoteReason(status)).toBe(reasons[status]);
  });

  it.each(Object.keys(finals) as (keyof typeof finals)[])('%s still records views and downloads', (status) => {
    const q = finals[status]().send(view(at(2 * HOUR))).send(view(at(3 * HOUR), 'DOWNLOADED'));
    expect(q.status).toBe(status);
    expect(q.activities[0]).toEqual({ type: 'recordTransition', params: { type: 'downloaded' } });
  });

  it('allows nothing but facts after a decision', () => {
    const q = finals.accepted();
    expect(whyNot(q.snapshot, view(at(2 * HOUR)))).toBeUndefined();
    expect(whyNot(q.snapshot, send(at(2 * HOUR)))).toBe('The quote is already accepted');
  });
});

describe('withdrawal', () => {
  const accepted = (withdrawal: QuoteMachineInput['withdrawal']) => sentQuote({ withdrawal }).send(decide('ACCEPT', at(HOUR)));

  it('keeps an accepted quote open until the seller moves it on, and takes the withdrawal back to sent', () => {
    const q = accepted({});
    expect(q.status).toBe('accepted');
    expect(isClosed(q.snapshot)).toBe(false);
    expect(quoteView(q.snapshot).withdrawable).toEqual({});
    expect(q.due('untilWithdrawalCloses')).toBeUndefined();
    // Accepted all the same: a second answer is refused as on any accepted quote.
    expect(whyNot(q.snapshot, decide('ACCEPT', at(DAY)))).toBe('The quote is already accepted');

    q.send(decide('WITHDRAW', at(DAY)));
    expect(q.status).toBe('sent');
    expect(q.activities).toEqual([
      { type: 'recordTransition', params: { type: 'withdrawn' } },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'withdrawn' } },
    ]);
    // Reminders count from the withdrawal; the validity is the quote's own.
    expect(q.due('reminderDelay')).toBe(at(DAY + 3 * DAY));
    expect(q.due('untilExpiry')).toBe(at(30 * DAY));
    expect(whyNot(q.snapshot, decide('WITHDRAW', at(DAY)))).toBe('Only an accepted quote can be withdrawn; this one is sent');
  });

  it('closes once moved on: no withdrawal, and the reason says so', () => {
    const q = accepted({}).send(decide('MOVE_ON', at(DAY)));
    expect(q.status).toBe('accepted');
    expect(isClosed(q.snapshot)).toBe(true);
    expect(q.activities).toEqual([]);
    expect(whyNot(q.snapshot, decide('WITHDRAW', at(DAY)))).toBe('The acceptance can no longer be withdrawn');
    // Moving on again changes nothing (a conversion as the window ends by itself).
    expect(q.snapshot.can(decide('MOVE_ON', at(DAY)))).toBe(true);
    expect(q.send(decide('MOVE_ON', at(DAY))).activities).toEqual([]);
    expect(whyNot(sentQuote().snapshot, decide('MOVE_ON', at(DAY)))).toBe('The quote is sent, not accepted');
  });

  it("closes at the end of the seller's window", () => {
    const q = accepted({ windowMs: 2 * DAY });
    expect(q.due('untilWithdrawalCloses')).toBe(at(HOUR + 2 * DAY));
    expect(q.snapshot.can(decide('WITHDRAW', at(HOUR + 2 * DAY - 1)))).toBe(true);
    expect(q.snapshot.can(decide('WITHDRAW', at(HOUR + 2 * DAY)))).toBe(false);
    q.fire('untilWithdrawalCloses');
    expect(isClosed(q.snapshot)).toBe(true);
  });

  it('leaves no window without withdrawal terms, with a zero window, or for a signature', () => {
    expect(isClosed(accepted(undefined).snapshot)).toBe(true);
    expect(isClosed(accepted({ windowMs: 0 }).snapshot)).toBe(true);
    const signed = sentQuote({ withdrawal: {} }).send({
      type: 'SIGN',
      at: at(HOUR),
      actor: customer,
      signature: { signerName: 'Åsa Öberg', consent: true, consentText: 'I agree', locale: 'sv', linkId: 'link-1', pdfSha256: 'abc' },
    });
    expect(signed.status).toBe('accepted');
    expect(isClosed(signed.snapshot)).toBe(true);
  });
});

describe('the view', () => {
  it('shows status, reminders, next reminder and validity', () => {
    expect(quoteView(sentQuote().snapshot)).toEqual({
      status: 'sent',
      remindersSent: 0,
      nextReminderAt: at(3 * DAY),
      validUntil: at(30 * DAY),
      version: 1,
    });
  });
});

describe("a reviewer's comment (several deciders)", () => {
  const decider = (id: string, role: 'approver' | 'reviewer'): Decider => ({ id, role, step: 1, email: `${id}@client.example`, name: id.toUpperCase() });
  const as = (deciderId: string): Actor => ({ kind: 'customer', linkId: `link-${deciderId}`, deciderId });
  const comment = (deciderId: string, when: number, words = 'Le délai me paraît court.'): QuoteEvent => ({ type: 'COMMENT', at: when, actor: as(deciderId), comment: words });
  const reviewed = () => sentQuote({ deciders: { deciders: [decider('d1', 'approver'), decider('d2', 'reviewer')], rules: ['all'] } });

  it('is recorded as theirs, and moves no status, no vote and no reminder', () => {
    const q = reviewed();
    const reminder = q.due('reminderDelay');
    q.send(comment('d2', at(HOUR)));
    expect(q.status).toBe('sent');
    expect(q.activities).toEqual([{ type: 'recordTransition', params: { type: 'commented', data: { comment: 'Le délai me paraît court.', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 } } }]);
    expect(q.context.deciders?.votes).toEqual([]);
    expect(q.due('reminderDelay')).toBe(reminder);
  });

  it('is refused without words, from no named decider, without deciders, and once decided', () => {
    const q = reviewed();
    expect(whyNot(q.snapshot, comment('d2', at(HOUR), '  '))).toBe('A comment needs some words');
    expect(whyNot(q.snapshot, { type: 'COMMENT', at: at(HOUR), actor: customer, comment: 'Et moi ?' })).toMatch(/people the seller named/);
    expect(whyNot(sentQuote().snapshot, comment('d2', at(HOUR)))).toBe('Comments come from the reviewers the seller named');
    q.send({ type: 'ACCEPT', at: at(HOUR), actor: as('d1') });
    expect(q.status).toBe('accepted');
    expect(whyNot(q.snapshot, comment('d2', at(2 * HOUR)))).toBe('The quote is already accepted');
  });
});

describe('approvers on the portal, then signers at the provider (several deciders, GetAccept)', () => {
  const approver = (id: string, step: number): Decider => ({ id, role: 'approver', step, email: `${id}@client.example`, name: id.toUpperCase() });
  const as = (deciderId: string): Actor => ({ kind: 'customer', linkId: `link-${deciderId}`, deciderId });
  const signer = providerSignerActor('doc-1');
  const twoSteps = () => sentQuote({ deciders: { deciders: [approver('d1', 1), approver('d2', 2)], rules: ['all', 'all'] }, signersAtProvider: true });

  it('starts the signing once the last portal step is met, and the signature accepts the quote, the round told', () => {
    const q = twoSteps();
    expect(whyNot(q.snapshot, { type: 'ACCEPT', at: at(HOUR), actor: signer })).toMatch(/people the seller named/);
    q.send({ type: 'ACCEPT', at: at(HOUR), actor: as('d1') });
    expect(q.activities.map((activity) => activity.type)).toEqual(['recordTransition', 'recordTransition', 'inviteDeciders']);
    q.send({ type: 'ACCEPT', at: at(2 * HOUR), actor: as('d2') });
    expect(q.status).toBe('sent');
    expect(q.activities).toEqual([
      { type: 'recordTransition', params: { type: 'decider_approved', data: { deciderId: 'd2', step: 2, role: 'approver' } } },
      { type: 'recordTransition', params: { type: 'step_completed', data: { step: 2 } } },
      { type: 'startSigningAtProvider', params: undefined },
    ]);
    // The deciders' links decide nothing more; the provider's signer does.
    expect(whyNot(q.snapshot, { type: 'REFUSE', at: at(3 * HOUR), actor: as('d1') })).toMatch(/^The approvers agreed; the signers now sign at the signature provider/);
    q.send({ type: 'ACCEPT', at: at(3 * HOUR), actor: signer });
    expect(q.status).toBe('accepted');
    expect(q.activities.map((activity) => activity.type === 'tellRoundDecision' ? [activity.type, activity.params] : activity.type)).toEqual([
      'recordTransition',
      'notifyAssignee',
      ['tellRoundDecision', { outcome: 'accepted' }],
    ]);
  });

  it('reminds the approvers awaited until the signing starts at the provider, then no more (it reminds its signers)', () => {
    const q = twoSteps();
    q.fire('reminderDelay');
    expect(q.activities[0]).toEqual({ type: 'sendReminderEmail', params: { reminder: 1, automatic: true } });
    q.send({ type: 'ACCEPT', at: at(3 * DAY + HOUR), actor: as('d1') });
    q.send({ type: 'ACCEPT', at: at(3 * DAY + 2 * HOUR), actor: as('d2') });
    expect(quoteView(q.snapshot).nextReminderAt).toBeUndefined();
    // The timer armed before the signing started fires to no effect, and a view re-arms none.
    q.fire('reminderDelay');
    expect(q.activities).toEqual([]);
    q.send(view(at(7 * DAY)));
    expect(q.due('reminderDelay')).toBeUndefined();
    expect(q.context.remindersSent).toBe(1);
  });

  it("is refused by the provider's rejection once the round is met (the round told), and by a decider's no before", () => {
    const q = twoSteps();
    q.send({ type: 'ACCEPT', at: at(HOUR), actor: as('d1') });
    q.send({ type: 'ACCEPT', at: at(2 * HOUR), actor: as('d2') });
    q.send({ type: 'REFUSE', at: at(3 * HOUR), actor: signer });
    expect(q.status).toBe('refused');
    // The approvers hear it, as of a no on the portal.
    expect(q.activities.filter((activity) => activity.type === 'tellRoundDecision')).toEqual([{ type: 'tellRoundDecision', params: { outcome: 'declined' } }]);

    const early = twoSteps();
    early.send({ type: 'REFUSE', at: at(HOUR), actor: as('d1') });
    expect(early.status).toBe('refused');
    expect(early.activities.map((activity) => activity.type)).not.toContain('startSigningAtProvider');
  });

  it('without the provider, the round met accepts the quote as before', () => {
    const q = sentQuote({ deciders: { deciders: [approver('d1', 1)], rules: ['all'] } });
    q.send({ type: 'ACCEPT', at: at(HOUR), actor: as('d1') });
    expect(q.status).toBe('accepted');
    expect(q.activities.map((activity) => activity.type)).not.toContain('startSigningAtProvider');
  });
});
