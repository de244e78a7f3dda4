/**
 * The proof machine on its own: pure stepping with XState's `initialTransition`/`transition`,
 * every state against every event, the revision loop, and the reason given for every refusal.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import type { Decider } from '../../../domain/deciders';
import type { ProofPinInput } from '../../../workflows/messages/proof';
import {
  closedProofReason,
  isProofClosed,
  MAX_FORWARDS,
  proofMachine,
  proofStatus,
  proofView,
  whyNotProof,
  type ProofEvent,
  type ProofMachineInput,
  type ProofSnapshot,
} from '../../../workflows/machines/proof';

const T0 = Date.UTC(2026, 3, 6, 9, 0, 0);
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const system: Actor = { kind: 'system' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Åsa Öberg' };
const TERMS = 'v3';

interface Action {
  type: string;
  params?: unknown;
}

let clock = T0;
const at = () => (clock += 60_000);

/** Events about the revision the snapshot is on (decisions) or the one after it (a new render). */
const events = {
  SEND: (): ProofEvent => ({ type: 'SEND', at: at(), actor: seller }),
  VIEWED: (): ProofEvent => ({ type: 'VIEWED', at: at(), occurredAt: clock, eventId: `view-${clock}`, actor: customer }),
  DOWNLOADED: (): ProofEvent => ({ type: 'DOWNLOADED', at: at(), occurredAt: clock, eventId: `download-${clock}`, actor: customer }),
  REVISION_READY: (s: ProofSnapshot): ProofEvent => ({ type: 'REVISION_READY', at: at(), actor: system, revision: s.context.revision + 1, pageCount: 3 }),
  APPROVE: (s: ProofSnapshot): ProofEvent => ({
    type: 'APPROVE',
    at: at(),
    actor: customer,
    revision: s.context.revision,
    termsAccepted: true,
    termsVersion: TERMS,
  }),
  REQUEST_CHANGES: (s: ProofSnapshot): ProofEvent => ({
    type: 'REQUEST_CHANGES',
    at: at(),
    actor: customer,
    revision: s.context.revision,
    comment: 'The logo is blurry',
  }),
  CANCEL: (): ProofEvent => ({ type: 'CANCEL', at: at(), actor: seller }),
};
type EventName = keyof typeof events;
const EVENT_NAMES = Object.keys(events) as EventName[];

function start(input: Partial<ProofMachineInput> = {}): { snapshot: ProofSnapshot; actions: Action[] } {
  const [snapshot, actions] = initialTransition(proofMachine, { now: T0, termsVersion: TERMS, ...input }) as [ProofSnapshot, Action[]];
  return { snapshot, actions };
}

function send(snapshot: ProofSnapshot, event: ProofEvent): { snapshot: ProofSnapshot; actions: Action[] } {
  const [next, actions] = transition(proofMachine, snapshot, event) as [ProofSnapshot, Action[]];
  return { snapshot: next, actions };
}

const step = (snapshot: ProofSnapshot, name: EventName) => send(snapshot, events[name](snapshot));

/** The machine after `path`, from a fresh proof whose customer has not accepted the terms. */
function after(path: EventName[], input: Partial<ProofMachineInput> = {}): ProofSnapshot {
  return path.reduce((snapshot, name) => step(snapshot, name).snapshot, start(input).snapshot);
}

/** The activity actions a step asks for, as the interpreter runs them. */
const activities = (actions: Action[]) =>
  actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => ({ type: action.type, params: action.params }));

const PATHS: Record<string, EventName[]> = {
  draft: [],
  sent: ['REVISION_READY'],
  viewed: ['REVISION_READY', 'VIEWED'],
  changes_requested: ['REVISION_READY', 'VIEWED', 'REQUEST_CHANGES'],
  approved: ['REVISION_READY', 'VIEWED', 'APPROVE'],
  cancelled: ['REVISION_READY', 'CANCEL'],
};

