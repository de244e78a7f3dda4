/**
 * A deposit paid with the yes (issue 17, seeds 002 and 004), over HTTP end to end: the real API,
 * worker and Temporal, the Stripe SDK talking to the local stand-in, whose hosted page is paid
 * as a browser posts it and whose webhooks are signed. Both policies with the decline card
 * first; the deposit counted once when the return and the webhook both report it; a double
 * click getting one page; the conversion carrying the deposit into the invoice, whose amount
 * due is the rest. And the input the API refuses.
 */
import { succeeded } from '../support/api';
import { eventually } from '../support/eventually';
import { recipientsOf } from '../support/outbox';
import { sha256Hex } from '../../platform/ids';
import { emailedPortalPage, payOnHostedPage, startPaymentStack, type PaymentStack } from '../support/payments';
import { quoteRunOver } from '../support/quote-run';
import { saveClosedHistory } from '../replay/record';
import { formatMoney } from '../../domain/money';
import { documentWorkflowId } from '../../workflows/messages/document';
import { factWorkflowId } from '../../workflows/fact';
import { invoiceStateQuery } from '../../workflows/messages/invoice';
import { backOffice, formFields, SAMPLE_LINES, type BackOffice } from './portal-fixtures';

let payments: PaymentStack;
let office: BackOffice;

beforeAll(async () => {
  payments = await startPaymentStack();
  office = await backOffice(payments.stack);
});
afterAll(async () => {
  await payments?.close();
});

const FIRM_LINES = SAMPLE_LINES.filter((line) => !line.optional);
const documentOf = (documentId: string) => office.document(documentId);
const eventsOf = async (documentId: string, type: string) => (await office.events(documentId)).filter((event) => event.type === type);

/** The accept form (or the pay form) of the page, posted as a browser does: the interstitial's way to the hosted page. */
async function postPayForm(url: string, fields: Record<string, string>): Promise<{ status: number; checkoutUrl: string | undefined; text: string }> {
  const response = await fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
  const text = await response.text();
  return { status: response.status, text, checkoutUrl: /http-equiv="refresh" content="0;url=([^"]+)"/.exec(text)?.[1]?.replace(/&amp;/g, '&') };
}

/** A quote asking 30 % with the yes, sent; its portal link. */
async function sentQuoteWithDeposit(depositPolicy: 'accept_when_paid' | 'accept_then_pay') {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: FIRM_LINES, deposit: { percent: 30 }, depositPolicy });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const { totals, deposit } = await documentOf(documentId);
  return { documentId, url, contactEmail, gross: totals.gross, deposit: deposit as NonNullable<typeof deposit> };
}

/** The decline card on the hosted page: a clear refusal there, recorded once on the quote. */
async function declineOnce(documentId: string, checkoutUrl: string): Promise<void> {
  const declined = await payOnHostedPage(checkoutUrl, '4000 0000 0000 0002');
  expect(declined.status).toBe(402);
  expect(await declined.text()).toContain('Your card was declined.');
  const failed = await eventually(async () => (await eventsOf(documentId, 'deposit_failed'))[0], { what: 'the refused deposit to be recorded' });
  expect(failed.data).toMatchObject({ failureCode: 'generic_decline' });
}

/** The success card, then back to the portal through the success URL (the return reports the payment, as the webhook does). */
async function payAndReturn(url: string, checkoutUrl: string): Promise<void> {
  const paid = await payOnHostedPage(checkoutUrl, '4242 4242 4242 4242');
  expect(paid.status).toBe(303);
  const back = await fetch(paid.headers.get('location') as string, { redirect: 'manual' });
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe(`${new URL(url).pathname}?payment=success#payment`);
}

