/**
 * The acceptance machine of orders and delivery notes on its own: pure stepping with XState's
 * `initialTransition`/`transition`, every state against every event, and the reasons given
 * for what it refuses, worded for the document's kind.
 */
import { initialTransition, transition } from 'xstate';
import type { AcceptanceKind } from '../../../domain/acceptance';
import type { Actor } from '../../../domain/documents';
import {
  acceptanceMachine,
  acceptanceStatus,
  acceptanceView,
  closedAcceptanceReason,
  isAcceptanceClosed,
  whyNotAcceptance,
  type AcceptanceEvent,
  type AcceptanceSnapshot,
} from '../../../workflows/machines/acceptance';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Åsa Öberg' };

interface Action {
  type: string;
  params?: unknown;
}

let clock = T0;
const at = () => (clock += 60_000);

const events = {
  SEND: (): AcceptanceEvent => ({ type: 'SEND', at: at(), actor: seller }),
  VIEWED: (): AcceptanceEvent => ({ type: 'VIEWED', at: at(), occurredAt: clock, eventId: `view-${clock}`, actor: customer }),
  DOWNLOADED: (): AcceptanceEvent => ({ type: 'DOWNLOADED', at: at(), occurredAt: clock, eventId: `download-${clock}`, actor: customer }),
  ACCEPT: (): AcceptanceEvent => ({ type: 'ACCEPT', at: at(), actor: customer }),
  REFUSE: (): AcceptanceEvent => ({ type: 'REFUSE', at: at(), actor: customer, reason: 'Wrong quantities' }),
  REMIND: (): AcceptanceEvent => ({ type: 'REMIND', at: at(), actor: seller }),
  CANCEL: (): AcceptanceEvent => ({ type: 'CANCEL', at: at(), actor: seller }),
};
type EventName = keyof typeof events;

function start(kind: AcceptanceKind = 'order'): { snapshot: AcceptanceSnapshot; actions: Action[] } {
  const [snapshot, actions] = initialTransition(acceptanceMachine, { kind, now: T0 }) as [AcceptanceSnapshot, Action[]];
  return { snapshot, actions };
}

function step(snapshot: AcceptanceSnapshot, name: EventName): { snapshot: AcceptanceSnapshot; actions: Action[] } {
  const [next, actions] = transition(acceptanceMachine, snapshot, events[name]()) as [AcceptanceSnapshot, Action[]];
  return { snapshot: next, actions };
}

/** The machine after `path`, from a fresh order (or delivery note). */
function after(path: EventName[], kind: AcceptanceKind = 'order'): AcceptanceSnapshot {
  return path.reduce((snapshot, name) => step(snapshot, name).snapshot, start(kind).snapshot);
}

/** The activity actions a step asks for, as the interpreter runs them. */
const activities = (actions: Action[]) => actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => ({ type: action.type, params: action.params }));

const PATHS: Record<string, EventName[]> = {
  draft: [],
  sent: ['SEND'],
  viewed: ['SEND', 'VIEWED'],
  accepted: ['SEND', 'VIEWED', 'ACCEPT'],
  refused: ['SEND', 'REFUSE'],
  cancelled: ['SEND', 'CANCEL'],
};

/** Where each event leads from each state; undefined: refused. */
const TABLE: Record<string, Partial<Record<EventName, string>>> = {
  draft: { SEND: 'sent', CANCEL: 'cancelled', VIEWED: 'draft', DOWNLOADED: 'draft' },
  sent: { VIEWED: 'viewed', DOWNLOADED: 'sent', ACCEPT: 'accepted', REFUSE: 'refused', REMIND: 'sent', CANCEL: 'cancelled' },
  viewed: { VIEWED: 'viewed', DOWNLOADED: 'viewed', ACCEPT: 'accepted', REFUSE: 'refused', REMIND: 'viewed', CANCEL: 'cancelled' },
  accepted: { VIEWED: 'accepted', DOWNLOADED: 'accepted' },
  refused: { VIEWED: 'refused', DOWNLOADED: 'refused' },
  cancelled: { VIEWED: 'cancelled', DOWNLOADED: 'cancelled' },
};

