/**
 * The story of one quote, from the moment the seller sends it to the customer's answer (or
 * its expiry). The rules live in the quote machine (machines/quote.ts); this workflow gives
 * them durable time and real side effects, as DESIGN.md §3 describes.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  patched,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { GreenlightActivities } from '../activities/types';
import type { Actor } from '../domain/documents';
import {
  acceptUpdate,
  cancelUpdate,
  downloadedSignal,
  holdUpdate,
  refuseUpdate,
  remindUpdate,
  reviseUpdate,
  signUpdate,
  stateQuery,
  viewedSignal,
  DECISION_REJECTED,
  type DecisionInput,
  type QuoteView,
  type QuoteWorkflowInput,
  type ViewedSignal,
} from './api';
import { MachineRunner, type ActionCall, type ActionHandlers } from './machine-runner';
import {
  currentVersion,
  isClosed,
  quoteMachine,
  quoteStatus,
  quoteView,
  whyNot,
  type DecisionEvent,
  type NotifyParams,
  type QuoteEvent,
  type QuoteSnapshot,
  type RecordParams,
  type ReminderParams,
  type ReviseEvent,
  type SignEvent,
} from './machines/quote';
import { documentSearchAttributes } from './search-attributes';

type QuoteMachine = typeof quoteMachine;

/** Activities retry with backoff for as long as it takes: a database or mail outage delays a quote, never loses it. */
const patiently = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordTransition, notifyAssignee, recordSignature, applyRevision } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/** Rendering the PDF for the attachment may take a while on long quotes. */
/** Converting on acceptance: idempotent, as a chain holds one order. */
const { convertDocument } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

const decisionUpdates: [UpdateDefinition<QuoteView, [DecisionInput]>, DecisionEvent['type']][] = [
  [acceptUpdate, 'ACCEPT'],
  [refuseUpdate, 'REFUSE'],
  [holdUpdate, 'HOLD'],
  [remindUpdate, 'REMIND'],
  [cancelUpdate, 'CANCEL'],
];

