/**
 * The life of a service request (seed 004, Blackbell "Requêtes"), as a pure XState v5 machine
 * interpreted by its workflow like every document's (DESIGN.md §3):
 *
 *   draft ──SEND (received)──▶ pending (inbox)
 *   pending ──START | SELLER_WROTE──▶ in_progress
 *   pending | in_progress | proposal_accepted | proposal_declined ──SEND_PROPOSAL──▶ awaiting_response
 *   awaiting_response ──ACCEPT (customer)──▶ proposal_accepted (inbox, unread)
 *   awaiting_response ──REFUSE (customer)──▶ proposal_declined (inbox, unread)
 *   awaiting_response | proposal_accepted ──WITHDRAW_PROPOSAL──▶ in_progress
 *   pending | in_progress | proposal_accepted | proposal_declined ──CONFIRM──▶ confirmed
 *   any open status ──DECLINE──▶ declined
 *   any open status ──CHANGE_BILLING──▶ the same status, billing changed
 *   any status ──CUSTOMER_WROTE (a message from the portal)──▶ the same status, unread
 *   confirmed, its charge declined ──RETRY_CHARGE──▶ confirmed, charged again (attempt n+1)
 *
 * Decisions taken here, where the seed leaves room:
 * - A request waiting for the customer's answer cannot be confirmed: the seller withdraws the
 *   proposal first (the price the customer sees must be the one charged).
 * - A new proposal replaces an accepted or declined one; the earlier stays in the history.
 * - Confirming with billing "card" when something is to be charged (an accepted amount, a price, a
 *   plan) and the customer has no saved card is refused with the reason, rather than confirmed
 *   into a charge bound to fail.
 * - What confirming charges: the accepted proposal's amount; without one, the request's price
 *   (a product not "on quote" priced in the request) — a declined or withdrawn proposal leaves
 *   the price the customer ordered at. A request on quote has no price: its proposal prices it.
 * - Confirming with billing "card" charges that amount once (`chargeConfirmedRequest`,
 *   attempt 1); with a plan it also starts the subscription (`startSubscription`). The charge's
 *   outcome (paid, or a decline: confirmed-unpaid) is the activity's to record: the request is
 *   confirmed either way. The outcome comes back (CHARGE_SUCCEEDED | CHARGE_FAILED): a declined
 *   charge is charged again only when the seller retries it, one attempt at a time, never once paid.
 * - A "sur devis" request confirmed without an accepted proposal, or declined without any
 *   proposal sent, is flagged `handledWithoutProposal` and left out of the statistics.
 * - The unread mark is set by the customer's answer or message and cleared by the seller's next
 *   move (a message of the seller's included).
 *
 * Final statuses are not XState final states: a view of a confirmed request is still recorded.
 */
import { and, assign, not, setup, type SnapshotFrom } from 'xstate';
import type { AuditEventType } from '../../domain/documents';
import {
  boxOf,
  FINAL_REQUEST_STATUSES,
  type PriceProposal,
  type ProposalOutcome,
  type RequestBilling,
  type RequestBox,
  type RequestStatus,
} from '../../domain/requests';
import { activity, confirmToCustomer, neverTaken, statusReaders, type ConfirmParams, type FactEvent, type NotifyParams, type RecordParams, type Timed } from './actions';

export interface RequestMachineInput {
  now: number;
  priceOnQuote: boolean;
  /** The product's price (minor units) of a request not on quote; absent in runs started before requests had one. */
  price?: number;
  billing: RequestBilling;
  currency: string;
  /** A confirmed request with a plan starts a subscription. */
  hasPlan: boolean;
}

export interface RequestContext extends RequestMachineInput {
  proposals: PriceProposal[];
  outcome?: ProposalOutcome;
  unread: boolean;
  handledWithoutProposal: boolean;
  /** What the card is charged on confirm (the accepted proposal, or the price), minor units. */
  confirmedAmount?: number;
  /** The seller's words when declining, if any. */
  declineReason?: string;
  /** The card's charge on confirm: its latest attempt and how it stands. */
  charge?: { attempt: number; status: ChargeStatus };
}

