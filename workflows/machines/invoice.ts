/**
 * The life of an invoice (seed 002: "faites-vous payer en ligne"), as a pure XState v5
 * machine interpreted by its workflow like every document's (DESIGN.md §3):
 *
 *   draft ──SEND──▶ sent ──VIEWED──▶ viewed
 *   sent | viewed | partially_paid | overdue ── PAYMENT_RECEIVED ──▶ paid (all of it)
 *                                                                 └▶ partially_paid (part; overdue stays overdue)
 *   sent | viewed | partially_paid ── dueDate ──▶ overdue
 *   draft | sent | viewed | partially_paid | overdue ── CANCEL ──▶ cancelled
 *   unpaid ── reminderAfter (at most maxReminders), REMIND ──▶ the same status, reminder emailed
 *
 * Decisions taken here, where the product pages leave room:
 * - A payment is a fact the provider reports (a verified webhook, or the customer's return from
 *   the payment page): it is counted once per provider payment id, however often it is told,
 *   so a replayed or late webhook changes nothing. Payments add up; the invoice is paid when
 *   they cover its total.
 * - Reminders run as for quotes: `reminderAfterMs` after the last email, at most
 *   `maxReminders`, while anything is left to pay — overdue invoices included (those are the
 *   ones worth reminding). The seller may remind by hand in any unpaid status.
 * - Overdue is a status, not an end: the customer can still pay.
 * - Cancelling closes the open payment pages (`closeHostedPayments`) so a cancelled invoice
 *   cannot be paid afterwards.
 * - The customer asks to pay online (OPEN_PAYMENT, from the portal) while something is left to
 *   pay and the tenant offers it: `openHostedPayment` hands out a page for what the machine
 *   counts as due (the open one again, or a new one), answered as PAYMENT_PAGE_OPENED, kept as
 *   `paymentPage` until a payment is counted. When the last page turns out paid before its
 *   webhook came, the answer is that payment (PAYMENT_RECEIVED), counted like any other, and no
 *   page is handed out.
 * - The seller records a payment received off line (transfer, cheque, cash: a decision whose event
 *   is PAYMENT_RECEIVED): counted as any payment, but never more than what is left to pay — money taken by
 *   a provider is counted as it came, a figure typed by hand that exceeds the rest is a mistake.
 * - Payments received before it was sent (a quote's deposit, carried into the invoice made from
 *   it: `received`) count from the start: what is due is the rest.
 * - A failed card payment is recorded (`payment_failed`, with the provider's reason) and
 *   changes no status: the customer may try again.
 *
 * Final statuses are not XState final states: a view of a paid invoice is still recorded.
 */
import { assign, setup, type SnapshotFrom } from 'xstate';
import type { AuditEventType } from '../../domain/documents';
import { plainMoney } from '../../domain/summaries';
import { amountLeftToPay, FINAL_INVOICE_STATUSES, PAYABLE_INVOICE_STATUSES, type InvoiceStatus, type PaymentPage, type ReceivedPayment } from '../../domain/invoice';
import { activity, neverTaken, statusReaders, type ConfirmParams, type FactEvent, type NotifyParams, type RecordParams, type ReminderParams, type Timed } from './actions';

export interface InvoiceMachineInput {
  now: number;
  /** Epoch ms; absent: never overdue. */
  dueDate?: number;
  /** Minor units: what the customer owes in all. */
  grossTotal: number;
  currency: string;
  reminderAfterMs: number;
  maxReminders: number;
  /** Paid before it was sent (a quote's deposit carried over); absent: nothing. */
  received?: ReceivedBefore;
}

/** Payments an invoice had before its workflow started: their total and ids (the read model's rows). */
export interface ReceivedBefore {
  total: number;
  paymentIds: string[];
}

export interface InvoiceContext extends InvoiceMachineInput {
  remindersSent: number;
  lastEmailedAt?: number;
  /** Sum of the payments counted, minor units. */
  paidTotal: number;
  /** Provider payment ids already counted: a payment reported again is recognised. */
  paymentIds: string[];
  /** Provider events of failed payments already recorded. */
  failureEventIds: string[];
  /** The payment page last handed out, until a payment is counted. */
  paymentPage?: PaymentPage | undefined;
}

/** The seller's moves. */
export interface InvoiceDecisionEvent extends Timed {
  type: 'REMIND' | 'CANCEL';
  reason?: string;
}

/** The provider took money for this invoice. */
export interface PaymentReceivedEvent extends Timed {
  type: 'PAYMENT_RECEIVED';
  payment: ReceivedPayment;
}

/** The customer asks for the payment page (the portal's "Pay online"). */
export interface OpenPaymentEvent extends Timed {
  type: 'OPEN_PAYMENT';
  /** The tenant offers online payment (its settings when the customer asked). */
  payOnline: boolean;
  /** The customer's link (absolute URL), where the provider sends them back. */
  linkUrl: string;
  customerEmail?: string;
}

