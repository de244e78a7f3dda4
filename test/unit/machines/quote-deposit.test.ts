/**
 * The quote machine with a deposit asked with the yes (machines/quote.ts, domain/deposit.ts):
 * both policies, a refused card, a deposit reported twice, and the rules around the yes.
 */
import { initialTransition, transition } from 'xstate';
import type { Decider } from '../../../domain/deciders';
import type { Actor } from '../../../domain/documents';
import type { DepositPolicy } from '../../../domain/deposit';
import { depositAmountOf, depositColumns } from '../../../domain/deposit';
import type { ReceivedPayment } from '../../../domain/invoice';
import { isClosed, quoteMachine, quoteView, whyNot, type QuoteEvent, type QuoteMachineInput, type QuoteSnapshot } from '../../../workflows/machines/quote';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 86_400_000;
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Åsa Öberg' };
const system: Actor = { kind: 'system' };
const linkUrl = 'https://greenlight.test/d/token';

interface Action {
  type: string;
  params?: unknown;
}

function quote(policy: DepositPolicy | undefined, overrides: Partial<QuoteMachineInput> = {}) {
  const input: QuoteMachineInput = { now: T0, validUntil: T0 + 30 * DAY, reminderAfterMs: 0, maxReminders: 0, ...(policy ? { deposit: { policy } } : {}), ...overrides };
  let [snapshot, actions] = initialTransition(quoteMachine, input) as [QuoteSnapshot, Action[]];
  const driver = {
    get snapshot() {
      return snapshot;
    },
    /** The activity actions of the last step, with their params, as the interpreter runs them. */
    get ran() {
      return actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => (action.type === 'recordTransition' ? `record ${(action.params as { type: string }).type}` : action.type));
    },
    get params() {
      return actions.filter((action) => !action.type.startsWith('xstate.'));
    },
    send(event: QuoteEvent) {
      [snapshot, actions] = transition(quoteMachine, snapshot, event) as [QuoteSnapshot, Action[]];
      return driver;
    },
  };
  return driver.send({ type: 'SEND', at: T0, actor: seller });
}

const payDeposit = (at: number, options?: string[]): QuoteEvent => ({ type: 'PAY_DEPOSIT', at, actor: customer, linkUrl, version: 1, ...(options ? { options } : {}) });
const deposit = (paymentId: string, at: number): ReceivedPayment => ({ paymentId, amount: 3_000, currency: 'EUR', provider: 'stripe', sessionId: 'cs_test_1', paidAt: at });
const paid = (paymentId: string, at: number): QuoteEvent => ({ type: 'DEPOSIT_PAID', at, actor: system, payment: deposit(paymentId, at) });
const declined = (eventId: string, at: number): QuoteEvent => ({ type: 'DEPOSIT_FAILED', at, actor: system, paymentId: 'pi_declined', eventId, failureCode: 'card_declined', failureMessage: 'Your card was declined.' });

