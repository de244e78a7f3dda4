/**
 * The story of one quote, from the moment the seller sends it to the customer's answer (or
 * its expiry). The rules live in the quote machine (machines/quote.ts); this workflow gives
 * them durable time and real side effects, as DESIGN.md §3 describes.
 */
import { ActivityFailure, condition, log, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { GreenlightActivities, PaymentActivities } from '../activities/types';
import type { SignatureActivities } from '../activities/signature/types';
import type { DecisionInput } from './messages/document';
import type { QuoteStatus } from '../domain/documents';
import type { PaymentPage } from '../domain/invoice';
import { plainMoney } from '../domain/summaries';
import { quoteStateQuery, quoteUpdates, type QuoteView, type QuoteWorkflowInput } from './messages/quote';
import { paymentFailedSignal, paymentReceivedSignal } from './messages/invoice';
import { answerEvent, runDocumentStory } from './document-story';
import { answeredDecision, decision, decisionEvent, fact, patiently, refuseDecision } from './story';
import { confirmationActions, customerEmailActions, emailRecipient, messageCustomer, reminderOf } from './customer-emails';
import { inviteDeciders, remindDeciders, tellRoundDecision } from './decider-invitations';
import { signatureWithdrawal, signerReminder, signingCancelReason, startSignatureChild } from './signature';
import {
  awaitsDeposit,
  currentVersion,
  isClosed,
  quoteMachine,
  quoteStatus,
  quoteView,
  whyNot,
  type DecisionEvent,
  type DepositFailedEvent,
  type DepositPaidEvent,
  type PayDepositEvent,
  type QuoteEvent,
  type QuoteSnapshot,
  type ReviseEvent,
  type SignEvent,
} from './machines/quote';
import { patched } from './patches';

const { recordSignature, applyRevision, cancelPortalSigning } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/** The deposit's page, as an invoice's: a customer waits on it, so a provider that does not answer soon is said so. */
const { openHostedPayment } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { ...patiently, maximumAttempts: 3 },
});
/** The deposit kept with its receipt (rendering may take a while); its pages closed when the quote is over. */
const { recordPayment, closeHostedPayments } = proxyActivities<PaymentActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});
/** Why no page is handed out when the deposit's last page turns out paid: that payment is being counted. */
const DEPOSIT_JUST_PAID = 'The deposit has just been paid; the quote is being updated';
const DEPOSIT_PAGE_FAILED = 'The payment page could not be opened; please try again in a moment';

/** A signing prepared at send, dropped when the quote closes before its approvers agreed. */
const { dropUnstartedSignature } = proxyActivities<SignatureActivities>({ startToCloseTimeout: '30 seconds', retry: patiently });

/** Converting on acceptance: idempotent, as a chain holds one order. */
const { convertDocument } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});

const decisionUpdates: [UpdateDefinition<QuoteView, [DecisionInput]>, DecisionEvent['type']][] = [
  [quoteUpdates.accept, 'ACCEPT'],
  [quoteUpdates.refuse, 'REFUSE'],
  [quoteUpdates.hold, 'HOLD'],
  [quoteUpdates.remind, 'REMIND'],
  [quoteUpdates.cancel, 'CANCEL'],
  [quoteUpdates.cancelSigning, 'CANCEL_SIGNING'],
  [quoteUpdates.withdraw, 'WITHDRAW'],
  [quoteUpdates.moveOn, 'MOVE_ON'],
];

/** What an open quote waits for, as operators read it. */
const QUOTE_WAITS_FOR: Partial<Record<QuoteStatus, string>> = {
  draft: 'the seller to send it',
  sent: "the customer's answer: accept, refuse or put on hold",
  viewed: "the customer's answer: accept, refuse or put on hold",
  on_hold: "the customer's answer after putting it on hold",
  accepted: 'the seller to convert it (the customer may withdraw the acceptance until then)',
};
const AWAITS_DEPOSIT = 'the deposit (accepted, the deposit due), or the seller to convert it';

/** What each of the quote's timers is for, as operators read it. */
const QUOTE_TIMERS: Record<string, ((context: QuoteSnapshot['context']) => string) | undefined> = {
  reminderDelay: (context) => reminderOf(context.remindersSent + 1, context.maxReminders),
  untilExpiry: () => 'validity ends',
  untilWithdrawalCloses: () => 'the withdrawal window ends',
};

