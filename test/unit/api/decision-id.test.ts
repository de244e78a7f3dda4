import { DERIVED_DECISION_WINDOW_MS, derivedDecisionId } from '../../../api/decision-id';

const cancel = { scope: 'ten_1', operation: 'POST /v1/documents/doc_1/cancel', body: { body: { reason: 'Doublon' }, query: {} } };
const start = 1_800_000_000_000 - (1_800_000_000_000 % DERIVED_DECISION_WINDOW_MS);

it('names a retried request (same caller, operation and body, moments later) as the same decision', () => {
  const first = derivedDecisionId(cancel, start + 1_000);
  expect(derivedDecisionId({ ...cancel, body: { query: {}, body: { reason: 'Doublon' } } }, start + 9 * 60_000)).toBe(first);
  expect(first).toMatch(/^derived-[0-9a-f]{40}$/);
});

it('names another caller, target, body, or a later window as another decision', () => {
  const first = derivedDecisionId(cancel, start);
  expect(derivedDecisionId({ ...cancel, scope: 'ten_2' }, start)).not.toBe(first);
  expect(derivedDecisionId({ ...cancel, operation: 'POST /v1/documents/doc_2/cancel' }, start)).not.toBe(first);
  expect(derivedDecisionId({ ...cancel, body: { body: {}, query: {} } }, start)).not.toBe(first);
  expect(derivedDecisionId(cancel, start + DERIVED_DECISION_WINDOW_MS)).not.toBe(first);
});
