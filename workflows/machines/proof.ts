/**
 * The life of an online proof ("BAT en ligne", seed 000), as a pure XState v5 machine
 * interpreted by its workflow like the quote's (DESIGN.md §3):
 *
 *   draft ──REVISION_READY──▶ sent ──VIEWED──▶ viewed
 *                              ├── APPROVE ──────────┼──▶ approved
 *                              └── REQUEST_CHANGES ──┴──▶ changes_requested
 *   sent | viewed | changes_requested ── REVISION_READY ──▶ sent (the next revision)
 *   sent | viewed ── REMIND ──▶ the same status, the reminder emailed (the seller's move)
 *   draft | sent | viewed | changes_requested ── CANCEL ──▶ cancelled
 *   approved ── WITHDRAW ──▶ sent (the same revision, while the withdrawal window is open)
 *   approved ── MOVE_ON (in production) | the window's end ──▶ approved, closed
 *
 * Decisions taken here, where the product page leaves room:
 * - A proof is sent when a revision is ready (rendered), not when it is created: SEND sends a
 *   revision the proof started with, else the first REVISION_READY sends it.
 * - Every decision names the revision the customer looked at, and is refused for any other:
 *   the customer must never approve pages they have not seen.
 * - Approval is final, for the revision and for the proof: what follows (production) is the
 *   back office's move. A later revision is refused; the seller makes a new proof. With
 *   `withdrawal` in the input (absent in proofs sent before it), the customer (or the colleague
 *   who approved) may withdraw the approval until the seller marks the proof in production
 *   (MOVE_ON) or the seller's window ends: the proof is then sent again on the same revision.
 * - A change request is final for its revision too: the seller is already at work on the next
 *   one, so neither an approval nor a second request is taken until it is ready.
 * - Approving requires the terms of sale when the customer has not accepted the tenant's
 *   current version; the acceptance is kept in context, so it is not asked again.
 * - Views and downloads are recorded in every state, final ones included.
 * - The customer may forward an open proof to a colleague (seed 000, "Envoyer à un collègue"):
 *   emailed a link of their own (keyed by the decision id), then recorded as `forwarded`. A
 *   colleague's decision counts like the customer's; the customer who forwarded is told of it
 *   too (notifyForwarder), after the assignee. A colleague does not forward further.
 *
 * - Several deciders (`deciders` in the input, domain/deciders.ts): each approves or asks for
 *   changes through their own link, in steps, each step settled by its rule. Their first step is
 *   invited instead of the customer's email; a step met invites the next; the proof is approved
 *   once the last step is met, sent back with changes as soon as a step can no longer be, and a
 *   next revision asks the same deciders again from the first step. A reviewer comments
 *   (COMMENT) without deciding. Nobody else decides such a proof but the seller (CANCEL).
 *
 *   sent | viewed ── APPROVE | REQUEST_CHANGES by a decider ──▶ the same status (counted),
 *                                                         or the same status, next step invited,
 *                                                         or approved | changes_requested (settled)
 *   sent | viewed ── COMMENT by a named decider ──▶ the same status, the comment recorded
 *   Settled, the round is told its decision (`tellRoundDecision`: approved or changes_requested),
 *   as the quote's is: who hears it is domain/deciders.ts `toldOfDecision`.
 *
 * Final statuses are not XState final states, for the same reason as the quote's: a view of an
 * approved proof must still be recorded.
 */
import { and, assign, enqueueActions, setup, type SnapshotFrom } from 'xstate';
import { FINAL_PROOF_STATUSES, type AuditEventType, type ProofStatus } from '../../domain/documents';
import { roundProgress, startRound, type DeciderPlan, type DeciderProgress, type DecisionRound } from '../../domain/deciders';
import { castRoundVote, commentData, roundVoteEffect, tellRoundDecision, voteData, whyNotRoundComment, whyNotRoundVote, type InviteParams, type ProofRoundOutcome, type RoundOutcomeParams } from './deciders';
import { activity, confirmToCustomer, isWithdrawable, neverTaken, withdrawableStatusReaders, factActions, RECORDED_FACTS, untilWithdrawalCloses, withdrawalWindow, type ConfirmParams, type FactEvent, type NotifyParams, type RecordParams, type Timed, type Withdrawable, type WithdrawalTerms } from './actions';

