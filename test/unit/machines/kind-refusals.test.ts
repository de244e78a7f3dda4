/**
 * Which decisions a kind refuses whatever its status, as its machine says (an event no state
 * takes) rather than a list kept beside it: what api/ answers before it asks a workflow.
 */
import { whyAcceptanceNeverTakes } from '../../../workflows/machines/acceptance';
import { whyInvoiceNeverTakes } from '../../../workflows/machines/invoice';
import { whyProofNeverTakes } from '../../../workflows/machines/proof';
import { whyQuoteNeverTakes } from '../../../workflows/machines/quote';
import { whyRequestNeverTakes } from '../../../workflows/machines/request';

const DECISIONS = { accept: 'ACCEPT', refuse: 'REFUSE', hold: 'HOLD', remind: 'REMIND', cancel: 'CANCEL', sign: 'SIGN', approve: 'APPROVE', 'request-changes': 'REQUEST_CHANGES' };

/** Each portal decision's answer from a kind: undefined when some status takes it. */
const answers = (neverTakes: (type: string) => string | undefined) =>
  Object.fromEntries(Object.entries(DECISIONS).map(([decision, type]) => [decision, neverTakes(type)]));

it('lets a quote take every decision but a proof’s', () => {
  const onlyProofs = 'Only proofs are approved or sent back with changes';
  expect(answers(whyQuoteNeverTakes)).toEqual({
    accept: undefined,
    refuse: undefined,
    hold: undefined,
    remind: undefined,
    cancel: undefined,
    sign: undefined,
    approve: onlyProofs,
    'request-changes': onlyProofs,
  });
});

it('lets orders and delivery notes be accepted, refused, reminded and cancelled, never held or signed', () => {
  expect(answers(whyAcceptanceNeverTakes)).toEqual({
    accept: undefined,
    refuse: undefined,
    hold: 'Only quotes can be put on hold',
    remind: undefined,
    cancel: undefined,
    sign: 'Only quotes are signed',
    approve: 'Only proofs are approved or sent back with changes',
    'request-changes': 'Only proofs are approved or sent back with changes',
  });
});

it('lets a proof be approved or sent back, reminded and cancelled, nothing else', () => {
  const refusal = (decision: string) => `A proof is approved or sent back with changes; it takes no ${decision}`;
  expect(answers(whyProofNeverTakes)).toEqual({
    accept: refusal('accept'),
    refuse: refusal('refuse'),
    hold: refusal('hold'),
    remind: undefined,
    cancel: undefined,
    sign: refusal('sign'),
    approve: undefined,
    'request-changes': undefined,
  });
});

it('lets an invoice be reminded and cancelled, never answered', () => {
  const answered = answers(whyInvoiceNeverTakes);
  expect(answered).toMatchObject({ remind: undefined, cancel: undefined, accept: 'An invoice is paid, not answered; it takes no accept' });
  expect(Object.entries(answered).filter(([, refusal]) => refusal === undefined).map(([decision]) => decision)).toEqual(['remind', 'cancel']);
});

it("lets a service request's proposal be accepted or refused, nothing else from a link", () => {
  const answered = answers(whyRequestNeverTakes);
  expect(answered).toMatchObject({ cancel: "A service request's price proposal is accepted or refused; it takes no cancel" });
  expect(Object.entries(answered).filter(([, refusal]) => refusal === undefined).map(([decision]) => decision)).toEqual(['accept', 'refuse']);
});