/** Where each event leads from each state; absent: refused, with the reason given. */
const TABLE: Record<string, Partial<Record<EventName, string>>> = {
  draft: { VIEWED: 'draft', DOWNLOADED: 'draft', REVISION_READY: 'sent', CANCEL: 'cancelled' },
  sent: { VIEWED: 'viewed', DOWNLOADED: 'sent', REVISION_READY: 'sent', APPROVE: 'approved', REQUEST_CHANGES: 'changes_requested', CANCEL: 'cancelled' },
  viewed: { VIEWED: 'viewed', DOWNLOADED: 'viewed', REVISION_READY: 'sent', APPROVE: 'approved', REQUEST_CHANGES: 'changes_requested', CANCEL: 'cancelled' },
  changes_requested: { VIEWED: 'changes_requested', DOWNLOADED: 'changes_requested', REVISION_READY: 'sent', CANCEL: 'cancelled' },
  approved: { VIEWED: 'approved', DOWNLOADED: 'approved' },
  cancelled: { VIEWED: 'cancelled', DOWNLOADED: 'cancelled' },
};

const REFUSALS: Record<string, Partial<Record<EventName, string>>> = {
  draft: {
    SEND: 'The proof has no revision ready to send yet',
    APPROVE: 'The proof has not been sent yet',
    REQUEST_CHANGES: 'The proof has not been sent yet',
  },
  sent: { SEND: 'The proof has already been sent' },
  viewed: { SEND: 'The proof has already been sent' },
  changes_requested: {
    SEND: 'The proof has already been sent',
    APPROVE: 'Changes were already requested on revision 1; the next revision will be sent for approval',
    REQUEST_CHANGES: 'Changes were already requested on revision 1; the next revision will be sent for approval',
  },
  approved: {
    SEND: 'The proof is already approved (revision 1)',
    REVISION_READY: 'The proof is already approved (revision 1): a new revision cannot be sent',
    APPROVE: 'The proof is already approved (revision 1)',
    REQUEST_CHANGES: 'The proof is already approved (revision 1)',
    CANCEL: 'The proof is already approved (revision 1)',
  },
  cancelled: {
    SEND: 'The proof is cancelled',
    REVISION_READY: 'The proof is cancelled',
    APPROVE: 'The proof is cancelled',
    REQUEST_CHANGES: 'The proof is cancelled',
    CANCEL: 'The proof is cancelled',
  },
};

describe('every state against every event', () => {
  for (const [state, path] of Object.entries(PATHS)) {
    for (const name of EVENT_NAMES) {
      const target = TABLE[state]?.[name];
      it(`${state} + ${name} → ${target ?? REFUSALS[state]?.[name]}`, () => {
        const snapshot = after(path);
        expect(proofStatus(snapshot)).toBe(state);
        const event = events[name](snapshot);
        if (target === undefined) {
          expect(snapshot.can(event)).toBe(false);
          expect(whyNotProof(snapshot, event)).toBe(REFUSALS[state]?.[name]);
        } else {
          expect(whyNotProof(snapshot, event)).toBeUndefined();
          expect(proofStatus(send(snapshot, event).snapshot)).toBe(target);
        }
      });
    }
  }

  it('lists a reason for every refusal and nothing else', () => {
    for (const state of Object.keys(PATHS)) {
      const refused = EVENT_NAMES.filter((name) => TABLE[state]?.[name] === undefined);
      expect(Object.keys(REFUSALS[state] ?? {}).sort()).toEqual(refused.sort());
    }
  });
});

describe('sending', () => {
  it('sends the first revision when it is ready: emailed, then recorded', () => {
    const { actions, snapshot } = step(start().snapshot, 'REVISION_READY');
    expect(activities(actions)).toEqual([
      { type: 'sendRevisionEmail', params: { revision: 1 } },
      { type: 'recordTransition', params: { type: 'sent', data: { revision: 1 } } },
    ]);
    expect(proofView(snapshot)).toEqual({ status: 'sent', revision: 1, pageCount: 3, termsRequired: true, remindersSent: 0 });
  });

  it('sends a revision the proof started with on SEND', () => {
    const { snapshot } = start({ readyRevision: { revision: 1, pageCount: 2 } });
    const sent = step(snapshot, 'SEND');
    expect(proofStatus(sent.snapshot)).toBe('sent');
    expect(activities(sent.actions)).toEqual([
      { type: 'sendRevisionEmail', params: { revision: 1 } },
      { type: 'recordTransition', params: { type: 'sent', data: { revision: 1 } } },
    ]);
    expect(sent.snapshot.context.pageCount).toBe(2);
  });

  it('refuses a revision that is not newer, or has no pages', () => {
    const sent = after(['REVISION_READY', 'REVISION_READY']);
    const again: ProofEvent = { type: 'REVISION_READY', at: at(), actor: system, revision: 2, pageCount: 3 };
    expect(whyNotProof(sent, again)).toBe('Revision 2 is not newer than revision 2 of the proof');
    expect(whyNotProof(sent, { ...again, revision: 1 })).toBe('Revision 1 is not newer than revision 2 of the proof');
    expect(whyNotProof(sent, { ...again, revision: 3, pageCount: 0 })).toBe('Revision 3 has no pages');
    expect(whyNotProof(start().snapshot, { ...again, revision: 0 })).toBe('Revision 0 is not newer than revision 0 of the proof');
  });
});

