/**
 * The service request machine on its own (seed 004): pure stepping with XState's
 * `initialTransition`/`transition`. Every status with the events it takes and the ones it
 * refuses (with the reason), the box each status is listed in, proposals withdrawn and sent
 * again, the unread mark, the card charged once on confirm, and the flag for requests handled
 * without a price proposal.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import { confirmChargeKey, REQUEST_STATUSES, type RequestStatus } from '../../../domain/requests';
import { chargeUnsettled, isRequestClosed, requestMachine, requestStatus, requestView, whyNotRequest, type RequestEvent, type RequestMachineInput, type RequestSnapshot } from '../../../workflows/machines/request';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1' };

interface Action {
  type: string;
  params?: unknown;
}

const INPUT: RequestMachineInput = { now: T0, priceOnQuote: true, billing: 'card', currency: 'EUR', hasPlan: false };

function start(input: RequestMachineInput = INPUT): RequestSnapshot {
  return (initialTransition(requestMachine, input) as [RequestSnapshot, Action[]])[0];
}

function step(snapshot: RequestSnapshot, event: RequestEvent): { snapshot: RequestSnapshot; actions: Action[] } {
  const [next, actions] = transition(requestMachine, snapshot, event) as [RequestSnapshot, Action[]];
  return { snapshot: next, actions };
}

/** Assign actions are applied by XState itself; what is left is for the interpreter to run. */
const activities = (actions: Action[]) => actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => action.type);
const recorded = (actions: Action[]) => actions.filter((action) => action.type === 'recordTransition').map((action) => (action.params as { type: string }).type);

const by = (actor: Actor, type: string, extra: object = {}): RequestEvent => ({ type, at: T0 + 1000, actor, ...extra }) as RequestEvent;
const E = {
  send: by(seller, 'SEND'),
  start: by(seller, 'START'),
  wrote: by(seller, 'SELLER_WROTE'),
  propose: (amount: number) => by(seller, 'SEND_PROPOSAL', { amount }),
  withdraw: by(seller, 'WITHDRAW_PROPOSAL'),
  accept: by(customer, 'ACCEPT'),
  refuse: by(customer, 'REFUSE', { reason: 'Trop cher' }),
  confirm: by(seller, 'CONFIRM'),
  decline: by(seller, 'DECLINE', { reason: 'Hors zone' }),
  billing: (billing: 'card' | 'invoice') => by(seller, 'CHANGE_BILLING', { billing }),
  retryCharge: by(seller, 'RETRY_CHARGE'),
  charged: (attempt: number, succeeded: boolean): RequestEvent => ({ type: succeeded ? 'CHARGE_SUCCEEDED' : 'CHARGE_FAILED', attempt, at: T0 }),
};

/** Runs events in order, each required to be taken. */
function run(events: RequestEvent[], input: RequestMachineInput = INPUT): { snapshot: RequestSnapshot; actions: Action[] } {
  let current = { snapshot: start(input), actions: [] as Action[] };
  for (const event of events) {
    expect(whyNotRequest(current.snapshot, event)).toBeUndefined();
    current = step(current.snapshot, event);
  }
  return current;
}

/** A snapshot in each status, reached the way a request gets there. */
const IN: Record<RequestStatus, RequestEvent[]> = {
  pending: [E.send],
  in_progress: [E.send, E.start],
  awaiting_response: [E.send, E.propose(15000)],
  proposal_accepted: [E.send, E.propose(15000), E.accept],
  proposal_declined: [E.send, E.propose(15000), E.refuse],
  confirmed: [E.send, E.propose(15000), E.accept, E.confirm],
  declined: [E.send, E.decline],
};

