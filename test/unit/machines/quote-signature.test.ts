/**
 * The quote machine's built-in signature and versions, stepped purely: with a signature
 * required only SIGN (with consent) accepts; a revision makes a new version; a decision made
 * through an older version's link is refused with a reason a customer can read. The seller
 * may cancel the portal signing while the quote is open, once; no signature comes after it.
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
    expect(quote.activities).toEqual(['recordSignature', 'recordTransition', 'recordTransition', 'notifyAssignee', 'confirmToCustomer']);
  });

  it('refuses signing without consent, or without a name, and stays where it was', () => {
    const quote = sentQuote(true);
    expect(whyNot(quote.snapshot, sign({ consent: false }))).toBe('Consent is required to sign');
    expect(whyNot(quote.snapshot, sign({ signerName: '  ' }))).toBe("The signer's name is required");
    quote.step(sign({ consent: false }));
    expect(quote.snapshot.value).toBe('sent');
  });
});

describe('the seller cancels the portal signing', () => {
  const cancelSigning = (): QuoteEvent => ({ type: 'CANCEL_SIGNING', at: T0 + DAY, actor: seller, reason: 'approved by phone' });

  it('cancels it once, the quote left open where it was, and refuses any signature after it', () => {
    const quote = sentQuote(true);
    quote.step({ type: 'HOLD', at: T0 + DAY, actor: customer });
    quote.step(cancelSigning());
    expect(quote.snapshot.value).toBe('on_hold');
    expect(quote.activities).toEqual(['cancelPortalSigning']);
    expect(whyNot(quote.snapshot, cancelSigning())).toBe('The digital signing is already cancelled');
    expect(whyNot(quote.snapshot, sign())).toBe('The seller cancelled the signing of this quote');
    // The quote itself is still the seller's to remind or cancel.
    expect(whyNot(quote.snapshot, { type: 'REMIND', at: T0 + DAY, actor: seller })).toBeUndefined();
    expect(whyNot(quote.snapshot, { type: 'CANCEL', at: T0 + DAY, actor: seller })).toBeUndefined();
  });

  it('refuses once the signing is over, in the digital status it ended in', () => {
    const signed = sentQuote(true);
    signed.step(sign());
    expect(whyNot(signed.snapshot, cancelSigning())).toBe('The digital signing is already signed');
    const refused = sentQuote(true);
    refused.step({ type: 'REFUSE', at: T0 + DAY, actor: customer });
    expect(whyNot(refused.snapshot, cancelSigning())).toBe('The digital signing is already rejected');
    const cancelled = sentQuote(true);
    cancelled.step({ type: 'CANCEL', at: T0 + DAY, actor: seller });
    expect(whyNot(cancelled.snapshot, cancelSigning())).toBe('The digital signing is already cancelled');
  });

  it('refuses for a quote that awaits no signature', () => {
    expect(whyNot(sentQuote(false).snapshot, cancelSigning())).toBe('The quote is not signed on the portal');
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