/** A charge in flight, taken, or declined (the seller may retry it). */
export type ChargeStatus = 'charging' | 'succeeded' | 'failed';

/** The seller's moves. */
export type RequestSellerEvent = Timed &
  (
    | { type: 'START' | 'SELLER_WROTE' | 'WITHDRAW_PROPOSAL' | 'RETRY_CHARGE' }
    /** `cardSaved`: whether the customer has a card to charge, as the API read it (absent in decisions taken before it was asked). */
    | { type: 'CONFIRM'; cardSaved?: boolean }
    | { type: 'DECLINE'; reason?: string }
    | { type: 'SEND_PROPOSAL'; amount: number }
    | { type: 'CHANGE_BILLING'; billing: RequestBilling }
  );

/** The customer's answer to the proposal, from the request's link. */
export interface RequestCustomerEvent extends Timed {
  type: 'ACCEPT' | 'REFUSE';
  reason?: string;
}

/** How a charge attempt ended, as its activity answered (behind the seller's answer). */
export interface RequestChargeOutcome {
  type: 'CHARGE_SUCCEEDED' | 'CHARGE_FAILED';
  attempt: number;
  at: number;
}

/** The customer wrote on the request's conversation (a fact: stored already, never refused). */
export interface RequestCustomerWrote {
  type: 'CUSTOMER_WROTE';
  at: number;
}

export type RequestEvent = ({ type: 'SEND' } & Timed) | FactEvent | RequestSellerEvent | RequestCustomerEvent | RequestChargeOutcome | RequestCustomerWrote;

/** Parameters of the activity that charges the saved card on confirm. */
export interface ChargeRequestParams {
  amount: number;
  currency: string;
  attempt: number;
}

/** Parameters of the email that brings the customer the proposal and its link. */
export interface ProposalEmailParams {
  seq: number;
  amount: number;
  currency: string;
}

const lastProposal = (context: RequestContext): PriceProposal | undefined => context.proposals.at(-1);

/** The proposals with the last one's status changed. */
const settleLast = (context: RequestContext, status: PriceProposal['status']): PriceProposal[] =>
  context.proposals.map((proposal, index) => (index === context.proposals.length - 1 ? { ...proposal, status } : proposal));

const acceptedAmount = (context: RequestContext): number | undefined => {
  const last = lastProposal(context);
  return last?.status === 'accepted' ? last.amount : undefined;
};

/** What confirming charges: the accepted proposal's amount, else the price of a request not on quote. */
const amountToCharge = (context: RequestContext): number | undefined => acceptedAmount(context) ?? (context.priceOnQuote ? undefined : context.price);

/** Confirming charges the card: an amount now, or a plan's periods from now on. */
const wouldCharge = (context: RequestContext): boolean => context.billing === 'card' && (amountToCharge(context) !== undefined || context.hasPlan);

