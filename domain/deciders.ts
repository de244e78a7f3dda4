/**
 * Several people, one decision (Greenlight issue 17): the deciders the seller names when sending
 * a quote or a proof, in steps, each step settled by its rule. Pure: the quote and proof machines
 * keep a `DecisionRound` in their context and ask these functions; the API checks a send's
 * deciders with `deciderPlanProblem` before anything starts.
 *
 * - Each decider has an id of their own (`d1`, `d2` … in the order the seller named them), which
 *   their link carries: their decision is theirs in the trail, and counted once.
 * - Steps go in order: only the open step's deciders decide; the next step opens (its deciders
 *   are invited) once the open step's rule is met.
 * - A rule says when a step is met, and when it can no longer be: `all` (every approver or
 *   signer says yes; one no settles it as no), `any` (one yes is enough; a no waits for the
 *   others, and the step is no once nobody is left to say yes), `{atLeast: n}` (n yeses; no once
 *   too few are left to reach n).
 * - A reviewer comments without deciding: never counted, never awaited.
 * - The document's decision is the last step's: yes once the last step is met, no as soon as any
 *   step can no longer be. Either is taken once: a round that is settled takes no more votes.
 */

import type { LinkAction } from './documents';

export const DECIDER_ROLES = ['approver', 'signer', 'reviewer'] as const;
export type DeciderRole = (typeof DECIDER_ROLES)[number];

export type StepRule = 'all' | 'any' | { atLeast: number };

/** A decider as the workflow keeps them: whom to invite, and how they count. */
export interface Decider {
  /** Stable within the document: `d1`, `d2` … in the order the seller named them. */
  id: string;
  role: DeciderRole;
  /** 1, 2 …: the step in which they are invited and decide. */
  step: number;
  email: string;
  name?: string;
  contactId?: string;
}

/** The deciders and each step's rule, as the seller set them at send. */
export interface DeciderPlan {
  deciders: Decider[];
  /** The rule of step n is `rules[n - 1]`. */
  rules: StepRule[];
}

export type Vote = 'yes' | 'no';

/** One decider's decision, kept with when it was taken. */
export interface DeciderVote {
  deciderId: string;
  vote: Vote;
  at: number;
}

/** The plan and how far it came: the open step and the votes taken (in order). */
export interface DecisionRound extends DeciderPlan {
  /** The step whose deciders decide now; the last step stays open once met (`outcome` says it). */
  step: number;
  votes: DeciderVote[];
  /** Set once the round is settled: the document's decision. */
  outcome?: Vote;
}

/** What one vote does to the round. */
export type VoteEffect =
  /** Counted; its step still waits for others. */
  | { kind: 'counted' }
  /** Its step is met and the next one opens: its deciders are invited. */
  | { kind: 'step_met'; next: number }
  /** The document's decision, taken now. */
  | { kind: 'settled'; outcome: Vote };

export function startRound(plan: DeciderPlan): DecisionRound {
  return { deciders: plan.deciders, rules: plan.rules, step: 1, votes: [] };
}

export const lastStep = (plan: DeciderPlan): number => plan.rules.length;

export const decidersOfStep = (plan: DeciderPlan, step: number): Decider[] => plan.deciders.filter((decider) => decider.step === step);

/** Who counts in a step: its approvers and signers, not its reviewers. */
const countedIn = (plan: DeciderPlan, step: number): Decider[] => decidersOfStep(plan, step).filter((decider) => decider.role !== 'reviewer');

export const findDecider = (plan: DeciderPlan, deciderId: string | undefined): Decider | undefined =>
  deciderId === undefined ? undefined : plan.deciders.find((decider) => decider.id === deciderId);

export const voteOf = (round: DecisionRound, deciderId: string): DeciderVote | undefined => round.votes.find((vote) => vote.deciderId === deciderId);

/** Whether a step's rule is met (yes), can no longer be (no), or waits (undefined). */
export function stepOutcome(round: DecisionRound, step: number): Vote | undefined {
  const counted = countedIn(round, step);
  const votes = counted.map((decider) => voteOf(round, decider.id)?.vote);
  const yes = votes.filter((vote) => vote === 'yes').length;
  const undecided = votes.filter((vote) => vote === undefined).length;
  const needed = yesNeeded(round.rules[step - 1] ?? 'all', counted.length);
  if (yes >= needed) return 'yes';
  if (yes + undecided < needed) return 'no';
  return undefined;
}

function yesNeeded(rule: StepRule, counted: number): number {
  if (rule === 'all') return counted;
  if (rule === 'any') return Math.min(1, counted);
  return rule.atLeast;
}

/**
 * Why `deciderId` may not give `vote` now, in words the decider reads; undefined when they may.
 * A reviewer's comment is not a vote: `whyNotComment` says when they may comment.
 */