describe('every state against every event', () => {
  for (const [state, path] of Object.entries(PATHS)) {
    for (const name of Object.keys(events) as EventName[]) {
      const target = TABLE[state]?.[name];
      it(`${state} + ${name} → ${target ?? 'not allowed'}`, () => {
        const snapshot = after(path);
        expect(acceptanceStatus(snapshot)).toBe(state);
        const event = events[name]();
        if (target === undefined) {
          expect(snapshot.can(event)).toBe(false);
          expect(whyNotAcceptance(snapshot, event)).toEqual(expect.any(String));
        } else {
          expect(whyNotAcceptance(snapshot, event)).toBeUndefined();
          expect(acceptanceStatus(transition(acceptanceMachine, snapshot, event)[0] as AcceptanceSnapshot)).toBe(target);
        }
      });
    }
  }
});

describe('what each step asks the workflow to do', () => {
  it('sends the email, then records the sending', () => {
    expect(activities(step(start().snapshot, 'SEND').actions)).toEqual([
      { type: 'sendFirstEmail', params: undefined },
      { type: 'recordTransition', params: { type: 'sent' } },
    ]);
  });

  it('records and notifies views and downloads, in every state', () => {
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

  it('records an answer and tells the assignee', () => {
    expect(activities(step(after(PATHS.viewed as EventName[]), 'ACCEPT').actions)).toEqual([
      { type: 'recordTransition', params: { type: 'accepted' } },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'accepted' } },
    ]);
    expect(activities(step(after(PATHS.sent as EventName[]), 'REFUSE').actions)).toEqual([
      { type: 'recordTransition', params: { type: 'refused' } },
      { type: 'notifyAssignee', params: { event: 'decided', what: 'refused' } },
    ]);
  });

  it('reminds by hand only, counting each reminder', () => {
    const sent = after(['SEND']);
    const first = step(sent, 'REMIND');
    expect(activities(first.actions)).toEqual([
      { type: 'sendReminderEmail', params: { reminder: 1, automatic: false } },
      { type: 'recordTransition', params: { type: 'reminded', data: { reminder: 1, automatic: false } } },
    ]);
    const second = step(first.snapshot, 'REMIND');
    expect(acceptanceView(second.snapshot)).toEqual({ status: 'sent', remindersSent: 2 });
  });

  it('cancels a draft or a sent document without telling the assignee, withdrawing its signing if one is out', () => {
    const cancelled = [{ type: 'recordTransition', params: { type: 'cancelled' } }, { type: 'withdrawSignature' }];
    expect(activities(step(start().snapshot, 'CANCEL').actions)).toEqual(cancelled);
    expect(activities(step(after(['SEND', 'VIEWED']), 'CANCEL').actions)).toEqual(cancelled);
  });

  it('arms no timer: no expiry, no automatic reminder', () => {
    const all = [start(), ...Object.values(PATHS).flatMap((path) => (Object.keys(events) as EventName[]).map((name) => step(after(path), name)))];
    expect(all.flatMap(({ actions }) => actions).filter((action) => action.type === 'xstate.raise')).toEqual([]);
  });
});

describe('reasons, worded for the kind', () => {
  it('says why an order takes no decision', () => {
    expect(whyNotAcceptance(after(PATHS.accepted as EventName[]), events.ACCEPT())).toBe('The order is already accepted');
    expect(whyNotAcceptance(after(PATHS.refused as EventName[]), events.ACCEPT())).toBe('The order is already refused');
    expect(whyNotAcceptance(after(PATHS.cancelled as EventName[]), events.REFUSE())).toBe('The order is cancelled');
    expect(whyNotAcceptance(after([]), events.ACCEPT())).toBe('The order has not been sent yet');
    expect(whyNotAcceptance(after(['SEND']), events.SEND())).toBe('The order has already been sent');
  });

  it('says the same of a delivery note in its own words', () => {
    expect(whyNotAcceptance(after(PATHS.accepted as EventName[], 'delivery_note'), events.REFUSE())).toBe('The delivery note is already accepted');
    expect(whyNotAcceptance(after([], 'delivery_note'), events.REMIND())).toBe('The delivery note has not been sent yet');
    expect(closedAcceptanceReason('delivery_note', 'cancelled')).toBe('The delivery note is cancelled');
  });

  it('closes on an answer or a cancellation only', () => {
    expect(Object.entries(PATHS).filter(([, path]) => isAcceptanceClosed(after(path))).map(([state]) => state)).toEqual(['accepted', 'refused', 'cancelled']);
  });
});