export const requestMachine = setup({
  types: {
    context: {} as RequestContext,
    events: {} as RequestEvent,
    input: {} as RequestMachineInput,
  },
  guards: {
    validAmount: ({ event }) => event.type === 'SEND_PROPOSAL' && Number.isInteger(event.amount) && event.amount > 0,
    chargesCard: ({ context }) => context.billing === 'card' && amountToCharge(context) !== undefined,
    chargeDeclined: ({ context }) => context.charge?.status === 'failed',
    noCardToCharge: ({ context, event }) => event.type === 'CONFIRM' && event.cardSaved === false && wouldCharge(context),
    unread: ({ context }) => context.unread,
    currentAttempt: ({ context, event }) => (event.type === 'CHARGE_SUCCEEDED' || event.type === 'CHARGE_FAILED') && event.attempt === context.charge?.attempt,
  },
  actions: {
    keepTime: assign({ now: ({ context, event }) => (typeof event.at === 'number' ? event.at : context.now) }),
    markRead: assign({ unread: false }),
    markUnread: assign({ unread: true }),
    addProposal: assign(({ context, event }) => {
      if (event.type !== 'SEND_PROPOSAL') return {};
      // A proposal still out is replaced, never left answerable beside the new one.
      const earlier = lastProposal(context)?.status === 'sent' ? settleLast(context, 'withdrawn') : context.proposals;
      return { proposals: [...earlier, { seq: context.proposals.length + 1, amount: event.amount, currency: context.currency, status: 'sent' as const }] };
    }),
    withdrawProposal: assign(({ context }) => ({ proposals: settleLast(context, 'withdrawn'), outcome: undefined })),
    answer: assign(({ context, event }) => {
      const outcome: ProposalOutcome = event.type === 'ACCEPT' ? 'accepted' : 'declined';
      return { proposals: settleLast(context, outcome), outcome, unread: true };
    }),
    changeBilling: assign(({ context, event }) => (event.type === 'CHANGE_BILLING' ? { billing: event.billing } : { billing: context.billing })),
    settleConfirm: assign(({ context }) => {
      const amount = amountToCharge(context);
      return { ...(amount !== undefined ? { confirmedAmount: amount } : {}), handledWithoutProposal: context.priceOnQuote && acceptedAmount(context) === undefined };
    }),
    settleDecline: assign(({ context, event }) => ({
      handledWithoutProposal: context.priceOnQuote && context.proposals.length === 0,
      ...(event.type === 'DECLINE' && event.reason ? { declineReason: event.reason } : {}),
    })),
    /** The next attempt goes out: the first on confirm, one more on each retry. */
    startCharge: assign(({ context }) => ({ charge: { attempt: (context.charge?.attempt ?? 0) + 1, status: 'charging' as const } })),
    settleCharge: assign(({ context, event }) =>
      context.charge ? { charge: { ...context.charge, status: event.type === 'CHARGE_SUCCEEDED' ? ('succeeded' as const) : ('failed' as const) } } : {},
    ),
    recordTransition: activity<RecordParams>(),
    notifyAssignee: activity<NotifyParams>(),
    confirmToCustomer: activity<ConfirmParams>(),
    syncRequest: activity<undefined>(),
    sendProposalEmail: activity<ProposalEmailParams>(),
    chargeConfirmedRequest: activity<ChargeRequestParams>(),
    startSubscription: activity<undefined>(),
  },
}).createMachine(
  (() => {
    const record = (type: AuditEventType) => ({ type: 'recordTransition', params: { type } }) as const;
    /** Every change the seller or customer makes: the request's row first, then its audit event. */
    const seller = <TOwn extends ('settleConfirm' | 'settleDecline' | 'changeBilling' | 'withdrawProposal')[]>(type: AuditEventType, ...own: TOwn) =>
      ['keepTime', 'markRead', ...own, 'syncRequest', record(type)] as const;

    const sendProposal = {
      guard: 'validAmount',
      target: '#request.awaiting_response',
      actions: [
        'keepTime',
        'markRead',
        'addProposal',
        'syncRequest',
        {
          type: 'recordTransition',
          params: ({ context }: { context: RequestContext }) => {
            const sent = lastProposal(context) as PriceProposal;
            return { type: 'proposal_sent' as const, data: { seq: sent.seq, amount: sent.amount, currency: sent.currency } };
          },
        },
        {
          type: 'sendProposalEmail',
          params: ({ context }: { context: RequestContext }) => {
            const { seq, amount, currency } = lastProposal(context) as PriceProposal;
            return { seq, amount, currency };
          },
        },
      ],
    } as const;
    const charge = [
      'startCharge',
      {
        type: 'chargeConfirmedRequest',
        params: ({ context }: { context: RequestContext }) => ({ amount: context.confirmedAmount as number, currency: context.currency, attempt: context.charge?.attempt as number }),
      },
    ] as const;
    const confirm = [
      {
        guard: and([not('noCardToCharge'), 'chargesCard']),
        target: '#request.confirmed',
        actions: [
          ...seller('confirmed', 'settleConfirm'),
          ...charge,
          'startSubscription',
          confirmToCustomer('request_confirmed'),
        ],
      },
      { guard: not('noCardToCharge'), target: '#request.confirmed', actions: [...seller('confirmed', 'settleConfirm'), 'startSubscription', confirmToCustomer('request_confirmed')] },
    ] as const;
    const decline = {
      target: '#request.declined',
      actions: [
        ...seller('declined', 'settleDecline'),
        {
          type: 'confirmToCustomer',
          params: ({ context }: { context: RequestContext }): ConfirmParams => ({
            confirmation: 'request_declined',
            ...(context.declineReason ? { reason: context.declineReason } : {}),
          }),
        },
      ],
    } as const;
    const changeBilling = { actions: seller('billing_changed', 'changeBilling') } as const;
    /** A customer's message read by the seller's answer; nothing to write otherwise. */
    const sellerWroteAgain = [{ guard: 'unread', actions: ['keepTime', 'markRead', 'syncRequest'] }, { actions: 'keepTime' }] as const;
    const withdraw = { target: '#request.in_progress', actions: seller('proposal_withdrawn', 'withdrawProposal') } as const;
    const customerAnswer = (type: 'proposal_accepted' | 'proposal_declined', target: string) =>
      ({
        target,
        actions: [
          'keepTime',
          'answer',
          'syncRequest',
          {
            type: 'recordTransition',
            params: ({ context }: { context: RequestContext }) => {
              const answered = lastProposal(context) as PriceProposal;
              return { type, data: { seq: answered.seq, amount: answered.amount, currency: answered.currency } };
            },
          },
          { type: 'notifyAssignee', params: { event: 'decided', what: type } },
        ],
      }) as const;

    return {
      id: 'request',
      context: ({ input }: { input: RequestMachineInput }) => ({ ...input, proposals: [], unread: false, handledWithoutProposal: false }),
      initial: 'draft',
      on: {
        VIEWED: { actions: ['keepTime', record('viewed')] },
        DOWNLOADED: { actions: ['keepTime', record('downloaded')] },
        // Unread until the seller's next move; already unread, nothing more to write.
        CUSTOMER_WROTE: [{ guard: 'unread', actions: 'keepTime' }, { actions: ['keepTime', 'markUnread', 'syncRequest'] }],
      },
      states: {
        draft: {
          on: { SEND: { target: 'pending', actions: ['keepTime', 'syncRequest', record('created')] } },
        },
        pending: {
          on: {
            START: { target: 'in_progress', actions: seller('request_started') },
            SELLER_WROTE: { target: 'in_progress', actions: seller('request_started') },
            SEND_PROPOSAL: sendProposal,
            CONFIRM: confirm,
            DECLINE: decline,
            CHANGE_BILLING: changeBilling,
          },
        },
        in_progress: {
          on: {
            // Writing again changes nothing but the unread mark: the request is being handled already (an action, so `can` says yes).
            SELLER_WROTE: sellerWroteAgain,
            SEND_PROPOSAL: sendProposal,
            CONFIRM: confirm,
            DECLINE: decline,
            CHANGE_BILLING: changeBilling,
          },
        },
        awaiting_response: {
          on: {
            SELLER_WROTE: sellerWroteAgain,
            ACCEPT: customerAnswer('proposal_accepted', 'proposal_accepted'),
            REFUSE: customerAnswer('proposal_declined', 'proposal_declined'),
            WITHDRAW_PROPOSAL: withdraw,
            SEND_PROPOSAL: sendProposal,
            DECLINE: decline,
            CHANGE_BILLING: changeBilling,
          },
        },
        proposal_accepted: {
          on: {
            SELLER_WROTE: { actions: ['markRead', 'syncRequest'] },
            WITHDRAW_PROPOSAL: withdraw,
            SEND_PROPOSAL: sendProposal,
            CONFIRM: confirm,
            DECLINE: decline,
            CHANGE_BILLING: changeBilling,
          },
        },
        proposal_declined: {
          on: {
            SELLER_WROTE: { actions: ['markRead', 'syncRequest'] },
            SEND_PROPOSAL: sendProposal,
            CONFIRM: confirm,
            DECLINE: decline,
            CHANGE_BILLING: changeBilling,
          },
        },
        confirmed: {
          on: {
            RETRY_CHARGE: { guard: 'chargeDeclined', actions: ['keepTime', ...charge] },
            CHARGE_SUCCEEDED: { guard: 'currentAttempt', actions: ['keepTime', 'settleCharge'] },
            CHARGE_FAILED: { guard: 'currentAttempt', actions: ['keepTime', 'settleCharge'] },
          },
        },
        declined: {},
      },
    };
  })(),
);

