import {
  castVote,
  declinedBy,
  deciderPlanProblem,
  portalPart,
  providerSigningProblem,
  roundProgress,
  rulesOfSteps,
  startRound,
  stepOutcome,
  toldOfDecision,
  voteEffect,
  whyNotComment,
  whyNotVote,
  type Decider,
  type DecisionRound,
  type StepRule,
} from '../../../domain/deciders';

const decider = (id: string, step: number, role: Decider['role'] = 'approver'): Decider => ({ id, step, role, email: `${id}@example.com`, name: id.toUpperCase() });

/** Two approvers in step 1 (rule given), one signer in step 2, a reviewer in step 1. */
function twoSteps(rule: StepRule = 'all'): DecisionRound {
  return startRound({ deciders: [decider('d1', 1), decider('d2', 1), decider('d3', 2, 'signer'), decider('d4', 1, 'reviewer')], rules: [rule, 'all'] });
}

const vote = (round: DecisionRound, id: string, yes: boolean, at = 1): DecisionRound => castVote(round, id, yes ? 'yes' : 'no', at);

describe('rule all', () => {
  it('meets the step once every approver said yes, then opens the next step', () => {
    const round = twoSteps('all');
    expect(voteEffect(round, 'd1', 'yes', 1)).toEqual({ kind: 'counted' });
    const one = vote(round, 'd1', true);
    expect(one.step).toBe(1);
    expect(voteEffect(one, 'd2', 'yes', 2)).toEqual({ kind: 'step_met', next: 2 });
    const both = vote(one, 'd2', true);
    expect(both.step).toBe(2);
    expect(voteEffect(both, 'd3', 'yes', 3)).toEqual({ kind: 'settled', outcome: 'yes' });
    expect(vote(both, 'd3', true).outcome).toBe('yes');
  });

  it('is settled as no by one no, in either step', () => {
    expect(voteEffect(twoSteps('all'), 'd2', 'no', 1)).toEqual({ kind: 'settled', outcome: 'no' });
    const stepTwo = vote(vote(twoSteps('all'), 'd1', true), 'd2', true);
    expect(voteEffect(stepTwo, 'd3', 'no', 3)).toEqual({ kind: 'settled', outcome: 'no' });
  });
});

describe('rule any', () => {
  it('is met by one yes', () => {
    expect(voteEffect(twoSteps('any'), 'd2', 'yes', 1)).toEqual({ kind: 'step_met', next: 2 });
  });

  it('waits for the others after a no, and is no once nobody is left to say yes', () => {
    const round = vote(twoSteps('any'), 'd1', false);
    expect(round.outcome).toBeUndefined();
    expect(stepOutcome(round, 1)).toBeUndefined();
    expect(voteEffect(round, 'd2', 'no', 2)).toEqual({ kind: 'settled', outcome: 'no' });
    expect(voteEffect(round, 'd2', 'yes', 2)).toEqual({ kind: 'step_met', next: 2 });
  });
});

describe('rule atLeast', () => {
  const three = () => startRound({ deciders: [decider('d1', 1), decider('d2', 1), decider('d3', 1)], rules: [{ atLeast: 2 }] });

  it('is met by n yeses', () => {
    const one = vote(three(), 'd1', true);
    expect(voteEffect(one, 'd3', 'yes', 2)).toEqual({ kind: 'settled', outcome: 'yes' });
  });

  it('is no once too few are left to reach n', () => {
    const one = vote(three(), 'd1', false);
    expect(one.outcome).toBeUndefined();
    expect(voteEffect(one, 'd2', 'no', 2)).toEqual({ kind: 'settled', outcome: 'no' });
  });
});

describe('who may decide', () => {
  it("only the open step's approvers and signers, once each, until the decision is taken", () => {
    const round = twoSteps();
    expect(whyNotVote(round, undefined)).toMatch(/people the seller named/);
    expect(whyNotVote(round, 'd9')).toMatch(/people the seller named/);
    expect(whyNotVote(round, 'd3')).toMatch(/Step 2 decides after step 1/);
    expect(whyNotVote(round, 'd4')).toMatch(/A reviewer comments/);
    expect(whyNotVote(round, 'd1')).toBeUndefined();
    const one = vote(round, 'd1', true);
    expect(whyNotVote(one, 'd1')).toBe('You already approved');
    const stepTwo = vote(one, 'd2', true);
    expect(whyNotVote(stepTwo, 'd2')).toMatch(/already decided/);
    expect(whyNotVote(vote(stepTwo, 'd3', true), 'd3')).toMatch(/already taken/);
  });

  it('reviewers (and deciders) comment once their step is open, until the decision is taken', () => {
    const round = startRound({ deciders: [decider('d1', 1), decider('d2', 2, 'reviewer'), decider('d3', 2)], rules: ['all', 'all'] });
    expect(whyNotComment(round, 'd2')).toMatch(/Step 2 comes after step 1/);
    const stepTwo = vote(round, 'd1', true);
    expect(whyNotComment(stepTwo, 'd2')).toBeUndefined();
    expect(whyNotComment(stepTwo, 'd1')).toBeUndefined();
    expect(whyNotComment(vote(stepTwo, 'd3', false), 'd2')).toMatch(/already taken/);
  });
});

