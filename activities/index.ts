/**
 * The activities, built from their dependencies. Workers pass real ones (workers/main.ts);
 * tests pass real services or in-memory stand-ins, never module mocks.
 */
import { Context } from '@temporalio/activity';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../platform/config';
import { convertDocument } from '../services/db/chain';
import { recordTransition } from './db/record-transition';
import { recordFact } from './db/record-fact';
import { applyRevision } from '../services/db/revisions';
import { cancelPortalSigning, recordSignature } from './db/signatures';
import { failingClearly } from './failures';
import { beatingWhileRunning } from './heartbeat';
import type { ProofRenderDeps } from '../services/render/proof-pages';
import { reportRevisionReady } from './render/report-revision-ready';
import { markRenderFailed } from '../services/render/render-start';
import type { Mailer } from '../services/notify/mailer';
import { sendConfirmationEmail } from './notify/confirmation-email';
import { notifyAssignee } from './notify/notify-assignee';
import { notifyForwarder } from './notify/notify-forwarder';
import { sendRevisionToColleagues } from './notify/revision-to-colleagues';
import { sendDocumentEmail } from './notify/send-document-email';
import { sendDocumentSms } from './notify/send-document-sms';
import type { SmsSender } from '../services/notify/sms';
import type { FactActivities, GreenlightActivities, PaymentActivities, ProofActivities } from './types';
import { closeHostedPayments, recordPayment } from './payment/record-payment';
import { openHostedPayment } from './payment/open-payment';
import type { PaymentProvider } from '../services/payment/provider';
import { signatureActivities, type SignatureActivityDeps } from './signature/index';
import { requestActivities } from './requests/index';
import type { RequestActivities } from './requests/types';
import { subscriptionActivities } from './subscriptions/index';
import type { SubscriptionActivities } from './subscriptions/types';
import type { SignatureActivities } from './signature/types';
import { attemptWebhookDelivery } from './webhooks/attempt';
import { dispatchWebhookDeliveries, type WebhookDispatcher } from '../services/webhooks/dispatch';
import { mayHaveDeliveriesToStart } from '../services/db/audit';

export interface ActivityDeps {
  prisma: PrismaClient;
  mailer: Mailer;
  /** appSecret derives the tokens of emailed links (see createMessageAccessLink). */
  config: Pick<Config, 'publicUrl' | 'mailFrom' | 'appSecret' | 'webhooks'>;
  /** Proof rendering: where uploads and rendered pages live, and the rasterizer's bounds. Without it, proofs are not rendered here. */
  proofs?: ProofRenderDeps;
  /** Where SMS go (documents sent by SMS, the salespeople's SMS notices); without one, SMS preferences are not served and texts wait for a worker with one. */
  sms?: SmsSender;
  /** External signature (GetAccept): provider, file store, rate limit. Without it, signature activities refuse. */
  signatures?: SignatureActivityDeps;
  /** Online payments (Stripe, or its local stand-in). Without it, payments are recorded but payment pages can be neither opened nor closed (the activity retries until a worker with one takes it). */
  payments?: PaymentProvider;
}

/** Delivery workflows start from the activity, on the worker's own client and task queue. */
function workerDispatcher(deps: ActivityDeps): WebhookDispatcher {
  const context = Context.current();
  return { client: context.client, taskQueue: context.info.taskQueue, retryDelaysMs: deps.config.webhooks.retryDelaysMs };
}

/**
 * Starts the webhook deliveries of the events this activity recorded, right after the commit
 * (the workers' safety net only catches what a recorder could not start). Also when an event
 * was there already: this may be the retry of an attempt that died between its commit and this
 * dispatch, and it starts what is still pending.
 */
async function dispatchDeliveries(deps: ActivityDeps, auditEventIds: string[]): Promise<void> {
  for (const id of auditEventIds) await dispatchWebhookDeliveries(deps.prisma, () => workerDispatcher(deps), id);
}

/** Loaded with the first proof a worker renders: sharp (libvips) and its 8 MB stay out of a worker that renders none. */
const proofPages = () => import('../services/render/proof-pages.js');