/** What openHostedPayment answered: the page the customer is sent to. */
export interface PaymentPageOpenedEvent extends Timed {
  type: 'PAYMENT_PAGE_OPENED';
  page: PaymentPage;
}

/** The provider refused a card for this invoice (declined, authentication failed). */
export interface PaymentFailedEvent extends Timed {
  type: 'PAYMENT_FAILED';
  paymentId: string;
  eventId: string;
  failureCode?: string;
  failureMessage?: string;
}

export type InvoiceEvent =
  | ({ type: 'SEND' } & Timed)
  | FactEvent
  | InvoiceDecisionEvent
  | OpenPaymentEvent
  | PaymentPageOpenedEvent
  | PaymentReceivedEvent
  | PaymentFailedEvent;

/** Parameters of the recordPayment activity: the payment and the receipt's number in the invoice's series. */
export interface RecordPaymentParams {
  payment: ReceivedPayment;
  receiptSeq: number;
  paidTotal: number;
}

/** Parameters of the openHostedPayment activity: the amount the page asks, and the customer's way back. */
export interface OpenPaymentParams {
  amountDue: number;
  linkUrl: string;
  customerEmail?: string;
}

const NEVER = Number.POSITIVE_INFINITY;

/** An amount typed by the seller stays within what is left; a provider's is counted as it came. */
const withinWhatIsLeft = (context: InvoiceContext, payment: ReceivedPayment): boolean => payment.provider !== 'offline' || payment.amount <= amountLeftToPay(context);

const isNewPayment = (context: InvoiceContext, event: InvoiceEvent): event is PaymentReceivedEvent =>
  event.type === 'PAYMENT_RECEIVED' && event.payment.amount > 0 && !context.paymentIds.includes(event.payment.paymentId) && withinWhatIsLeft(context, event.payment);

/** Read from `context` before the payment is added: does it cover what is left? */
const coversTheRest = (context: InvoiceContext, event: InvoiceEvent): boolean =>
  isNewPayment(context, event) && context.paidTotal + event.payment.amount >= context.grossTotal;

/** What the invoice workflow answers. */
export interface InvoiceView {
  status: InvoiceStatus;
  remindersSent: number;
  nextReminderAt?: number;
  /** Minor units counted so far, and what is left. */
  paidTotal: number;
  amountDue: number;
  dueDate?: number;
}