/** A comment pinned on a point of a page; x and y are fractions of the page from its top left. */
export interface ProofPinInput {
  page: number;
  x: number;
  y: number;
  comment: string;
}

export interface ProofMachineInput {
  /** Epoch ms at which the machine starts (the workflow's start time). */
  now: number;
  /** The tenant's current terms of sale; absent: the tenant has none to accept. */
  termsVersion?: string;
  /** The version of the terms the customer has accepted, if any. */
  termsAcceptedVersion?: string;
  /** A revision already rendered when the proof starts: SEND sends it. */
  readyRevision?: { revision: number; pageCount: number };
  /** An approval may be withdrawn on these terms; absent: never. */
  withdrawal?: WithdrawalTerms;
  /** Several deciders decide, in steps (domain/deciders.ts); absent: the customer decides. */
  deciders?: DeciderPlan;
}

export interface ProofContext {
  now: number;
  /** The revision the customer is asked about; 0 until the first one is ready. */
  revision: number;
  /** Pages of that revision: pins must fall on one of them. */
  pageCount: number;
  termsVersion?: string;
  termsAcceptedVersion?: string;
  /** Reminders the seller sent; absent in proofs started before reminders existed (0). */
  remindersSent?: number;
  /** Colleagues the proof was forwarded to; absent in proofs started before forwarding existed (0). */
  forwards?: number;
  withdrawal?: WithdrawalTerms;
  /** The approval may be withdrawn now; absent once the window closed (and before withdrawals existed). */
  withdrawable?: Withdrawable;
  /** The deciders' round on the current revision; absent when the customer decides alone. */
  deciders?: DecisionRound;
}

/** A rendered revision, reported by the revision render. */
export interface RevisionReadyEvent extends Timed {
  type: 'REVISION_READY';
  revision: number;
  pageCount: number;
}

export interface ApproveEvent extends Timed {
  type: 'APPROVE';
  /** The revision the customer approves (the one their page showed). */
  revision: number;
  termsAccepted?: boolean;
  /** The version of the terms the checkbox showed. */
  termsVersion?: string;
}

export interface RequestChangesEvent extends Timed {
  type: 'REQUEST_CHANGES';
  revision: number;
  comment: string;
  pins?: ProofPinInput[];
}

/** A reviewer (or any decider named) comments on the revision without deciding. */
export interface CommentEvent extends Timed {
  type: 'COMMENT';
  revision: number;
  comment: string;
  pins?: ProofPinInput[];
}

/** The customer sends the proof to a colleague, who gets a link of their own. */
export interface ForwardEvent extends Timed {
  type: 'FORWARD';
  to: { email: string; name?: string };
  /** The decision's id: it keys the colleague's email and link, so a retry sends once. */
  decisionId: string;
}

export type ProofEvent =
  | ({ type: 'SEND' } & Timed)
  | ForwardEvent
  | ({ type: 'CANCEL'; reason?: string } & Timed)
  | ({ type: 'REMIND' } & Timed)
  /** The customer takes the approval back; the seller marks the proof in production (MOVE_ON). */
  | ({ type: 'WITHDRAW' | 'MOVE_ON' } & Timed)
  | FactEvent
  | RevisionReadyEvent
  | ApproveEvent
  | RequestChangesEvent
  | CommentEvent;

/** Parameters of the email that sends a revision to the customer. */
export interface RevisionEmailParams {
  revision: number;
}

/** Parameters of a reminder: the revision waiting for an answer, and which reminder this is (1, 2 …). */
export interface ReminderEmailParams extends RevisionEmailParams {
  reminder: number;
}

const remindersSent = (context: ProofContext): number => context.remindersSent ?? 0;

/** Parameters of the email that gives a colleague their link to the proof. */
export interface ForwardEmailParams {
  decisionId: string;
  to: { email: string; name?: string };
  /** The forwarding customer's link: the colleague's link is made from it. */
  fromLinkId: string;
}

/** Parameters of the notice to the customer who forwarded the proof, once their colleague decided. */
export interface ForwarderNoticeParams {
  decision: 'approved' | 'changes_requested';
  colleagueLinkId: string;
  comment?: string;
}