describe('the revision loop', () => {
  it('asks for changes on revision 1, sends revision 2, approves revision 2', () => {
    let snapshot = after(['REVISION_READY', 'VIEWED']);
    const pins: ProofPinInput[] = [{ page: 2, x: 0.25, y: 0.8, comment: 'Move this up' }];
    const changes = send(snapshot, { type: 'REQUEST_CHANGES', at: at(), actor: customer, revision: 1, comment: '  Logo too small ', pins });
    expect(activities(changes.actions)).toEqual([
      { type: 'recordTransition', params: { type: 'changes_requested', data: { revision: 1, comment: 'Logo too small', pins } } },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'changes_requested' } },
    ]);
    snapshot = step(changes.snapshot, 'REVISION_READY').snapshot;
    expect(proofView(snapshot)).toMatchObject({ status: 'sent', revision: 2 });

    const late: ProofEvent = { type: 'APPROVE', at: at(), actor: customer, revision: 1, termsAccepted: true, termsVersion: TERMS };
    expect(whyNotProof(snapshot, late)).toBe('This decision is about revision 1 of the proof; the current revision is 2');
    expect(whyNotProof(snapshot, { type: 'REQUEST_CHANGES', at: at(), actor: customer, revision: 1, comment: 'Again' })).toBe(
      'This decision is about revision 1 of the proof; the current revision is 2',
    );

    const approved = send(snapshot, { ...late, revision: 2 });
    expect(activities(approved.actions)).toEqual([
      {
        type: 'recordTransition',
        params: {
          type: 'approved',
          data: { revision: 2, termsAccepted: true, termsVersion: TERMS, termsAcceptedBy: { linkId: 'link-1', name: 'Åsa Öberg', email: null, colleague: false } },
        },
      },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'approved' } },
      { type: 'confirmToCustomer', params: { confirmation: 'approved' } },
    ]);
    expect(proofView(approved.snapshot)).toEqual({ status: 'approved', revision: 2, pageCount: 3, termsRequired: false, remindersSent: 0 });
    expect(isProofClosed(approved.snapshot)).toBe(true);
  });

  it('takes a newer revision while the customer is still looking, and refuses decisions on the older one', () => {
    const snapshot = after(['REVISION_READY', 'VIEWED', 'REVISION_READY']);
    expect(proofView(snapshot)).toMatchObject({ status: 'sent', revision: 2 });
    expect(whyNotProof(snapshot, { type: 'APPROVE', at: at(), actor: customer, revision: 3, termsAccepted: true, termsVersion: TERMS })).toBe(
      'This decision is about revision 3 of the proof; the current revision is 2',
    );
  });
});

describe('terms of sale', () => {
  const approve = (snapshot: ProofSnapshot, terms: { termsAccepted?: boolean; termsVersion?: string }): ProofEvent => ({
    type: 'APPROVE',
    at: at(),
    actor: customer,
    revision: snapshot.context.revision,
    ...terms,
  });

  it('requires the current terms when the customer has not accepted them', () => {
    const sent = after(['REVISION_READY']);
    expect(whyNotProof(sent, approve(sent, {}))).toBe('The terms of sale must be accepted to approve the proof');
    expect(whyNotProof(sent, approve(sent, { termsAccepted: false, termsVersion: TERMS }))).toBe('The terms of sale must be accepted to approve the proof');
    expect(whyNotProof(sent, approve(sent, { termsAccepted: true, termsVersion: 'v2' }))).toBe(
      'The terms of sale accepted are version v2; the current version is v3',
    );
    expect(whyNotProof(sent, approve(sent, { termsAccepted: true }))).toBe('The terms of sale accepted are version (none); the current version is v3');
  });

  it('does not ask again once the current version is accepted, nor when the tenant has no terms', () => {
    const accepted = after(['REVISION_READY'], { termsAcceptedVersion: TERMS });
    expect(proofView(accepted).termsRequired).toBe(false);
    const plain = send(accepted, approve(accepted, {}));
    expect(proofStatus(plain.snapshot)).toBe('approved');
    expect(activities(plain.actions)[0]).toEqual({ type: 'recordTransition', params: { type: 'approved', data: { revision: 1 } } });

    const noTerms = after(['REVISION_READY'], { termsVersion: undefined });
    expect(whyNotProof(noTerms, approve(noTerms, {}))).toBeUndefined();
  });

  it('asks again when the tenant has published a newer version', () => {
    const sent = after(['REVISION_READY'], { termsAcceptedVersion: 'v2' });
    expect(proofView(sent).termsRequired).toBe(true);
    const approved = send(sent, approve(sent, { termsAccepted: true, termsVersion: TERMS })).snapshot;
    expect(approved.context.termsAcceptedVersion).toBe(TERMS);
  });
});

