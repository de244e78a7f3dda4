/**
 * The story of a service request (seed 004): received in the inbox, taken in hand, priced by a
 * proposal the customer accepts or declines from its link (or at the price it came with), then
 * confirmed (the card charged once when billing says so; a subscription started when it has a plan) or declined. The rules
 * live in machines/request.ts; the story around them (recording, notifications, decisions,
 * continue-as-new) is the one every document shares (document-story.ts).
 */
import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GreenlightActivities } from '../activities/types';
import type { RequestActivities } from '../activities/requests/types';
import type { SubscriptionActivities } from '../activities/subscriptions/types';
import { runDocumentStory } from './document-story';
import { decision, decisionEvent, fact, patiently } from './story';
import { confirmationActions } from './customer-emails';
import {
  chargeUnsettled,
  isRequestClosed,
  requestMachine,
  requestStatus,
  requestView,
  whyNotRequest,
  type RequestChargeOutcome,
  type RequestEvent,
  type RequestView,
} from './machines/request';
import { requestCustomerWroteSignal, requestStateQuery, requestUpdates, type RequestWorkflowInput } from './messages/request';
import { startNewSubscription } from './subscribe';
import type { RequestStatus } from '../domain/requests';
import { patched } from './patches';

const { sendDocumentEmail, syncServiceRequest, chargeConfirmedRequest, recordSubscriptionStarted } = proxyActivities<
  GreenlightActivities & RequestActivities & SubscriptionActivities
>({
  startToCloseTimeout: '1 minute',
  retry: patiently,
});

/** What an open service request waits for, as operators read it. */
const WAITS_FOR: Record<RequestStatus | 'draft', string | undefined> = {
  draft: 'the request to be received',
  pending: 'the seller to take it in hand',
  in_progress: 'the seller to send a proposal, confirm or decline',
  awaiting_response: "the customer's answer to the proposal",
  proposal_accepted: 'the seller to confirm',
  proposal_declined: 'the seller: a new proposal, or decline',
  confirmed: undefined,
  declined: undefined,
};

export async function requestWorkflow(input: RequestWorkflowInput): Promise<RequestView> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  const seller = <TType extends RequestEvent['type']>(type: TType) =>
    (move: object) => ({ type, at: Date.now(), ...move }) as Extract<RequestEvent, { type: TType }>;

  /**
   * Whether charge outcomes come back to the machine (patch request-charge-retry): then a
   * confirmed request stays open while its charge is in flight or declined, for the seller's
   * retry. A run resumed from one already did; histories from before closed on confirm.
   */
  let settlesCharges = input.resume !== undefined;

  const closed = await runDocumentStory(input, {
    kind: 'request',
    machine: requestMachine,
    machineInput: () => ({
      now: Date.now(),
      priceOnQuote: input.priceOnQuote,
      ...(input.price !== undefined ? { price: input.price } : {}),
      billing: input.billing,
      currency: input.currency,
      hasPlan: input.plan !== undefined,
    }),
    status: requestStatus,
    isClosed: (snapshot) => isRequestClosed(snapshot) && !(settlesCharges && chargeUnsettled(snapshot)),
    whyNot: whyNotRequest,
    view: requestView,
    stateQuery: requestStateQuery,
    decisions: [
      decision(requestUpdates.start, seller('START')),
      decision(requestUpdates.sellerWrote, seller('SELLER_WROTE')),
      decision(requestUpdates.sendProposal, seller('SEND_PROPOSAL')),
      decision(requestUpdates.withdrawProposal, seller('WITHDRAW_PROPOSAL')),
      decision(requestUpdates.confirm, seller('CONFIRM')),
      decision(requestUpdates.decline, seller('DECLINE')),
      decision(requestUpdates.changeBilling, seller('CHANGE_BILLING')),
      decision(requestUpdates.retryCharge, seller('RETRY_CHARGE')),
      decision(requestUpdates.accept, (decided): RequestEvent => decisionEvent('ACCEPT', decided)),
      decision(requestUpdates.refuse, (decided): RequestEvent => decisionEvent('REFUSE', decided)),
    ],
    facts: [fact(requestCustomerWroteSignal, (): RequestEvent => ({ type: 'CUSTOMER_WROTE', at: Date.now() }))],
    actions: (tools) => ({
      ...confirmationActions({ tenantId, documentId, emailsCustomer: true }, tools),
      syncRequest: async ({ snapshot }) => {
        const { box, billing, proposals, outcome, unread, handledWithoutProposal, declineReason } = requestView(snapshot);
        await syncServiceRequest.executeWithOptions({ summary: `update the request in the ${box}` }, [
          { tenantId, documentId, box, billing, proposals, outcome, unread, handledWithoutProposal, declineReason },
        ]);
      },
      sendProposalEmail: async ({ params }) => {
        await sendDocumentEmail.executeWithOptions({ summary: `email proposal ${params.seq} to the customer` }, [
          { tenantId, documentId, template: 'request_proposal', attachPdf: false, idempotencyKey: `${workflowId}#proposal#${params.seq}` },
        ]);
      },
      // Behind the confirm's (or retry's) answer: a slow provider never holds the seller's click,
      // and the outcome (paid, or declined: confirmed-unpaid) is the activity's to record; the
      // machine hears it too, so a declined charge can be retried, one attempt at a time.
      chargeConfirmedRequest: async ({ params }) => {
        const settles = patched('request-charge-retry');
        settlesCharges ||= settles;
        const outcome = (succeeded: boolean) => {
          const settled: RequestChargeOutcome = { type: succeeded ? 'CHARGE_SUCCEEDED' : 'CHARGE_FAILED', attempt: params.attempt, at: Date.now() };
          return tools.tell(settled);
        };
        tools.behindTheAnswer(async () => {
          try {
            const charged = await chargeConfirmedRequest.executeWithOptions({ summary: `charge the confirmed request, attempt ${params.attempt}` }, [{ tenantId, documentId, ...params }]);
            if (settles) await outcome(charged.status === 'succeeded');
          } catch (error) {
            // Failed for good (retries are unlimited): the seller may try again rather than the run waiting forever.
            if (settles && error instanceof ActivityFailure) await outcome(false);
            throw error;
          }
        }, { charge: params.attempt });
      },
      startSubscription: async ({ snapshot }) => {
        const { plan } = input;
        if (!plan) return;
        // Billed as the request is at its confirm: the saved card, or an invoice each period.
        const { billing } = snapshot.context;
        tools.behindTheAnswer(async () => {
          const subscriptionId = await startNewSubscription({ tenantId, requestId: documentId, customerId: input.customerId, plan, billing });
          await recordSubscriptionStarted.executeWithOptions({ summary: 'record the subscription it started' }, [{ tenantId, documentId, subscriptionId }]);
        }, { subscription: 'start' });
      },
    }),
    operator: {
      waitingFor: (snapshot) => WAITS_FOR[requestStatus(snapshot)],
      // A service request arms no timer of its own.
      timer: (name) => name,
    },
  });
  return requestView(closed);
}
