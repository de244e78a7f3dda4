/**
 * How the quote and proof machines read a decision event as a decider's vote (domain/deciders.ts
 * holds the rules): whose it is (their link's decider id, in the actor), and yes or no by its
 * type. Every function answers undefined when the document has no deciders.
 */
import { castVote, findDecider, voteEffect, whyNotComment, whyNotVote, type DecisionRound, type Vote, type VoteEffect } from '../../domain/deciders';
import type { Timed } from './actions';

/** The invitations of a step: `round` keys them (the proof's revision, the quote's version), so a retry sends each once. */
export interface InviteParams {
  step: number;
  round: number;
}

/**
 * The round's decision, told to those it concerns (domain/deciders.ts `toldOfDecision`): a quote
 * accepted, signed (when its signers' signatures accepted it) or declined; a proof approved or
 * sent back with changes.
 */
export interface RoundOutcomeParams<Outcome extends QuoteRoundOutcome | ProofRoundOutcome = QuoteRoundOutcome | ProofRoundOutcome> {
  outcome: Outcome;
}
export type QuoteRoundOutcome = 'accepted' | 'signed' | 'declined';
export type ProofRoundOutcome = 'approved' | 'changes_requested';

/** The action that tells a settled round its decision, as the machines name it. */
export function tellRoundDecision<Outcome extends RoundOutcomeParams['outcome']>(outcome: Outcome) {
  return { type: 'tellRoundDecision', params: { outcome } } as const;
}

type Decision = Timed & { type: string };

/** PAY_DEPOSIT: an approver's yes that leads to the deposit's page (accept_when_paid). */
const YES_EVENTS: readonly string[] = ['APPROVE', 'ACCEPT', 'SIGN', 'PAY_DEPOSIT'];

const voteOfEvent = (event: Decision): Vote => (YES_EVENTS.includes(event.type) ? 'yes' : 'no');

export function deciderIdOf(event: Timed): string | undefined {
  return event.actor.kind === 'customer' ? event.actor.deciderId : undefined;
}

/** Why the decision is not a vote this round takes; undefined without deciders. Signers sign; approvers accept. */
export function whyNotRoundVote(round: DecisionRound | undefined, event: Decision): string | undefined {
  if (!round) return undefined;
  const notAVote = whyNotVote(round, deciderIdOf(event));
  if (notAVote) return notAVote;
  const role = findDecider(round, deciderIdOf(event))?.role;
  if (event.type === 'SIGN' && role !== 'signer') return 'The signers sign; approvers accept';
  if ((event.type === 'ACCEPT' || event.type === 'PAY_DEPOSIT') && role === 'signer') return 'A signer signs the quote';
  return undefined;
}

/** What the vote would do; undefined without deciders or when it is not taken. */
export function roundVoteEffect(round: DecisionRound | undefined, event: Decision): VoteEffect | undefined {
  const deciderId = deciderIdOf(event);
  if (!round || deciderId === undefined || whyNotRoundVote(round, event)) return undefined;
  return voteEffect(round, deciderId, voteOfEvent(event), event.at);
}

/** The round with the event's vote counted (guards admitted it). */
export function castRoundVote(round: DecisionRound | undefined, event: Decision): DecisionRound | undefined {
  const deciderId = deciderIdOf(event);
  return round && deciderId !== undefined ? castVote(round, deciderId, voteOfEvent(event), event.at) : round;
}

/** Who decided, as the trail keeps it beside the actor: the decider and their step. */
export function voteData(round: DecisionRound | undefined, event: Timed): Record<string, unknown> {
  const decider = round && findDecider(round, deciderIdOf(event));
  return decider ? { deciderId: decider.id, step: decider.step, role: decider.role } : {};
}

/** A comment that decides nothing (a reviewer's, on a quote or a proof): its words, and whose link wrote it. */
type Comment = Timed & { comment: string };

/** Why the comment is not taken: only a document with deciders takes comments, from those whose step is open, with some words. */
export function whyNotRoundComment(round: DecisionRound | undefined, event: Comment): string | undefined {
  if (!round) return 'Comments come from the reviewers the seller named';
  return whyNotComment(round, deciderIdOf(event)) ?? (event.comment?.trim() ? undefined : 'A comment needs some words');
}

/** A comment as the trail keeps it (`commented`): its words, and who wrote it beside the actor. */
export function commentData(round: DecisionRound | undefined, event: Comment): Record<string, unknown> {
  return { comment: event.comment.trim(), ...voteData(round, event) };
}