it('accept_when_paid: the yes opens the deposit page once per click; a declined card leaves it unaccepted; paid, it is accepted and the deposit recorded once; the invoice made from it asks for the rest', async () => {
  const { documentId, url, contactEmail, gross, deposit } = await sentQuoteWithDeposit('accept_when_paid');
  expect(deposit).toEqual({ percent: 30, amount: Math.round(gross * 0.3), policy: 'accept_when_paid', paidAt: null, paymentId: null });

  // The page's yes pays the deposit; a plain accept is refused with the reason.
  const page = await (await fetch(url)).text();
  expect(page).toContain('Accepter et payer l’acompte');
  expect(page).toContain('le devis est accepté une fois l’acompte payé');
  const plainAccept = await fetch(`${url}/accept`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  expect(plainAccept.status).toBe(409);
  expect(((await plainAccept.json()) as { detail: string }).detail).toContain('accepted by paying the deposit');

  // A double click: the same form posted twice at once is one decision, one page.
  const fields = formFields(page, 'pay');
  const [first, second] = await Promise.all([postPayForm(url, fields), postPayForm(url, fields)]);
  expect(first.status).toBe(200);
  expect(first.checkoutUrl).toMatch(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  expect(second.checkoutUrl).toBe(first.checkoutUrl);
  const checkoutUrl = first.checkoutUrl as string;
  expect((await documentOf(documentId)).payments.filter((payment) => payment.status === 'open').map((payment) => payment.amount)).toEqual([deposit.amount]);

  // Declined: recorded, the quote not accepted, its page says so and offers the yes again.
  await declineOnce(documentId, checkoutUrl);
  expect(['sent', 'viewed']).toContain((await documentOf(documentId)).status);
  const afterDecline = await (await fetch(`${url}?payment=cancelled`)).text();
  expect(afterDecline).toContain('Le devis n’est pas encore accepté');
  expect(afterDecline).toContain('Accepter et payer l’acompte');

  // Paid: the return and the webhook both report it; counted once, then accepted.
  await payAndReturn(url, checkoutUrl);
  const accepted = await eventually(async () => {
    const document = await documentOf(documentId);
    return document.status === 'accepted' ? document : undefined;
  }, { what: 'the quote to be accepted once its deposit is paid' });
  await eventually(async () => ((await payments.events()).some((event) => event.type === 'checkout.session.completed' && event.deliveries.some((delivery) => delivery.statusCode === 200)) ? true : undefined), {
    what: 'the webhook of the paid session to be delivered',
  });
  await quoteRunOver(payments.stack, documentId);
  expect(await eventsOf(documentId, 'deposit_paid')).toHaveLength(1);
  expect(await eventsOf(documentId, 'accepted')).toHaveLength(1);
  const paidDocument = await documentOf(documentId);
  expect(paidDocument.deposit).toMatchObject({ amount: deposit.amount, policy: 'accept_when_paid', paymentId: expect.stringMatching(/^pay_/) });
  expect(paidDocument.deposit?.paidAt).not.toBeNull();
  expect(paidDocument.payments.filter((payment) => payment.status === 'succeeded')).toEqual([expect.objectContaining({ amount: deposit.amount, receiptNumber: expect.stringMatching(/-R1$/) })]);
  expect(accepted.status).toBe('accepted');
  expect((await payments.charges()).count).toBe(1);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(payments.stack.client.workflow, `quote-${documentId}`, 'quote-deposit-declined-paid');
  const acceptedPage = await (await fetch(url)).text();
  expect(acceptedPage).toMatch(/Acompte de .+ payé le/);
  // Money taken: the yes is not withdrawn on the portal any more (the page says whom to call).
  expect(acceptedPage).not.toContain('/withdraw"');

  // Converted into an invoice: the deposit is a payment already received; what is due is the rest.
  const invoice = await succeeded(office.api.POST('/v1/documents/{id}/convert', { params: { path: { id: documentId } }, body: { to: 'invoice' } }), 201);
  const invoiceDocument = await documentOf(invoice.id);
  expect(invoiceDocument.totals.gross).toBe(gross);
  expect(invoiceDocument.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: deposit.amount, reference: paidDocument.number })]);
  await succeeded(office.api.PATCH('/v1/settings', { body: { payOnline: true } }), 200);
  await succeeded(office.api.POST('/v1/documents/{id}/send', { params: { path: { id: invoice.id } }, body: {} }), 202);
  const invoiceState = await eventually(
    async () => {
      const state = await payments.stack.client.workflow.getHandle(documentWorkflowId('invoice', invoice.id)).query(invoiceStateQuery);
      return state.status === 'sent' ? state : undefined;
    },
    { what: 'the invoice to be sent' },
  );
  expect(invoiceState).toMatchObject({ paidTotal: deposit.amount, amountDue: gross - deposit.amount });
  // The email goes out before the workflow records the invoice sent: its page is read once the row says so.
  await eventually(async () => ((await documentOf(invoice.id)).status === 'sent' ? true : undefined), { what: "the invoice's row to be sent" });
  // Its page, through the link its email carries: the deposit deducted, the rest to pay.
  const { text: invoicePage } = await emailedPortalPage(payments.stack, contactEmail, invoiceDocument.number);
  expect(invoicePage).toContain('Acompte déjà versé');
  const rest = formatMoney(gross - deposit.amount, 'EUR', 'fr').replace(/[ \u202f]/g, '\u00a0');
  expect(invoicePage).toContain(`Payer en ligne ${rest}`);
});

