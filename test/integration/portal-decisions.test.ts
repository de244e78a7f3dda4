/**
 * The customer's decisions over real HTTP, through the real quote workflow: forms need the
 * page's CSRF field, JSON clients get JSON, a decision id is taken once, and a decision the
 * state does not allow answers 409 with the reason.
 */
import { createAccessLink } from '../../services/db/links';
import escapeHtml from 'escape-html';
import { MESSAGES } from '../../api/portal/i18n';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice, type SentQuote } from './portal-fixtures';
import { quoteRunOver } from '../support/quote-run';
import { recordTransition } from '../../activities/db/record-transition';
import { computeTotals, formatMoney, withChosenOptions } from '../../domain/money';

let stack: Stack;
let office: BackOffice;

beforeAll(async () => {
  stack = await startStack();
  office = await backOffice(stack);
});
afterAll(() => stack?.close());

async function sentQuote(locale = 'en'): Promise<SentQuote> {
  const { documentId, contactEmail } = await office.createQuote({ locale, lines: SAMPLE_LINES });
  return office.sendQuote(documentId, contactEmail);
}

function postJson(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

function postForm(url: string, fields: Record<string, string | string[]>): Promise<Response> {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(name, one);
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
}

const eventsOfType = async (documentId: string, type: string) => (await office.events(documentId)).filter((event) => event.type === type);

/**
 * The trail once the quote's workflow is over: a JSON answer is the decision's own result, and
 * its record follows behind it (workflows/story.ts); the run ends once everything is written.
 */
async function closedTrail(quote: SentQuote) {
  await quoteRunOver(stack, quote.documentId);
  return office.events(quote.documentId);
}
const ofType = (events: { type: string }[], type: string) => events.filter((event) => event.type === type);

describe('forms', () => {
  it('refuses a form without a valid CSRF field with 403, and nothing changes', async () => {
    const quote = await sentQuote('fr');
    const page = await (await fetch(quote.url)).text();
    const fields = formFields(page, 'accept');

    const missing = await postForm(`${quote.url}/accept`, { decisionId: fields.decisionId as string });
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain(escapeHtml(MESSAGES.fr.formExpired));
    // A real field, but signed for another decision id: forms cannot be re-aimed.
    const reused = await postForm(`${quote.url}/accept`, { decisionId: crypto.randomUUID(), csrf: fields.csrf as string });
    expect(reused.status).toBe(403);
    // text/plain is what another site can post without a preflight: it carries no field we read.
    const plain = await fetch(`${quote.url}/accept`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x=1' });
    expect(plain.status).toBe(403);

    expect(['sent', 'viewed']).toContain((await office.document(quote.documentId)).status);
    expect(await eventsOfType(quote.documentId, 'accepted')).toHaveLength(0);
  });

  it('answers an accepted form with the page in its new state, and a second submit of the same form with the same answer', async () => {
    const quote = await sentQuote('sv');
    const page = await (await fetch(quote.url)).text();
    const fields = formFields(page, 'accept');
    const optionalLine = await stack.prisma.documentLine.findFirstOrThrow({ where: { documentId: quote.documentId, optional: true } });

    const first = await postForm(`${quote.url}/accept`, { ...fields, options: [optionalLine.id] });
    expect(first.status).toBe(200);
    const answered = await first.text();
    // One banner says where the quote stands and what happens next; no second notice beside it.
    const banners = [...answered.matchAll(/<p class="(banner|notice)[^"]*" role="status"[^>]*>(.*?)<\/p>/g)];
    expect(banners.map(([, kind]) => kind)).toEqual(['banner']);
    expect(banners[0]?.[0]).toContain('class="banner accepted"');
    expect(banners[0]?.[2]).toMatch(/^Accepterad /);
    expect(banners[0]?.[2]).toContain(`<span class="next">${escapeHtml(MESSAGES.sv.decided.accept)}</span>`);
    expect(answered).not.toContain(`action="/d/${quote.token}/refuse"`);

    const second = await postForm(`${quote.url}/accept`, { ...fields, options: [optionalLine.id] });
    expect(second.status).toBe(200);
    expect(await second.text()).toContain(escapeHtml(MESSAGES.sv.decided.accept));

    const accepted = await eventsOfType(quote.documentId, 'accepted');
    expect(accepted).toHaveLength(1);
    expect(accepted[0]?.data).toMatchObject({ options: [optionalLine.id] });
    // The chosen option now counts: 500 × 0.25 € net, 20 % tax, on top of the firm lines.
    const stored = await stack.prisma.document.findUniqueOrThrow({ where: { id: quote.documentId } });
    const document = await office.document(quote.documentId);
    expect(document.status).toBe('accepted');
    expect(document.lines.find((line: { id: string }) => line.id === optionalLine.id)).toMatchObject({ selected: true });
    expect(document.totals.net).toBe(stored.netTotal);
    expect(stored.netTotal).toBe(500 * 182 + 4500 + Math.round(2.5 * 1999) + 500 * 25);
  });

  it('shows why a decision the state does not allow is refused (409)', async () => {
    const quote = await sentQuote('fr');
    const page = await (await fetch(quote.url)).text();
    const refuseForm = formFields(page, 'refuse');
    expect((await postJson(`${quote.url}/accept`, {})).status).toBe(200);

    const refused = await postForm(`${quote.url}/refuse`, { ...refuseForm, reason: 'Trop cher' });
    expect(refused.status).toBe(409);
    const answer = await refused.text();
    expect(answer).toContain(escapeHtml(MESSAGES.fr.decisionNotAllowed(MESSAGES.fr.statusNames.accepted)));
    expect(answer).toContain('class="banner accepted"');
  });
});

describe('JSON clients', () => {
  it('accepts and answers {status: "accepted"}; the same decision id again gets the same answer and one event', async () => {
    const quote = await sentQuote();
    const decisionId = crypto.randomUUID();

    const first = await postJson(`${quote.url}/accept`, { decisionId });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted', decisionId });

    const again = await postJson(`${quote.url}/accept`, { decisionId });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'accepted', decisionId });

    expect(ofType(await closedTrail(quote), 'accepted')).toHaveLength(1);
  });

  it('takes a retried post without decision id once: the same post through the same link names the same decision', async () => {
    const quote = await sentQuote();
    const first = await postJson(`${quote.url}/accept`, {});
    const retried = await postJson(`${quote.url}/accept`, {});
    // Before, the retry was a decision of its own, refused with 409 "already accepted".
    expect([first.status, retried.status]).toEqual([200, 200]);
    const answer = (await first.json()) as { status: string; decisionId: string };
    expect(answer.status).toBe('accepted');
    expect(await retried.json()).toEqual(answer);
    expect(ofType(await closedTrail(quote), 'accepted')).toHaveLength(1);
  });

  it('answers a repeated decision id the same way once the workflow has finished', async () => {
    const quote = await sentQuote();
    const decisionId = crypto.randomUUID();
    expect(await (await postJson(`${quote.url}/accept`, { decisionId })).json()).toMatchObject({ status: 'accepted' });
    // An accepted quote's workflow completes: the decision id must still be recognised.
    await quoteRunOver(stack, quote.documentId);

    const again = await postJson(`${quote.url}/accept`, { decisionId });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ status: 'accepted', decisionId });
    expect(await eventsOfType(quote.documentId, 'accepted')).toHaveLength(1);
  });

  it('refuses a refusal after acceptance with 409 and the reason', async () => {
    const quote = await sentQuote();
    expect((await postJson(`${quote.url}/accept`, {})).status).toBe(200);

    const refused = await postJson(`${quote.url}/refuse`, { reason: 'Changed our mind' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as { status: number; detail?: string };
    expect(problem.status).toBe(409);
    expect(problem.detail).toMatch(/accepted/);
    expect(ofType(await closedTrail(quote), 'refused')).toHaveLength(0);
  });

  it('puts on hold, then accepts', async () => {
    const quote = await sentQuote();
    const held = await postJson(`${quote.url}/hold`, {});
    expect(await held.json()).toMatchObject({ status: 'on_hold' });

    // The page is the row's, which follows the JSON answer by a moment (each open of it is recorded: opened once).
    await eventually(async () => ((await office.document(quote.documentId)).status === 'on_hold' ? true : undefined), { what: 'the hold recorded' });
    const page = await (await fetch(quote.url)).text();
    expect(page).toContain('class="banner on_hold"');
    expect(page).toContain(`action="/d/${quote.token}/accept"`);
    expect(page).not.toContain(`action="/d/${quote.token}/hold"`);

    const accepted = await postJson(`${quote.url}/accept`, {});
    expect(await accepted.json()).toMatchObject({ status: 'accepted' });
    const types = (await closedTrail(quote)).map((event) => event.type).filter((type) => type !== 'notified');
    // Opening the quote while on hold is kept; accepting from it makes it a view, which does not undo the hold.
    expect(types).toEqual(['sent', 'put_on_hold', 'opened', 'viewed', 'accepted']);
  });

  it('refuses with a reason kept in the trail', async () => {
    const quote = await sentQuote();
    const refused = await postJson(`${quote.url}/refuse`, { reason: '  Over budget  ' });
    expect(await refused.json()).toMatchObject({ status: 'refused' });
    expect(ofType(await closedTrail(quote), 'refused')[0]).toMatchObject({ data: { reason: 'Over budget' } });
  });

  it('answers bad input with 400 and changes nothing', async () => {
    const quote = await sentQuote();
    const unknownOption = await postJson(`${quote.url}/accept`, { options: ['lin_not_here'] });
    expect(unknownOption.status).toBe(400);
    const badId = await postJson(`${quote.url}/accept`, { decisionId: 'no spaces allowed' });
    expect(badId.status).toBe(400);
    const malformed = await fetch(`${quote.url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"options":' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect((await office.document(quote.documentId)).status).toBe('sent');
  });

  it('refuses a decision the link does not carry with 403', async () => {
    const quote = await sentQuote();
    const document = await stack.prisma.document.findUniqueOrThrow({ where: { id: quote.documentId } });
    const { url } = await createAccessLink(
      stack.prisma,
      { tenantId: document.tenantId, documentId: quote.documentId, recipient: { name: 'Colleague' }, actions: ['view', 'download'] },
      stack.baseUrl,
    );
    const answer = await postJson(`${url}/accept`, {});
    expect(answer.status).toBe(403);
    expect(await eventsOfType(quote.documentId, 'accepted')).toHaveLength(0);
  });
});

describe('the page a decision answers while its record lags (a worker slow or busy)', () => {
  let held: Stack;
  let heldOffice: BackOffice;
  /** Acceptances wait here before they are written; released at the end. */
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    held = await startStack({
      activities: {
        recordTransition: async (input) => {
          if (input.event.type === 'accepted') await released;
          await recordTransition(held.prisma, input);
        },
      },
    });
    heldOffice = await backOffice(held);
  });
  afterAll(async () => {
    release();
    await held?.close();
  });

  it('shows the options the decision chose, from the decision, not the row before it', async () => {
    const { documentId, contactEmail } = await heldOffice.createQuote({ locale: 'en', lines: SAMPLE_LINES });
    const quote = await heldOffice.sendQuote(documentId, contactEmail);
    const fields = formFields(await (await fetch(quote.url)).text(), 'accept');
    const optionalLine = await held.prisma.documentLine.findFirstOrThrow({ where: { documentId, optional: true } });

    const answered = await postForm(`${quote.url}/accept`, { ...fields, options: [optionalLine.id] });
    expect(answered.status).toBe(200);
    const page = await answered.text();
    // The acceptance is not written yet: its row still has the option unchosen.
    expect(await held.prisma.documentLine.findUniqueOrThrow({ where: { id: optionalLine.id } })).toMatchObject({ selected: false });
    expect(page).toContain('class="banner accepted"');
    expect(page).toContain('class="optional chosen"');
    const document = await held.prisma.document.findUniqueOrThrow({ where: { id: documentId }, include: { lines: true } });
    const gross = computeTotals(withChosenOptions(document.lines, [optionalLine.id]), document.currency).gross;
    expect(page).toContain(`data-total="gross">${escapeHtml(formatMoney(gross, document.currency, 'en'))}<`);

    release();
    await quoteRunOver(held, documentId);
    expect(await held.prisma.documentLine.findUniqueOrThrow({ where: { id: optionalLine.id } })).toMatchObject({ selected: true });
    expect((await held.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).grossTotal).toBe(gross);
  });
});