describe('change requests', () => {
  const viewed = after(['REVISION_READY', 'VIEWED']);
  const requestChanges = (comment: string, pins?: ProofPinInput[]): ProofEvent => ({ type: 'REQUEST_CHANGES', at: at(), actor: customer, revision: 1, comment, pins });
  const pin = (overrides: Partial<ProofPinInput>): ProofPinInput => ({ page: 1, x: 0.5, y: 0.5, comment: 'Here', ...overrides });

  it('needs a comment', () => {
    expect(whyNotProof(viewed, requestChanges(''))).toBe('A change request needs a comment');
    expect(whyNotProof(viewed, requestChanges('   \n'))).toBe('A change request needs a comment');
  });

  it('takes pins on the pages of the revision, corners included', () => {
    const pins = [pin({ page: 1, x: 0, y: 0 }), pin({ page: 3, x: 1, y: 1 })];
    expect(whyNotProof(viewed, requestChanges('See pins', pins))).toBeUndefined();
  });

  it('refuses a pin off the revision or off the page, or without a comment, naming it', () => {
    const refused = (p: ProofPinInput) => whyNotProof(viewed, requestChanges('See pins', [pin({}), p]));
    expect(refused(pin({ page: 4 }))).toBe('Pin 2 is on page 4; revision 1 has 3 pages');
    expect(refused(pin({ page: 0 }))).toBe('Pin 2 is on page 0; revision 1 has 3 pages');
    expect(refused(pin({ page: 1.5 }))).toBe('Pin 2 is on page 1.5; revision 1 has 3 pages');
    expect(refused(pin({ x: -0.01 }))).toBe('Pin 2 is outside the page (x and y go from 0 to 1)');
    expect(refused(pin({ y: 1.2 }))).toBe('Pin 2 is outside the page (x and y go from 0 to 1)');
    expect(refused(pin({ x: Number.NaN }))).toBe('Pin 2 is outside the page (x and y go from 0 to 1)');
    expect(refused(pin({ comment: ' ' }))).toBe('Pin 2 has no comment');
  });

  it('says "page" for a one-page revision', () => {
    const onePage = send(start().snapshot, { type: 'REVISION_READY', at: at(), actor: system, revision: 1, pageCount: 1 }).snapshot;
    expect(whyNotProof(onePage, { type: 'REQUEST_CHANGES', at: at(), actor: customer, revision: 1, comment: 'x', pins: [pin({ page: 2 })] })).toBe(
      'Pin 1 is on page 2; revision 1 has 1 page',
    );
  });
});