it('accept_then_pay: the yes accepts at once; a declined card leaves it accepted with the deposit due, paid from the page later', async () => {
  const { documentId, url, deposit } = await sentQuoteWithDeposit('accept_then_pay');
  const { checkoutUrl } = await postPayForm(url, formFields(await (await fetch(url)).text(), 'pay'));
  await eventually(async () => ((await documentOf(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote to be accepted at once' });

  await declineOnce(documentId, checkoutUrl as string);
  expect((await documentOf(documentId)).status).toBe('accepted');
  const page = await (await fetch(url)).text();
  expect(page).toContain('Le devis est accepté, l’acompte reste dû');
  expect(page).toContain('Payer l’acompte');

  // Paid from the page's own button: the same open page again, then recorded once.
  const again = await postPayForm(url, formFields(page, 'pay'));
  expect(again.checkoutUrl).toBe(checkoutUrl);
  await payAndReturn(url, checkoutUrl as string);
  await eventually(async () => ((await eventsOf(documentId, 'deposit_paid')).length === 1 ? true : undefined), { what: 'the deposit to be recorded' });
  await quoteRunOver(payments.stack, documentId);
  expect(await eventsOf(documentId, 'deposit_paid')).toHaveLength(1);
  expect(await eventsOf(documentId, 'accepted')).toHaveLength(1);
  expect((await documentOf(documentId)).deposit).toMatchObject({ amount: deposit.amount, policy: 'accept_then_pay' });
});

it("accept_then_pay with two approvers (rule all): each yes is a vote, the second accepts; the deposit then due is paid from either approver's link, a declined card first", async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: FIRM_LINES, deposit: { percent: 30 }, depositPolicy: 'accept_then_pay' });
  const colleague = contactEmail.replace('buyer-', 'colleague-');
  const { url } = await office.sendQuote(documentId, contactEmail, { deciders: committeeOf(contactEmail, colleague), rule: 'all' });
  const { number, deposit } = await documentOf(documentId);
  const { url: colleagueUrl, text: colleaguePage } = await emailedPortalPage(payments.stack, colleague, number);
  expect(colleagueUrl).not.toBe(url);

  // Before the round is met, the yes is a plain vote: no payment page is asked over it.
  expect(colleaguePage).toContain('Un acompte de');
  expect(colleaguePage).not.toContain('Accepter et payer l’acompte');
  expect(colleaguePage).toMatch(/<form method="post" action="[^"]*\/accept">/);
  const tooEarly = await fetch(`${colleagueUrl}/pay`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{}' });
  expect(tooEarly.status).toBe(409);
  expect(((await tooEarly.json()) as { detail: string }).detail).toContain('its deposit is paid once they have accepted it');

  expect(((await (await acceptOn(url)).json()) as { status: string }).status).not.toBe('accepted');
  expect(((await (await acceptOn(colleagueUrl)).json()) as { status: string }).status).toBe('accepted');
  await eventually(async () => ((await eventsOf(documentId, 'accepted')).length === 1 ? true : undefined), { what: 'the acceptance to be recorded' });

  // Accepted, the deposit due: the first approver pays from their link, the card is declined; the colleague pays from theirs.
  const firstPage = await eventually(async () => {
    const page = await (await fetch(url)).text();
    return page.includes('Payer l’acompte') ? page : undefined;
  }, { what: "the first approver's page to offer the deposit due" });
  const first = await postPayForm(url, formFields(firstPage, 'pay'));
  expect(first.status).toBe(200);
  await declineOnce(documentId, first.checkoutUrl as string);
  expect((await documentOf(documentId)).status).toBe('accepted');
  const colleagueAfterDecline = await (await fetch(colleagueUrl)).text();
  expect(colleagueAfterDecline).toContain('Le devis est accepté, l’acompte reste dû');
  // A page of their own, which sends them back to their own link; the first one's page is closed.
  const second = await postPayForm(colleagueUrl, formFields(colleagueAfterDecline, 'pay'));
  expect(second.checkoutUrl).toMatch(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  expect(second.checkoutUrl).not.toBe(first.checkoutUrl);
  expect((await payOnHostedPage(first.checkoutUrl as string, '4242 4242 4242 4242')).status).not.toBe(303);
  await payAndReturn(colleagueUrl, second.checkoutUrl as string);
  await eventually(async () => ((await eventsOf(documentId, 'deposit_paid')).length === 1 ? true : undefined), { what: 'the deposit to be recorded' });
  await quoteRunOver(payments.stack, documentId);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(payments.stack.client.workflow, `quote-${documentId}`, 'quote-deciders-deposit-declined-paid');
  expect(await eventsOf(documentId, 'deposit_paid')).toHaveLength(1);
  expect(await eventsOf(documentId, 'accepted')).toHaveLength(1);
  const paid = await documentOf(documentId);
  expect(paid.status).toBe('accepted');
  expect(paid.deposit).toMatchObject({ amount: deposit?.amount, percent: 30, policy: 'accept_then_pay', paymentId: expect.stringMatching(/^pay_/) });
  expect(paid.payments.filter((payment) => payment.status === 'succeeded')).toEqual([expect.objectContaining({ amount: deposit?.amount })]);

});

it("accept_when_paid with two approvers (rule all): the second yes leads to the page; a declined card leaves the round met and the quote unaccepted; the first approver pays from their link (nothing else offered), then it is accepted; signers are 422", async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: FIRM_LINES, deposit: { percent: 30 }, depositPolicy: 'accept_when_paid' });
  const colleague = contactEmail.replace('buyer-', 'colleague-');
  const reviewer = contactEmail.replace('buyer-', 'reviewer-');
  const { url } = await office.sendQuote(documentId, contactEmail, { deciders: [...committeeOf(contactEmail, colleague), { email: reviewer, name: 'Inès Roux', role: 'reviewer' }], rule: 'all' });
  const { number, deposit } = await documentOf(documentId);
  const { url: colleagueUrl, text: colleaguePage } = await emailedPortalPage(payments.stack, colleague, number);
  const { url: reviewerUrl } = await emailedPortalPage(payments.stack, reviewer, number);

  // Neither yes would meet the rule alone: both pages accept with a plain vote.
  expect(colleaguePage).not.toContain('Accepter et payer l’acompte');
  expect(((await (await acceptOn(url)).json()) as { status: string }).status).toBe('sent');
  // The colleague's yes meets the round: it reads "Accept and pay the deposit", and a plain accept is refused.
  const payingPage = await eventually(async () => {
    const page = await (await fetch(colleagueUrl)).text();
    return page.includes('Accepter et payer l’acompte') ? page : undefined;
  }, { what: "the colleague's yes to be the one that pays" });
  const plain = await acceptOn(colleagueUrl);
  expect(plain.status).toBe(409);
  expect(((await plain.json()) as { detail: string }).detail).toContain('accepted by paying the deposit');
  const opened = await postPayForm(colleagueUrl, formFields(payingPage, 'pay'));
  expect(opened.checkoutUrl).toMatch(new RegExp(`^${payments.stripe.url}/c/pay/cs_test_`));
  await eventually(async () => ((await eventsOf(documentId, 'step_completed')).length === 1 ? true : undefined), { what: 'the round met to be recorded' });

  // Declined: the round met, the quote not accepted; the first approver's page now pays it.
  await declineOnce(documentId, opened.checkoutUrl as string);
  expect(['sent', 'viewed']).toContain((await documentOf(documentId)).status);
  const firstPage = await (await fetch(`${url}?payment=cancelled`)).text();
  expect(firstPage).toContain('Le devis n’est pas encore accepté');
  expect(firstPage).toContain('Accepter et payer l’acompte');
  // The round met, the deposit awaited: the yes that pays is the only answer offered (a refusal would be 409), and the standing says so.
  expect(firstPage).not.toContain(`${new URL(url).pathname}/refuse"`);
  expect(firstPage).toContain('Les personnes qui décident ont donné leur accord');
  // The reviewer has nothing left to answer: no form to accept, refuse or comment.
  const reviewerPage = await (await fetch(reviewerUrl)).text();
  expect(reviewerPage).toContain('le devis est accepté une fois l’acompte payé');
  expect(reviewerPage).not.toMatch(/action="[^"]*\/(accept|refuse|comment|pay)"/);
  const again = await postPayForm(url, formFields(firstPage, 'pay'));
  expect(again.checkoutUrl).not.toBe(opened.checkoutUrl);
  await payAndReturn(url, again.checkoutUrl as string);
  await eventually(async () => ((await documentOf(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote to be accepted once its deposit is paid' });
  await quoteRunOver(payments.stack, documentId);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(payments.stack.client.workflow, `quote-${documentId}`, 'quote-deciders-deposit-paid-when-met');
  expect(await eventsOf(documentId, 'deposit_paid')).toHaveLength(1);
  expect(await eventsOf(documentId, 'accepted')).toHaveLength(1);
  expect((await documentOf(documentId)).deposit).toMatchObject({ amount: deposit?.amount, policy: 'accept_when_paid', paymentId: expect.stringMatching(/^pay_/) });
  // The round is told its decision: each approver gets a second email (after their invitation), on their own link.
  for (const [deciderId, approver] of [['d1', contactEmail], ['d2', colleague]] as const) {
    const told = await eventually(async () => {
      const found = (await payments.stack.readOutbox()).filter((email) => recipientsOf(email).includes(approver) && email.subject.includes(number));
      return found.length === 2 ? found[1] : undefined;
    }, { what: `the decision told to ${approver}` });
    const token = told?.links.find((link) => link.startsWith(`${payments.stack.baseUrl}/d/`))?.slice(`${payments.stack.baseUrl}/d/`.length) as string;
    expect((await payments.stack.prisma.accessLink.findUniqueOrThrow({ where: { tokenHash: sha256Hex(token) } })).deciderId).toBe(deciderId);
  }

  // Signers accept by signing, before any money: with accept_when_paid they are 422.
  const signed = await office.createQuote({ locale: 'fr', lines: FIRM_LINES, deposit: { percent: 30 }, depositPolicy: 'accept_when_paid' });
  const refused = await office.raw('POST', `/v1/documents/${signed.documentId}/send`, { deciders: [{ email: signed.contactEmail, role: 'signer' }], requireSignature: true });
  expect(refused.status).toBe(422);
  expect(JSON.stringify(refused.body)).toContain('accept_then_pay');
  expect((await documentOf(signed.documentId)).status).toBe('draft');
});

/** Two approvers deciding together: the quote's contact and a colleague. */
const committeeOf = (contactEmail: string, colleague: string) => [
  { email: contactEmail, name: 'Zoë Dupré', role: 'approver' as const },
  { email: colleague, name: 'Olof Ek', role: 'approver' as const },
];

/** A decider's plain yes, as a JSON client posts it. */
const acceptOn = (link: string) => fetch(`${link}/accept`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ version: 1 }) });

/** The seller's notices about a quote, read from the outbox by its number (the assignee's email). */
async function sellerNoticesAbout(number: string): Promise<{ subject: string; text: string }[]> {
  const notices = (await payments.stack.readOutbox()).filter((email) => email.subject.includes(number) && /Acompte|Deposit|Handpenning/.test(email.subject));
  return notices.map((email) => ({ subject: email.subject, text: sameSpaces(email.text ?? '') }));
}

/** Amounts are written with narrow and non-breaking spaces: compared as plain ones. */
const sameSpaces = (text: string): string => text.replace(/[\s\u00a0\u202f]+/g, ' ');

it("accept_when_paid with an optional line ticked: the deposit is the share of the total so accepted, on the page, in the record and in the seller's notice", async () => {
  const { documentId, contactEmail } = await office.createQuote({ locale: 'fr', lines: SAMPLE_LINES, deposit: { percent: 30 }, depositPolicy: 'accept_when_paid' });
  const { url } = await office.sendQuote(documentId, contactEmail);
  const sent = await documentOf(documentId);
  const optional = sent.lines.find((line) => line.optional);
  expect(optional?.selected).toBe(false);

  const { checkoutUrl } = await postPayForm(url, { ...formFields(await (await fetch(url)).text(), 'pay'), options: optional?.id as string });
  await payAndReturn(url, checkoutUrl as string);
  await eventually(async () => ((await documentOf(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote to be accepted once its deposit is paid' });
  await quoteRunOver(payments.stack, documentId);

  const accepted = await documentOf(documentId);
  expect(accepted.totals.gross).toBeGreaterThan(sent.totals.gross);
  const share = Math.round(accepted.totals.gross * 0.3);
  expect(share).not.toBe(sent.deposit?.amount);
  expect(accepted.payments).toEqual([expect.objectContaining({ status: 'succeeded', amount: share })]);
  expect(accepted.deposit).toMatchObject({ amount: share, percent: 30 });
  expect((await eventsOf(documentId, 'deposit_paid'))[0]?.data).toMatchObject({ amount: share });
});

it("accept_then_pay: the seller is told of the deposit refused, then paid, in the deposit's own words naming its amount and the quote", async () => {
  const { documentId, url, deposit } = await sentQuoteWithDeposit('accept_then_pay');
  const { number } = await documentOf(documentId);
  const { checkoutUrl } = await postPayForm(url, formFields(await (await fetch(url)).text(), 'pay'));
  await declineOnce(documentId, checkoutUrl as string);
  await payAndReturn(url, checkoutUrl as string);
  await quoteRunOver(payments.stack, documentId);

  const notices = await eventually(async () => {
    const found = await sellerNoticesAbout(number);
    return found.length === 2 ? found : undefined;
  }, { what: "the seller's two deposit notices" });
  const amounts = (['fr', 'en', 'sv'] as const).map((locale) => sameSpaces(formatMoney(deposit.amount, 'EUR', locale)));
  for (const notice of notices) {
    expect(amounts.some((amount) => notice.text.includes(amount))).toBe(true);
    expect(notice.text).not.toMatch(/demande|request is confirmed/);
  }
});

it('a deposit reported once the quote is refused (its webhook late): recorded once, the quote left refused, the seller told it came for a closed quote', async () => {
  const { documentId, url, deposit } = await sentQuoteWithDeposit('accept_when_paid');
  const { number } = await documentOf(documentId);
  const { checkoutUrl } = await postPayForm(url, formFields(await (await fetch(url)).text(), 'pay'));
  const sessionId = new URL(checkoutUrl as string).pathname.split('/').pop() as string;

  // Paid while its webhook is held, the customer not back yet; meanwhile (another tab) they refuse: the run ends.
  const release = payments.holdWebhooks();
  const paid = await payOnHostedPage(checkoutUrl as string, '4242 4242 4242 4242');
  expect(paid.status).toBe(303);
  const refused = await fetch(`${url}/refuse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'Trop tard' }) });
  expect(refused.status).toBe(200);
  await quoteRunOver(payments.stack, documentId);
  release();

  // The webhook comes (redelivered twice), and the customer's return: one record of the money.
  const completed = await eventually(async () => (await payments.events()).find((event) => event.type === 'checkout.session.completed' && event.data.object.id === sessionId), {
    what: 'the completion event of the paid page',
  });
  for (let delivery = 0; delivery < 2; delivery += 1) {
    const redelivered = (await (await fetch(`${payments.stripe.url}/_test/events/${completed.id}/redeliver`, { method: 'POST' })).json()) as { deliveries: { statusCode: number }[] };
    expect(redelivered.deliveries.at(-1)?.statusCode).toBe(200);
  }
  expect((await fetch(paid.headers.get('location') as string, { redirect: 'manual' })).status).toBe(303);

  const [recorded, ...more] = await eventually(async () => {
    const found = await eventsOf(documentId, 'deposit_paid');
    return found.length > 0 ? found : undefined;
  }, { what: 'the late deposit to be recorded' });
  expect(more).toEqual([]);
  expect(recorded?.data).toMatchObject({ amount: deposit.amount, afterItsRun: true, quoteStatus: 'refused' });
  const factRun = factWorkflowId(`deposit-${String(recorded?.data.paymentId)}`);
  await payments.stack.client.workflow.getHandle(factRun).result();
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveClosedHistory(payments.stack.client.workflow, factRun, 'fact-deposit-after-its-run');
  const quote = await documentOf(documentId);
  expect(quote.status).toBe('refused');
  expect(await eventsOf(documentId, 'accepted')).toEqual([]);
  expect(quote.payments.filter((payment) => payment.status === 'succeeded')).toEqual([expect.objectContaining({ amount: deposit.amount, receiptNumber: `${number}-R1` })]);
  expect(quote.deposit).toMatchObject({ amount: deposit.amount, paidAt: expect.any(String) });
  const [notice] = await eventually(async () => {
    const found = await sellerNoticesAbout(number);
    return found.length > 0 ? found : undefined;
  }, { what: "the seller's notice of the late deposit" });
  expect(notice?.text).toMatch(/déjà refusé|already refused|redan avböjd/);
  expect(await eventsOf(documentId, 'deposit_paid')).toHaveLength(1);
});

it('refuses (400) a deposit on anything but a quote, a policy without a deposit, a share out of range; (409) a change once sent', async () => {
  const { documentId: draftId, contactEmail } = await office.createQuote({ locale: 'en', lines: FIRM_LINES });
  const customerId = (await documentOf(draftId)).customerId;
  const onInvoice = await office.raw('POST', '/v1/documents', { kind: 'invoice', customerId, lines: FIRM_LINES, deposit: { percent: 30 } });
  expect(onInvoice.status).toBe(400);
  expect(JSON.stringify(onInvoice.body)).toContain('only a quote asks for a deposit');
  const policyAlone = await office.raw('POST', '/v1/documents', { kind: 'quote', customerId, lines: FIRM_LINES, depositPolicy: 'accept_then_pay' });
  expect(policyAlone.status).toBe(400);
  expect(JSON.stringify(policyAlone.body)).toContain('a deposit policy needs a deposit');
  expect((await office.raw('POST', '/v1/documents', { kind: 'quote', customerId, lines: FIRM_LINES, deposit: { percent: 0 } })).status).toBe(400);
  expect((await office.raw('POST', '/v1/documents', { kind: 'quote', customerId, lines: FIRM_LINES, deposit: { percent: 30, amount: 100 } })).status).toBe(400);

  // On a draft: set, its policy changed alone, then removed; read back each time.
  const patch = (body: Record<string, unknown>) => office.raw('PATCH', `/v1/documents/${draftId}`, body);
  expect((await patch({ deposit: { amount: 5_000 } })).status).toBe(200);
  expect((await documentOf(draftId)).deposit).toMatchObject({ percent: null, amount: 5_000, policy: 'accept_when_paid' });
  expect((await patch({ depositPolicy: 'accept_then_pay' })).status).toBe(200);
  expect((await documentOf(draftId)).deposit).toMatchObject({ amount: 5_000, policy: 'accept_then_pay' });
  expect((await patch({ deposit: null })).status).toBe(200);
  expect((await documentOf(draftId)).deposit).toBeNull();

  // Sent: the workflow started with its terms; changing them is refused and changes nothing.
  await office.sendQuote(draftId, contactEmail);
  const late = await patch({ deposit: { percent: 10 } });
  expect(late.status).toBe(409);
  expect((await documentOf(draftId)).deposit).toBeNull();
});
