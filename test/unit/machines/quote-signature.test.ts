/**
 * The quote machine's built-in signature and versions, stepped purely: with a signature
 * required only SIGN (with consent) accepts; a revision makes a new version; a decision made
 * through an older version's link is refused with a reason a customer can read.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import type { SignatureEvidence } from '../../../domain/signature';
import { quoteMachine, quoteView, whyNot, type QuoteEvent, type QuoteSnapshot } from '../../../workflows/machines/quote';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const DAY = 24 * 3600_000;
const customer: Actor = { kind: 'customer', linkId: 'lnk-1', name: 'Zoë Dupré' };
const seller: Actor = { kind: 'seller', userId: 'usr-1' };

interface Action {
  type: string;
  params?: unknown;
}

function sentQuote(requireSignature: boolean) {
  let [snapshot] = initialTransition(quoteMachine, { now: T0, validUntil: T0 + 30 * DAY, reminderAfterMs: 3 * DAY, maxReminders: 2, requireSignature }) as [
    QuoteSnapshot,
    Action[],
  ];
  let actions: Action[] = [];
  const step = (event: QuoteEvent) => {
    [snapshot, actions] = transition(quoteMachine, snapshot, event) as [QuoteSnapshot, Action[]];
  };
  step({ type: 'SEND', at: T0, actor: seller });
  return {
    step,
    get snapshot() {
      return snapshot;
    },
    get activities() {
      return actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => action.type);
    },
  };
}

const evidence = (overrides: Partial<SignatureEvidence> = {}): SignatureEvidence => ({
  signerName: 'Zoë Dupré',
  consent: true,
  consentText: 'I have read quote Q-1 …',
  locale: 'en',
  linkId: 'lnk-1',
  pdfSha256: 'a'.repeat(64),
  ...overrides,
});
const sign = (overrides: Partial<SignatureEvidence> = {}, version?: number): QuoteEvent => ({
  type: 'SIGN',
  at: T0 + DAY,
  actor: customer,
  options: ['lin-option'],
  ...(version !== undefined ? { version } : {}),
  signature: evidence(overrides),
});
const accept = (version?: number): QuoteEvent => ({ type: 'ACCEPT', at: T0 + DAY, actor: customer, ...(version !== undefined ? { version } : {}) });
const revise = (): QuoteEvent => ({ type: 'REVISE', at: T0 + 2 * DAY, actor: seller, changes: { title: 'Brochures, second version' } });

describe('signature required', () => {
  it('refuses a plain acceptance', () => {
    const quote = sentQuote(true);
    expect(whyNot(quote.snapshot, accept())).toBe('This quote must be signed');
  });

  it('accepts by signing: evidence kept, then signed and accepted recorded, and the assignee told', () => {
    const quote = sentQuote(true);
    quote.step(sign());
    expect(quote.snapshot.value).toBe('accepted');
    expect(quote.activities).toEqual(['recordSignature', 'recordTransition', 'recordTransition', 'notifyAssignee']);
  });

  it('refuses signing without consent, or without a name, and stays where it was', () => {
    const quote = sentQuote(true);
    expect(whyNot(quote.snapshot, sign({ consent: false }))).toBe('Consent is required to sign');
    expect(whyNot(quote.snapshot, sign({ signerName: '  ' }))).toBe("The signer's name is required");
    quote.step(sign({ consent: false }));
    expect(quote.snapshot.value).toBe('sent');
  });
});

describe('signature not required', () => {
  it('accepts plainly, and by signing too', () => {
    expect(whyNot(sentQuote(false).snapshot, accept())).toBeUndefined();
    const quote = sentQuote(false);
    quote.step(sign());
    expect(quote.snapshot.value).toBe('accepted');
  });
});

describe('versions', () => {
  it('a revision makes version 2: written, recorded, emailed, in the same status', () => {
    const quote = sentQuote(true);
    expect(quoteView(quote.snapshot).version).toBe(1);
    quote.step(revise());
    expect(quote.snapshot.value).toBe('sent');
    expect(quoteView(quote.snapshot).version).toBe(2);
    expect(quote.activities).toEqual(['applyRevision', 'recordTransition', 'sendRevisionEmail']);
  });

  it('refuses signing or accepting through the outdated version, and takes the current one', () => {
    const signed = sentQuote(true);
    signed.step(revise());
    expect(whyNot(signed.snapshot, sign({}, 1))).toBe('This link is for version 1 of the quote; version 2 replaces it');
    expect(whyNot(signed.snapshot, sign({}, 2))).toBeUndefined();

    const accepted = sentQuote(false);
    accepted.step(revise());
    expect(whyNot(accepted.snapshot, accept(1))).toBe('This link is for version 1 of the quote; version 2 replaces it');
    accepted.step(accept(2));
    expect(accepted.snapshot.value).toBe('accepted');
  });

  it('is not revised once decided', () => {
    const quote = sentQuote(false);
    quote.step(accept());
    expect(whyNot(quote.snapshot, revise())).toBe('The quote is already accepted');
  });
});
