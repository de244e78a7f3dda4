/** The signature machine without Temporal: which provider readings are news, what each records and does, and when the provider is asked. */
import { initialTransition, transition } from 'xstate';
import type { DigitalStatus } from '../../../domain/digital-status';
import {
  digitalStatus,
  isSignatureClosed,
  signatureMachine,
  signatureView,
  whyNotSignature,
  type SignatureEvent,
  type SignatureSnapshot,
} from '../../../workflows/machines/signature';

interface Step {
  snapshot: SignatureSnapshot;
  actions: { type: string; params?: unknown }[];
}

const POLL_MS = 60_000;
const seller = { kind: 'seller' } as const;

function start(): SignatureSnapshot {
  return initialTransition(signatureMachine, { provider: 'getaccept', pollIntervalMs: POLL_MS, reportFailuresAfter: 3 })[0];
}

function step(snapshot: SignatureSnapshot, event: SignatureEvent): Step {
  const [next, actions] = transition(signatureMachine, snapshot, event);
  return { snapshot: next, actions: actions as Step['actions'] };
}

const read = (status: DigitalStatus, trigger: 'poll' | 'webhook' | 'send' = 'poll', at = 1): SignatureEvent => ({
  type: 'PROVIDER_STATUS',
  at,
  status,
  providerStatus: status,
  trigger,
});

function walk(...statuses: DigitalStatus[]): SignatureSnapshot {
  return statuses.reduce((snapshot, status) => step(snapshot, read(status)).snapshot, start());
}

const recorded = (actions: Step['actions']) => actions.filter((action) => action.type === 'recordTransition').map((action) => (action.params as { type: string }).type);
const activities = (actions: Step['actions']) => actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => action.type);
/** The check the machine asks for: its delay from the event that scheduled it. */
const nextCheck = (actions: Step['actions']) => actions.find((action) => action.type === 'xstate.raise')?.params as { id: string; delay: number; event: { type: string } } | undefined;

it('is created and sent at the provider on SEND, and is sent when the provider says so', () => {
  expect(activities(step(start(), { type: 'SEND', at: 0 }).actions)).toEqual(['startAtProvider']);
  const sent = step(start(), read('sent', 'send'));
  expect(digitalStatus(start())).toBe('draft');
  expect(digitalStatus(sent.snapshot)).toBe('sent');
  expect(recorded(sent.actions)).toEqual(['signature_sent']);
});

it('moves sent → viewed → signed, storing the signed PDF before recording, then accepting the document', () => {
  const viewed = step(walk('sent'), read('viewed'));
  expect(recorded(viewed.actions)).toEqual(['signature_viewed']);
  const signed = step(viewed.snapshot, read('signed'));
  expect(digitalStatus(signed.snapshot)).toBe('signed');
  expect(activities(signed.actions)).toEqual(['storeSignedDocument', 'recordTransition', 'acceptDocument']);
  expect(isSignatureClosed(signed.snapshot)).toBe(true);
  expect(nextCheck(signed.actions)).toBeUndefined();
});

it('refuses the document when the signer rejects', () => {
  const rejected = step(walk('sent', 'viewed'), read('rejected'));
  expect(digitalStatus(rejected.snapshot)).toBe('rejected');
  expect(activities(rejected.actions)).toEqual(['recordTransition', 'refuseDocument']);
});

it('takes no news as nothing to record: the same status again, or an older one; the checks go on', () => {
  const again = step(walk('sent'), read('sent'));
  expect(recorded(again.actions)).toEqual([]);
  expect(nextCheck(again.actions)).toMatchObject({ id: 'nextCheck', delay: POLL_MS, event: { type: 'CHECK_DUE' } });
  const viewed = walk('sent', 'viewed');
  expect(recorded(step(viewed, read('sent')).actions)).toEqual([]);
  expect(recorded(step(viewed, read('viewed', 'webhook')).actions)).toEqual([]);
  expect(digitalStatus(step(viewed, read('sent')).snapshot)).toBe('viewed');
});

it('records both steps when the first reading already says viewed', () => {
  const first = step(start(), read('viewed', 'send'));
  expect(digitalStatus(first.snapshot)).toBe('viewed');
  expect(recorded(first.actions)).toEqual(['signature_sent', 'signature_viewed']);
});

it('ends on expired and recalled (cancelled elsewhere); a bounced email is not final', () => {
  expect(digitalStatus(walk('sent', 'expired'))).toBe('expired');
  expect(digitalStatus(walk('sent', 'cancelled'))).toBe('cancelled');
  const bounced = walk('sent', 'undeliverable');
  expect(digitalStatus(bounced)).toBe('undeliverable');
  expect(isSignatureClosed(bounced)).toBe(false);
  expect(digitalStatus(step(bounced, read('signed')).snapshot)).toBe('signed');
});

it('checks a poll interval after each reading, and names what made it look', () => {
  const sent = step(start(), read('sent', 'send', 1_000));
  expect(nextCheck(sent.actions)).toMatchObject({ delay: POLL_MS });
  expect(signatureView(sent.snapshot)).toMatchObject({ checks: 0, nextCheckAt: 1_000 + POLL_MS });
  const due = step(sent.snapshot, { type: 'CHECK_DUE', at: 61_000 });
  expect(due.actions).toEqual([expect.objectContaining({ type: 'checkAtProvider', params: { trigger: 'poll' } })]);
  expect(signatureView(due.snapshot).checks).toBe(1);
});

