/** The digital status machine without Temporal: which provider readings are news, and what each records and does. */
import { initialTransition, transition } from 'xstate';
import type { DigitalStatus } from '../../../domain/digital-status';
import { digitalStatus, isSignatureClosed, signatureMachine, whyNoCancel, type SignatureEvent, type SignatureSnapshot } from '../../../workflows/machines/signature';

interface Step {
  snapshot: SignatureSnapshot;
  actions: { type: string; params?: unknown }[];
}

function start(): SignatureSnapshot {
  return initialTransition(signatureMachine, undefined)[0];
}

function step(snapshot: SignatureSnapshot, event: SignatureEvent): Step {
  const [next, actions] = transition(signatureMachine, snapshot, event);
  return { snapshot: next, actions: actions as Step['actions'] };
}

const read = (status: DigitalStatus, trigger: 'poll' | 'webhook' = 'poll'): SignatureEvent => ({
  type: 'PROVIDER_STATUS',
  at: 1,
  status,
  providerStatus: status,
  trigger,
});

function walk(...statuses: DigitalStatus[]): SignatureSnapshot {
  return statuses.reduce((snapshot, status) => step(snapshot, read(status)).snapshot, start());
}

const recorded = (actions: Step['actions']) => actions.filter((action) => action.type === 'recordDigitalStatus').map((action) => (action.params as { type: string }).type);

it('starts as draft and is sent when the provider says so', () => {
  const sent = step(start(), read('sent'));
  expect(digitalStatus(start())).toBe('draft');
  expect(digitalStatus(sent.snapshot)).toBe('sent');
  expect(recorded(sent.actions)).toEqual(['signature_sent']);
});

it('moves sent → viewed → signed, storing the signed PDF before recording, then accepting the document', () => {
  const viewed = step(walk('sent'), read('viewed'));
  expect(recorded(viewed.actions)).toEqual(['signature_viewed']);
  const signed = step(viewed.snapshot, read('signed'));
  expect(digitalStatus(signed.snapshot)).toBe('signed');
  expect(signed.actions.map((action) => action.type)).toEqual(['storeSignedDocument', 'recordDigitalStatus', 'acceptDocument']);
  expect(isSignatureClosed(signed.snapshot)).toBe(true);
});

it('refuses the document when the signer rejects', () => {
  const rejected = step(walk('sent', 'viewed'), read('rejected'));
  expect(digitalStatus(rejected.snapshot)).toBe('rejected');
  expect(rejected.actions.map((action) => action.type)).toEqual(['recordDigitalStatus', 'refuseDocument']);
});

it('takes no news as nothing: the same status again, or an older one, records nothing', () => {
  expect(step(walk('sent'), read('sent')).actions).toEqual([]);
  const viewed = walk('sent', 'viewed');
  expect(step(viewed, read('sent')).actions).toEqual([]);
  expect(step(viewed, read('viewed', 'webhook')).actions).toEqual([]);
  expect(digitalStatus(step(viewed, read('sent')).snapshot)).toBe('viewed');
});

it('records both steps when the first reading already says viewed', () => {
  const first = step(start(), read('viewed'));
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

it('lets the seller cancel while open, and not once final', () => {
  const seller = { kind: 'seller' } as const;
  const open = walk('sent', 'viewed');
  expect(whyNoCancel(open, seller)).toBeUndefined();
  const cancelled = step(open, { type: 'CANCEL', at: 2, actor: seller, reason: 'approved by phone' });
  expect(digitalStatus(cancelled.snapshot)).toBe('cancelled');
  expect(recorded(cancelled.actions)).toEqual(['signature_cancelled']);
  expect(whyNoCancel(cancelled.snapshot, seller)).toBe('The digital signing is already cancelled');
  expect(whyNoCancel(walk('sent', 'signed'), seller)).toBe('The digital signing is already signed');
  // A late reading after the cancel changes nothing.
  expect(step(cancelled.snapshot, read('signed')).actions).toEqual([]);
});

it('records failing and recovering checks without changing the status', () => {
  const sent = walk('sent');
  const failing = step(sent, { type: 'CHECKS_FAILING', at: 3, failures: 3, error: '500' });
  expect(digitalStatus(failing.snapshot)).toBe('sent');
  expect(recorded(failing.actions)).toEqual(['signature_checks_failed']);
  expect(recorded(step(failing.snapshot, { type: 'CHECKS_RECOVERED', at: 4, failures: 3 }).actions)).toEqual(['signature_checks_recovered']);
  expect(step(walk('sent', 'signed'), { type: 'CHECKS_FAILING', at: 5, failures: 3, error: '500' }).actions).toEqual([]);
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