/** Whether approving needs the terms ticked: the tenant has terms the customer has not accepted. */
export const termsRequired = (context: ProofContext): boolean =>
  context.termsVersion !== undefined && context.termsAcceptedVersion !== context.termsVersion;

/** What is wrong with a reported revision; undefined when it may be sent. */
function revisionProblem(context: ProofContext, event: RevisionReadyEvent): string | undefined {
  if (!Number.isInteger(event.revision) || event.revision <= context.revision) {
    return `Revision ${event.revision} is not newer than revision ${context.revision} of the proof`;
  }
  if (!Number.isInteger(event.pageCount) || event.pageCount < 1) return `Revision ${event.revision} has no pages`;
  return undefined;
}

/** A decision about another revision than the one the customer is now asked about. */
function staleRevisionProblem(context: ProofContext, event: ApproveEvent | RequestChangesEvent | CommentEvent): string | undefined {
  return event.revision === context.revision
    ? undefined
    : `This decision is about revision ${event.revision} of the proof; the current revision is ${context.revision}`;
}

function approvalProblem(context: ProofContext, event: ApproveEvent): string | undefined {
  const stale = staleRevisionProblem(context, event) ?? whyNotRoundVote(context.deciders, event);
  if (stale) return stale;
  if (!termsRequired(context)) return undefined;
  if (event.termsAccepted !== true) return 'The terms of sale must be accepted to approve the proof';
  if (event.termsVersion !== context.termsVersion) {
    return `The terms of sale accepted are version ${event.termsVersion ?? '(none)'}; the current version is ${context.termsVersion}`;
  }
  return undefined;
}

/** The decision comes through a colleague's link (a proof forwarded to them). */
function colleagueLinkOf(event: ProofEvent): string | undefined {
  return event.actor.kind === 'customer' && event.actor.forwardedFromLinkId ? event.actor.linkId : undefined;
}

/** Each forward emails an address the customer typed: bounded, so a link cannot be used to send mail in bulk. */
export const MAX_FORWARDS = 20;

function forwardProblem(context: ProofContext, event: ForwardEvent): string | undefined {
  if (event.actor.kind !== 'customer') return 'Only the customer forwards a proof to a colleague';
  if ((context.forwards ?? 0) >= MAX_FORWARDS) return `The proof has already been forwarded ${MAX_FORWARDS} times; ask the seller to send it to more people`;
  if (event.actor.forwardedFromLinkId) return 'A proof forwarded to you cannot be forwarded again; ask the person who sent it to you';
  if (!/^[^\s@]+@[^\s@]+$/.test(event.to.email)) return `${event.to.email} is not an email address`;
  return undefined;
}

/** Who ticked the terms, kept on the customer with the version (services/db/audit.ts). */
function termsAcceptedBy(event: ApproveEvent): Record<string, unknown> {
  const { actor } = event;
  if (actor.kind !== 'customer') return { actor: actor.kind };
  return { linkId: actor.linkId, name: actor.name ?? null, email: actor.email ?? null, colleague: Boolean(actor.forwardedFromLinkId) };
}

function pinProblem(context: ProofContext, pin: ProofPinInput, index: number): string | undefined {
  const name = `Pin ${index + 1}`;
  if (!Number.isInteger(pin.page) || pin.page < 1 || pin.page > context.pageCount) {
    return `${name} is on page ${pin.page}; revision ${context.revision} has ${context.pageCount} page${context.pageCount === 1 ? '' : 's'}`;
  }
  const onPage = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
  if (!onPage(pin.x) || !onPage(pin.y)) return `${name} is outside the page (x and y go from 0 to 1)`;
  if (!pin.comment?.trim()) return `${name} has no comment`;
  return undefined;
}

function changeRequestProblem(context: ProofContext, event: RequestChangesEvent | CommentEvent): string | undefined {
  const stale = staleRevisionProblem(context, event) ?? (event.type === 'COMMENT' ? whyNotRoundComment(context.deciders, event) : whyNotRoundVote(context.deciders, event));
  if (stale) return stale;
  if (!event.comment?.trim()) return 'A change request needs a comment';
  for (const [index, pin] of (event.pins ?? []).entries()) {
    const problem = pinProblem(context, pin, index);
    if (problem) return problem;
  }
  return undefined;
}