/** Which seller/customer events each status takes (facts VIEWED/DOWNLOADED are taken everywhere). */
const TAKES: Record<RequestStatus, string[]> = {
  pending: ['START', 'SELLER_WROTE', 'SEND_PROPOSAL', 'CONFIRM', 'DECLINE', 'CHANGE_BILLING'],
  in_progress: ['SELLER_WROTE', 'SEND_PROPOSAL', 'CONFIRM', 'DECLINE', 'CHANGE_BILLING'],
  awaiting_response: ['SELLER_WROTE', 'ACCEPT', 'REFUSE', 'WITHDRAW_PROPOSAL', 'SEND_PROPOSAL', 'DECLINE', 'CHANGE_BILLING'],
  proposal_accepted: ['SELLER_WROTE', 'WITHDRAW_PROPOSAL', 'SEND_PROPOSAL', 'CONFIRM', 'DECLINE', 'CHANGE_BILLING'],
  proposal_declined: ['SELLER_WROTE', 'SEND_PROPOSAL', 'CONFIRM', 'DECLINE', 'CHANGE_BILLING'],
  confirmed: [],
  declined: [],
};
const EVERY_EVENT: RequestEvent[] = [E.start, E.wrote, E.propose(9900), E.withdraw, E.accept, E.refuse, E.confirm, E.decline, E.billing('invoice'), E.send];