export type RequestSnapshot = SnapshotFrom<typeof requestMachine>;

export const { status: requestStatus, isClosed: isRequestClosed } = statusReaders<RequestStatus | 'draft', RequestSnapshot>(FINAL_REQUEST_STATUSES);

/** Why a service request refuses events of `type` in every status; undefined when some status takes them. */
export function whyRequestNeverTakes(type: string): string | undefined {
  return neverTaken(requestMachine, type, (decision) => `A service request's price proposal is accepted or refused; it takes no ${decision}`);
}

/** Why the machine would refuse `event` now, in words a seller or customer can read; undefined when allowed. */
export function whyNotRequest(snapshot: RequestSnapshot, event: RequestEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  const status = requestStatus(snapshot);
  if (event.type === 'RETRY_CHARGE') return whyNoRetry(snapshot);
  if (status === 'confirmed') return 'The request is already confirmed';
  if (status === 'declined') return 'The request is declined';
  if (event.type === 'CONFIRM' && event.cardSaved === false && wouldCharge(snapshot.context)) {
    return 'The customer has no saved card to charge: save one (PATCH /v1/customers/:id savedCard) or bill by invoice (POST /v1/requests/:id/status {"billing": "invoice"})';
  }
  if (event.type === 'SEND_PROPOSAL') return 'A price proposal is a positive amount in minor units';
  if (event.type === 'CONFIRM' && status === 'awaiting_response') return 'The customer has not answered the price proposal: withdraw it before confirming';
  if (event.type === 'ACCEPT' || event.type === 'REFUSE') return 'No price proposal is waiting for an answer';
  if (event.type === 'WITHDRAW_PROPOSAL') return 'No price proposal to withdraw';
  return `A request that is ${status.replace('_', ' ')} cannot take ${event.type.toLowerCase().replace('_', ' ')}`;
}

