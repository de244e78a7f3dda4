/**
 * The invoice machine on its own: pure stepping with XState's `initialTransition`/`transition`.
 * Payments add up to paid or partly paid and count once per provider payment id; the due date
 * makes it overdue (still payable); reminders run while unpaid; cancelling closes the payment
 * pages; a failed card is recorded once and changes no status; the payment page is opened for
 * what is left to pay, only while something is and the tenant offers it.
 */
import { initialTransition, transition } from 'xstate';
import type { Actor } from '../../../domain/documents';
import type { ReceivedPayment } from '../../../domain/invoice';
import {
  invoiceMachine,
  invoiceStatus,
  invoiceView,
  isInvoiceClosed,
  paymentPageOf,
  whyNotInvoice,
  type InvoiceEvent,
  type InvoiceMachineInput,
  type InvoiceSnapshot,
} from '../../../workflows/machines/invoice';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const DAY = 24 * 3600 * 1000;
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const system: Actor = { kind: 'system' };

interface Action {
  type: string;
  params?: unknown;
}

const INPUT: InvoiceMachineInput = { now: T0, grossTotal: 12000, currency: 'EUR', dueDate: T0 + 30 * DAY, reminderAfterMs: 7 * DAY, maxReminders: 2 };

function start(input: InvoiceMachineInput = INPUT): InvoiceSnapshot {
  return (initialTransition(invoiceMachine, input) as [InvoiceSnapshot, Action[]])[0];
}

function step(snapshot: InvoiceSnapshot, event: InvoiceEvent): { snapshot: InvoiceSnapshot; actions: Action[] } {
  const [next, actions] = transition(invoiceMachine, snapshot, event) as [InvoiceSnapshot, Action[]];
  return { snapshot: next, actions };
}

const send = (at = T0): InvoiceEvent => ({ type: 'SEND', at, actor: seller });
const paid = (paymentId: string, amount: number, at = T0 + DAY): InvoiceEvent => {
  const payment: ReceivedPayment = { paymentId, amount, currency: 'EUR', provider: 'stripe', sessionId: `cs_${paymentId}`, paidAt: at };
  return { type: 'PAYMENT_RECEIVED', at, actor: system, payment };
};
/** Assign actions are applied by XState itself; what is left is for the interpreter to run. */
const activities = (actions: Action[]) => actions.filter((action) => !action.type.startsWith('xstate.')).map((action) => action.type);
/** The timers the interpreter arms (a delay of Infinity means never). */
const raised = (actions: Action[]) =>
  actions
    .filter((action) => action.type === 'xstate.raise')
    .map((action) => action.params as { event: { type: string }; delay: number })
    .filter((raise) => Number.isFinite(raise.delay));

function sent(input: InvoiceMachineInput = INPUT): InvoiceSnapshot {
  return step(start(input), send()).snapshot;
}