describe('accept_when_paid: the quote is accepted once the deposit is paid', () => {
  it('asks for the page and keeps the yes, accepted with its options when the deposit comes, counted once', () => {
    const q = quote('accept_when_paid');
    q.send(payDeposit(T0 + 1_000, ['line-2']));
    expect(q.snapshot.value).toBe('sent');
    expect(q.ran).toEqual(['openDepositPayment']);
    // The page asks the share of the total this yes accepts: with the optional line it ticked.
    expect(q.params[0]?.params).toEqual({ ask: 1, linkUrl, options: ['line-2'] });
    expect(q.snapshot.context.depositAcceptance).toEqual({ actor: customer, options: ['line-2'] });

    q.send(paid('pi_1', T0 + 2_000));
    expect(q.snapshot.value).toBe('accepted');
    expect(q.ran).toEqual(['recordDeposit', 'record deposit_paid', 'record accepted', 'notifyAssignee', 'confirmToCustomer']);
    const accepted = q.params.find((action) => action.type === 'recordTransition' && (action.params as { type: string }).type === 'accepted');
    expect(accepted?.params).toEqual({ type: 'accepted', actor: customer, data: { options: ['line-2'] } });
    expect(quoteView(q.snapshot).deposit).toEqual({ policy: 'accept_when_paid', paid: true });
    expect(isClosed(q.snapshot)).toBe(true);

    // The return from the page and the webhook both report it: the second changes nothing.
    q.send(paid('pi_1', T0 + 3_000));
    expect(q.ran).toEqual([]);
  });

  it('a refused card is recorded once per provider event and leaves the quote unaccepted, to try again', () => {
    const q = quote('accept_when_paid');
    q.send({ type: 'VIEWED', at: T0 + 500, actor: customer, eventId: 'ev-view', occurredAt: T0 + 500 });
    q.send(payDeposit(T0 + 1_000));
    q.send(declined('evt_1', T0 + 2_000));
    expect(q.snapshot.value).toBe('viewed');
    expect(q.ran).toEqual(['record deposit_failed', 'notifyAssignee']);
    q.send(declined('evt_1', T0 + 2_500));
    expect(q.ran).toEqual([]);
    // Asked again: a second ask, answered with its own page.
    q.send(payDeposit(T0 + 3_000));
    expect(q.params[0]?.params).toEqual({ ask: 2, linkUrl });
    q.send(paid('pi_2', T0 + 4_000));
    expect(q.snapshot.value).toBe('accepted');
  });

  it('refuses the yes without the deposit, and lets the customer refuse meanwhile', () => {
    const q = quote('accept_when_paid');
    const accept: QuoteEvent = { type: 'ACCEPT', at: T0 + 1_000, actor: customer, version: 1 };
    expect(whyNot(q.snapshot, accept)).toBe('This quote asks for a deposit: it is accepted by paying the deposit');
    q.send(payDeposit(T0 + 1_000));
    q.send({ type: 'REFUSE', at: T0 + 2_000, actor: customer });
    expect(q.snapshot.value).toBe('refused');
    // Its deposit's page is closed: nobody pays for a refused quote.
    expect(q.ran).toEqual(['record refused', 'notifyAssignee', 'closeHostedPayments']);
    // Without a page asked, nothing to close (and quotes without deposits run exactly as before).
    expect(quote('accept_when_paid').send({ type: 'CANCEL', at: T0 + 1_000, actor: seller }).ran).toEqual(['record cancelled', 'withdrawSignature']);
  });

  it('a deposit that comes without being asked on the portal does not accept the quote', () => {
    const q = quote('accept_when_paid');
    q.send(paid('pi_1', T0 + 1_000));
    expect(q.snapshot.value).toBe('sent');
    expect(q.ran).toEqual([]);
  });
});

describe('accept_then_pay: accepted at once, the deposit due', () => {
  it('accepts and asks for the page in one yes; the run stays open until the deposit is paid', () => {
    const q = quote('accept_then_pay');
    q.send(payDeposit(T0 + 1_000));
    expect(q.snapshot.value).toBe('accepted');
    expect(q.ran).toEqual(['record accepted', 'notifyAssignee', 'confirmToCustomer', 'openDepositPayment']);
    expect(isClosed(q.snapshot)).toBe(false);
    expect(quoteView(q.snapshot).deposit).toEqual({ policy: 'accept_then_pay', paid: false });

    // Declined: still accepted, the deposit still due; paid on the second try.
    q.send(declined('evt_1', T0 + 2_000));
    expect(q.snapshot.value).toBe('accepted');
    expect(q.ran).toEqual(['record deposit_failed', 'notifyAssignee']);
    // Asked again once accepted: its options are applied, so a form's ticks change nothing of the amount.
    q.send(payDeposit(T0 + 3_000, ['line-2']));
    expect(q.ran).toEqual(['openDepositPayment']);
    expect(q.params[0]?.params).toEqual({ ask: 2, linkUrl });
    q.send(paid('pi_2', T0 + 4_000));
    expect(q.ran).toEqual(['recordDeposit', 'record deposit_paid', 'notifyAssignee']);
    expect(isClosed(q.snapshot)).toBe(true);
    expect(whyNot(q.snapshot, payDeposit(T0 + 5_000))).toBe('The deposit is already paid');
    q.send(paid('pi_2', T0 + 5_000));
    expect(q.ran).toEqual([]);
  });

  it('the plain yes (ACCEPT) is taken too, the deposit then due; moving on stops waiting for it', () => {
    const q = quote('accept_then_pay');
    q.send({ type: 'ACCEPT', at: T0 + 1_000, actor: customer, version: 1 });
    expect(q.snapshot.value).toBe('accepted');
    expect(isClosed(q.snapshot)).toBe(false);
    q.send({ type: 'MOVE_ON', at: T0 + 2_000, actor: seller });
    expect(isClosed(q.snapshot)).toBe(true);
  });

  it('a paid deposit cannot be withdrawn on the portal', () => {
    const q = quote('accept_then_pay', { withdrawal: {} });
    q.send(payDeposit(T0 + 1_000));
    expect(whyNot(q.snapshot, { type: 'WITHDRAW', at: T0 + 1_500, actor: customer })).toBeUndefined();
    q.send(paid('pi_1', T0 + 2_000));
    expect(whyNot(q.snapshot, { type: 'WITHDRAW', at: T0 + 3_000, actor: customer })).toBe('The deposit is paid: call the seller to take the acceptance back');
  });
});