describe('progress', () => {
  it('says who approved, who is awaited, who comes later, never more', () => {
    const round = vote(twoSteps(), 'd1', true, 42);
    expect(roundProgress(round)).toEqual([
      { id: 'd1', name: 'D1', role: 'approver', step: 1, state: 'approved', at: 42 },
      { id: 'd2', name: 'D2', role: 'approver', step: 1, state: 'awaited' },
      { id: 'd3', name: 'D3', role: 'signer', step: 2, state: 'not_yet_invited' },
      { id: 'd4', name: 'D4', role: 'reviewer', step: 1, state: 'reviewing' },
    ]);
    const anyRound = vote(twoSteps('any'), 'd1', true);
    expect(roundProgress(anyRound).find((p) => p.id === 'd2')?.state).toBe('not_needed');
  });
});

describe('who is told the decision', () => {
  const ids = (round: DecisionRound) => toldOfDecision(round).map((told) => told.id);

  it('nobody while the round is open', () => {
    expect(ids(vote(twoSteps(), 'd1', true))).toEqual([]);
    expect(declinedBy(vote(twoSteps(), 'd1', true))).toBeUndefined();
  });

  it('an acceptance: everyone invited, reviewers and the last voter too', () => {
    const accepted = vote(vote(vote(twoSteps(), 'd1', true), 'd2', true), 'd3', true);
    expect(ids(accepted)).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(declinedBy(accepted)).toBeUndefined();
  });

  it("a refusal: the steps opened, but not whoever's no settled it; a step never opened hears nothing", () => {
    const inStepOne = vote(vote(twoSteps(), 'd1', true), 'd2', false);
    expect(ids(inStepOne)).toEqual(['d1', 'd4']);
    expect(declinedBy(inStepOne)).toBe('D2');
    const inStepTwo = vote(vote(vote(twoSteps(), 'd1', true), 'd2', true), 'd3', false);
    expect(ids(inStepTwo)).toEqual(['d1', 'd2', 'd4']);
    expect(declinedBy(inStepTwo)).toBe('D3');
  });

  it("under rule any, those whose no did not settle it hear the last no's name", () => {
    const refused = vote(vote(twoSteps('any'), 'd1', false), 'd2', false);
    expect(ids(refused)).toEqual(['d1', 'd4']);
    expect(declinedBy(refused)).toBe('D2');
  });
});

describe("a send's plan", () => {
  it('holds steps 1, 2 … with a decider each, reachable rules, signers last', () => {
    expect(deciderPlanProblem([{ role: 'approver' }, { role: 'approver' }, { role: 'signer', step: 2 }], 'all')).toBeUndefined();
    expect(deciderPlanProblem([], undefined)?.path).toBe('deciders');
    expect(deciderPlanProblem([{ role: 'approver' }, { role: 'approver', step: 3 }], undefined)?.message).toMatch(/no decider in step 2/);
    expect(deciderPlanProblem([{ role: 'reviewer' }, { role: 'approver', step: 2 }], undefined)?.message).toMatch(/only reviewers/);
    expect(deciderPlanProblem([{ role: 'approver' }], { atLeast: 2 })?.path).toBe('rule');
    expect(deciderPlanProblem([{ role: 'approver' }], ['all', 'any'])?.message).toBe('2 rules for 1 step');
    expect(deciderPlanProblem([{ role: 'signer' }, { role: 'approver', step: 2 }], undefined)?.path).toBe('deciders.0.step');
  });

  it('gives every step a rule', () => {
    expect(rulesOfSteps(undefined, 2)).toEqual(['all', 'all']);
    expect(rulesOfSteps('any', 2)).toEqual(['any', 'any']);
    expect(rulesOfSteps([{ atLeast: 2 }], 2)).toEqual([{ atLeast: 2 }, 'all']);
  });
});

describe('signers at an external provider (GetAccept)', () => {
  const named = (role: Decider['role'], step?: number) => ({ role, ...(step ? { step } : {}) });

  it('takes approvers and reviewers first, then signers in order, who sign under rule all', () => {
    expect(providerSigningProblem([named('signer'), named('signer', 2)], undefined)).toBeUndefined();
    expect(providerSigningProblem([named('approver'), named('reviewer'), named('signer', 2), named('signer', 3)], ['any', 'all', 'all'])).toBeUndefined();
    expect(providerSigningProblem([named('approver'), named('approver')], undefined)).toEqual({ path: 'deciders.0.role', message: expect.stringMatching(/at least one signer/) });
    expect(providerSigningProblem([named('signer'), named('approver', 2)], undefined)).toEqual({ path: 'deciders.1.step', message: expect.stringMatching(/their steps come first/) });
    expect(providerSigningProblem([named('approver'), named('signer')], undefined)).toEqual({ path: 'deciders.0.step', message: expect.stringMatching(/their steps come first/) });
    expect(providerSigningProblem([named('approver'), named('signer', 2)], 'any')).toEqual({ path: 'rule', message: 'GetAccept asks every signer, in their order: step 2 takes rule all' });
    expect(providerSigningProblem([named('approver'), named('signer', 3)], undefined)).toEqual({ path: 'deciders', message: expect.stringMatching(/no decider in step 2/) });
  });

  it("leaves the portal its approvers and reviewers, with their steps' rules", () => {
    const plan = { deciders: [decider('d1', 1), decider('d2', 1, 'reviewer'), decider('d3', 2), decider('d4', 3, 'signer')], rules: ['any', 'all', 'all'] as StepRule[] };
    expect(portalPart(plan)).toEqual({ deciders: plan.deciders.slice(0, 3), rules: ['any', 'all'] });
    expect(portalPart({ deciders: [decider('d1', 1, 'signer')], rules: ['all'] })).toBeUndefined();
  });
});
