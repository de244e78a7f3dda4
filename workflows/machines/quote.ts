/**
 * The life of a quote, as a pure XState v5 machine (DESIGN.md §3): no I/O, no clock, no
 * timers of its own. The quote workflow interprets it: actions named after activities are
 * run by the workflow, and every `after` delay becomes a durable Temporal timer.
 *
 *   draft ──SEND──▶ sent ──VIEWED──▶ viewed
 *                    │                 │
 *                    ├── ACCEPT ───────┼──▶ accepted
 *                    ├── REFUSE ───────┼──▶ refused
 *                    └── HOLD ─────────┴──▶ on_hold ──ACCEPT/REFUSE──▶ accepted | refused
 *   sent | viewed | on_hold ── validUntil ──▶ expired
 *   draft | sent | viewed | on_hold ── CANCEL ──▶ cancelled (an external signing out is withdrawn)
 *   sent | viewed | on_hold ── SIGN ──▶ accepted (records signed, then accepted)
 *   sent | viewed | on_hold ── CANCEL_SIGNING ──▶ the same status, its portal signing cancelled
 *   sent | viewed | on_hold ── REVISE ──▶ the same status, one version later
 *   sent | viewed | on_hold ── RECORD_ANSWER ──▶ accepted | refused (an open signing cancelled first)
 *   draft ──REOPEN──▶ sent (a refused or expired quote's new run: one version later)
 *   accepted ── WITHDRAW ──▶ sent (while the withdrawal window is open)
 *   accepted ── MOVE_ON | the window's end ──▶ accepted, closed (no withdrawal any more; MOVE_ON again changes nothing)
 *   with a deposit (domain/deposit.ts), the customer's yes on the portal is PAY_DEPOSIT:
 *   sent | viewed | on_hold ── PAY_DEPOSIT ──▶ accepted, deposit due (accept_then_pay) | the same status, deposit asked (accept_when_paid)
 *   sent | viewed | on_hold ── DEPOSIT_PAID ──▶ accepted (accept_when_paid, once asked)
 *   accepted ── PAY_DEPOSIT ──▶ accepted (the deposit due asked again) ── DEPOSIT_PAID ──▶ accepted, deposit paid
 *   with deciders and accept_then_pay, the round met accepts as without a deposit, the deposit then due:
 *   any link that may accept (or sign) pays it with PAY_DEPOSIT from accepted
 *   with deciders and accept_when_paid: sent | viewed ── PAY_DEPOSIT (the yes meeting the round) ──▶ the same
 *   status, round met, deposit asked ── DEPOSIT_PAID ──▶ accepted (the round told)
 *
 * Decisions taken here, where the product pages leave room:
 * - on_hold is the customer's own answer ("I need time"): the customer leaves it by accepting
 *   or refusing. Opening the quote again while on hold is recorded (and notified) but does not
 *   undo the hold: re-reading a quote is not a decision, and the seller would otherwise lose
 *   the one signal the customer gave.
 * - Automatic reminders run only while nothing is decided (sent, viewed), at most
 *   `maxReminders` times, each `reminderAfterMs` after the last email (first send or
 *   reminder), so a view does not push the next reminder back. On hold, the seller may still
 *   remind by hand (REMIND); a manual reminder counts towards the automatic budget and
 *   restarts the reminder clock, but is never refused for the budget: the seller decides.
 * - Views and downloads are recorded in every state, final ones included.
 * - The clock is the events' own `at` (epoch ms), copied into context, so delays are computed
 *   from data: the interpreter stamps the delayed events it feeds back with the firing time.
 *
 * - Built-in signature: with `requireSignature`, ACCEPT is refused ("This quote must be
 *   signed") and only SIGN, with the signer's consent, accepts. SIGN is welcome without the
 *   requirement too: it is an acceptance with more evidence.
 * - The seller may cancel the portal signing (CANCEL_SIGNING: the customer answered by phone):
 *   SIGN is refused from then on (the customer's link still opens the quote, to read it, its
 *   chain and the conversation), and the quote stays open for the answer the seller records, or to convert
 *   by hand; reminders go on as before, so the seller keeps the quote's clock.
 * - The customer may answer away from the portal (by phone, at the counter, by email): the seller
 *   records it (RECORD_ANSWER) and it is taken as the customer's decision, with how, by whom and
 *   when in the trail. It is about the current version, and is welcome whether or not a
 *   signature was asked: the seller vouches for it. A signing still open is cancelled first
 *   (the portal's, here; an external one, by the workflow that knows of it), so nobody signs a
 *   quote already answered.
 * - Versions: a change made after sending (REVISE) makes a new version and emails a new link.
 *   Decisions that commit to the content (ACCEPT, SIGN) name the version their link was made
 *   for and are refused for an older one; refusing or asking for time is not.
 * - Reopening: the seller takes a refused or expired quote up again instead of duplicating it.
 *   Its workflow is over by then, so a new run starts at the version the quote is at (`version`
 *   in the input) and opens with REOPEN instead of SEND: a new version, written, recorded
 *   (`reopened`) and emailed as a revision is, with its new validity.
 * - Withdrawal (`withdrawal` in the input; absent in quotes sent before it existed): a quote the
 *   customer accepted on the portal stays open to their WITHDRAW until the seller moves it on
 *   (MOVE_ON: a conversion, or the automatic one) or, when the seller set one, until the window's
 *   time is up. Accepted stays its status meanwhile; the quote counts as closed only once the
 *   window is. A withdrawal puts it back to sent, where the customer decides again (reminders
 *   count from the withdrawal). A signature, or an answer the seller recorded, is not withdrawn
 *   on the portal: the customer calls the seller.
 *
 * - Several deciders (`deciders` in the input, domain/deciders.ts): each approver accepts or
 *   refuses through their own link, in steps, each step settled by its rule. The first step is
 *   invited instead of the customer's email, a step met invites the next, and the quote is
 *   accepted once the last step is met, refused as soon as a step can no longer be. Such a quote
 *   is not put on hold or revised; its signers (the last step's, with the built-in signature) each
 *   sign with their own evidence; the seller may still record an answer given off line, remind
 *   or cancel. A reviewer comments (COMMENT) without deciding, as on a proof.
 *
 *   sent | viewed ── ACCEPT | REFUSE by a decider ──▶ the same status (counted),
 *                                             or the same status, next step invited,
 *                                             or accepted | refused (settled)
 *   sent | viewed ── COMMENT by a named decider ──▶ the same status, the comment recorded
 *   With `signersAtProvider` (GetAccept), the round met records its last `step_completed` and
 *   starts the signing there (`startSigningAtProvider`) instead of accepting: the quote stays sent
 *   until the provider's signature accepts it or its rejection refuses it (the round told either); the
 *   deciders' links take nothing more meanwhile, and no automatic reminder goes out (the provider
 *   reminds its signers): until then, the approvers awaited are reminded as any round's.
 *   Settled, the round is told its decision (`tellRoundDecision`: accepted, signed or declined)
 *   instead of the customer's confirmation: who hears it is domain/deciders.ts `toldOfDecision`.
 * - Deposit (`deposit` in the input; absent in quotes without one, and in those sent before it
 *   existed): the yes on the portal asks the provider's hosted page for the deposit
 *   (`openDepositPayment`, as an invoice's "Pay online" does). Kept as context, not as statuses:
 *   with `accept_when_paid` the quote is not accepted until the money is there, so it stays what
 *   it was (sent, viewed, on hold) — still the customer's to answer, refuse included — and the
 *   acceptance they asked for (who, which options) waits in `depositAcceptance`; with
 *   `accept_then_pay` it is accepted at once and stays open (its run too) while the deposit is due.
 *   A new status ("awaiting deposit") would have been a half-yes every list, filter and webhook
 *   reader would have to learn, for what is the same quote with money on its way.
 *   The deposit is counted once (`depositPaymentId`), whoever reports it (the return from the
 *   page, the webhook, both); a refused card is recorded once per provider event (`deposit_failed`)
 *   and changes no status. ACCEPT without the deposit is refused under `accept_when_paid` (the
 *   seller asked for the money with the yes); a signature or an answer the seller recorded
 *   accepts as always, the deposit then due. A paid deposit is not withdrawn on the portal (the
 *   customer calls the seller), and MOVE_ON (the seller converts) ends the wait for a deposit
 *   still due: the invoice asks for all of it. A quote refused, cancelled or expired after its
 *   deposit's page was asked closes that page (`closeHostedPayments`, as a cancelled invoice does).
 *   With several deciders: under accept_then_pay each approver's yes is a vote, not a payment; the
 *   quote is accepted when the round is met, as without a deposit, and the deposit is then due,
 *   paid from any decider's (or the contact's) link. Under accept_when_paid (approvers only: the
 *   API refuses signers with it) the yes that meets the last step's rule is PAY_DEPOSIT: counted,
 *   `step_completed` recorded, the page asked; the quote stays sent, the round met, until the
 *   deposit is paid (then accepted, the round told). A declined card leaves it so, and any
 *   approver of the last step asks for the page again; a plain ACCEPT that would meet the round
 *   is refused, and nobody is reminded meanwhile (nobody is awaited, the money is).
 *
 * Final statuses are not XState final states: a finished machine ignores events, and a view of
 * an accepted quote must still be recorded.
 */
