/**
 * "Valid until 3 January" as the customer reads it: a day the seller gives lasts through its end
 * in the customer's time zone, in what the portal prints, in the instant the quote's workflow
 * holds and in what it decides. Two customers an hour apart, now: for one it is 23:xx on the
 * quote's last day (still acceptable), for the other 00:xx the day after (expired already).
 */
import { quoteStateQuery, quoteWorkflowId } from '../../workflows/messages/quote';
import { dayIn, defaultValidUntil, endOfDay } from '../../domain/validity';
import { formatDate } from '../../services/locale-format';
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { backOffice, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

const MINUTE = 60_000;
const DAY = 86_400_000;

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

/** The fixed-offset zone of `offset` hours east of UTC ("Etc/GMT-5" is UTC+5); they run from UTC-12 to UTC+14. */
function fixedZone(offset: number): string {
  return offset === 0 ? 'UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

/**
 * Two zones an hour apart, now: in the first it is 23:xx, in the second 00:xx the next day. The
 * first's offset is taken from UTC-12 to UTC+13, so the second's (one more) exists: picked
 * apart, at 10:xx UTC the midnight zone would be UTC-10 (00:xx of the same day as UTC+13's 23:xx).
 */
function eveningAndAfterMidnight(now = new Date()): { evening: string; afterMidnight: string } {
  let offset = (23 - now.getUTCHours() + 24) % 24;
  if (offset > 13) offset -= 24;
  return { evening: fixedZone(offset), afterMidnight: fixedZone(offset + 1) };
}

/** Away from a turn of the hour, so the zones picked now still read the same hour while the test runs (up to two minutes' wait: the test's timeout has them on top). */
async function awayFromTheHour(): Promise<void> {
  const left = 60 * MINUTE - (Date.now() % (60 * MINUTE));
  if (left < 2 * MINUTE) await new Promise((resolve) => setTimeout(resolve, left + 1000));
}

async function quoteFor(timeZone: string, validUntil?: string): Promise<{ documentId: string; contactEmail: string }> {
  const email = `buyer-${timeZone.replace(/\W/g, '')}-${Math.random().toString(36).slice(2, 8)}@customer.test`;
  const customer = await succeeded(office.api.POST('/v1/customers', { body: { name: 'Boulangerie Éclair', locale: 'fr', timeZone } }), 201);
  const contact = await succeeded(office.api.POST('/v1/customers/{id}/contacts', { params: { path: { id: customer.id } }, body: { name: 'Zoé Müller', email } }), 201);
  const quote = await succeeded(
    office.api.POST('/v1/documents', {
      body: { kind: 'quote', customerId: customer.id, contactId: contact.id, lines: SAMPLE_LINES, ...(validUntil ? { validUntil } : {}) },
    }),
    201,
  );
  return { documentId: quote.id, contactEmail: email };
}

it('a quote valid until a day is acceptable at 23:xx that day where its customer is, and expired after midnight there', async () => {
  await awayFromTheHour();
  const { evening, afterMidnight } = eveningAndAfterMidnight();
  // One date for both: the last day for the evening customer, yesterday for the other.
  const lastDay = dayIn(Date.now(), evening);
  expect(dayIn(Date.now(), afterMidnight)).not.toBe(lastDay);

  const open = await quoteFor(evening, lastDay);
  const late = await quoteFor(afterMidnight, lastDay);
  const end = endOfDay(lastDay, evening);
  expect((await office.document(open.documentId)).validUntil).toBe(new Date(end).toISOString());
  expect((await office.document(late.documentId)).validUntil).toBe(new Date(endOfDay(lastDay, afterMidnight)).toISOString());

  const sent = await office.sendQuote(open.documentId, open.contactEmail);
  // The workflow holds the instant the API computed: it expires there, replays included.
  expect((await stack.client.workflow.getHandle(quoteWorkflowId(open.documentId)).query(quoteStateQuery)).validUntil).toBe(end);
  // The portal says the day, and the quote is still acceptable on it.
  const page = await (await fetch(sent.url)).text();
  expect(page).toContain(formatDate(new Date(end), 'fr', evening));
  const accepted = await fetch(`${sent.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
  expect(accepted.status).toBe(200);
  expect(await accepted.json()).toMatchObject({ status: 'accepted' });

  // Sent after the end of its last day where its customer is: the workflow expires it at once.
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: late.documentId } }, body: {} }), 202);
  await eventually(async () => ((await office.document(late.documentId)).status === 'expired' ? true : undefined), { what: 'the late quote to expire' });
}, 120_000 + 2 * MINUTE); // the suite's timeout, and the wait for the turn of the hour

it('the settings’ validity runs to the end of its last day in the customer’s zone; a timestamp is kept as given', async () => {
  await succeeded(office.api.PATCH('/v1/settings', { body: { quoteValidity: 'P10D' } }), 200);
  const zone = 'Pacific/Kiritimati';
  const byDefault = await quoteFor(zone);
  const before = Date.now();
  const sent = await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: byDefault.documentId } }, body: {} }), 202);
  const after = Date.now();
  // The day may turn in Kiritimati between the two readings of the clock: either end is right.
  expect([defaultValidUntil(before, 10 * DAY, zone), defaultValidUntil(after, 10 * DAY, zone)]).toContain(Date.parse(sent.validUntil ?? ''));

  const exact = await quoteFor(zone, '2030-01-03T08:15:00+01:00');
  expect((await office.document(exact.documentId)).validUntil).toBe('2030-01-03T07:15:00.000Z');
  // A day given on a change is counted the same way (a sent quote's revision takes the instant computed here too).
  await succeeded(office.api.PATCH('/v1/documents/{id}', { params: { path: { id: exact.documentId } }, body: { validUntil: '2030-01-03' } }), 200);
  expect((await office.document(exact.documentId)).validUntil).toBe('2030-01-03T09:59:59.999Z');

  // Neither a day nor a timestamp: refused.
  const customerId = (await office.document(exact.documentId)).customerId;
  for (const validUntil of ['3 janvier 2030', '2030-02-30', '0000-12-31']) {
    expect((await office.raw('POST', '/v1/documents', { kind: 'quote', customerId, validUntil })).status).toBe(400);
  }
});