export function whyNotVote(round: DecisionRound, deciderId: string | undefined): string | undefined {
  const decider = findDecider(round, deciderId);
  if (!decider) return 'This document is decided by the people the seller named; this link is not one of theirs';
  if (round.outcome) return 'The decision on this document is already taken';
  if (decider.role === 'reviewer') return 'A reviewer comments; the approvers decide';
  if (decider.step > round.step) return `Step ${decider.step} decides after step ${round.step}; you will be invited once it is done`;
  if (decider.step < round.step) return `Your step (${decider.step}) is already decided`;
  const taken = voteOf(round, decider.id);
  if (taken) return `You already ${taken.vote === 'yes' ? 'approved' : 'declined'}`;
  return undefined;
}

/** Why `deciderId` may not comment: anyone named whose step is open or done, until the decision is taken. */
export function whyNotComment(round: DecisionRound, deciderId: string | undefined): string | undefined {
  const decider = findDecider(round, deciderId);
  if (!decider) return 'This document is decided by the people the seller named; this link is not one of theirs';
  if (round.outcome) return 'The decision on this document is already taken';
  if (decider.step > round.step) return `Step ${decider.step} comes after step ${round.step}; you will be invited once it is done`;
  return undefined;
}

/** What a vote (allowed by `whyNotVote`) would do. */
export function voteEffect(round: DecisionRound, deciderId: string, vote: Vote, at: number): VoteEffect {
  const after = castVote(round, deciderId, vote, at);
  if (after.outcome) return { kind: 'settled', outcome: after.outcome };
  return after.step === round.step ? { kind: 'counted' } : { kind: 'step_met', next: after.step };
}

/**
 * A quote accepted once its deposit is paid (accept_when_paid): whether `deciderId`'s yes leads to
 * the payment page — the approver's yes that meets the last step's rule, or, the round met and the
 * money not there yet (a declined card), any approver of the last step's, to pay again.
 */
export function yesLeadsToDeposit(round: DecisionRound, deciderId: string | undefined, at: number): boolean {
  const decider = findDecider(round, deciderId);
  if (decider?.role !== 'approver') return false;
  if (round.outcome === 'yes') return decider.step === lastStep(round);
  return whyNotVote(round, decider.id) === undefined && voteEffect(round, decider.id, 'yes', at).kind === 'settled';
}

/** The round with the vote counted: its step moves on when met, and it settles when the document's decision is taken. */
export function castVote(round: DecisionRound, deciderId: string, vote: Vote, at: number): DecisionRound {
  const counted: DecisionRound = { ...round, votes: [...round.votes, { deciderId, vote, at }] };
  const outcome = stepOutcome(counted, counted.step);
  if (outcome === 'no') return { ...counted, outcome: 'no' };
  if (outcome === 'yes') return counted.step >= lastStep(counted) ? { ...counted, outcome: 'yes' } : { ...counted, step: counted.step + 1 };
  return counted;
}

/**
 * Who is told the document's decision, each on their own link: everyone the round invited (the
 * steps opened so far, reviewers too: they were asked, and should not keep waiting on a decision
 * taken), but whoever's no settled it (they just gave it, as a customer who refuses alone is
 * told nothing more). Deciders of a step never opened are not told: nobody asked them anything.
 */
export function toldOfDecision(round: DecisionRound): Decider[] {
  if (!round.outcome) return [];
  const settledBy = round.outcome === 'no' ? round.votes.at(-1)?.deciderId : undefined;
  return round.deciders.filter((decider) => decider.step <= round.step && decider.id !== settledBy);
}

/** Whose no settled the round, by name (their address when the seller named none); undefined unless refused. */
export function declinedBy(round: DecisionRound): string | undefined {
  if (round.outcome !== 'no') return undefined;
  const decider = findDecider(round, round.votes.at(-1)?.deciderId);
  return decider ? (decider.name ?? decider.email) : undefined;
}

/** Where each decider stands: what the portal shows every decider (never their links). */
export interface DeciderProgress {
  id: string;
  name: string;
  role: DeciderRole;
  step: number;
  state: 'approved' | 'declined' | 'awaited' | 'not_yet_invited' | 'not_needed' | 'reviewing';
  at?: number;
}

export function roundProgress(round: DecisionRound): DeciderProgress[] {
  return round.deciders.map((decider) => {
    const vote = voteOf(round, decider.id);
    const base = { id: decider.id, name: decider.name ?? decider.email, role: decider.role, step: decider.step };
    if (vote) return { ...base, state: vote.vote === 'yes' ? 'approved' : 'declined', at: vote.at };
    if (decider.role === 'reviewer') return { ...base, state: decider.step > round.step ? 'not_yet_invited' : 'reviewing' };
    if (round.outcome || decider.step < round.step) return { ...base, state: 'not_needed' };
    return { ...base, state: decider.step > round.step ? 'not_yet_invited' : 'awaited' };
  });
}