export const invoiceMachine = setup({
  types: {
    context: {} as InvoiceContext,
    events: {} as InvoiceEvent,
    input: {} as InvoiceMachineInput,
  },
  guards: {
    remindersLeft: ({ context }) => context.remindersSent < context.maxReminders,
    paysInFull: ({ context, event }) => coversTheRest(context, event),
    paysInPart: ({ context, event }) => isNewPayment(context, event),
    newFailure: ({ context, event }) => event.type === 'PAYMENT_FAILED' && !context.failureEventIds.includes(event.eventId),
    payableOnline: ({ context, event }) => event.type === 'OPEN_PAYMENT' && event.payOnline && amountLeftToPay(context) > 0,
  },
  actions: {
    keepTime: assign({ now: ({ context, event }) => (typeof event.at === 'number' ? event.at : context.now) }),
    restartReminderClock: assign({ lastEmailedAt: ({ context }) => context.now }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    countPayment: assign(({ context, event }) =>
      event.type === 'PAYMENT_RECEIVED'
        ? { paidTotal: context.paidTotal + event.payment.amount, paymentIds: [...context.paymentIds, event.payment.paymentId], paymentPage: undefined }
        : {},
    ),
    keepPaymentPage: assign(({ event }) => (event.type === 'PAYMENT_PAGE_OPENED' ? { paymentPage: event.page } : {})),
    countFailure: assign(({ context, event }) => (event.type === 'PAYMENT_FAILED' ? { failureEventIds: [...context.failureEventIds, event.eventId] } : {})),
    recordTransition: activity<RecordParams>(),
    sendFirstEmail: activity<undefined>(),
    sendReminderEmail: activity<ReminderParams>(),
    notifyAssignee: activity<NotifyParams>(),
    confirmToCustomer: activity<ConfirmParams>(),
    recordPayment: activity<RecordPaymentParams>(),
    closeHostedPayments: activity<undefined>(),
    openHostedPayment: activity<OpenPaymentParams>(),
  },
  delays: {
    reminderDelay: ({ context }) =>
      context.remindersSent < context.maxReminders && context.reminderAfterMs > 0
        ? Math.max(0, (context.lastEmailedAt ?? context.now) + context.reminderAfterMs - context.now)
        : NEVER,
    untilDue: ({ context }) => (context.dueDate === undefined ? NEVER : Math.max(0, context.dueDate - context.now)),
  },
}).createMachine(
  (() => {
    const record = (type: AuditEventType) => ({ type: 'recordTransition', params: { type } }) as const;
    const remind = (automatic: boolean) =>
      [
        'keepTime',
        'countReminder',
        'restartReminderClock',
        { type: 'sendReminderEmail', params: ({ context }: { context: InvoiceContext }) => ({ reminder: context.remindersSent, automatic }) },
        {
          type: 'recordTransition',
          params: ({ context }: { context: InvoiceContext }) => ({ type: 'reminded' as const, data: { reminder: context.remindersSent, automatic } }),
        },
      ] as const;
    /** The payment counted, its row and receipt kept, then recorded, told to the assignee, and confirmed to the customer with its receipt. */
    const takePayment = [
      'keepTime',
      'countPayment',
      {
        type: 'recordPayment',
        params: ({ context, event }: { context: InvoiceContext; event: InvoiceEvent }) => ({
          payment: (event as PaymentReceivedEvent).payment,
          receiptSeq: context.paymentIds.length,
          paidTotal: context.paidTotal,
        }),
      },
      {
        type: 'recordTransition',
        params: ({ context, event }: { context: InvoiceContext; event: InvoiceEvent }) => {
          const { payment } = event as PaymentReceivedEvent;
          return {
            type: 'paid' as const,
            data: {
              paymentId: payment.paymentId,
              amount: payment.amount,
              currency: payment.currency,
              provider: payment.provider,
              ...(payment.method ? { method: payment.method } : {}),
              ...(payment.reference ? { reference: payment.reference } : {}),
              paidTotal: context.paidTotal,
              partial: context.paidTotal < context.grossTotal,
            },
          };
        },
      },
      { type: 'notifyAssignee', params: { event: 'paid', what: 'paid' } },
      {
        type: 'confirmToCustomer',
        params: ({ event }: { event: InvoiceEvent }): ConfirmParams => ({ confirmation: 'paid', paymentId: (event as PaymentReceivedEvent).payment.paymentId }),
      },
    ] as const;
    const paymentFailed = {
      guard: 'newFailure',
      actions: [
        'keepTime',
        'countFailure',
        {
          type: 'recordTransition',
          params: ({ event }: { event: InvoiceEvent }) => {
            const failed = event as PaymentFailedEvent;
            return {
              type: 'payment_failed' as const,
              data: { paymentId: failed.paymentId, ...(failed.failureCode ? { failureCode: failed.failureCode } : {}), ...(failed.failureMessage ? { failureMessage: failed.failureMessage } : {}) },
            };
          },
        },
        { type: 'notifyAssignee', params: { event: 'payment_failed', what: 'payment_failed', patch: 'notify-invoice-payment-failed' } },
      ],
    } as const;
    /** No transition: the page is asked for, handed out, and kept to be answered. */
    const openPayment = {
      guard: 'payableOnline',
      actions: [
        'keepTime',
        {
          type: 'openHostedPayment',
          params: ({ context, event }: { context: InvoiceContext; event: InvoiceEvent }) => {
            const { linkUrl, customerEmail } = event as OpenPaymentEvent;
            return { amountDue: amountLeftToPay(context), linkUrl, ...(customerEmail ? { customerEmail } : {}) };
          },
        },
      ],
    } as const;
    const cancel = { target: 'cancelled', actions: ['keepTime', 'closeHostedPayments', record('cancelled')] } as const;
    const overdue = { target: 'overdue', actions: ['keepTime', record('overdue')] } as const;
    /** Anything left to pay: reminders run, payments count, the seller may remind or cancel. */
    const unpaid = <TOwn extends object>(self: 'sent' | 'viewed' | 'partially_paid' | 'overdue', partTarget: 'partially_paid' | 'overdue', own: TOwn) =>
      ({
        after: {
          reminderDelay: { guard: 'remindersLeft', target: self, reenter: true, actions: remind(true) },
          ...(self === 'overdue' ? {} : { untilDue: overdue }),
        },
        on: {
          PAYMENT_RECEIVED: [
            { guard: 'paysInFull', target: 'paid', actions: takePayment },
            { guard: 'paysInPart', target: partTarget, actions: takePayment },
          ],
          PAYMENT_FAILED: paymentFailed,
          OPEN_PAYMENT: openPayment,
          PAYMENT_PAGE_OPENED: { actions: ['keepTime', 'keepPaymentPage'] },
          REMIND: { target: self, reenter: true, actions: remind(false) },
          CANCEL: cancel,
          ...own,
        },
      }) as const;

    return {
      id: 'invoice',
      // A deposit carried over is received already: what is due is the rest, and the next receipt follows its own.
      context: ({ input }: { input: InvoiceMachineInput }) => ({
        ...input,
        remindersSent: 0,
        paidTotal: input.received?.total ?? 0,
        paymentIds: input.received?.paymentIds ?? [],
        failureEventIds: [],
      }),
      initial: 'draft',
      on: {
        VIEWED: { actions: ['keepTime', record('viewed'), { type: 'notifyAssignee', params: { event: 'viewed', what: 'viewed' } }] },
        DOWNLOADED: { actions: ['keepTime', record('downloaded'), { type: 'notifyAssignee', params: { event: 'downloaded', what: 'downloaded' } }] },
      },
      states: {
        draft: {
          on: {
            SEND: { target: 'sent', actions: ['keepTime', 'restartReminderClock', 'sendFirstEmail', record('sent')] },
            CANCEL: cancel,
          },
        },
        sent: unpaid('sent', 'partially_paid', {
          VIEWED: { target: 'viewed', actions: ['keepTime', record('viewed'), { type: 'notifyAssignee', params: { event: 'viewed', what: 'viewed' } }] },
        } as const),
        viewed: unpaid('viewed', 'partially_paid', {}),
        partially_paid: unpaid('partially_paid', 'partially_paid', {}),
        overdue: unpaid('overdue', 'overdue', {}),
        paid: {},
        cancelled: {},
      },
    };
  })(),
);

export type InvoiceSnapshot = SnapshotFrom<typeof invoiceMachine>;

export const { status: invoiceStatus, isClosed: isInvoiceClosed } = statusReaders<InvoiceStatus, InvoiceSnapshot>(FINAL_INVOICE_STATUSES);

/** Why no decision can be taken on an invoice in a final status (also once its workflow has closed). */
export function closedInvoiceReason(status: InvoiceStatus): string {
  return status === 'cancelled' ? 'The invoice is cancelled' : 'The invoice is already paid';
}

/** Why an invoice refuses events of `type` in every status; undefined when some status takes them. */
export function whyInvoiceNeverTakes(type: string): string | undefined {
  return neverTaken(invoiceMachine, type, (decision) => `An invoice is paid, not answered; it takes no ${decision}`);
}

/** Why the machine would refuse `event` now, in words a seller can read; undefined when allowed. */
export function whyNotInvoice(snapshot: InvoiceSnapshot, event: InvoiceEvent): string | undefined {
  if (snapshot.can(event)) return undefined;
  const status = invoiceStatus(snapshot);
  if (isInvoiceClosed(snapshot)) return closedInvoiceReason(status);
  if (status === 'draft') return 'The invoice has not been sent yet';
  if (event.type === 'OPEN_PAYMENT') return event.payOnline ? closedInvoiceReason('paid') : 'Online payment is not offered for this invoice';
  if (event.type === 'SEND') return 'The invoice has already been sent';
  if (event.type === 'PAYMENT_RECEIVED' && !withinWhatIsLeft(snapshot.context, event.payment)) {
    const { currency } = snapshot.context;
    return `The payment (${plainMoney(event.payment.amount, currency)}) is more than what is left to pay (${plainMoney(amountLeftToPay(snapshot.context), currency)})`;
  }
  return `An invoice that is ${status.replace('_', ' ')} cannot take ${event.type.toLowerCase()}`;
}

export function isInvoicePayable(status: string): boolean {
  return (PAYABLE_INVOICE_STATUSES as readonly string[]).includes(status);
}

/** Why OPEN_PAYMENT handed out no page: the last one was paid meanwhile, and that payment is now counted. */
export const JUST_PAID_REASON = 'This invoice has just been paid; the receipt is on its way';

/** The page OPEN_PAYMENT handed out; undefined when it found a payment instead (JUST_PAID_REASON). */
export function paymentPageOf(snapshot: InvoiceSnapshot): PaymentPage | undefined {
  return isInvoicePayable(invoiceStatus(snapshot)) ? snapshot.context.paymentPage : undefined;
}

/** The next automatic reminder, while something is left to pay. */
function nextReminderAt(snapshot: InvoiceSnapshot): number | undefined {
  const { context } = snapshot;
  if (!isInvoicePayable(invoiceStatus(snapshot))) return undefined;
  if (context.remindersSent >= context.maxReminders || context.reminderAfterMs <= 0) return undefined;
  return (context.lastEmailedAt ?? context.now) + context.reminderAfterMs;
}

export function invoiceView(snapshot: InvoiceSnapshot): InvoiceView {
  const next = nextReminderAt(snapshot);
  const { context } = snapshot;
  return {
    status: invoiceStatus(snapshot),
    remindersSent: context.remindersSent,
    ...(next !== undefined ? { nextReminderAt: next } : {}),
    paidTotal: context.paidTotal,
    amountDue: amountLeftToPay(context),
    ...(context.dueDate !== undefined ? { dueDate: context.dueDate } : {}),
  };
}