describe('invoice machine', () => {
  it('is sent with its first email, and arms the reminder and the due date', () => {
    const { snapshot, actions } = step(start(), send());
    expect(invoiceStatus(snapshot)).toBe('sent');
    expect(activities(actions)).toEqual(['sendFirstEmail', 'recordTransition']);
    const delays = raised(actions).map((raise) => raise.delay).sort((a, b) => a - b);
    expect(delays).toEqual([7 * DAY, 30 * DAY]);
  });

  it('is paid by a payment covering the total: payment kept with its receipt, recorded, assignee told', () => {
    const { snapshot, actions } = step(sent(), paid('pi_1', 12000));
    expect(invoiceStatus(snapshot)).toBe('paid');
    expect(isInvoiceClosed(snapshot)).toBe(true);
    expect(activities(actions)).toEqual(['recordPayment', 'recordTransition', 'notifyAssignee', 'confirmToCustomer']);
    // The customer's confirmation links the receipt of this payment.
    expect(actions.find((action) => action.type === 'confirmToCustomer')?.params).toEqual({ confirmation: 'paid', paymentId: 'pi_1' });
    const record = actions.find((action) => action.type === 'recordTransition')?.params as { type: string; data: Record<string, unknown> };
    expect(record).toEqual({ type: 'paid', data: { paymentId: 'pi_1', amount: 12000, currency: 'EUR', provider: 'stripe', paidTotal: 12000, partial: false } });
    expect(actions.find((action) => action.type === 'recordPayment')?.params).toMatchObject({ receiptSeq: 1, paidTotal: 12000 });
    expect(invoiceView(snapshot)).toMatchObject({ status: 'paid', paidTotal: 12000, amountDue: 0 });
  });

  it('counts a payment reported again (replayed or late webhook) once: no transition, no action', () => {
    const partly = step(sent(), paid('pi_1', 5000)).snapshot;
    expect(invoiceStatus(partly)).toBe('partially_paid');
    for (let replay = 0; replay < 3; replay += 1) {
      const again = step(partly, paid('pi_1', 5000, T0 + 2 * DAY));
      expect(activities(again.actions)).toEqual([]);
      expect(again.snapshot.context).toEqual(partly.context);
    }
    const rest = step(partly, paid('pi_2', 7000));
    expect(invoiceStatus(rest.snapshot)).toBe('paid');
    expect(rest.actions.find((action) => action.type === 'recordPayment')?.params).toMatchObject({ receiptSeq: 2, paidTotal: 12000 });
  });

  it('takes nothing once paid: the workflow closes, a late payment report finds nothing to do', () => {
    const done = step(sent(), paid('pi_1', 12000)).snapshot;
    expect(done.can(paid('pi_9', 12000))).toBe(false);
    expect(whyNotInvoice(done, { type: 'REMIND', at: T0 + 3 * DAY, actor: seller })).toBe('The invoice is already paid');
    expect(whyNotInvoice(done, { type: 'CANCEL', at: T0 + 3 * DAY, actor: seller })).toBe('The invoice is already paid');
  });

  it('becomes overdue at its due date, stays payable, and goes on being reminded', () => {
    const viewed = step(sent(), { type: 'VIEWED', at: T0 + DAY, occurredAt: T0 + DAY, eventId: 'v1', actor: { kind: 'customer', linkId: 'l1' } }).snapshot;
    expect(invoiceStatus(viewed)).toBe('viewed');
    // A delayed event comes back under XState's own name for the `after` transition, stamped when it fired.
    const due = step(viewed, { type: 'xstate.after.untilDue.invoice.viewed', at: T0 + 30 * DAY } as unknown as InvoiceEvent);
    const overdue = due.snapshot;
    expect(invoiceStatus(overdue)).toBe('overdue');
    expect(activities(due.actions)).toEqual(['recordTransition']);
    expect(invoiceView(overdue).amountDue).toBe(12000);
    const partly = step(overdue, paid('pi_1', 2000, T0 + 31 * DAY)).snapshot;
    expect(invoiceStatus(partly)).toBe('overdue');
    expect(invoiceStatus(step(partly, paid('pi_2', 10000, T0 + 32 * DAY)).snapshot)).toBe('paid');
    expect(invoiceStatus(step(overdue, { type: 'REMIND', at: T0 + 31 * DAY, actor: seller }).snapshot)).toBe('overdue');
  });

  it('sends at most maxReminders automatic reminders, each reminderAfter after the last email', () => {
    let snapshot = sent();
    const reminded: number[] = [];
    for (let reminder = 1; reminder <= 3; reminder += 1) {
      const event = { type: `xstate.after.reminderDelay.invoice.sent`, at: T0 + reminder * 7 * DAY } as unknown as InvoiceEvent;
      const next = step(snapshot, event);
      if (activities(next.actions).includes('sendReminderEmail')) reminded.push(reminder);
      snapshot = next.snapshot;
    }
    expect(reminded).toEqual([1, 2]);
    expect(invoiceView(snapshot).remindersSent).toBe(2);
    expect(invoiceView(snapshot).nextReminderAt).toBeUndefined();
  });

  it('records a failed card payment once per provider event, tells the assignee, and keeps its status', () => {
    const failure: InvoiceEvent = { type: 'PAYMENT_FAILED', at: T0 + DAY, actor: system, paymentId: 'pi_1', eventId: 'evt_1', failureCode: 'generic_decline', failureMessage: 'Your card was declined.' };
    const once = step(sent(), failure);
    expect(invoiceStatus(once.snapshot)).toBe('sent');
    expect(once.actions.find((action) => action.type === 'recordTransition')?.params).toEqual({
      type: 'payment_failed',
      data: { paymentId: 'pi_1', failureCode: 'generic_decline', failureMessage: 'Your card was declined.' },
    });
    // A notice added after invoices were running: it names the patch that guards it.
    expect(once.actions.find((action) => action.type === 'notifyAssignee')?.params).toEqual({
      event: 'payment_failed',
      what: 'payment_failed',
      patch: 'notify-invoice-payment-failed',
    });
    expect(activities(step(once.snapshot, failure).actions)).toEqual([]);
  });

  it('closes its payment pages when cancelled, and is never overdue without a due date', () => {
    const { snapshot, actions } = step(sent(), { type: 'CANCEL', at: T0 + DAY, actor: seller });
    expect(invoiceStatus(snapshot)).toBe('cancelled');
    expect(activities(actions)).toEqual(['closeHostedPayments', 'recordTransition']);
    expect(whyNotInvoice(snapshot, paid('pi_1', 12000))).toBe('The invoice is cancelled');
    const { dueDate: _none, ...withoutDueDate } = INPUT;
    const [, sendActions] = transition(invoiceMachine, start(withoutDueDate), send()) as [InvoiceSnapshot, Action[]];
    expect(raised(sendActions).map((raise) => raise.delay)).toEqual([7 * DAY]);
  });

  it('opens the payment page for what is left to pay and keeps it until a payment is counted', () => {
    const customer: Actor = { kind: 'customer', linkId: 'l1' };
    const openPayment = (payOnline = true, at = T0 + DAY): InvoiceEvent => ({ type: 'OPEN_PAYMENT', at, actor: customer, payOnline, linkUrl: 'https://app.test/d/token', customerEmail: 'payer@customer.test' });
    const partly = step(sent(), paid('pi_1', 5000)).snapshot;
    const asked = step(partly, openPayment());
    // No transition: the timers stay as they were, the status too.
    expect(invoiceStatus(asked.snapshot)).toBe('partially_paid');
    expect(asked.actions.map((action) => action.type)).toEqual(['openHostedPayment']);
    expect(asked.actions[0]?.params).toEqual({ amountDue: 7000, linkUrl: 'https://app.test/d/token', customerEmail: 'payer@customer.test' });
    const page = { url: 'https://pay.test/c/pay/cs_1', sessionId: 'cs_1' };
    const opened = step(asked.snapshot, { type: 'PAYMENT_PAGE_OPENED', at: T0 + DAY, actor: system, page }).snapshot;
    expect(paymentPageOf(opened)).toEqual(page);
    // The page paid before its webhook came: the payment is counted, no page is handed out.
    const paidMeanwhile = step(opened, paid('pi_2', 7000, T0 + DAY)).snapshot;
    expect(invoiceStatus(paidMeanwhile)).toBe('paid');
    expect(paymentPageOf(paidMeanwhile)).toBeUndefined();
    expect(paymentPageOf(step(opened, paid('pi_3', 1000, T0 + DAY)).snapshot)).toBeUndefined();

    expect(whyNotInvoice(sent(), openPayment(false))).toBe('Online payment is not offered for this invoice');
    expect(whyNotInvoice(start(), openPayment())).toBe('The invoice has not been sent yet');
    expect(whyNotInvoice(paidMeanwhile, openPayment())).toBe('The invoice is already paid');
    expect(whyNotInvoice(step(sent(), { type: 'CANCEL', at: T0 + DAY, actor: seller }).snapshot, openPayment())).toBe('The invoice is cancelled');
    expect(whyNotInvoice(sent({ ...INPUT, grossTotal: 0 }), openPayment())).toBe('The invoice is already paid');
    expect(whyNotInvoice(sent(), openPayment())).toBeUndefined();
  });

  it('refuses what a draft cannot take, with reasons', () => {
    expect(whyNotInvoice(start(), { type: 'REMIND', at: T0, actor: seller })).toBe('The invoice has not been sent yet');
    expect(whyNotInvoice(sent(), send())).toBe('The invoice has already been sent');
  });
});