describe('accept_then_pay with several deciders: the round accepts, the deposit is then due to any of them', () => {
  const approver = (id: string): Decider => ({ id, role: 'approver', step: 1, email: `${id}@client.example`, name: id.toUpperCase() });
  const as = (deciderId: string): Actor => ({ kind: 'customer', linkId: `link-${deciderId}`, deciderId });
  const committee = () => quote('accept_then_pay', { deciders: { deciders: [approver('d1'), approver('d2')], rules: ['all'] } });
  const accept = (deciderId: string, at: number): QuoteEvent => ({ type: 'ACCEPT', at, actor: as(deciderId), version: 1 });
  const payAs = (deciderId: string, at: number): QuoteEvent => ({ ...payDeposit(at), actor: as(deciderId) });

  it('takes each yes as a vote, not a payment; the last one accepts, then any decider pays, counted once', () => {
    const q = committee();
    // Before the round is met, a decider's yes is a vote: the deposit is not paid over it.
    expect(whyNot(q.snapshot, payAs('d1', T0 + 1_000))).toBe('Several people decide this quote, each on their own link: its deposit is paid once they have accepted it');
    q.send(accept('d1', T0 + 1_000));
    expect(q.snapshot.value).toBe('sent');
    expect(q.ran).toEqual(['record decider_approved']);
    q.send(accept('d2', T0 + 2_000));
    expect(q.snapshot.value).toBe('accepted');
    expect(q.ran).toEqual(['record decider_approved', 'record accepted', 'notifyAssignee', 'tellRoundDecision']);
    expect(quoteView(q.snapshot).deposit).toEqual({ policy: 'accept_then_pay', paid: false });
    expect(isClosed(q.snapshot)).toBe(false);

    // The first approver pays it from their link; declined, the other one pays it from theirs.
    q.send(payAs('d1', T0 + 3_000));
    expect(q.ran).toEqual(['openDepositPayment']);
    expect(q.params[0]?.params).toEqual({ ask: 1, linkUrl });
    q.send(declined('evt_1', T0 + 4_000));
    expect(q.snapshot.value).toBe('accepted');
    q.send(payAs('d2', T0 + 5_000));
    expect(q.params[0]?.params).toEqual({ ask: 2, linkUrl });
    q.send(paid('pi_2', T0 + 6_000)).send(paid('pi_2', T0 + 6_500));
    expect(q.snapshot.context.depositPaymentId).toBe('pi_2');
    expect(isClosed(q.snapshot)).toBe(true);
    expect(whyNot(q.snapshot, payAs('d1', T0 + 7_000))).toBe('The deposit is already paid');
  });

  it("a decider's no refuses the quote as without a deposit: nothing to pay", () => {
    const q = committee();
    q.send({ type: 'REFUSE', at: T0 + 1_000, actor: as('d1') });
    expect(q.snapshot.value).toBe('refused');
    expect(whyNot(q.snapshot, payAs('d2', T0 + 2_000))).toBe('The quote is already refused');
  });
});