describe('facts and cancellation', () => {
  it('records and notifies views and downloads in every state', () => {
    for (const path of Object.values(PATHS)) {
      expect(activities(step(after(path), 'VIEWED').actions)).toEqual([
        { type: 'recordTransition', params: { type: 'viewed' } },
        { type: 'notifyAssignee', params: { event: 'viewed', what: 'viewed' } },
      ]);
      expect(activities(step(after(path), 'DOWNLOADED').actions)).toEqual([
        { type: 'recordTransition', params: { type: 'downloaded' } },
        { type: 'notifyAssignee', params: { event: 'downloaded', what: 'downloaded' } },
      ]);
    }
  });

  it('cancels any open proof without telling the assignee', () => {
    for (const state of ['draft', 'sent', 'viewed', 'changes_requested']) {
      expect(activities(step(after(PATHS[state] as EventName[]), 'CANCEL').actions)).toEqual([{ type: 'recordTransition', params: { type: 'cancelled' } }]);
    }
  });

  it('closes on approval or cancellation only, and arms no timer', () => {
    expect(Object.entries(PATHS).filter(([, path]) => isProofClosed(after(path))).map(([state]) => state)).toEqual(['approved', 'cancelled']);
    const all = Object.values(PATHS).flatMap((path) => EVENT_NAMES.map((name) => step(after(path), name)));
    // The approved state's withdrawal window asks for a timer only when it has a time (never without withdrawal terms).
    const timers = all.flatMap(({ actions }) => actions).filter((action) => action.type === 'xstate.raise' && Number.isFinite((action.params as { delay?: number }).delay));
    expect(timers).toEqual([]);
  });

  it('words the closed reasons for a workflow that has ended', () => {
    expect(closedProofReason('approved', 2)).toBe('The proof is already approved (revision 2)');
    expect(closedProofReason('cancelled')).toBe('The proof is cancelled');
  });
});

describe('forwarding to a colleague', () => {
  const colleague: Actor = { kind: 'customer', linkId: 'link-colleague', name: 'Marc Colin', email: 'marc@client.example', forwardedFromLinkId: 'link-1' };
  const to = { email: 'marc@client.example', name: 'Marc Colin' };
  const forward = (overrides: Partial<Extract<ProofEvent, { type: 'FORWARD' }>> = {}): ProofEvent => ({ type: 'FORWARD', at: at(), actor: customer, to, decisionId: 'forward-1', ...overrides });

  it('is taken while the proof is open: the colleague emailed, then `forwarded` recorded; the status stays', () => {
    for (const state of ['sent', 'viewed', 'changes_requested']) {
      const snapshot = after(PATHS[state] as EventName[]);
      expect(whyNotProof(snapshot, forward())).toBeUndefined();
      const forwarded = send(snapshot, forward());
      expect(proofStatus(forwarded.snapshot)).toBe(state);
      expect(activities(forwarded.actions)).toEqual([
        { type: 'sendForwardEmail', params: { decisionId: 'forward-1', to, fromLinkId: 'link-1' } },
        { type: 'recordTransition', params: { type: 'forwarded', data: { revision: 1, to, by: { linkId: 'link-1', name: 'Åsa Öberg', email: null } } } },
      ]);
    }
  });

  it('is refused before the proof is sent and once it is closed, with the reason', () => {
    expect(whyNotProof(after(PATHS.draft as EventName[]), forward())).toBe('The proof has not been sent yet');
    expect(whyNotProof(after(PATHS.approved as EventName[]), forward())).toBe('The proof is already approved (revision 1)');
    expect(whyNotProof(after(PATHS.cancelled as EventName[]), forward())).toBe('The proof is cancelled');
  });

  it("is refused from a colleague's own link, from the seller, and to something that is not an email address", () => {
    const sent = after(PATHS.sent as EventName[]);
    expect(whyNotProof(sent, forward({ actor: colleague }))).toBe('A proof forwarded to you cannot be forwarded again; ask the person who sent it to you');
    expect(whyNotProof(sent, forward({ actor: seller }))).toBe('Only the customer forwards a proof to a colleague');
    expect(whyNotProof(sent, forward({ to: { email: 'marc at client' } }))).toBe('marc at client is not an email address');
  });

  it('is bounded: a link cannot send mail in bulk', () => {
    let snapshot = after(PATHS.sent as EventName[]);
    for (let n = 0; n < MAX_FORWARDS; n += 1) snapshot = send(snapshot, forward({ decisionId: `forward-${n}` })).snapshot;
    expect(whyNotProof(snapshot, forward({ decisionId: 'one-more' }))).toBe(`The proof has already been forwarded ${MAX_FORWARDS} times; ask the seller to send it to more people`);
  });

  it("counts a colleague's approval, and tells the customer who forwarded after the assignee", () => {
    const sent = after(['REVISION_READY', 'VIEWED']);
    const approved = send(sent, { type: 'APPROVE', at: at(), actor: colleague, revision: 1, termsAccepted: true, termsVersion: TERMS });
    expect(proofStatus(approved.snapshot)).toBe('approved');
    expect(activities(approved.actions)).toEqual([
      {
        type: 'recordTransition',
        params: {
          type: 'approved',
          data: { revision: 1, termsAccepted: true, termsVersion: TERMS, termsAcceptedBy: { linkId: 'link-colleague', name: 'Marc Colin', email: 'marc@client.example', colleague: true } },
        },
      },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'approved' } },
      { type: 'notifyForwarder', params: { decision: 'approved', colleagueLinkId: 'link-colleague' } },
    ]);
  });

  it("counts a colleague's change request, and tells the forwarder with the comment", () => {
    const sent = after(['REVISION_READY']);
    const changes = send(sent, { type: 'REQUEST_CHANGES', at: at(), actor: colleague, revision: 1, comment: ' Wrong phone number ' });
    expect(proofStatus(changes.snapshot)).toBe('changes_requested');
    expect(activities(changes.actions).slice(1)).toEqual([
      { type: 'notifyAssignee', params: { event: 'decided', what: 'changes_requested' } },
      { type: 'notifyForwarder', params: { decision: 'changes_requested', colleagueLinkId: 'link-colleague', comment: 'Wrong phone number' } },
    ]);
  });

  it("refuses a colleague's decision for the same reasons as the customer's", () => {
    const sent = after(['REVISION_READY']);
    expect(whyNotProof(sent, { type: 'APPROVE', at: at(), actor: colleague, revision: 1 })).toBe('The terms of sale must be accepted to approve the proof');
    expect(whyNotProof(after(PATHS.changes_requested as EventName[]), { type: 'APPROVE', at: at(), actor: colleague, revision: 1, termsAccepted: true, termsVersion: TERMS })).toBe(
      'Changes were already requested on revision 1; the next revision will be sent for approval',
    );
  });

  it("tells no forwarder of the customer's own decisions", () => {
    const approved = step(after(['REVISION_READY']), 'APPROVE');
    expect(activities(approved.actions).map((action) => action.type)).toEqual(['recordTransition', 'notifyAssignee', 'confirmToCustomer']);
  });
});