function proofRenderDeps(deps: ActivityDeps): ProofRenderDeps & { prisma: PrismaClient } {
  if (!deps.proofs) throw new Error('This worker was built without proof rendering (ActivityDeps.proofs)');
  return { ...deps.proofs, prisma: deps.prisma };
}

export function createActivities(deps: ActivityDeps): GreenlightActivities & FactActivities & ProofActivities & SignatureActivities & PaymentActivities & SubscriptionActivities & RequestActivities {
  const dispatchWebhooks = (auditEventId: string) => dispatchDeliveries(deps, [auditEventId]);
  return {
    ...subscriptionActivities({ ...deps, dispatchWebhooks }),
    ...requestActivities({ ...deps, dispatchWebhooks }),
    ...signatureActivities(deps.prisma, deps.signatures),
    renderProofRevision: failingClearly(beatingWhileRunning(async (input) => (await proofPages()).renderProofRevision(proofRenderDeps(deps), input))),
    renderZoomPage: failingClearly(async (input) => (await proofPages()).renderZoomPage(proofRenderDeps(deps), input)),
    reportRevisionReady: failingClearly((input) => reportRevisionReady(Context.current().client, input)),
    markRenderFailed: failingClearly((input) => markRenderFailed(deps.prisma, input)),
    recordTransition: failingClearly(async (input) => {
      const recorded = await recordTransition(deps.prisma, input);
      if (mayHaveDeliveriesToStart(recorded)) await dispatchDeliveries(deps, [recorded.event.id]);
    }),
    cancelPortalSigning: failingClearly(async (input) => {
      const event = await cancelPortalSigning(deps.prisma, input);
      if (event) await dispatchDeliveries(deps, [event.id]);
    }),
    recordFact: failingClearly(async (input) => {
      const recorded = await recordFact(deps.prisma, input);
      if (mayHaveDeliveriesToStart(recorded)) await dispatchDeliveries(deps, [recorded.event.id]);
      return { eventId: recorded.event.id, created: recorded.created };
    }),
    // They beat while they run: their workflows notice a dead worker within the heartbeat timeout (workflows/customer-emails.ts).
    sendDocumentEmail: failingClearly(beatingWhileRunning((input) => sendDocumentEmail(deps, input))),
    sendDocumentSms: failingClearly(beatingWhileRunning((input) => sendDocumentSms(deps, input))),
    sendConfirmationEmail: failingClearly(beatingWhileRunning((input) => sendConfirmationEmail(deps, input))),
    notifyAssignee: failingClearly((input) => notifyAssignee(deps, input)),
    notifyForwarder: failingClearly((input) => notifyForwarder(deps, input)),
    sendRevisionToColleagues: failingClearly((input) => sendRevisionToColleagues(deps, input)),
    recordSignature: failingClearly(async (input) => {
      await recordSignature(deps.prisma, input);
    }),
    applyRevision: failingClearly((input) => applyRevision(deps.prisma, input)),
    attemptWebhookDelivery: failingClearly((input) =>
      attemptWebhookDelivery({ prisma: deps.prisma, timeoutMs: deps.config.webhooks.timeoutMs }, input),
    ),
    recordPayment: failingClearly((input) => recordPayment(deps.prisma, input)),
    closeHostedPayments: failingClearly((input) => closeHostedPayments({ prisma: deps.prisma, payments: deps.payments }, input)),
    openHostedPayment: failingClearly((input) => openHostedPayment({ prisma: deps.prisma, payments: deps.payments }, input)),
    convertDocument: failingClearly(async (input) => {
      const { document, created, eventIds } = await convertDocument(deps.prisma, {
        tenantId: input.tenantId,
        sourceId: input.documentId,
        to: input.to,
        actor: input.actor ?? 'system',
        at: new Date(input.at),
        ...(input.decisionId ? { decisionId: input.decisionId } : {}),
      });
      await dispatchDeliveries(deps, eventIds);
      return { documentId: document.id, number: document.number, created };
    }),
  };
}
