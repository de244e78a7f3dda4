/** GetAccept's statuses as our digital status: one test per row of the table, and the table has no other rows. */
import { digitalStatusFromGetAccept, GETACCEPT_STATUS_TABLE } from '../../../services/signature/getaccept-status';
import { FINAL_DIGITAL_STATUSES } from '../../../domain/digital-status';

const ROWS: [getAccept: string, ours: string, final: boolean][] = [
  ['draft', 'draft', false],
  ['sent', 'sent', false],
  ['viewed', 'viewed', false],
  ['reviewed', 'viewed', false],
  ['partially_signed', 'viewed', false],
  ['approved', 'viewed', false],
  ['signed', 'signed', true],
  ['rejected', 'rejected', true],
  ['recalled', 'cancelled', true],
  ['expired', 'expired', true],
  ['hardbounced', 'undeliverable', false],
];

test.each(ROWS)('GetAccept "%s" is our "%s" (final: %s)', (getAccept, ours, final) => {
  expect(digitalStatusFromGetAccept(getAccept)).toBe(ours);
  expect(FINAL_DIGITAL_STATUSES.includes(digitalStatusFromGetAccept(getAccept) as never)).toBe(final);
});

test('the table has exactly these rows', () => {
  expect(Object.keys(GETACCEPT_STATUS_TABLE).sort()).toEqual(ROWS.map(([getAccept]) => getAccept).sort());
});

test('a word the table does not know is not guessed', () => {
  expect(digitalStatusFromGetAccept('archived')).toBeUndefined();
  expect(digitalStatusFromGetAccept('toString')).toBeUndefined();
});