describe('accept_when_paid with several deciders: the yes that meets the round leads to the page, the quote accepted once paid', () => {
  const approver = (id: string, step = 1): Decider => ({ id, role: 'approver', step, email: `${id}@client.example`, name: id.toUpperCase() });
  const as = (deciderId: string): Actor => ({ kind: 'customer', linkId: `link-${deciderId}`, deciderId });
  const committee = (deciders = [approver('d1'), approver('d2')], rules: ('all' | 'any')[] = ['all']) =>
    quote('accept_when_paid', { reminderAfterMs: DAY, maxReminders: 3, deciders: { deciders, rules } });
  const accept = (deciderId: string, at: number): QuoteEvent => ({ type: 'ACCEPT', at, actor: as(deciderId), version: 1 });
  const payAs = (deciderId: string, at: number): QuoteEvent => ({ ...payDeposit(at), actor: as(deciderId) });

  it("counts the first yes as a vote; the second meets the round and opens the page; a declined card leaves the round met, the quote unaccepted, and either approver pays again; paid, accepted and the round told", () => {
    const q = committee();
    // The first yes is a vote: it would not meet the round, so it pays nothing.
    expect(whyNot(q.snapshot, payAs('d1', T0 + 1_000))).toBe("Your yes is counted with the others' (Accept): the deposit is paid with the yes that completes the decision");
    q.send(accept('d1', T0 + 1_000));
    expect(q.ran).toEqual(['record decider_approved']);
    // The yes that meets the round comes with the deposit, never without it.
    expect(whyNot(q.snapshot, accept('d2', T0 + 2_000))).toBe('This quote asks for a deposit: it is accepted by paying the deposit');
    q.send(payAs('d2', T0 + 2_000));
    expect(q.snapshot.value).toBe('sent');
    expect(q.ran).toEqual(['record decider_approved', 'record step_completed', 'openDepositPayment']);
    expect(q.params[0]?.params).toEqual({ type: 'decider_approved', data: { deciderId: 'd2', step: 1, role: 'approver' } });
    expect(q.snapshot.context.deciders?.outcome).toBe('yes');
    expect(isClosed(q.snapshot)).toBe(false);
    // Nobody is awaited any more: no reminder is due.
    expect(quoteView(q.snapshot).nextReminderAt).toBeUndefined();

    q.send(declined('evt_1', T0 + 3_000));
    expect(q.snapshot.value).toBe('sent');
    expect(q.ran).toEqual(['record deposit_failed', 'notifyAssignee']);
    // The round is met: no more votes, and the first approver pays again from their link.
    expect(whyNot(q.snapshot, { type: 'REFUSE', at: T0 + 4_000, actor: as('d1') })).toBe('The decision on this document is already taken');
    q.send(payAs('d1', T0 + 4_000));
    expect(q.ran).toEqual(['openDepositPayment']);
    expect(q.params[0]?.params).toEqual({ ask: 2, linkUrl });
    q.send(paid('pi_2', T0 + 5_000));
    expect(q.snapshot.value).toBe('accepted');
    expect(q.ran).toEqual(['recordDeposit', 'record deposit_paid', 'record accepted', 'notifyAssignee', 'tellRoundDecision']);
    expect(q.params.find((action) => action.type === 'recordTransition' && (action.params as { type: string }).type === 'accepted')?.params).toEqual({ type: 'accepted', actor: as('d1'), data: {} });
    expect(isClosed(q.snapshot)).toBe(true);
    q.send(paid('pi_2', T0 + 5_500));
    expect(q.ran).toEqual([]);
  });

  it('in two steps, only the last step pays; a no before refuses as without a deposit', () => {
    const q = committee([approver('d1', 1), approver('d2', 2), approver('d3', 2)], ['all', 'any']);
    q.send(accept('d1', T0 + 1_000));
    expect(q.ran).toEqual(['record decider_approved', 'record step_completed', 'inviteDeciders']);
    q.send(payAs('d3', T0 + 2_000));
    expect(q.ran).toEqual(['record decider_approved', 'record step_completed', 'openDepositPayment']);
    expect(whyNot(q.snapshot, payAs('d1', T0 + 3_000))).toBe('The deciders agreed: an approver of the last step pays the deposit');
    expect(whyNot(q.snapshot, payAs('d2', T0 + 3_000))).toBeUndefined();

    const refused = committee();
    refused.send({ type: 'REFUSE', at: T0 + 1_000, actor: as('d2') });
    expect(refused.snapshot.value).toBe('refused');
    expect(whyNot(refused.snapshot, payAs('d1', T0 + 2_000))).toBe('The quote is already refused');
  });
});

describe('without a deposit', () => {
  it('refuses PAY_DEPOSIT and ignores deposit reports; the quote is what it always was', () => {
    const q = quote(undefined);
    expect(whyNot(q.snapshot, payDeposit(T0 + 1_000))).toBe('This quote asks for no deposit');
    q.send(paid('pi_1', T0 + 1_000)).send(declined('evt_1', T0 + 1_000));
    expect(q.ran).toEqual([]);
    q.send({ type: 'ACCEPT', at: T0 + 2_000, actor: customer, version: 1 });
    expect(q.snapshot.value).toBe('accepted');
    expect(isClosed(q.snapshot)).toBe(true);
    expect(quoteView(q.snapshot).deposit).toBeUndefined();
    expect(Object.keys(q.snapshot.context)).not.toContain('deposit');
  });

  it('refuses a deposit on a quote that must be signed, and on an expired one', () => {
    expect(whyNot(quote('accept_when_paid', { requireSignature: true }).snapshot, payDeposit(T0 + 1_000))).toBe('This quote must be signed');
    expect(whyNot(quote('accept_when_paid').snapshot, payDeposit(T0 + 31 * DAY))).toBe('The quote has expired');
  });
});

describe('the amount (domain/deposit.ts)', () => {
  it('a share is rounded to the minor unit; a fixed amount is never more than the total', () => {
    expect(depositAmountOf(depositColumns({ percent: 30 }, 'accept_when_paid'), 12_345)).toBe(3_704);
    expect(depositAmountOf(depositColumns({ percent: 12.5 }, undefined), 10_000)).toBe(1_250);
    expect(depositAmountOf(depositColumns({ amount: 50_000 }, 'accept_then_pay'), 12_345)).toBe(12_345);
    expect(depositAmountOf(depositColumns(null, undefined), 12_345)).toBe(0);
    expect(depositColumns({ percent: 30 }, undefined).depositPolicy).toBe('accept_when_paid');
  });
});