it('makes the next check due at once on a request; requests together make one check, the webhook named', () => {
  const sent = walk('sent');
  const asked = step(sent, { type: 'CHECK_REQUESTED', at: 5, trigger: 'webhook' });
  expect(nextCheck(asked.actions)).toMatchObject({ id: 'nextCheck', delay: 0 });
  const askedAgain = step(asked.snapshot, { type: 'CHECK_REQUESTED', at: 6, trigger: 'check' });
  // The same deadline again: the interpreter keeps one check due.
  expect(nextCheck(askedAgain.actions)).toMatchObject({ id: 'nextCheck', delay: 0 });
  const due = step(askedAgain.snapshot, { type: 'CHECK_DUE', at: 6 });
  expect(due.actions).toEqual([expect.objectContaining({ type: 'checkAtProvider', params: { trigger: 'webhook' } })]);
  // The request is served: the next poll is a poll again.
  const after = step(step(due.snapshot, read('sent', 'webhook', 7)).snapshot, { type: 'CHECK_DUE', at: 7 + POLL_MS });
  expect(after.actions).toEqual([expect.objectContaining({ params: { trigger: 'poll' } })]);
  // Closed, nothing is asked any more.
  expect(step(walk('sent', 'signed'), { type: 'CHECK_REQUESTED', at: 8, trigger: 'check' }).actions).toEqual([]);
});

it('records failing checks once, after three in a row, and their recovery before what the provider read', () => {
  const failure = (snapshot: SignatureSnapshot) => step(snapshot, { type: 'CHECK_FAILED', at: 3, error: 'GetAccept answered 500' });
  const first = failure(walk('sent'));
  expect(recorded(first.actions)).toEqual([]);
  expect(nextCheck(first.actions)).toMatchObject({ delay: POLL_MS });
  const third = failure(failure(first.snapshot).snapshot);
  expect(recorded(third.actions)).toEqual(['signature_checks_failed']);
  expect(third.actions.find((action) => action.type === 'recordTransition')?.params).toMatchObject({ data: { failures: 3, error: 'GetAccept answered 500' } });
  expect(signatureView(third.snapshot).consecutiveFailures).toBe(3);
  const fourth = failure(third.snapshot);
  expect(recorded(fourth.actions)).toEqual([]);

  const recovered = step(fourth.snapshot, read('viewed'));
  expect(recorded(recovered.actions)).toEqual(['signature_checks_recovered', 'signature_viewed']);
  expect(recovered.actions.find((action) => action.type === 'recordTransition')?.params).toMatchObject({ actor: { kind: 'system' }, data: { failures: 4 } });
  expect(signatureView(recovered.snapshot).consecutiveFailures).toBe(0);
  // Failures never told recover in silence.
  expect(recorded(step(failure(walk('sent')).snapshot, read('sent')).actions)).toEqual([]);
});

it('lets the seller cancel while open: withdrawn at the provider first, cancelled once it is', () => {
  const open = walk('sent', 'viewed');
  const cancel: SignatureEvent = { type: 'CANCEL', at: 2, actor: seller, reason: 'approved by phone' };
  expect(whyNotSignature(open, cancel)).toBeUndefined();
  const withdrawing = step(open, cancel);
  // Nothing changes here until the provider withdrew it: a failure leaves the signing as it was.
  expect(digitalStatus(withdrawing.snapshot)).toBe('viewed');
  expect(withdrawing.actions).toEqual([expect.objectContaining({ type: 'withdrawAtProvider', params: { actor: seller, reason: 'approved by phone' } })]);
  const cancelled = step(withdrawing.snapshot, { type: 'WITHDRAWN', at: 3, actor: seller, reason: 'approved by phone' });
  expect(digitalStatus(cancelled.snapshot)).toBe('cancelled');
  expect(recorded(cancelled.actions)).toEqual(['signature_cancelled']);
  expect(whyNotSignature(cancelled.snapshot, cancel)).toBe('The digital signing is already cancelled');
  expect(whyNotSignature(walk('sent', 'signed'), cancel)).toBe('The digital signing is already signed');
  // A late reading after the cancel changes nothing.
  expect(step(cancelled.snapshot, read('signed')).actions).toEqual([]);
});

it('fails, once and for good, when the provider refuses to create or send the draft', () => {
  const failed = step(start(), { type: 'SEND_REFUSED', at: 1, error: 'GetAccept POST /documents answered 400' });
  expect(digitalStatus(failed.snapshot)).toBe('failed');
  expect(recorded(failed.actions)).toEqual(['signature_failed']);
  expect(isSignatureClosed(failed.snapshot)).toBe(true);
  expect(step(failed.snapshot, read('sent')).actions).toEqual([]);
  // Only a draft can be refused: once sent, the provider took it.
  expect(step(walk('sent'), { type: 'SEND_REFUSED', at: 1, error: 'late' }).actions).toEqual([]);
});