/** What the proof workflow answers. */
export interface ProofView {
  status: ProofStatus;
  /** The revision the customer is asked about; 0 before the first is sent. */
  revision: number;
  pageCount: number;
  /** Whether approving needs the terms of sale ticked. */
  termsRequired: boolean;
  /** Reminders the seller sent. */
  remindersSent: number;
  /** Approved, and the approval may still be withdrawn (until this epoch ms, when the seller set a window). */
  withdrawable?: Withdrawable;
  /** Where each decider stands, when several decide. */
  deciders?: DeciderProgress[];
}

/** A proof's context as it starts: at the revision ready when sent (none yet for a draft), no reminder sent. */
function proofContext(input: ProofMachineInput): ProofContext {
  return {
    now: input.now,
    revision: input.readyRevision?.revision ?? 0,
    pageCount: input.readyRevision?.pageCount ?? 0,
    termsVersion: input.termsVersion,
    termsAcceptedVersion: input.termsAcceptedVersion,
    remindersSent: 0,
    ...(input.withdrawal ? { withdrawal: input.withdrawal } : {}),
    ...(input.deciders ? { deciders: startRound(input.deciders) } : {}),
  };
}

export const proofMachine = setup({
  types: {
    context: {} as ProofContext,
    events: {} as ProofEvent,
    input: {} as ProofMachineInput,
  },
  guards: {
    hasRevision: ({ context }) => context.revision > 0,
    newerRevision: ({ context, event }) => event.type === 'REVISION_READY' && revisionProblem(context, event) === undefined,
    mayApprove: ({ context, event }) => event.type === 'APPROVE' && approvalProblem(context, event) === undefined,
    mayRequestChanges: ({ context, event }) => event.type === 'REQUEST_CHANGES' && changeRequestProblem(context, event) === undefined,
    mayComment: ({ context, event }) => event.type === 'COMMENT' && changeRequestProblem(context, event) === undefined,
    inRound: ({ context }) => context.deciders !== undefined,
    voteSettles: ({ context, event }) => roundVoteEffect(context.deciders, event)?.kind === 'settled',
    voteMeetsStep: ({ context, event }) => roundVoteEffect(context.deciders, event)?.kind === 'step_met',
    mayForward: ({ context, event }) => event.type === 'FORWARD' && forwardProblem(context, event) === undefined,
    byColleague: ({ event }) => colleagueLinkOf(event) !== undefined,
    mayWithdraw: ({ context, event }) => isWithdrawable(context.withdrawable, event.at),
    withdrawalOpen: ({ context }) => context.withdrawable !== undefined,
  },
  actions: {
    keepTime: assign({ now: ({ event }) => event.at }),
    takeRevision: assign({
      revision: ({ context, event }) => (event.type === 'REVISION_READY' ? event.revision : context.revision),
      pageCount: ({ context, event }) => (event.type === 'REVISION_READY' ? event.pageCount : context.pageCount),
    }),
    /** Ticking the box accepts the tenant's current terms: not asked again. */
    keepTermsAcceptance: assign({
      termsAcceptedVersion: ({ context, event }) =>
        event.type === 'APPROVE' && event.termsAccepted === true && event.termsVersion === context.termsVersion
          ? event.termsVersion
          : context.termsAcceptedVersion,
    }),
    countReminder: assign({ remindersSent: ({ context }) => remindersSent(context) + 1 }),
    countForward: assign({ forwards: ({ context }) => (context.forwards ?? 0) + 1 }),
    openWithdrawal: assign({ withdrawable: ({ context, event }) => withdrawalWindow(context.withdrawal, event.at) }),
    closeWithdrawal: assign({ withdrawable: undefined }),
    countVote: assign({ deciders: ({ context, event }) => castRoundVote(context.deciders, event) }),
    /** A new revision is asked of the same deciders, from the first step. */
    restartRound: assign({ deciders: ({ context }) => context.deciders && startRound(context.deciders) }),
    /** The revision goes to the customer, or to the first step's deciders when several decide. */
    sendRevision: enqueueActions(({ context, enqueue }) => {
      if (context.deciders) enqueue({ type: 'inviteDeciders', params: { step: 1, round: context.revision } });
      else enqueue({ type: 'sendRevisionEmail', params: { revision: context.revision } });
    }),
    recordTransition: activity<RecordParams>(),
    sendRevisionEmail: activity<RevisionEmailParams>(),
    inviteDeciders: activity<InviteParams>(),
    tellRoundDecision: activity<RoundOutcomeParams<ProofRoundOutcome>>(),
    sendReminderEmail: activity<ReminderEmailParams>(),
    notifyAssignee: activity<NotifyParams>(),
    confirmToCustomer: activity<ConfirmParams>(),
    sendForwardEmail: activity<ForwardEmailParams>(),
    notifyForwarder: activity<ForwarderNoticeParams>(),
  },
  delays: {
    untilWithdrawalCloses: ({ context }) => untilWithdrawalCloses(context.withdrawable, context.now),
  },
}).createMachine(
  (() => {
    const record = (type: AuditEventType, data?: (context: ProofContext, event: ProofEvent) => Record<string, unknown>) =>
      ({
        type: 'recordTransition',
        params: ({ context, event }: { context: ProofContext; event: ProofEvent }) => ({ type, ...(data ? { data: data(context, event) } : {}) }),
      }) as const;
    const notify = (what: AuditEventType) => ({ type: 'notifyAssignee', params: { event: 'decided', what } }) as const;
    const onRevision = (context: ProofContext) => ({ revision: context.revision });
    /** The current revision goes to the customer (or its first deciders): emailed, then recorded as sent. */
    const sendRevision = ['sendRevision', record('sent', onRevision)] as const;
    const revisionReady = { target: 'sent', reenter: true, guard: 'newerRevision', actions: ['keepTime', 'takeRevision', 'restartRound', ...sendRevision] } as const;
    /** The proof approved: recorded (with the terms ticked), told, and open to withdrawal. */
    const approved = [
        record('approved', (context, event) => ({
          ...onRevision(context),
          // Only the current version counts as accepted (the one the customer is asked about).
          ...(event.type === 'APPROVE' && event.termsAccepted && event.termsVersion !== undefined && event.termsVersion === context.termsVersion
            ? { termsAccepted: true, termsVersion: event.termsVersion, termsAcceptedBy: termsAcceptedBy(event) }
            : {}),
        })),
        notify('approved'),
        'openWithdrawal',
    ] as const;
    const approval = { target: 'approved', guard: 'mayApprove', actions: ['keepTime', 'keepTermsAcceptance', ...approved] } as const;
    /** The customer's own approval is confirmed to them; a colleague's is told to whoever forwarded it (tellForwarder). */
    const approve = { ...approval, actions: [...approval.actions, confirmToCustomer('approved')] } as const;
    const changesRequested = [
      record('changes_requested', (context, event) => ({
        ...onRevision(context),
        ...(event.type === 'REQUEST_CHANGES' ? { comment: event.comment.trim(), pins: event.pins ?? [] } : {}),
      })),
      notify('changes_requested'),
    ] as const;
    const requestChanges = { target: 'changes_requested', guard: 'mayRequestChanges', actions: ['keepTime', ...changesRequested] } as const;
    const cancel = { target: 'cancelled', actions: ['keepTime', record('cancelled')] } as const;
    /** The seller asks again about the revision the customer has not answered yet. */
    const remind = {
      actions: [
        'keepTime',
        'countReminder',
        {
          type: 'sendReminderEmail',
          params: ({ context }: { context: ProofContext }) => ({ revision: context.revision, reminder: remindersSent(context) }),
        },
        record('reminded', (context) => ({ ...onRevision(context), reminder: remindersSent(context) })),
      ],
    } as const;
    /** A colleague's decision is also told to the customer who forwarded them the proof. */
    const tellForwarder = (decision: ForwarderNoticeParams['decision']) =>
      ({
        type: 'notifyForwarder',
        params: ({ event }: { event: ProofEvent }) => ({
          decision,
          colleagueLinkId: colleagueLinkOf(event) as string,
          ...(event.type === 'REQUEST_CHANGES' ? { comment: event.comment.trim() } : {}),
        }),
      }) as const;
    const byColleague = <T extends { guard: 'mayApprove' | 'mayRequestChanges'; actions: readonly unknown[] }>(transition: T, decision: ForwarderNoticeParams['decision']) =>
      ({ ...transition, guard: and([transition.guard, 'byColleague']), actions: [...transition.actions, tellForwarder(decision)] }) as const;
    /** Emailed first (the colleague's link), then recorded: who forwarded to whom. */
    const forward = {
      guard: 'mayForward',
      actions: [
        'keepTime',
        'countForward',
        {
          type: 'sendForwardEmail',
          // mayForward admitted a customer's event.
          params: ({ event }: { event: ForwardEvent }) => ({ decisionId: event.decisionId, to: event.to, fromLinkId: event.actor.kind === 'customer' ? event.actor.linkId : '' }),
        },
        record('forwarded', (context, event) =>
          event.type === 'FORWARD' && event.actor.kind === 'customer'
            ? { ...onRevision(context), to: event.to, by: { linkId: event.actor.linkId, name: event.actor.name ?? null, email: event.actor.email ?? null } }
            : onRevision(context),
        ),
      ],
    } as const;
    /** A decider's vote: counted, and recorded as theirs. */
    const voteRecord = (what: 'decider_approved' | 'decider_declined') => record(what, (context, event) => ({ ...onRevision(context), ...voteData(context.deciders, event) }));
    const approveVote = ['keepTime', 'keepTermsAcceptance', 'countVote', voteRecord('decider_approved')] as const;
    const declineVote = ['keepTime', 'countVote', voteRecord('decider_declined')] as const;
    /** A step met: recorded, and the next step's deciders invited. */
    const nextStep = [
      record('step_completed', (context) => ({ ...onRevision(context), step: (context.deciders?.step ?? 2) - 1 })),
      { type: 'inviteDeciders', params: ({ context }: { context: ProofContext }) => ({ step: context.deciders?.step ?? 1, round: context.revision }) },
    ] as const;
    /**
     * A decider's vote settles the proof, meets its step, or is counted; before the customer's own
     * decision (no deciders). Settled, the round is told its decision.
     */
    const approvalVotes = [
      { target: 'approved', guard: and(['mayApprove', 'voteSettles']), actions: [...approveVote, ...approved, tellRoundDecision('approved')] },
      { guard: and(['mayApprove', 'voteMeetsStep']), actions: [...approveVote, ...nextStep] },
      { guard: and(['mayApprove', 'inRound']), actions: approveVote },
    ] as const;
    const changeVotes = [
      { target: 'changes_requested', guard: and(['mayRequestChanges', 'voteSettles']), actions: [...declineVote, ...changesRequested, tellRoundDecision('changes_requested')] },
      { guard: and(['mayRequestChanges', 'inRound']), actions: declineVote },
    ] as const;
    const comment = {
      guard: 'mayComment',
      actions: [
        'keepTime',
        record('commented', (context, event) => ({
          ...onRevision(context),
          ...(event.type === 'COMMENT' ? { ...commentData(context.deciders, event), pins: event.pins ?? [] } : {}),
        })),
      ],
    } as const;
    const awaitingDecision = {
      APPROVE: [...approvalVotes, byColleague(approval, 'approved'), approve],
      REQUEST_CHANGES: [...changeVotes, byColleague(requestChanges, 'changes_requested'), requestChanges],
      COMMENT: comment,
      REVISION_READY: revisionReady,
      CANCEL: cancel,
      FORWARD: forward,
      REMIND: remind,
    } as const;

    return {
      id: 'proof',
      context: ({ input }: { input: ProofMachineInput }) => proofContext(input),
      initial: 'draft',
      // `sent` overrides VIEWED to move on.
      on: RECORDED_FACTS,
      states: {
        draft: {
          on: {
            SEND: { target: 'sent', guard: 'hasRevision', actions: ['keepTime', ...sendRevision] },
            REVISION_READY: revisionReady,
            CANCEL: cancel,
          },
        },
        sent: { on: { ...awaitingDecision, VIEWED: { target: 'viewed', actions: factActions('viewed') } } },
        viewed: { on: awaitingDecision },
        changes_requested: { on: { REVISION_READY: revisionReady, CANCEL: cancel, FORWARD: forward } },
        approved: {
          // Only while the withdrawal window is open: otherwise the proof is closed.
          after: { untilWithdrawalCloses: { guard: 'withdrawalOpen', actions: ['keepTime', 'closeWithdrawal'] } },
          on: {
            WITHDRAW: { target: 'sent', guard: 'mayWithdraw', actions: ['keepTime', 'closeWithdrawal', record('withdrawn', onRevision), notify('withdrawn')] },
            MOVE_ON: { guard: 'withdrawalOpen', actions: ['keepTime', 'closeWithdrawal', record('in_production', onRevision)] },
          },
        },
        cancelled: {},
      },
    };
  })(),
);