describe('terms of sale kept on the customer', () => {
  it('records the terms as accepted only for the version the customer is asked about', () => {
    const accepted = after(['REVISION_READY'], { termsAcceptedVersion: TERMS });
    // Not asked: a stale tick names another version, which must never reach the customer's record.
    const approved = send(accepted, { type: 'APPROVE', at: at(), actor: customer, revision: 1, termsAccepted: true, termsVersion: 'v1' });
    expect(activities(approved.actions)[0]).toEqual({ type: 'recordTransition', params: { type: 'approved', data: { revision: 1 } } });
  });
});

describe('a round of deciders settled', () => {
  const approver = (id: string): Decider => ({ id, role: 'approver', step: 1, email: `${id}@client.example`, name: id.toUpperCase() });
  const as = (deciderId: string): Actor => ({ kind: 'customer', linkId: `link-${deciderId}`, deciderId });
  const sent = () => after(['REVISION_READY'], { termsVersion: undefined, deciders: { deciders: [approver('d1'), approver('d2')], rules: ['all'] } });
  const told = (actions: Action[]) => activities(actions).filter((action) => action.type === 'tellRoundDecision');

  it('tells its approval once the last approver approved, after recording and notifying it', () => {
    const first = send(sent(), { type: 'APPROVE', at: at(), actor: as('d1'), revision: 1 });
    expect(told(first.actions)).toEqual([]);
    const approved = send(first.snapshot, { type: 'APPROVE', at: at(), actor: as('d2'), revision: 1 });
    expect(proofStatus(approved.snapshot)).toBe('approved');
    expect(activities(approved.actions).map((action) => action.type).slice(1)).toEqual(['recordTransition', 'notifyAssignee', 'tellRoundDecision']);
    expect(told(approved.actions)).toEqual([{ type: 'tellRoundDecision', params: { outcome: 'approved' } }]);
  });

  it('tells the change request that sent it back, not the customer a confirmation', () => {
    const changes = send(sent(), { type: 'REQUEST_CHANGES', at: at(), actor: as('d2'), revision: 1, comment: 'No' });
    expect(proofStatus(changes.snapshot)).toBe('changes_requested');
    expect(activities(changes.actions).map((action) => action.type)).toEqual(['recordTransition', 'recordTransition', 'notifyAssignee', 'tellRoundDecision']);
    expect(told(changes.actions)).toEqual([{ type: 'tellRoundDecision', params: { outcome: 'changes_requested' } }]);
  });
});
