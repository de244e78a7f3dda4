/**
 * The story of one quote, from the moment the seller sends it to the customer's answer (or
 * its expiry). The rules live in the quote machine (machines/quote.ts); this workflow gives
 * them durable time and real side effects, as DESIGN.md §3 describes.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
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
import type { GreenlightActivities } from '../activities/types';
import type { Actor } from '../domain/documents';
import {
  acceptUpdate,
  cancelUpdate,
  downloadedSignal,
  holdUpdate,
  refuseUpdate,
  remindUpdate,
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
} from './machines/quote';
import { documentSearchAttributes } from './search-attributes';

type QuoteMachine = typeof quoteMachine;

/** Activities retry with backoff for as long as it takes: a database or mail outage delays a quote, never loses it. */
const patiently = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordTransition, notifyAssignee } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/** Rendering the PDF for the attachment may take a while on long quotes. */
const { sendDocumentEmail } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});

const decisionUpdates: [typeof acceptUpdate, DecisionEvent['type']][] = [
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
        { now: Date.now(), validUntil: input.validUntil, reminderAfterMs: input.reminderAfterMs, maxReminders: input.maxReminders },
        activities,
      );

  // The customer decides (accept, refuse, hold) and the seller acts (remind, cancel) through
  // updates: the validator answers at once whether the machine allows it, and why not.
  for (const [update, type] of decisionUpdates) {
    setHandler(
      update,
      async (decision) => {
        const decisionId = currentDecisionId();
        if (decisionIds.has(decisionId)) return quoteView(quote.snapshot);
        const event = decisionEvent(type, decision);
        await quote.send(event, (snapshot) => refuseUnlessAllowed(snapshot, event));
        decisionIds.add(decisionId);
        return quoteView(quote.snapshot);
      },
      {
        validator: (decision) => {
          // A repeated decision id is answered with the current state, not decided again.
          if (decisionIds.has(currentDecisionId())) return;
          refuseUnlessAllowed(quote.snapshot, decisionEvent(type, decision));
        },
      },
    );
  }
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