function whyNoRetry(snapshot: RequestSnapshot): string {
  const status = requestStatus(snapshot);
  const { charge } = snapshot.context;
  if (status !== 'confirmed') return `A request that is ${status.replace('_', ' ')} is charged once confirmed, not before`;
  if (!charge) return 'The request was not charged by card on confirm: nothing to retry';
  if (charge.status === 'charging') return `Charge attempt ${charge.attempt} is still in flight: wait for its outcome`;
  return 'The request is already paid';
}

/** Whether the confirmed request's card charge is in flight or declined (the seller may retry it). */
export function chargeUnsettled(snapshot: RequestSnapshot): boolean {
  return snapshot.context.charge !== undefined && snapshot.context.charge.status !== 'succeeded';
}

/** What the workflow answers decisions and queries with, and what syncRequest writes. */
export interface RequestView {
  status: RequestStatus | 'draft';
  box: RequestBox;
  billing: RequestBilling;
  proposals: PriceProposal[];
  outcome: ProposalOutcome | null;
  unread: boolean;
  handledWithoutProposal: boolean;
  declineReason: string | null;
}

export function requestView(snapshot: RequestSnapshot): RequestView {
  const status = requestStatus(snapshot);
  const { context } = snapshot;
  return {
    status,
    box: status === 'draft' ? 'inbox' : boxOf(status),
    billing: context.billing,
    proposals: context.proposals,
    outcome: context.outcome ?? null,
    unread: context.unread,
    handledWithoutProposal: context.handledWithoutProposal,
    declineReason: context.declineReason ?? null,
  };
}