import { and, assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import { roundProgress, startRound, yesLeadsToDeposit, type DeciderPlan, type DeciderProgress, type DecisionRound } from '../../domain/deciders';
import { castRoundVote, commentData, deciderIdOf, roundVoteEffect, tellRoundDecision, voteData, whyNotRoundComment, whyNotRoundVote, type InviteParams, type QuoteRoundOutcome, type RoundOutcomeParams } from './deciders';
import { UNSIGNED_QUOTE_DIGITAL_STATUSES } from '../../domain/digital-status';
import { FINAL_QUOTE_STATUSES, type Actor, type AuditEventType, type DocumentChanges, type NotifyEvent, type QuoteStatus, type RequestSource } from '../../domain/documents';
import type { DepositPolicy } from '../../domain/deposit';
import type { ReceivedPayment } from '../../domain/invoice';
import { isProviderSigner, type SignatureEvidence } from '../../domain/signature';
import { activity, answerRecord, anotherKindsDecision, confirmToCustomer, neverTaken, withdrawableStatusReaders, factActions, RECORDED_FACTS, isWithdrawable, untilWithdrawalCloses, withdrawalWindow, type AnswerEvent, type ConfirmParams, type FactEvent, type NotifyParams, type RecordParams, type ReminderParams, type Timed, type Withdrawable, type WithdrawalTerms } from './actions';

export type { AnswerEvent, FactEvent, NotifyParams, RecordParams, ReminderParams, WithdrawalTerms } from './actions';

export interface QuoteMachineInput {
  /** Epoch ms at which the machine starts (the workflow's start time). */
  now: number;
  /** Epoch ms; absent: the quote never expires. */
  validUntil?: number;
  reminderAfterMs: number;
  maxReminders: number;
  requireSignature?: boolean;
  /** Accepting on the portal may be withdrawn; absent: never (quotes sent before withdrawals existed). */
  withdrawal?: WithdrawalTerms;
  /** The version the quote is at when this machine starts (a reopened quote's); 1 when absent. */
  version?: number;
  /** Several deciders decide, in steps (domain/deciders.ts); absent: the customer decides. */
  deciders?: DeciderPlan;
  /** With deciders: signers sign at an external provider once the round is met, and the signature decides the quote. */
  signersAtProvider?: boolean;
  /** A deposit is asked with the yes, on this policy; absent: none (and in quotes sent before deposits existed). */
  deposit?: DepositTerms;
}

/** What the machine knows of the deposit: the policy. The amount is the quote's (domain/deposit.ts), read when a page is opened. */
export interface DepositTerms {
  policy: DepositPolicy;
}

/** The acceptance a deposit is asked for under accept_when_paid: taken when the deposit is paid. */
export interface DepositAcceptance {
  actor: Actor;
  options?: string[];
  source?: RequestSource;
}


export interface QuoteContext {
  now: number;
  validUntil?: number;
  reminderAfterMs: number;
  maxReminders: number;
  remindersSent: number;
  /** When the customer was last emailed (first send or reminder): reminders count from it. */
  lastEmailedAt?: number;
  /** Absent in snapshots saved before signatures existed: read through `requiresSignature`. */
  requireSignature?: boolean;
  /** Absent in snapshots saved before versions existed: read through `currentVersion`. */
  version?: number;
  /** The seller cancelled the portal signing; absent until then (and in older snapshots). */
  signingCancelled?: true;
  withdrawal?: WithdrawalTerms;
  /** The acceptance may be withdrawn now, until `until` (epoch ms) if set; absent once the window closed. */
  withdrawable?: Withdrawable;
  /** The deciders' round; absent when the customer decides alone. */
  deciders?: DecisionRound;
  /** The round met starts the signing at an external provider, whose outcome decides the quote; absent otherwise. */
  signersAtProvider?: true;
  deposit?: DepositTerms;
  /** How many times the deposit's page was asked for: the workflow answers each ask with its page. */
  depositAsks?: number;
  /** accept_when_paid: the yes waiting for the deposit (the last one asked), taken when it is paid. */
  depositAcceptance?: DepositAcceptance;
  /** The provider payment counted as the deposit: set once, whoever reports it again. */
  depositPaymentId?: string;
  /** Provider events of refused deposit payments already recorded. */
  depositFailureEventIds?: string[];
  /** The seller moved the quote on: a deposit still due is no longer waited for. */
  movedOn?: true;
}

/** A decision of the customer (accept, refuse, hold) or the seller (remind, cancel, cancel the portal signing). */
export interface DecisionEvent extends Timed {
  type: 'ACCEPT' | 'REFUSE' | 'HOLD' | 'REMIND' | 'CANCEL' | 'CANCEL_SIGNING' | 'WITHDRAW' | 'MOVE_ON';
  reason?: string;
  options?: string[];
  /** The version the customer's link was made for. */
  version?: number;
}

/** The customer signs: an acceptance with its evidence. */
export interface SignEvent extends Timed {
  type: 'SIGN';
  options?: string[];
  version?: number;
  signature: SignatureEvidence;
}

/** The seller changed the quote after sending it. */
export interface ReviseEvent extends Timed {
  /** REOPEN: a refused or expired quote's new run opens with its new version. */
  type: 'REVISE' | 'REOPEN';
  changes: DocumentChanges;
}

/** The customer's yes with its deposit (the portal), or the deposit due asked for again: the payment page is opened. */
export interface PayDepositEvent extends Timed {
  type: 'PAY_DEPOSIT';
  options?: string[];
  version?: number;
  /** The customer's link (absolute URL), where the provider sends them back. */
  linkUrl: string;
  customerEmail?: string;
}

/** The provider took the deposit (its webhook, or the customer back from the page). */
export interface DepositPaidEvent extends Timed {
  type: 'DEPOSIT_PAID';
  payment: ReceivedPayment;
}

/** The provider refused a card for the deposit. */
export interface DepositFailedEvent extends Timed {
  type: 'DEPOSIT_FAILED';
  paymentId: string;
  eventId: string;
  failureCode?: string;
  failureMessage?: string;
}

export type DepositEvent = PayDepositEvent | DepositPaidEvent | DepositFailedEvent;

/** A reviewer the seller named (or any decider whose step is open) comments on the quote without deciding, as on a proof. */
export interface QuoteCommentEvent extends Timed {
  type: 'COMMENT';
  comment: string;
}

export type QuoteEvent = ({ type: 'SEND' } & Timed) | FactEvent | DecisionEvent | SignEvent | ReviseEvent | AnswerEvent | DepositEvent | QuoteCommentEvent;

/** Parameters of the openDepositPayment action: which ask it answers, and the customer's way back. */
export interface OpenDepositParams {
  ask: number;
  linkUrl: string;
  customerEmail?: string;
  /** The optional lines the yes chose: the deposit is a share of the total as accepted. Absent for a deposit due on a quote accepted already. */
  options?: string[];
}

/** Parameters of the recordDeposit action: the payment kept, with its receipt. */
export interface RecordDepositParams {
  payment: ReceivedPayment;
}

/** What the recordSignature action keeps: the evidence, for the version signed, with the options chosen. */
export interface SignatureRecordParams {
  version: number;
  /** The signer among several deciders (domain/deciders.ts). */
  deciderId?: string;
  signedAt: number;
  evidence: SignatureEvidence;
  options: string[];
  source?: RequestSource;
}

/** What the applyRevision action writes: the changes, as the version they make. */
export interface RevisionParams {
  version: number;
  changes: DocumentChanges;
}

/** What every update answers and the query returns. */
export interface QuoteView {
  status: QuoteStatus;
  remindersSent: number;
  /** Epoch ms of the next automatic reminder, if one is due. */
  nextReminderAt?: number;
  validUntil?: number;
  /** The quote's current version (1 until it is revised after sending). */
  version?: number;
  /** Accepted, and the customer may still withdraw it (until this epoch ms, when the seller set a window). */
  withdrawable?: Withdrawable;
  /** Where each decider stands, when several decide. */
  deciders?: DeciderProgress[];
  /** The deposit asked with the yes: its policy, and whether it is paid. */
  deposit?: { policy: DepositPolicy; paid: boolean };
}

export const currentVersion = (context: QuoteContext): number => context.version ?? 1;
const requiresSignature = (context: QuoteContext): boolean => context.requireSignature === true;
const isSigningCancelled = (context: QuoteContext): boolean => context.signingCancelled === true;
/** A decision naming no version (the back office, older portal pages) is about the current one. */
const isForCurrentVersion = (context: QuoteContext, event: QuoteEvent): boolean =>
  !('version' in event) || event.version === undefined || event.version === currentVersion(context);
const hasConsent = (event: SignEvent): boolean => event.signature.consent === true && event.signature.signerName.trim().length > 0;
const isStillValid = (context: QuoteContext, event: { at: number }): boolean => context.validUntil === undefined || event.at < context.validUntil;
const depositPolicy = (context: QuoteContext): DepositPolicy | undefined => context.deposit?.policy;
const isDepositPaid = (context: QuoteContext): boolean => context.depositPaymentId !== undefined;
/** A deposit is asked and not paid. */
const isDepositDue = (context: QuoteContext): boolean => context.deposit !== undefined && !isDepositPaid(context);
/** The yes on the portal, whatever carries it (ACCEPT, or PAY_DEPOSIT): valid, for the current version, no signature asked. */
const mayAcceptNow = (context: QuoteContext, event: QuoteEvent & { at: number }): boolean => isStillValid(context, event) && isForCurrentVersion(context, event) && !requiresSignature(context);
/** The round met, its signers asked at the external provider: only their answer decides now. */
const awaitsProviderSigners = (context: QuoteContext): boolean => context.signersAtProvider === true && context.deciders?.outcome === 'yes';
/** accept_when_paid with deciders: the round is met, the quote waits for the deposit (being paid, or a card declined). */
const roundAwaitsDeposit = (context: QuoteContext): boolean => depositPolicy(context) === 'accept_when_paid' && context.deciders?.outcome === 'yes' && isDepositDue(context);
/**
 * Automatic reminders left to send: within the budget, not once the signers sign at the provider
 * (it reminds them itself), and not while a met round waits for its deposit (nobody is awaited: the money is).
 */
const remindersLeft = (context: QuoteContext): boolean =>
  context.remindersSent < context.maxReminders && !awaitsProviderSigners(context) && !roundAwaitsDeposit(context);
const isNewDeposit = (context: QuoteContext, event: QuoteEvent): boolean => event.type === 'DEPOSIT_PAID' && isDepositDue(context) && event.payment.amount > 0;

/** A delay XState's interpreter reads as "never": no timer is armed for it. */
const NEVER = Number.POSITIVE_INFINITY;

export const quoteMachine = setup({
  types: {
    context: {} as QuoteContext,
    events: {} as QuoteEvent,
    input: {} as QuoteMachineInput,
  },
  guards: {
    remindersLeft: ({ context }) => remindersLeft(context),
    stillValid: ({ context, event }) => isStillValid(context, event),
    // Several deciders: approvers accept even where the signers sign. Under accept_when_paid the yes comes with the deposit (PAY_DEPOSIT), never without it:
    // with deciders, the yes that would settle the round.
    mayAccept: ({ context, event }) =>
      context.deciders
        ? isStillValid(context, event) &&
          isForCurrentVersion(context, event) &&
          whyNotRoundVote(context.deciders, event) === undefined &&
          !(depositPolicy(context) === 'accept_when_paid' && roundVoteEffect(context.deciders, event)?.kind === 'settled')
        : mayAcceptNow(context, event) && depositPolicy(context) !== 'accept_when_paid',
    mayRefuse: ({ context, event }) => isStillValid(context, event) && whyNotRoundVote(context.deciders, event) === undefined,
    /** Putting on hold or revising is between the customer and the seller, not a round of deciders'. */
    stillValidAlone: ({ context, event }) => isStillValid(context, event) && !context.deciders,
    // The yes with its deposit is the customer's alone: deciders vote, and pay the deposit once the quote is accepted.
    acceptsThenPays: ({ context, event }) => !context.deciders && mayAcceptNow(context, event) && depositPolicy(context) === 'accept_then_pay',
    acceptsWhenPaid: ({ context, event }) => !context.deciders && mayAcceptNow(context, event) && depositPolicy(context) === 'accept_when_paid',
    depositDue: ({ context }) => isDepositDue(context),
    /** accept_when_paid with deciders: the approver's yes that meets the round, or, the round met, a last-step approver's to pay again. */
    voteLeadsToDeposit: ({ context, event }) =>
      event.type === 'PAY_DEPOSIT' &&
      context.deciders !== undefined &&
      depositPolicy(context) === 'accept_when_paid' &&
      isStillValid(context, event) &&
      isForCurrentVersion(context, event) &&
      isDepositDue(context) &&
      yesLeadsToDeposit(context.deciders, deciderIdOf(event), event.at),
    depositAccepts: ({ context, event }) => isNewDeposit(context, event) && context.depositAcceptance !== undefined,
    newDeposit: ({ context, event }) => isNewDeposit(context, event),
    newDepositFailure: ({ context, event }) => event.type === 'DEPOSIT_FAILED' && context.deposit !== undefined && !(context.depositFailureEventIds ?? []).includes(event.eventId),
    maySign: ({ context, event }) =>
      event.type === 'SIGN' && isStillValid(context, event) && isForCurrentVersion(context, event) && hasConsent(event) && !isSigningCancelled(context) && whyNotRoundVote(context.deciders, event) === undefined,
    inRound: ({ context }) => context.deciders !== undefined,
    signersNext: ({ context }) => context.signersAtProvider === true,
    /** The round met, the provider's signature (its signers', not a decider's link) decides the quote. */
    signatureDecides: ({ context, event }) => isStillValid(context, event) && awaitsProviderSigners(context) && 'actor' in event && isProviderSigner(event.actor),
    mayComment: ({ context, event }) => event.type === 'COMMENT' && isStillValid(context, event) && whyNotRoundComment(context.deciders, event) === undefined,
    voteSettles: ({ context, event }) => roundVoteEffect(context.deciders, event)?.kind === 'settled',
    voteMeetsStep: ({ context, event }) => roundVoteEffect(context.deciders, event)?.kind === 'step_met',
    maySigningBeCancelled: ({ context }) => requiresSignature(context) && !isSigningCancelled(context),
    answeredYes: ({ context, event }) => event.type === 'RECORD_ANSWER' && event.answer === 'accepted' && isStillValid(context, event),
    answeredNo: ({ context, event }) => event.type === 'RECORD_ANSWER' && event.answer === 'refused' && isStillValid(context, event),
    // A deposit paid is money taken: the customer calls the seller to take the yes back.
    mayWithdraw: ({ context, event }) => isWithdrawable(context.withdrawable, event.at) && !isDepositPaid(context),
    withdrawalOpen: ({ context }) => context.withdrawable !== undefined,
  },
  actions: {
    /** Delayed events carry `at` too: the interpreter stamps them when they fire. */
    keepTime: assign({ now: ({ context, event }) => (typeof event.at === 'number' ? event.at : context.now) }),
    restartReminderClock: assign({ lastEmailedAt: ({ context }) => context.now }),
    markSigningCancelled: assign({ signingCancelled: true as const }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    nextVersion: assign({
      version: ({ context }) => currentVersion(context) + 1,
      validUntil: ({ context, event }) =>
        (event.type === 'REVISE' || event.type === 'REOPEN') && event.changes.validUntil !== undefined ? event.changes.validUntil : context.validUntil,
    }),
    /** A portal acceptance opens the withdrawal window, when the quote has one (a zero window is none). */
    openWithdrawal: assign({ withdrawable: ({ context, event }) => withdrawalWindow(context.withdrawal, event.at) }),
    closeWithdrawal: assign({ withdrawable: undefined }),
    countVote: assign({ deciders: ({ context, event }) => castRoundVote(context.deciders, event) }),
    /** The quote goes to the customer, or to the first step's deciders when several decide. */
    sendQuote: enqueueActions(({ context, enqueue }) => {
      if (context.deciders) enqueue({ type: 'inviteDeciders', params: { step: 1, round: currentVersion(context) } });
      else enqueue('sendFirstEmail');
    }),
    markMovedOn: enqueueActions(({ context, enqueue }) => {
      // Only a quote with a deposit keeps it: others' snapshots stay as they were.
      if (context.deposit) enqueue.assign({ movedOn: true as const });
    }),
    askDeposit: assign({ depositAsks: ({ context }) => (context.depositAsks ?? 0) + 1 }),
    keepDepositAcceptance: assign({
      depositAcceptance: ({ event }) => {
        const { actor, options, source } = event as PayDepositEvent;
        return { actor, ...(options?.length ? { options } : {}), ...(source ? { source } : {}) };
      },
    }),
    countDeposit: assign({ depositPaymentId: ({ event }) => (event as DepositPaidEvent).payment.paymentId }),
    countDepositFailure: assign({ depositFailureEventIds: ({ context, event }) => [...(context.depositFailureEventIds ?? []), (event as DepositFailedEvent).eventId] }),
    openDepositPayment: activity<OpenDepositParams>(),
    closeHostedPayments: activity<undefined>(),
    /** A quote refused, cancelled or expired with a deposit page asked: the page closes, so nobody pays for a quote that is over. */
    closeDepositPages: enqueueActions(({ context, enqueue }) => {
      if (context.depositAsks) enqueue('closeHostedPayments');
    }),
    recordDeposit: activity<RecordDepositParams>(),
    recordTransition: activity<RecordParams>(),
    sendFirstEmail: activity<undefined>(),
    inviteDeciders: activity<InviteParams>(),
    tellRoundDecision: activity<RoundOutcomeParams<QuoteRoundOutcome>>(),
    startSigningAtProvider: activity<undefined>(),
    sendReminderEmail: activity<ReminderParams>(),
    notifyAssignee: activity<NotifyParams>(),
    confirmToCustomer: activity<ConfirmParams>(),
    recordSignature: activity<SignatureRecordParams>(),
    applyRevision: activity<RevisionParams>(),
    sendRevisionEmail: activity<undefined>(),
    withdrawSignature: activity<undefined>(),
    cancelPortalSigning: activity<undefined>(),
    /** An answer given off line closes the signing still open: the portal's here, an external one through withdrawSignature. */
    closeOpenSigning: enqueueActions(({ context, enqueue }) => {
      if (requiresSignature(context) && !isSigningCancelled(context)) {
        enqueue('markSigningCancelled');
        enqueue('cancelPortalSigning');
      }
      enqueue('withdrawSignature');
    }),
  },
  delays: {
    reminderDelay: ({ context }) =>
      remindersLeft(context) && context.reminderAfterMs > 0
        ? Math.max(0, (context.lastEmailedAt ?? context.now) + context.reminderAfterMs - context.now)
        : NEVER,
    untilExpiry: ({ context }) => (context.validUntil === undefined ? NEVER : Math.max(0, context.validUntil - context.now)),
    untilWithdrawalCloses: ({ context }) => untilWithdrawalCloses(context.withdrawable, context.now),
  },
}).createMachine(
  (() => {
    const record = (type: AuditEventType) => ({ type: 'recordTransition', params: { type } }) as const;
    const notify = (event: NotifyEvent, what: AuditEventType) =>
      ({ type: 'notifyAssignee', params: { event, what } }) as const;
    const remind = (automatic: boolean) =>
      [
        'keepTime',
        'countReminder',
        'restartReminderClock',
        {
          type: 'sendReminderEmail',
          params: ({ context }: { context: QuoteContext }) => ({ reminder: context.remindersSent, automatic }),
        },
        {
          type: 'recordTransition',
          params: ({ context }: { context: QuoteContext }) => ({
            type: 'reminded' as const,
            data: { reminder: context.remindersSent, automatic },
          }),
        },
      ] as const;
    const decide = (target: 'accepted' | 'refused' | 'on_hold', what: AuditEventType, guard: 'stillValidAlone' | 'mayAccept' | 'mayRefuse') =>
      ({ target, guard, actions: ['keepTime', record(what), notify('decided', what)] }) as const;
    const accepted = decide('accepted', 'accepted', 'mayAccept');
    const accept = { ...accepted, actions: [...accepted.actions, 'openWithdrawal', confirmToCustomer('accepted')] } as const;
    /** A decider's vote: counted, and recorded as theirs. */
    const voteRecord = (what: 'decider_approved' | 'decider_declined') =>
      ({ type: 'recordTransition', params: ({ context, event }: { context: QuoteContext; event: QuoteEvent }) => ({ type: what, data: voteData(context.deciders, event) }) }) as const;
    /** A comment decides nothing: recorded as its writer's (as a proof's), on the version they read; no status, no timer moves. */
    const comment = {
      guard: 'mayComment',
      actions: [
        'keepTime',
        {
          type: 'recordTransition',
          params: ({ context, event }: { context: QuoteContext; event: QuoteEvent }) => ({
            type: 'commented' as const,
            data: event.type === 'COMMENT' ? { ...commentData(context.deciders, event), version: currentVersion(context) } : {},
          }),
        },
      ],
    } as const;
    /** A step met: recorded, and the next step's deciders invited. */
    const nextStep = [
      { type: 'recordTransition', params: ({ context }: { context: QuoteContext }) => ({ type: 'step_completed' as const, data: { step: (context.deciders?.step ?? 2) - 1 } }) },
      { type: 'inviteDeciders', params: ({ context }: { context: QuoteContext }) => ({ step: context.deciders?.step ?? 1, round: currentVersion(context) }) },
    ] as const;
    /** The round's last step met without the quote accepted yet (signers at the provider, or a deposit to pay): recorded. */
    const lastStepMet = { type: 'recordTransition', params: ({ context }: { context: QuoteContext }) => ({ type: 'step_completed' as const, data: { step: context.deciders?.step ?? 1 } }) } as const;
    /**
     * A decider's vote settles the quote, meets its step, or is counted; before the customer's own
     * decision (no deciders). Settled, the round is told its decision (accepted, signed or
     * declined) instead of the customer being confirmed theirs.
     */
    const acceptVotes = [
      // The last portal step met, the signers sign at the provider: the quote waits for their signature.
      {
        guard: and(['mayAccept', 'voteSettles', 'signersNext']),
        actions: [
          'keepTime',
          'countVote',
          voteRecord('decider_approved'),
          lastStepMet,
          'startSigningAtProvider',
        ],
      },
      { ...accept, guard: and(['mayAccept', 'voteSettles']), actions: ['keepTime', 'countVote', voteRecord('decider_approved'), ...accepted.actions.slice(1), 'openWithdrawal', tellRoundDecision('accepted')] },
      { guard: and(['mayAccept', 'voteMeetsStep']), actions: ['keepTime', 'countVote', voteRecord('decider_approved'), ...nextStep] },
      { guard: and(['mayAccept', 'inRound']), actions: ['keepTime', 'countVote', voteRecord('decider_approved')] },
    ] as const;
    const sign = {
      target: 'accepted',
      guard: 'maySign',
      actions: [
        'keepTime',
        {
          type: 'recordSignature',
          params: ({ context, event }: { context: QuoteContext; event: SignEvent }): SignatureRecordParams => ({
            version: currentVersion(context),
            signedAt: event.at,
            evidence: event.signature,
            options: event.options ?? [],
            ...(event.source ? { source: event.source } : {}),
            ...(deciderIdOf(event) ? { deciderId: deciderIdOf(event) } : {}),
          }),
        },
        {
          type: 'recordTransition',
          params: ({ event }: { event: QuoteEvent }) => ({
            type: 'signed' as const,
            data: event.type === 'SIGN' ? { signerName: event.signature.signerName, version: event.version } : {},
          }),
        },
        record('accepted'),
        notify('signed', 'signed'),
        confirmToCustomer('signed'),
      ],
    } as const;
    /** A signer's signature: kept with its evidence and counted; the last one accepts the quote. */
    const signVotes = [
      { ...sign, guard: and(['maySign', 'voteSettles']), actions: ['keepTime', 'countVote', sign.actions[1], voteRecord('decider_approved'), ...sign.actions.slice(2, -1), tellRoundDecision('signed')] },
      { guard: and(['maySign', 'inRound']), actions: ['keepTime', 'countVote', sign.actions[1], voteRecord('decider_approved')] },
    ] as const;
    /** A new version: written, recorded (revised, or reopened), then emailed; the reminder clock starts again from that email. */
    const newVersion = (what: 'revised' | 'reopened') =>
      [
        'keepTime',
        'nextVersion',
        {
          type: 'applyRevision',
          params: ({ context, event }: { context: QuoteContext; event: ReviseEvent }): RevisionParams => ({ version: currentVersion(context), changes: event.changes }),
        },
        {
          type: 'recordTransition',
          params: ({ context }: { context: QuoteContext }) => ({ type: what, data: { version: currentVersion(context) } }),
        },
        'restartReminderClock',
        'sendRevisionEmail',
      ] as const;
    const revise = (self: 'sent' | 'viewed' | 'on_hold') => ({ target: self, reenter: true, guard: 'stillValidAlone', actions: newVersion('revised') }) as const;
    /** Cancelled, and its signing with it when one is out (the workflow knows whether). */
    const cancel = { target: 'cancelled', actions: ['keepTime', record('cancelled'), 'withdrawSignature', 'closeDepositPages'] } as const;
    const expire = { target: 'expired', actions: ['keepTime', record('expired'), 'closeDepositPages'] } as const;
    const refused = decide('refused', 'refused', 'mayRefuse');
    const refuse = { ...refused, actions: [...refused.actions, 'closeDepositPages'] } as const;
    /** The provider's signers signed after the round: accepted, and the round told (the provider sends the signers their copy). */
    const signatureAccepts = { ...accept, guard: 'signatureDecides', actions: [...accepted.actions, 'openWithdrawal', tellRoundDecision('accepted')] } as const;
    /** The provider's signers rejected it after the round: refused, and the round told, as a no on the portal tells it. */
    const signatureRefuses = { ...refuse, guard: 'signatureDecides', actions: [...refuse.actions, tellRoundDecision('declined')] } as const;
    const refuseVotes = [
      // Refused by the round, its signing with it when one was prepared (the workflow knows whether), as a cancel.
      { ...refuse, guard: and(['mayRefuse', 'voteSettles']), actions: ['keepTime', 'countVote', voteRecord('decider_declined'), ...refuse.actions.slice(1), 'withdrawSignature', tellRoundDecision('declined')] },
      { guard: and(['mayRefuse', 'inRound']), actions: ['keepTime', 'countVote', voteRecord('decider_declined')] },
    ] as const;
    /** The portal signing cancelled, the quote left where it is (its timers keep running). */
    const cancelSigning = { guard: 'maySigningBeCancelled', actions: ['keepTime', 'markSigningCancelled', 'cancelPortalSigning'] } as const;
    /** The customer's answer given off line: the signing closed, then taken as their decision, with how and by whom. */
    const answered = (target: 'accepted' | 'refused', guard: 'answeredYes' | 'answeredNo') =>
      ({
        target,
        guard,
        actions: ['keepTime', 'closeOpenSigning', answerRecord(target), notify('decided', target)],
      }) as const;
    const recordAnswer = [answered('accepted', 'answeredYes'), answered('refused', 'answeredNo')] as const;
    /**
     * The deposit's page asked for: the workflow answers this ask with it. With the yes, the page
     * asks the share of the total that yes accepts (the optional lines it ticked, as the acceptance
     * will apply them: none named, the quote as it stands); for a quote accepted already, of its total.
     */
    const openDeposit = (withTheYes: boolean) =>
      [
        'askDeposit',
        {
          type: 'openDepositPayment',
          params: ({ context, event }: { context: QuoteContext; event: QuoteEvent }): OpenDepositParams => {
            const { linkUrl, customerEmail, options } = event as PayDepositEvent;
            return { ask: context.depositAsks ?? 0, linkUrl, ...(customerEmail ? { customerEmail } : {}), ...(withTheYes && options?.length ? { options } : {}) };
          },
        },
      ] as const;
    /**
     * The yes with its deposit: accepted at once (accept_then_pay), or kept until the deposit is paid (accept_when_paid).
     * With deciders (accept_when_paid), the yes that meets the round is counted and leads to the page; the round met,
     * a last-step approver asks for it again (after a declined card).
     */
    const payDeposit = [
      { guard: and(['voteLeadsToDeposit', 'voteSettles']), actions: ['keepTime', 'countVote', voteRecord('decider_approved'), lastStepMet, 'keepDepositAcceptance', ...openDeposit(true)] },
      { guard: 'voteLeadsToDeposit', actions: ['keepTime', 'keepDepositAcceptance', ...openDeposit(true)] },
      { ...accept, guard: 'acceptsThenPays', actions: [...accept.actions, ...openDeposit(true)] },
      { guard: 'acceptsWhenPaid', actions: ['keepTime', 'keepDepositAcceptance', ...openDeposit(true)] },
    ] as const;
    /** The deposit counted once, kept with its receipt, and recorded. */
    const takeDeposit = [
      'keepTime',
      'countDeposit',
      { type: 'recordDeposit', params: ({ event }: { event: QuoteEvent }): RecordDepositParams => ({ payment: (event as DepositPaidEvent).payment }) },
      {
        type: 'recordTransition',
        params: ({ event }: { event: QuoteEvent }): RecordParams => {
          const { payment } = event as DepositPaidEvent;
          return { type: 'deposit_paid', data: { paymentId: payment.paymentId, amount: payment.amount, currency: payment.currency, provider: payment.provider } };
        },
      },
    ] as const;
    /** accept_when_paid: the deposit is there, so the yes asked for with it is taken, as the customer's (or the round's, told its decision). */
    const acceptedWithDeposit = {
      guard: 'depositAccepts',
      target: 'accepted',
      actions: [
        ...takeDeposit,
        {
          type: 'recordTransition',
          params: ({ context }: { context: QuoteContext }): RecordParams => {
            const acceptance = context.depositAcceptance as DepositAcceptance;
            return { type: 'accepted', actor: acceptance.actor, data: acceptance.options ? { options: acceptance.options } : {} };
          },
        },
        notify('decided', 'accepted'),
        'openWithdrawal',
        confirmToCustomer('accepted'),
      ],
    } as const;
    const roundAcceptedWithDeposit = { ...acceptedWithDeposit, guard: and(['depositAccepts', 'inRound']), actions: [...acceptedWithDeposit.actions.slice(0, -1), tellRoundDecision('accepted')] } as const;
    const depositFailed = {
      guard: 'newDepositFailure',
      actions: [
        'keepTime',
        'countDepositFailure',
        {
          type: 'recordTransition',
          params: ({ event }: { event: QuoteEvent }): RecordParams => {
            const failed = event as DepositFailedEvent;
            return {
              type: 'deposit_failed',
              data: { paymentId: failed.paymentId, ...(failed.failureCode ? { failureCode: failed.failureCode } : {}), ...(failed.failureMessage ? { failureMessage: failed.failureMessage } : {}) },
            };
          },
        },
        notify('payment_failed', 'deposit_failed'),
      ],
    } as const;
    /** Before the yes: the deposit asked with it may be paid, or refused. */
    const depositBeforeTheYes = { PAY_DEPOSIT: payDeposit, DEPOSIT_PAID: [roundAcceptedWithDeposit, acceptedWithDeposit], DEPOSIT_FAILED: depositFailed } as const;
    /** Nothing decided yet: reminders run, the customer may decide or ask for time. */
    const undecided = <TOwn extends object>(self: 'sent' | 'viewed', own: TOwn) =>
      ({
        after: {
          reminderDelay: { guard: 'remindersLeft', target: self, reenter: true, actions: remind(true) },
          untilExpiry: expire,
        },
        on: {
          ACCEPT: [...acceptVotes, accept, signatureAccepts],
          SIGN: [...signVotes, sign],
          REFUSE: [...refuseVotes, refuse, signatureRefuses],
          HOLD: decide('on_hold', 'put_on_hold', 'stillValidAlone'),
          REMIND: { guard: 'stillValid', target: self, reenter: true, actions: remind(false) },
          REVISE: revise(self),
          CANCEL: cancel,
          CANCEL_SIGNING: cancelSigning,
          RECORD_ANSWER: recordAnswer,
          COMMENT: comment,
          ...depositBeforeTheYes,
          ...own,
        },
      }) as const;

    return {
      id: 'quote',
      context: ({ input }: { input: QuoteMachineInput }) => ({
        now: input.now,
        validUntil: input.validUntil,
        reminderAfterMs: input.reminderAfterMs,
        maxReminders: input.maxReminders,
        remindersSent: 0,
        requireSignature: input.requireSignature ?? false,
        version: input.version ?? 1,
        ...(input.withdrawal ? { withdrawal: input.withdrawal } : {}),
        ...(input.deciders ? { deciders: startRound(input.deciders) } : {}),
        ...(input.deciders && input.signersAtProvider ? { signersAtProvider: true as const } : {}),
        ...(input.deposit ? { deposit: input.deposit } : {}),
      }),
      initial: 'draft',
      // States that change on a fact override these.
      on: RECORDED_FACTS,
      states: {
        draft: {
          on: {
            SEND: {
              target: 'sent',
              actions: ['keepTime', 'restartReminderClock', 'sendQuote', record('sent')],
            },
            CANCEL: cancel,
            REOPEN: { target: 'sent', actions: newVersion('reopened') },
          },
        },
        sent: undecided('sent', {
          VIEWED: { target: 'viewed', actions: factActions('viewed') },
        } as const),
        viewed: undecided('viewed', {}),
        on_hold: {
          after: { untilExpiry: expire },
          on: {
            ACCEPT: accept,
            SIGN: sign,
            REFUSE: refuse,
            REMIND: { guard: 'stillValid', actions: remind(false) },
            REVISE: revise('on_hold'),
            CANCEL: cancel,
            CANCEL_SIGNING: cancelSigning,
            RECORD_ANSWER: recordAnswer,
            ...depositBeforeTheYes,
          },
        },
        accepted: {
          // Only while the withdrawal window is open: otherwise the quote is closed.
          after: { untilWithdrawalCloses: { guard: 'withdrawalOpen', actions: ['keepTime', 'closeWithdrawal'] } },
          on: {
            WITHDRAW: {
              target: 'sent',
              guard: 'mayWithdraw',
              actions: ['keepTime', 'closeWithdrawal', record('withdrawn'), notify('decided', 'withdrawn'), 'restartReminderClock'],
            },
            // Also once closed: a conversion as the window ends by itself is not refused for it.
            MOVE_ON: { actions: ['keepTime', 'closeWithdrawal', 'markMovedOn'] },
            // The deposit due (accept_then_pay, a signature, an answer recorded): asked for again, paid, or refused.
            PAY_DEPOSIT: { guard: 'depositDue', actions: ['keepTime', ...openDeposit(false)] },
            DEPOSIT_PAID: { guard: 'newDeposit', actions: [...takeDeposit, notify('paid', 'deposit_paid')] },
            DEPOSIT_FAILED: depositFailed,
          },
        },
        refused: {},
        expired: {},
        cancelled: {},
      },
    };
  })(),
);

export type QuoteSnapshot = SnapshotFrom<typeof quoteMachine>;

/** isClosed: in a final status, no acceptance left to withdraw, and no deposit to wait for. */
const readers = withdrawableStatusReaders<QuoteStatus, QuoteSnapshot>(FINAL_QUOTE_STATUSES);
export const { status: quoteStatus } = readers;

/** Accepted with its deposit still due, and not moved on: the customer may pay it from the portal. */
export function awaitsDeposit(snapshot: QuoteSnapshot): boolean {
  return quoteStatus(snapshot) === 'accepted' && isDepositDue(snapshot.context) && snapshot.context.movedOn === undefined;
}

export function isClosed(snapshot: QuoteSnapshot): boolean {
  return readers.isClosed(snapshot) && !awaitsDeposit(snapshot);
}

/** Why an accepted quote's acceptance cannot be withdrawn (also once its workflow has closed). */
export const WITHDRAWAL_CLOSED = 'The acceptance can no longer be withdrawn';

/** Why a decider's link cannot pay the deposit of a quote not accepted yet (its vote, when it is one, is `notAVote`). */
function whyNotDepositVote(context: QuoteContext, notAVote: string | undefined): string {
  if (depositPolicy(context) !== 'accept_when_paid') return 'Several people decide this quote, each on their own link: its deposit is paid once they have accepted it';
  if (context.deciders?.outcome === 'yes') return 'The deciders agreed: an approver of the last step pays the deposit';
  return notAVote ?? "Your yes is counted with the others' (Accept): the deposit is paid with the yes that completes the decision";
}

/** Why the quote cannot take WITHDRAW or MOVE_ON now. */
function whyNotWithdraw(snapshot: QuoteSnapshot, event: DecisionEvent): string {
  const status = quoteStatus(snapshot);
  if (event.type === 'MOVE_ON') return `The quote is ${status.replace('_', ' ')}, not accepted`;
  if (status === 'accepted' && isDepositPaid(snapshot.context)) return 'The deposit is paid: call the seller to take the acceptance back';
  return status === 'accepted' ? WITHDRAWAL_CLOSED : `Only an accepted quote can be withdrawn; this one is ${status.replace('_', ' ')}`;
}

const CLOSED_REASONS: Partial<Record<QuoteStatus, string>> = {
  accepted: 'The quote is already accepted',
  refused: 'The quote is already refused',
  expired: 'The quote has expired',
  cancelled: 'The quote is cancelled',
};

/** Why no decision can be taken on a quote in a final status (also used once its workflow has closed). */
export function closedQuoteReason(status: QuoteStatus): string {
  return CLOSED_REASONS[status] ?? `The quote is ${status}`;
}

/**
 * Why the portal signing of a quote in a final status is over, in the digital status the back
 * office reads (also used once its workflow has closed). Only a signature accepts such a quote.
 */
export function closedSigningReason(status: QuoteStatus): string {
  return `The digital signing is already ${status === 'accepted' ? 'signed' : (UNSIGNED_QUOTE_DIGITAL_STATUSES[status] ?? status)}`;
}

/** Why the seller cannot cancel the quote's portal signing now. */
function whyNotCancelSigning(snapshot: QuoteSnapshot): string {
  const status = quoteStatus(snapshot);
  if (!requiresSignature(snapshot.context)) return 'The quote is not signed on the portal';
  if (readers.isFinal(snapshot)) return closedSigningReason(status);
  if (isSigningCancelled(snapshot.context)) return 'The digital signing is already cancelled';
  return 'The quote has not been sent yet';
}

/**
 * Why the machine would refuse `event` in `snapshot`, in words a customer or a seller can
 * read; undefined when the event is allowed. Update validators answer with it.
 */
export function whyNot(snapshot: QuoteSnapshot, event: QuoteEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  if (event.type === 'CANCEL_SIGNING') return whyNotCancelSigning(snapshot);
  if (event.type === 'WITHDRAW' || event.type === 'MOVE_ON') return whyNotWithdraw(snapshot, event);
  const status = quoteStatus(snapshot);
  const { context } = snapshot;
  if (event.type === 'PAY_DEPOSIT' && !context.deposit) return 'This quote asks for no deposit';
  if (event.type === 'PAY_DEPOSIT' && isDepositPaid(context)) return 'The deposit is already paid';
  // A final status, whether or not its acceptance may still be withdrawn.
  if (readers.isFinal(snapshot)) return closedQuoteReason(status);
  if (status === 'draft') return 'The quote has not been sent yet';
  if (context.validUntil !== undefined && event.at >= context.validUntil) return 'The quote has expired';
  if ((event.type === 'ACCEPT' || event.type === 'SIGN' || event.type === 'PAY_DEPOSIT') && !isForCurrentVersion(context, event)) {
    return `This link is for version ${event.version} of the quote; version ${currentVersion(context)} replaces it`;
  }
  if (event.type === 'COMMENT') return whyNotRoundComment(context.deciders, event) ?? `A quote that is ${status.replace('_', ' ')} takes no comment`;
  if ((event.type === 'ACCEPT' || event.type === 'REFUSE') && awaitsProviderSigners(context) && !isProviderSigner(event.actor)) {
    return 'The approvers agreed; the signers now sign at the signature provider, whose answer decides the quote';
  }
  if (context.deciders) {
    const notAVote = whyNotRoundVote(context.deciders, event);
    if ((event.type === 'ACCEPT' || event.type === 'REFUSE' || event.type === 'SIGN') && notAVote) return notAVote;
    if (event.type === 'HOLD' || event.type === 'REVISE') return 'Several people decide this quote, each on their own link: it is not put on hold or revised meanwhile';
    if (event.type === 'PAY_DEPOSIT') return whyNotDepositVote(context, notAVote);
    if (event.type === 'ACCEPT' && depositPolicy(context) === 'accept_when_paid') return 'This quote asks for a deposit: it is accepted by paying the deposit';
  } else {
    if ((event.type === 'ACCEPT' || event.type === 'PAY_DEPOSIT') && requiresSignature(context)) return 'This quote must be signed';
    if (event.type === 'ACCEPT' && depositPolicy(context) === 'accept_when_paid') return 'This quote asks for a deposit: it is accepted by paying the deposit';
  }
  if (event.type === 'SIGN' && isSigningCancelled(context)) return 'The seller cancelled the signing of this quote';
  if (event.type === 'SIGN' && !event.signature.signerName.trim()) return "The signer's name is required";
  if (event.type === 'SIGN' && event.signature.consent !== true) return 'Consent is required to sign';
  switch (event.type) {
    case 'SEND':
      return 'The quote has already been sent';
    case 'HOLD':
      return status === 'on_hold' ? 'The quote is already on hold' : 'Only a viewed or sent quote can be put on hold';
    default:
      return `A quote that is ${status.replace('_', ' ')} cannot take ${event.type.toLowerCase()}`;
  }
}

/** Why a quote refuses events of `type` in every status; undefined when some status takes them. */
export function whyQuoteNeverTakes(type: string): string | undefined {
  return neverTaken(quoteMachine, type, anotherKindsDecision);
}

/** The next automatic reminder, when one will be sent. */
function nextReminderAt(snapshot: QuoteSnapshot): number | undefined {
  const { context } = snapshot;
  const status = quoteStatus(snapshot);
  if (status !== 'sent' && status !== 'viewed') return undefined;
  if (!remindersLeft(context) || context.reminderAfterMs <= 0) return undefined;
  const at = (context.lastEmailedAt ?? context.now) + context.reminderAfterMs;
  return context.validUntil !== undefined && at >= context.validUntil ? undefined : at;
}

/** What the quote's state looks like from outside (query and update answers). */
export function quoteView(snapshot: QuoteSnapshot): QuoteView {
  const next = nextReminderAt(snapshot);
  return {
    status: quoteStatus(snapshot),
    remindersSent: snapshot.context.remindersSent,
    ...(next !== undefined ? { nextReminderAt: next } : {}),
    ...(snapshot.context.validUntil !== undefined ? { validUntil: snapshot.context.validUntil } : {}),
    version: currentVersion(snapshot.context),
    ...(snapshot.context.withdrawable ? { withdrawable: snapshot.context.withdrawable } : {}),
    ...(snapshot.context.deciders ? { deciders: roundProgress(snapshot.context.deciders) } : {}),
    ...(snapshot.context.deposit ? { deposit: { policy: snapshot.context.deposit.policy, paid: isDepositPaid(snapshot.context) } } : {}),
  };
}