/** The deciders the seller names at send, before they get their ids. */
export interface NamedDecider {
  role: DeciderRole;
  step?: number;
}

/**
 * What is wrong with a send's deciders and rules (the API answers 422 with it); undefined when
 * the plan holds: steps numbered from 1 without a gap, each with someone who decides, each
 * rule reachable, and signers only in the last step (they sign what the others approved).
 */
export function deciderPlanProblem(deciders: readonly NamedDecider[], rule: StepRule | StepRule[] | undefined): { path: string; message: string } | undefined {
  if (deciders.length === 0) return { path: 'deciders', message: 'at least one decider' };
  const steps = deciders.map((decider) => decider.step ?? 1);
  const last = Math.max(...steps);
  if (Array.isArray(rule) && rule.length > last) return { path: 'rule', message: `${rule.length} rules for ${last} step${last === 1 ? '' : 's'}` };
  const rules = rulesOfSteps(rule, last);
  for (let step = 1; step <= last; step += 1) {
    if (!steps.includes(step)) return { path: 'deciders', message: `no decider in step ${step}: steps go 1, 2 … without a gap` };
    const counted = deciders.filter((decider, index) => steps[index] === step && decider.role !== 'reviewer').length;
    if (counted === 0) return { path: 'deciders', message: `step ${step} has only reviewers; an approver or a signer decides each step` };
    const stepRule = rules[step - 1];
    if (typeof stepRule === 'object' && stepRule.atLeast > counted) return { path: 'rule', message: `step ${step} asks at least ${stepRule.atLeast} of ${counted} deciders` };
  }
  const earlySigner = deciders.findIndex((decider, index) => decider.role === 'signer' && steps[index] !== last);
  if (earlySigner >= 0) return { path: `deciders.${earlySigner}.step`, message: 'signers sign in the last step' };
  return undefined;
}

/**
 * What is wrong with a send whose signers sign at an external provider (GetAccept), which takes
 * the whole signing order at once: at least one signer; the approvers and reviewers decide on
 * the portal first, so every step of theirs comes before every signer's; the provider asks each
 * signer, in order, so the signers' steps take rule `all`. Then the plan holds as any other.
 */
export function providerSigningProblem(deciders: readonly NamedDecider[], rule: StepRule | StepRule[] | undefined): { path: string; message: string } | undefined {
  const steps = deciders.map((decider) => decider.step ?? 1);
  const signerSteps = steps.filter((_, index) => deciders[index]?.role === 'signer');
  if (signerSteps.length === 0) return { path: 'deciders.0.role', message: 'through GetAccept the signers sign: name at least one signer' };
  const problem = deciderPlanProblem(
    deciders.map((decider) => (decider.role === 'signer' ? { ...decider, role: 'approver' as const } : decider)),
    rule,
  );
  if (problem) return problem;
  const firstSigning = Math.min(...signerSteps);
  const late = deciders.findIndex((decider, index) => decider.role !== 'signer' && (steps[index] ?? 1) >= firstSigning);
  if (late >= 0) return { path: `deciders.${late}.step`, message: 'approvers and reviewers decide on the portal before the signers sign at GetAccept: their steps come first' };
  const loose = rulesOfSteps(rule, Math.max(...steps)).findIndex((stepRule, index) => index + 1 >= firstSigning && stepRule !== 'all');
  if (loose >= 0) return { path: 'rule', message: `GetAccept asks every signer, in their order: step ${loose + 1} takes rule all` };
  return undefined;
}

/**
 * The part of a plan the portal asks when its signers sign at an external provider: its
 * approvers and reviewers, in their steps (which come first), with those steps' rules;
 * undefined when only signers were named (the provider asks them all).
 */
export function portalPart(plan: DeciderPlan): DeciderPlan | undefined {
  const deciders = plan.deciders.filter((decider) => decider.role !== 'signer');
  if (deciders.length === 0) return undefined;
  return { deciders, rules: plan.rules.slice(0, Math.max(...deciders.map((decider) => decider.step))) };
}

/** A send's rule: one for every step, or one per step; each step's is `all` when not given. */
export function rulesOfSteps(rule: StepRule | StepRule[] | undefined, steps: number): StepRule[] {
  if (Array.isArray(rule)) return Array.from({ length: steps }, (_, index) => rule[index] ?? 'all');
  return Array.from({ length: steps }, () => rule ?? 'all');
}

/** What a decider's link lets them do, by the document's kind and their role: never forward, never hold; a reviewer comments. */
export function deciderLinkActions(kind: string, role: DeciderRole): LinkAction[] {
  if (role === 'reviewer') return ['view', 'download', 'comment'];
  if (kind === 'proof') return ['view', 'download', 'approve', 'request-changes'];
  return ['view', 'download', role === 'signer' ? 'sign' : 'accept', 'refuse'];
}