describe('request machine', () => {
  it('starts as a draft and is received as pending, in the inbox', () => {
    const first = start();
    expect(requestStatus(first)).toBe('draft');
    const { snapshot, actions } = step(first, E.send);
    expect(requestStatus(snapshot)).toBe('pending');
    expect(requestView(snapshot)).toMatchObject({ box: 'inbox', unread: false, proposals: [], outcome: null });
    expect(activities(actions)).toEqual(['syncRequest', 'recordTransition']);
    expect(recorded(actions)).toEqual(['created']);
  });

  it.each(REQUEST_STATUSES)('in %s takes exactly its events and refuses the others with a reason', (status) => {
    const { snapshot } = run(IN[status]);
    expect(requestStatus(snapshot)).toBe(status);
    for (const event of EVERY_EVENT) {
      const allowed = TAKES[status].includes(event.type);
      expect({ event: event.type, allowed: whyNotRequest(snapshot, event) === undefined }).toEqual({ event: event.type, allowed });
      if (!allowed) expect(whyNotRequest(snapshot, event)).toMatch(/\w/);
    }
    // Views are facts: recorded whatever the status.
    expect(recorded(step(snapshot, { type: 'VIEWED', at: T0, occurredAt: T0, eventId: 'v1', actor: customer }).actions)).toEqual(['viewed']);
  });

  it('lists each status in its box', () => {
    const boxes = Object.fromEntries(REQUEST_STATUSES.map((status) => [status, requestView(run(IN[status]).snapshot).box]));
    expect(boxes).toEqual({
      pending: 'inbox',
      in_progress: 'in_progress',
      awaiting_response: 'awaiting_response',
      proposal_accepted: 'inbox',
      proposal_declined: 'inbox',
      confirmed: 'closed',
      declined: 'closed',
    });
    expect(isRequestClosed(run(IN.confirmed).snapshot)).toBe(true);
    expect(isRequestClosed(run(IN.proposal_accepted).snapshot)).toBe(false);
  });

  it('goes in progress when the seller first writes to the customer, and stays there on the next message', () => {
    const first = run([E.send, E.wrote]);
    expect(requestStatus(first.snapshot)).toBe('in_progress');
    expect(recorded(first.actions)).toEqual(['request_started']);
    const again = step(first.snapshot, E.wrote);
    expect(requestStatus(again.snapshot)).toBe('in_progress');
    expect(activities(again.actions)).toEqual([]);
  });

  it('sends a proposal by email, and the answer comes back to the inbox unread with its outcome', () => {
    const sent = run([E.send, E.start, E.propose(15000)]);
    expect(activities(sent.actions)).toEqual(['syncRequest', 'recordTransition', 'sendProposalEmail']);
    expect(sent.actions.find((action) => action.type === 'sendProposalEmail')?.params).toEqual({ seq: 1, amount: 15000, currency: 'EUR' });
    expect(requestView(sent.snapshot)).toMatchObject({ status: 'awaiting_response', proposals: [{ seq: 1, amount: 15000, status: 'sent' }] });

    const accepted = step(sent.snapshot, E.accept);
    expect(requestView(accepted.snapshot)).toMatchObject({ status: 'proposal_accepted', box: 'inbox', unread: true, outcome: 'accepted', proposals: [{ status: 'accepted' }] });
    expect(activities(accepted.actions)).toEqual(['syncRequest', 'recordTransition', 'notifyAssignee']);
    expect(recorded(accepted.actions)).toEqual(['proposal_accepted']);

    const refused = step(sent.snapshot, E.refuse);
    expect(requestView(refused.snapshot)).toMatchObject({ status: 'proposal_declined', unread: true, outcome: 'declined' });
  });

  it('clears the unread mark on the seller’s next move', () => {
    const answered = run(IN.proposal_accepted).snapshot;
    expect(requestView(step(answered, E.wrote).snapshot).unread).toBe(false);
    expect(requestView(step(answered, E.billing('invoice')).snapshot).unread).toBe(false);
  });

  it('withdraws a proposal and sends a new one; the history keeps both', () => {
    const withdrawn = run([E.send, E.propose(15000), E.withdraw]);
    expect(requestView(withdrawn.snapshot)).toMatchObject({ status: 'in_progress', proposals: [{ seq: 1, status: 'withdrawn' }] });
    expect(recorded(withdrawn.actions)).toEqual(['proposal_withdrawn']);
    const resent = step(withdrawn.snapshot, E.propose(12000));
    expect(requestView(resent.snapshot).proposals).toEqual([
      { seq: 1, amount: 15000, currency: 'EUR', status: 'withdrawn' },
      { seq: 2, amount: 12000, currency: 'EUR', status: 'sent' },
    ]);
    // A new proposal while one is out replaces it: only one is ever answerable.
    const replaced = step(run([E.send, E.propose(15000)]).snapshot, E.propose(14000));
    expect(requestView(replaced.snapshot).proposals.map((proposal) => proposal.status)).toEqual(['withdrawn', 'sent']);
    // An accepted proposal can be withdrawn too: the outcome goes with it.
    const unaccepted = step(run(IN.proposal_accepted).snapshot, E.withdraw);
    expect(requestView(unaccepted.snapshot)).toMatchObject({ status: 'in_progress', outcome: null, proposals: [{ status: 'withdrawn' }] });
  });

  it('refuses a proposal that is not a positive whole amount', () => {
    const pending = run(IN.pending).snapshot;
    expect(whyNotRequest(pending, E.propose(0))).toMatch(/positive amount/);
    expect(whyNotRequest(pending, E.propose(10.5))).toMatch(/positive amount/);
  });

  it('refuses to confirm while the customer has not answered', () => {
    expect(whyNotRequest(run(IN.awaiting_response).snapshot, E.confirm)).toMatch(/withdraw it before confirming/);
  });

  it('confirms an accepted proposal with billing card: charges the accepted amount once, attempt 1', () => {
    const { snapshot, actions } = run(IN.confirmed);
    expect(activities(actions)).toEqual(['syncRequest', 'recordTransition', 'chargeConfirmedRequest', 'startSubscription', 'confirmToCustomer']);
    expect(actions.find((action) => action.type === 'chargeConfirmedRequest')?.params).toEqual({ amount: 15000, currency: 'EUR', attempt: 1 });
    expect(requestView(snapshot)).toMatchObject({ status: 'confirmed', box: 'closed', handledWithoutProposal: false, unread: false });
    // Confirmed is the end: no second confirm, so no second charge.
    expect(whyNotRequest(snapshot, E.confirm)).toBe('The request is already confirmed');
    expect(confirmChargeKey('req_1', 1)).toBe('req_1-confirm-attempt-1');
  });

  it('charges a declined card again on the seller\'s retry, one attempt at a time, never once paid', () => {
    const confirmed = run(IN.confirmed).snapshot;
    expect(whyNotRequest(confirmed, E.retryCharge)).toBe('Charge attempt 1 is still in flight: wait for its outcome');
    expect(chargeUnsettled(confirmed)).toBe(true);
    const declined = step(confirmed, E.charged(1, false)).snapshot;
    const retried = step(declined, E.retryCharge);
    expect(activities(retried.actions)).toEqual(['chargeConfirmedRequest']);
    expect(retried.actions.find((action) => action.type === 'chargeConfirmedRequest')?.params).toEqual({ amount: 15000, currency: 'EUR', attempt: 2 });
    expect(whyNotRequest(retried.snapshot, E.retryCharge)).toBe('Charge attempt 2 is still in flight: wait for its outcome');
    // A late answer of an earlier attempt changes nothing.
    expect(step(retried.snapshot, E.charged(1, true)).snapshot.context.charge).toEqual({ attempt: 2, status: 'charging' });
    const paid = step(retried.snapshot, E.charged(2, true)).snapshot;
    expect(chargeUnsettled(paid)).toBe(false);
    expect(whyNotRequest(paid, E.retryCharge)).toBe('The request is already paid');
    expect(whyNotRequest(run(IN.in_progress).snapshot, E.retryCharge)).toMatch(/charged once confirmed/);
    expect(whyNotRequest(run([...IN.proposal_accepted, E.billing('invoice'), E.confirm]).snapshot, E.retryCharge)).toMatch(/not charged by card/);
  });

  it("marks the request unread on the customer's message, read again by the seller's next move", () => {
    const wrote: RequestEvent = { type: 'CUSTOMER_WROTE', at: T0 };
    const awaiting = run(IN.awaiting_response).snapshot;
    const unread = step(awaiting, wrote);
    expect(activities(unread.actions)).toEqual(['syncRequest']);
    expect(requestView(unread.snapshot)).toMatchObject({ status: 'awaiting_response', unread: true });
    // Unread already: nothing more to write.
    expect(activities(step(unread.snapshot, wrote).actions)).toEqual([]);
    const answered = step(unread.snapshot, E.wrote);
    expect(activities(answered.actions)).toEqual(['syncRequest']);
    expect(requestView(answered.snapshot).unread).toBe(false);
    // A seller writing again on a read request writes nothing, as before.
    expect(activities(step(run(IN.in_progress).snapshot, E.wrote).actions)).toEqual([]);
  });

  it('refuses to confirm a card billing the customer has no saved card for, when something is to be charged', () => {
    const noCard = by(seller, 'CONFIRM', { cardSaved: false });
    const accepted = run(IN.proposal_accepted).snapshot;
    expect(whyNotRequest(accepted, noCard)).toMatch(/^The customer has no saved card to charge/);
    expect(whyNotRequest(accepted, by(seller, 'CONFIRM', { cardSaved: true }))).toBeUndefined();
    // Nothing to charge (no accepted amount, no plan), or billed by invoice: confirmed.
    expect(whyNotRequest(run(IN.in_progress).snapshot, noCard)).toBeUndefined();
    expect(whyNotRequest(run([...IN.proposal_accepted, E.billing('invoice')]).snapshot, noCard)).toBeUndefined();
    // A plan is charged each period: refused too.
    expect(whyNotRequest(run(IN.in_progress, { ...INPUT, hasPlan: true }).snapshot, noCard)).toMatch(/no saved card/);
  });

  it("charges a request at its price (not on quote) on confirm, unless a proposal was accepted; a request on quote has no price to charge", () => {
    const priced: RequestMachineInput = { ...INPUT, priceOnQuote: false, price: 4900 };
    const charged = (events: RequestEvent[], input = priced) => run(events, input).actions.find((action) => action.type === 'chargeConfirmedRequest')?.params;
    expect(charged([E.send, E.confirm])).toEqual({ amount: 4900, currency: 'EUR', attempt: 1 });
    // A proposal accepted prices it; one declined or withdrawn leaves the price it was ordered at.
    expect(charged([E.send, E.propose(4500), E.accept, E.confirm])).toEqual({ amount: 4500, currency: 'EUR', attempt: 1 });
    expect(charged([E.send, E.propose(6000), E.refuse, E.confirm])).toEqual({ amount: 4900, currency: 'EUR', attempt: 1 });
    expect(charged([E.send, E.propose(6000), E.withdraw, E.confirm])).toEqual({ amount: 4900, currency: 'EUR', attempt: 1 });
    // Declined, it is retried like any charge; without a saved card, confirm is refused with the reason.
    const declined = step(run([E.send, E.confirm], priced).snapshot, E.charged(1, false)).snapshot;
    expect(step(declined, E.retryCharge).actions.find((action) => action.type === 'chargeConfirmedRequest')?.params).toEqual({ amount: 4900, currency: 'EUR', attempt: 2 });
    expect(whyNotRequest(run([E.send], priced).snapshot, by(seller, 'CONFIRM', { cardSaved: false }))).toMatch(/^The customer has no saved card to charge/);
    // Billed by invoice, or on quote (priced by its proposal only): nothing charged.
    expect(charged([E.send, E.billing('invoice'), E.confirm])).toBeUndefined();
    expect(charged([E.send, E.confirm], { ...priced, priceOnQuote: true })).toBeUndefined();
  });

  it('charges nothing when billing was changed to invoice before confirming', () => {
    const { snapshot, actions } = run([...IN.proposal_accepted, E.billing('invoice'), E.confirm]);
    expect(activities(actions)).toEqual(['syncRequest', 'recordTransition', 'startSubscription', 'confirmToCustomer']);
    expect(requestView(snapshot).billing).toBe('invoice');
  });

  it('flags a price-on-quote request confirmed without an accepted proposal, or declined without any proposal', () => {
    const confirmedBlind = run([E.send, E.start, E.confirm]);
    expect(requestView(confirmedBlind.snapshot).handledWithoutProposal).toBe(true);
    expect(activities(confirmedBlind.actions)).not.toContain('chargeConfirmedRequest');
    expect(requestView(run([E.send, E.propose(15000), E.refuse, E.confirm]).snapshot).handledWithoutProposal).toBe(true);
    expect(requestView(run([E.send, E.decline]).snapshot).handledWithoutProposal).toBe(true);
    expect(requestView(run([E.send, E.propose(15000), E.refuse, E.decline]).snapshot).handledWithoutProposal).toBe(false);
    // A fixed-price request is not "sur devis": never flagged.
    expect(requestView(run([E.send, E.confirm], { ...INPUT, priceOnQuote: false }).snapshot).handledWithoutProposal).toBe(false);
  });

  it("keeps the seller's reason for declining, for the request's row (syncRequest writes it before the event)", () => {
    const declined = run(IN.declined);
    expect(requestView(declined.snapshot)).toMatchObject({ status: 'declined', declineReason: 'Hors zone' });
    expect(activities(declined.actions)).toEqual(['syncRequest', 'recordTransition', 'confirmToCustomer']);
    // The customer is told, with the reason.
    expect(declined.actions.find((action) => action.type === 'confirmToCustomer')?.params).toEqual({ confirmation: 'request_declined', reason: 'Hors zone' });
    expect(requestView(run(IN.pending).snapshot).declineReason).toBeNull();
  });

  it('says why the customer cannot answer when no proposal waits', () => {
    expect(whyNotRequest(run(IN.in_progress).snapshot, E.accept)).toBe('No price proposal is waiting for an answer');
    expect(whyNotRequest(run(IN.proposal_declined).snapshot, E.withdraw)).toBe('No price proposal to withdraw');
    expect(whyNotRequest(run(IN.declined).snapshot, E.start)).toBe('The request is declined');
  });
});