function quoteWaitsFor(snapshot: QuoteSnapshot, signedExternally: boolean): string | undefined {
  const status = quoteStatus(snapshot);
  // The seller cancelled its portal signing: the customer's links only show it now.
  if (snapshot.context.signingCancelled && !isClosed(snapshot)) return "the seller to record the customer's answer, or convert it by hand (its portal signing was cancelled)";
  if (awaitsDeposit(snapshot)) return AWAITS_DEPOSIT;
  if (status === 'accepted' && !snapshot.context.withdrawable) return undefined;
  if (status !== 'sent' && status !== 'viewed') return QUOTE_WAITS_FOR[status];
  // Approvers on the portal before the signers at the provider: theirs first.
  if (signedExternally && snapshot.context.deciders && !snapshot.context.deciders.outcome) return "the approvers' votes on the portal, then the signers at the provider";
  if (signedExternally) return "the customer's signature at the provider (signature workflow)";
  return snapshot.context.requireSignature ? "the customer's signature on the portal, or a refusal" : QUOTE_WAITS_FOR[status];
}

export async function quoteWorkflow(input: QuoteWorkflowInput): Promise<QuoteView> {
  // A customer's decision answers once the machine took it; its writes, emails and webhooks
  // follow in order (story.ts). Patched: a run started before records each decision first.
  const actionsRunBehind = patched('actions-run-behind');
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  // A quote that must be signed is sent and reminded in words that ask for the signature. Only
  // the activities' input changes (replay compares commands, not their arguments): no patch.
  const firstSendTemplate = input.requireSignature ? 'signature_request' : 'first_send';
  const reminderTemplate = input.requireSignature ? 'signature_reminder' : 'reminder';
  // Signed through an external provider: its child workflow runs the signing, and the provider
  // emails (or texts) the customer, so no email of ours goes out. Patched: a new command.
  // With deciders before its signers, the signing starts only once they agreed (the machine's
  // startSigningAtProvider): a shape the API refused before, so no history has it.
  const external = input.signature && !input.resume && patched('external-signature') ? input.signature : undefined;
  const startSigning = (signature: NonNullable<QuoteWorkflowInput['signature']>) =>
    startSignatureChild({ kind: 'quote', tenantId, documentId, customerId: input.customerId, number: input.number, customerName: input.customerName, signature });
  if (external && !input.deciders) await startSigning(external);
  const emailsCustomer = !input.signature;
  const recipient = emailRecipient(input);
  // Whom the customer's emails go to. A revision naming a new contact sends to the document's
  // contact from then on (the activity reads it), whoever the first send named: the input's own
  // instructions change, so a run continued as new carries them. Only the activities' input
  // changes, from the revision in the history: no patch.
  const { send } = input;
  // A portal acceptance may be withdrawn for a while: the run stays open until the seller moves
  // the quote on or the window ends. Patched: an accepted quote closed at once before.
  const withdrawal = input.withdrawal && !input.resume && patched('withdrawal') ? input.withdrawal : undefined;
  // A refused or expired quote taken up again: this run opens with its new version. Patched: a new opening.
  const reopen = input.reopen && !input.resume && patched('reopen') ? input.reopen : undefined;
  // Several deciders, invited in steps instead of the customer's email. Patched: a new opening.
  const deciders = input.deciders && !input.resume && patched('deciders') ? input.deciders : undefined;

  const customerEmails = customerEmailActions({
    tenantId,
    documentId,
    send,
    emailsCustomer,
    templates: { firstSend: firstSendTemplate, reminder: reminderTemplate },
    what: { document: 'the quote', recipient, maxReminders: input.maxReminders },
    remindElsewhere: signerReminder({ tenantId, documentId, signedExternally: input.signature !== undefined }),
    // A reopened quote's reminders are its new version's: keyed apart from the earlier run's.
    ...(input.reopen ? { reminderRound: `version#${input.reopen.version + 1}` } : {}),
  });
  // A deposit asked with the yes: new events and activities. Patched, and only for a quote that asks one.
  const deposit = input.deposit && !input.resume && patched('deposit') ? input.deposit : undefined;
  /** The answer to each ask for the deposit's page (the machine counts the asks): the page, or why there is none. */
  const depositPages = new Map<number, PaymentPage | { refused: string }>();

  const closed = await runDocumentStory(input, {
    kind: 'quote',
    machine: quoteMachine,
    actionsRunBehind,
    machineInput: () => ({
      now: Date.now(),
      validUntil: input.validUntil,
      reminderAfterMs: input.reminderAfterMs,
      maxReminders: input.maxReminders,
      requireSignature: input.requireSignature,
      ...(withdrawal ? { withdrawal } : {}),
      ...(reopen ? { version: reopen.version } : {}),
      ...(deciders ? { deciders, ...(input.signature ? { signersAtProvider: true } : {}) } : {}),
      ...(deposit ? { deposit } : {}),
    }),
    ...(reopen ? { opening: (): ReviseEvent => ({ type: 'REOPEN', at: Date.now(), actor: input.sentBy, changes: input.validUntil === undefined ? {} : { validUntil: input.validUntil } }) } : {}),
    status: quoteStatus,
    isClosed,
    whyNot,
    view: quoteView,
    stateQuery: quoteStateQuery,
    // The customer decides (accept, sign, refuse, hold, withdraw) and the seller acts (remind, cancel, cancel the signing, revise, move on).
    decisions: [
      ...decisionUpdates.map(([update, type]) => decision(update, (decided): QuoteEvent => decisionEvent(type, decided))),
      // A reviewer's comment: a new update only, whose commands exist only where one is sent, so older histories replay as they were.
      decision(quoteUpdates.comment, (comment): QuoteEvent => decisionEvent('COMMENT', comment)),
      decision(quoteUpdates.sign, (signing): SignEvent => ({ type: 'SIGN', at: Date.now(), ...signing })),
      decision(quoteUpdates.revise, (revision): ReviseEvent => ({ type: 'REVISE', at: Date.now(), ...revision })),
      decision(quoteUpdates.recordAnswer, answerEvent),
      // Its page is opened behind the answer (the quote's actions run behind): the answer waits for it.
      answeredDecision(
        quoteUpdates.payDeposit,
        (asked): PayDepositEvent => ({ type: 'PAY_DEPOSIT', at: Date.now(), ...asked }),
        async (snapshot: QuoteSnapshot) => {
          const ask = snapshot.context.depositAsks ?? 0;
          await condition(() => depositPages.has(ask));
          const answer = depositPages.get(ask) as PaymentPage | { refused: string };
          return 'refused' in answer ? refuseDecision(answer.refused) : answer;
        },
      ),
    ],
    // The provider's reports, as the invoice's (api/operations/payments.ts routes them by the kind paid).
    facts: [
      fact(paymentReceivedSignal, (payment): DepositPaidEvent => ({ type: 'DEPOSIT_PAID', at: Date.now(), actor: { kind: 'system' }, payment })),
      fact(paymentFailedSignal, (failure): DepositFailedEvent => ({ type: 'DEPOSIT_FAILED', at: Date.now(), actor: { kind: 'system' }, ...failure })),
    ],
    actions: (tools) => {
      const confirmations = confirmationActions({ tenantId, documentId, emailsCustomer, send }, tools);
      const withdrawSignature = signatureWithdrawal({ tenantId, documentId, signedExternally: input.signature !== undefined }, tools);
      return {
        ...confirmations,
        // The round settled: each decider told its decision on their own link. Patched: a round
        // settled before told only the document's contact, and only of an acceptance.
        tellRoundDecision: async ({ params, snapshot }) => {
          // A rejection at the provider after the round was met (its outcome yes) told nobody before. Patched: a new command.
          if (params.outcome === 'declined' && snapshot.context.deciders?.outcome === 'yes' && !patched('provider-rejection-told')) return;
          if (patched('decider-outcomes')) return tellRoundDecision(snapshot.context.deciders, params, { tenantId, documentId, informContact: input.informContact === true }, tools);
          if (params.outcome !== 'declined') await confirmations.confirmToCustomer({ params: { confirmation: params.outcome } });
        },
        // The portal's steps met (in whichever run): the signers sign at the provider.
        startSigningAtProvider: async () => {
          if (input.signature) await startSigning(input.signature);
        },
        // Closed (cancelled, answered off line, or refused by the round) while its approvers still decide
        // on the portal: no signing was started, so none is withdrawn; the one prepared at send is dropped.
        // Patched: such a quote kept a draft signing before. One id for every closing: each ends the run,
        // so none was reached with the marker set before (a refusal recorded earlier replays without it).
        // The round's no withdraws nothing else: no signing is out before the round is met.
        withdrawSignature: async (call) => {
          const { deciders: round, signersAtProvider } = call.snapshot.context;
          if (signersAtProvider && round?.outcome !== 'yes' && patched('unstarted-signature-dropped')) {
            await dropUnstartedSignature.executeWithOptions({ summary: 'drop the signing never started at the provider' }, [{ tenantId, documentId }]);
            return;
          }
          if (call.event.type === 'REFUSE') return;
          await withdrawSignature(call);
        },
        ...customerEmails,
        // Several deciders: those still awaited are reminded, each on their own link; once they
        // agreed and the signers sign at the provider, the seller's reminder goes there. Patched:
        // such a reminder reached nobody before.
        sendReminderEmail: async (call) => {
          const round = call.snapshot.context.deciders;
          const signersAwaited = call.snapshot.context.signersAtProvider === true && round?.outcome === 'yes';
          if (!round || (signersAwaited && patched('provider-signers-reminded'))) return customerEmails.sendReminderEmail(call);
          await remindDeciders(round, call.params.reminder, { tenantId, documentId, template: reminderTemplate, attachPdf: false });
        },
        // Each step's deciders get the quote as the customer would, with the send's message.
        inviteDeciders: async ({ params, snapshot }) => {
          await inviteDeciders(snapshot.context.deciders, params, { tenantId, documentId, template: firstSendTemplate, ...(send.message ? { message: send.message } : {}), attachPdf: send.attachPdf });
        },
        recordSignature: async ({ params }) => {
          await recordSignature.executeWithOptions({ summary: `record the signature of version ${params.version}` }, [{ tenantId, documentId, ...params }]);
        },
        // Retried until done (as every write here): the machine already counts the signing cancelled.
        cancelPortalSigning: async ({ event }) => {
          const { reason } = signingCancelReason(event);
          await cancelPortalSigning.executeWithOptions({ summary: 'cancel the portal signing and record it' }, [
            { tenantId, documentId, workflowId, seq: tools.nextWriteSeq(), at: event.at, actor: event.actor, ...(reason ? { reason } : {}) },
          ]);
        },
        openDepositPayment: async ({ params }) => {
          const { ask, ...customer } = params;
          try {
            const opened = await openHostedPayment.executeWithOptions({ summary: 'open the payment page of the deposit' }, [{ tenantId, documentId, deposit: true, ...customer }]);
            if ('page' in opened) {
              depositPages.set(ask, opened.page);
              return;
            }
            // Paid before its webhook came: counted as any report of it, behind this action.
            depositPages.set(ask, { refused: DEPOSIT_JUST_PAID });
            tools.behindTheAnswer(() => tools.tell({ type: 'DEPOSIT_PAID', at: Date.now(), actor: { kind: 'system' }, payment: opened.paid } satisfies DepositPaidEvent), { deposit: 'paid' });
          } catch (error) {
            // The provider did not answer: the customer is told, and may ask again; the quote goes on.
            if (!(error instanceof ActivityFailure)) throw error;
            depositPages.set(ask, { refused: DEPOSIT_PAGE_FAILED });
          }
        },
        recordDeposit: async ({ params }) => {
          const { payment } = params;
          await recordPayment.executeWithOptions({ summary: `record the deposit of ${plainMoney(payment.amount, payment.currency)}` }, [
            { tenantId, documentId, payment, receiptSeq: 1, paidTotal: payment.amount },
          ]);
        },
        closeHostedPayments: async () => {
          await closeHostedPayments.executeWithOptions({ summary: "close the deposit's payment pages" }, [{ tenantId, documentId }]);
        },
        applyRevision: async ({ params }) => {
          await applyRevision.executeWithOptions({ summary: `write version ${params.version} of the quote` }, [{ tenantId, documentId, ...params }]);
          if (params.changes.contactId) delete send.to;
        },
        sendRevisionEmail: async ({ snapshot }) => {
          // The first-send template: for the customer, a new version is a new quote to read (or sign).
          const version = currentVersion(snapshot.context);
          await messageCustomer(send, `email version ${version} of the quote to ${recipient}`, { tenantId, documentId, template: firstSendTemplate, idempotencyKey: `${workflowId}#version#${version}` });
        },
      };
    },
    operator: {
      waitingFor: (snapshot) => quoteWaitsFor(snapshot, input.signature !== undefined),
      timer: (name, { context }) => QUOTE_TIMERS[name]?.(context) ?? name,
      facts: ({ context }) => [
        ['Reminders sent', context.maxReminders > 0 ? `${context.remindersSent} of ${context.maxReminders}` : undefined],
        ['Version', context.version && context.version > 1 ? String(context.version) : undefined],
      ],
    },
  });

  // The tenant asked for acceptance to make the order by itself (settings.autoConvertToOrder).
  // Patched: a quote accepted before this existed replays (a query of its closed run) without it.
  if (input.autoConvertToOrder && quoteStatus(closed) === 'accepted' && patched('auto-convert-to-order')) {
    await convertDocument.executeWithOptions({ summary: 'convert the accepted quote into an order' }, [{ tenantId, documentId, to: 'order', at: Date.now() }]).catch((error: unknown) => {
      // Only a non-retryable refusal gets here (the quote changed under us): the seller converts by hand.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('Automatic conversion to an order failed', { documentId, error: error.message });
    });
  }
  return quoteView(closed);
}