export async function quoteWorkflow(input: QuoteWorkflowInput): Promise<QuoteView> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  /** Sequence of recorded transitions: with the workflow id, it makes each record idempotent. */
  let transitionSeq = input.resume?.transitionSeq ?? 0;
  let recordedThisRun = 0;
  /** Decisions taken, by decision id (= update id), remembered across continue-as-new. */
  const decisionIds = new Set(input.resume?.decisionIds);
  /** Notifications go out behind the answer: a slow mail server must not hold a decision. */
  const notifications = new Set<Promise<void>>();

  const activities: ActionHandlers<QuoteMachine> = {
    recordTransition: async ({ params, event, snapshot, previous }: ActionCall<QuoteMachine, RecordParams>) => {
      const status = quoteStatus(snapshot);
      const statusChanged = previous === undefined || quoteStatus(previous) !== status;
      transitionSeq += 1;
      recordedThisRun += 1;
      await recordTransition({
        tenantId,
        documentId,
        workflowId,
        seq: transitionSeq,
        ...(statusChanged ? { status } : {}),
        event: {
          type: params.type,
          at: 'occurredAt' in event ? event.occurredAt : Date.now(),
          actor: actorOf(event),
          ...('source' in event && event.source ? { source: event.source } : {}),
          data: { ...auditDetails(event), ...params.data },
        },
      });
      if (statusChanged) {
        upsertSearchAttributes(documentSearchAttributes({ tenantId, kind: 'quote', customerId: input.customerId, status }));
      }
    },
    sendFirstEmail: async () => {
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: 'first_send',
        to: input.send.to,
        message: input.send.message,
        attachPdf: input.send.attachPdf,
        idempotencyKey: `${workflowId}#first_send`,
      });
    },
    sendReminderEmail: async ({ params }: ActionCall<QuoteMachine, ReminderParams>) => {
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: 'reminder',
        to: input.send.to,
        attachPdf: input.send.attachPdf,
        idempotencyKey: `${workflowId}#reminder#${params.reminder}`,
      });
    },
    recordSignature: async ({ event, snapshot }: ActionCall<QuoteMachine, undefined>) => {
      const { signature, options, source } = event as SignEvent;
      await recordSignature({
        tenantId,
        documentId,
        version: currentVersion(snapshot.context),
        signedAt: event.at,
        evidence: signature,
        options: options ?? [],
        ...(source ? { source } : {}),
      });
    },
    applyRevision: async ({ event, snapshot }: ActionCall<QuoteMachine, undefined>) => {
      await applyRevision({ tenantId, documentId, version: currentVersion(snapshot.context), changes: (event as ReviseEvent).changes });
    },
    sendRevisionEmail: async ({ snapshot }: ActionCall<QuoteMachine, undefined>) => {
      // The first-send template: for the customer, a new version is a new quote to read.
      const version = currentVersion(snapshot.context);
      await sendDocumentEmail({
        tenantId,
        documentId,
        template: 'first_send',
        to: input.send.to,
        attachPdf: input.send.attachPdf,
        idempotencyKey: `${workflowId}#version#${version}`,
      });
    },
    notifyAssignee: async ({ params, event }: ActionCall<QuoteMachine, NotifyParams>) => {
      const notification = notifyAssignee({
        tenantId,
        documentId,
        event: params.event,
        what: params.what,
        at: 'occurredAt' in event ? event.occurredAt : Date.now(),
        // Keyed by the transition it reports, recorded just before it.
        idempotencyKey: `${workflowId}#${transitionSeq}#notify`,
        detail: auditDetails(event),
      }).then(
        () => undefined,
        (error: unknown) => {
          // Retries are unlimited, so only a non-retryable failure gets here: the assignee
          // misses one notification; the quote goes on.
          if (!(error instanceof ActivityFailure)) throw error;
          log.warn('Assignee notification failed', { documentId, what: params.what, error: error.message });
        },
      );
      notifications.add(notification);
      void notification.finally(() => notifications.delete(notification));
    },
  };

  const quote = input.resume
    ? MachineRunner.restore(
        quoteMachine,
        { snapshot: input.resume.snapshot as { value: unknown; context: unknown }, deadlines: input.resume.deadlines },
        activities,
      )
    : MachineRunner.start(
        quoteMachine,
        {
          now: Date.now(),
          validUntil: input.validUntil,
          reminderAfterMs: input.reminderAfterMs,
          maxReminders: input.maxReminders,
          requireSignature: input.requireSignature,
        },
        activities,
      );

  // The customer decides (accept, sign, refuse, hold) and the seller acts (remind, cancel,
  // revise) through updates: the validator answers at once whether the machine allows it, and why not.
  const onDecision = <TInput>(update: UpdateDefinition<QuoteView, [TInput]>, toEvent: (input: TInput) => QuoteEvent) =>
    setHandler(
      update,
      async (decision) => {
        const decisionId = currentDecisionId();
        if (decisionIds.has(decisionId)) return quoteView(quote.snapshot);
        const event = toEvent(decision);
        await quote.send(event, (snapshot) => refuseUnlessAllowed(snapshot, event));
        decisionIds.add(decisionId);
        return quoteView(quote.snapshot);
      },
      {
        validator: (decision) => {
          // A repeated decision id is answered with the current state, not decided again.
          if (decisionIds.has(currentDecisionId())) return;
          refuseUnlessAllowed(quote.snapshot, toEvent(decision));
        },
      },
    );
  for (const [update, type] of decisionUpdates) onDecision(update, (decision) => decisionEvent(type, decision));
  onDecision(signUpdate, (decision): SignEvent => ({ type: 'SIGN', at: Date.now(), ...decision }));
  onDecision(reviseUpdate, (revision): ReviseEvent => ({ type: 'REVISE', at: Date.now(), ...revision }));
  // Views and downloads are facts: recorded whatever the status, never refused.
  setHandler(viewedSignal, async (fact) => void (await quote.send(factEvent('VIEWED', fact))));
  setHandler(downloadedSignal, async (fact) => void (await quote.send(factEvent('DOWNLOADED', fact))));
  setHandler(stateQuery, () => quoteView(quote.snapshot));

  if (!input.resume) {
    // Set at start by api/ already; a workflow started another way (CLI, bench) sets its own.
    if (workflowInfo().memo?.number !== input.number) upsertMemo({ number: input.number, title: input.title ?? null });
    await quote.send({ type: 'SEND', at: Date.now(), actor: input.sentBy });
  }

  // Then time passes: reminders go out, the customer looks and decides, or the quote expires.
  const timeToContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && recordedThisRun >= input.continueAsNewAfterEvents);
  const storyPaused = () => isClosed(quote.snapshot) || timeToContinueAsNew();
  while (!storyPaused()) await quote.nextDeadline(storyPaused);

  // Callers of decisions in flight are waiting for their answer: let them have it.
  await condition(allHandlersFinished);
  await Promise.all(notifications);
  if (!isClosed(quote.snapshot)) {
    const { snapshot, deadlines } = quote.save();
    return continueAsNew<typeof quoteWorkflow>({
      ...input,
      resume: { snapshot, transitionSeq, decisionIds: [...decisionIds], deadlines },
    });
  }
  // The tenant asked for acceptance to make the order by itself (settings.autoConvertToOrder).
  // Patched: a quote accepted before this existed replays (a query of its closed run) without it.
  if (input.autoConvertToOrder && quoteStatus(quote.snapshot) === 'accepted' && patched('auto-convert-to-order')) {
    await convertDocument({ tenantId, documentId, to: 'order', at: Date.now() }).catch((error: unknown) => {
      // Only a non-retryable refusal gets here (the quote changed under us): the seller converts by hand.
      if (!(error instanceof ActivityFailure)) throw error;
      log.warn('Automatic conversion to an order failed', { documentId, error: error.message });
    });
  }
  return quoteView(quote.snapshot);
}

function currentDecisionId(): string {
  const update = currentUpdateInfo();
  if (!update) throw new Error('A decision is always an update');
  return update.id;
}

function decisionEvent(type: DecisionEvent['type'], decision: DecisionInput): DecisionEvent {
  return { type, at: Date.now(), ...decision };
}

function factEvent(type: 'VIEWED' | 'DOWNLOADED', fact: ViewedSignal): QuoteEvent {
  return { type, at: Date.now(), occurredAt: fact.at, eventId: fact.eventId, actor: fact.actor, source: fact.source };
}

function refuseUnlessAllowed(snapshot: QuoteSnapshot, event: QuoteEvent): void {
  const reason = whyNot(snapshot, event);
  if (reason) throw ApplicationFailure.create({ type: DECISION_REJECTED, message: reason, nonRetryable: true });
}

function actorOf(event: { actor?: Actor }): Actor {
  return event.actor ?? { kind: 'system' };
}

/** What an audit row keeps of the event beyond its type, time and actor. */
function auditDetails(event: object): Record<string, unknown> {
  const { reason, options, eventId } = event as Partial<DecisionEvent & { eventId: string }>;
  return {
    ...(reason ? { reason } : {}),
    ...(options?.length ? { options } : {}),
    ...(eventId ? { eventId } : {}),
  };
}