export type ProofSnapshot = SnapshotFrom<typeof proofMachine>;

/** isProofClosed: in a final status, and no approval left to withdraw. */
const readers = withdrawableStatusReaders<ProofStatus, ProofSnapshot>(FINAL_PROOF_STATUSES);
export const { status: proofStatus, isClosed: isProofClosed } = readers;

/** Why an approved proof's approval cannot be withdrawn (also once its workflow has closed). */
export const APPROVAL_WITHDRAWAL_CLOSED = 'The approval can no longer be withdrawn';

/** Why nothing more can happen to a proof in a final status (also used once its workflow has closed). */
export function closedProofReason(status: ProofStatus, revision?: number): string {
  if (status === 'cancelled') return 'The proof is cancelled';
  return revision ? `The proof is already approved (revision ${revision})` : `The proof is already ${status}`;
}

/** Why a proof refuses events of `type` in every status; undefined when some status takes them. */
export function whyProofNeverTakes(type: string): string | undefined {
  return neverTaken(proofMachine, type, (decision) => `A proof is approved or sent back with changes; it takes no ${decision}`);
}

/**
 * Why the machine would refuse `event` in `snapshot`, in words a customer or a seller can
 * read; undefined when the event is allowed. Update validators answer with it.
 */
export function whyNotProof(snapshot: ProofSnapshot, event: ProofEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  const status = proofStatus(snapshot);
  const { context } = snapshot;
  if (event.type === 'WITHDRAW' || event.type === 'MOVE_ON') {
    if (status === 'approved') return event.type === 'WITHDRAW' ? APPROVAL_WITHDRAWAL_CLOSED : 'The proof is already in production';
    return `The proof is ${status.replace('_', ' ')}, not approved`;
  }
  // A final status, whether or not its approval may still be withdrawn.
  if (readers.isFinal(snapshot)) {
    const closed = closedProofReason(status, context.revision);
    return event.type === 'REVISION_READY' && status === 'approved' ? `${closed}: a new revision cannot be sent` : closed;
  }
  switch (event.type) {
    case 'SEND':
      return status === 'draft' ? 'The proof has no revision ready to send yet' : 'The proof has already been sent';
    case 'REVISION_READY':
      return revisionProblem(context, event);
    case 'REMIND':
      if (status === 'draft') return 'The proof has not been sent yet; send it first';
      return `Changes were requested on revision ${context.revision}; upload the next revision rather than remind`;
    case 'FORWARD':
      if (status === 'draft') return 'The proof has not been sent yet';
      return forwardProblem(context, event);
    case 'APPROVE':
    case 'REQUEST_CHANGES':
    case 'COMMENT':
      if (status === 'draft') return 'The proof has not been sent yet';
      if (status === 'changes_requested') {
        return `Changes were already requested on revision ${context.revision}; the next revision will be sent for approval`;
      }
      return event.type === 'APPROVE' ? approvalProblem(context, event) : changeRequestProblem(context, event);
    default:
      return `A proof that is ${status.replace('_', ' ')} cannot take ${event.type.toLowerCase()}`;
  }
}

/** What the proof's state looks like from outside (query and update answers). */
export function proofView(snapshot: ProofSnapshot): ProofView {
  const { context } = snapshot;
  return {
    status: proofStatus(snapshot),
    revision: context.revision,
    pageCount: context.pageCount,
    termsRequired: termsRequired(context),
    remindersSent: remindersSent(context),
    ...(context.withdrawable ? { withdrawable: context.withdrawable } : {}),
    ...(context.deciders ? { deciders: roundProgress(context.deciders) } : {}),
  };
}
