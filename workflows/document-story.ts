/**
 * What every document workflow does around its machine, written once (DESIGN.md §3): the
 * quote's workflow and the acceptance workflow of orders and delivery notes differ only in
 * their machine and their own activities (emails, signature, revisions).
 *
 * - every transition is recorded by `recordTransition`, keyed by (workflow id, sequence), and
 *   refreshes the search attributes when the status changes;
 * - the assignee is notified behind the answer, so a slow mail server never holds a decision;
 * - decisions are Updates whose validator asks the machine (`whyNot`), taken once per
 *   decision id (= update id), ids remembered across continue-as-new;
 * - views and downloads are Signals, the state a Query;
 * - the document is sent, then time passes on the machine's deadlines until it closes or the
 *   history grows long, and then it continues as new carrying snapshot, deadlines, sequence
 *   and decision ids.
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
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { AnyStateMachine, EventFromLogic, InputFrom, SnapshotFrom } from 'xstate';
import type { GreenlightActivities } from '../activities/types';
import type { Actor, DocumentKind } from '../domain/documents';
import { DECISION_REJECTED, downloadedSignal, viewedSignal, type DecisionInput, type StoryInput, type ViewedSignal, type WorkflowResume } from './messages/document';
import { MachineRunner, type ActionCall, type ActionHandlers } from './machine-runner';
import type { FactEvent, NotifyParams, RecordParams } from './machines/actions';
import { documentSearchAttributes } from './search-attributes';

/** Activities retry with backoff for as long as it takes: a database or mail outage delays a document, never loses it. */
export const patiently = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
const { recordTransition, notifyAssignee } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});

type OnDecision<TView, TEvent> = <TInput>(update: UpdateDefinition<TView, [TInput]>, toEvent: (input: TInput) => TEvent) => void;
/** An update and the machine event it becomes, each with its own input type. */
export type DecisionBinding<TView, TEvent> = (on: OnDecision<TView, TEvent>) => void;

type OnFact<TEvent> = <TInput>(signal: SignalDefinition<[TInput]>, toEvent: (input: TInput) => TEvent) => void;
/** A signal of the kind's own (a provider's report) and the machine event it becomes. */
export type FactBinding<TEvent> = (on: OnFact<TEvent>) => void;

export function fact<TInput, TEvent>(signal: SignalDefinition<[TInput]>, toEvent: (input: TInput) => TEvent): FactBinding<TEvent> {
  return (on) => on(signal, toEvent);
}

export function decision<TView, TInput, TEvent>(update: UpdateDefinition<TView, [TInput]>, toEvent: (input: TInput) => TEvent): DecisionBinding<TView, TEvent> {
  return (on) => on(update, toEvent);
}

/**
 * One kind of document's story. Its machine takes `SEND` (with the sender as actor) and the
 * facts `VIEWED` and `DOWNLOADED` (machines/actions.ts), and names `recordTransition` and
 * `notifyAssignee` actions with their params; `actions` runs the rest.
 */
export interface DocumentStory<TMachine extends AnyStateMachine, TView> {
  /** 'request': a service request, a document of its own kind outside DOCUMENT_KINDS (domain/requests.ts). */
  kind: DocumentKind | 'request';
  machine: TMachine;
  /** Input of a fresh machine (not asked when resuming). */
  machineInput: () => InputFrom<TMachine>;
  status: (snapshot: SnapshotFrom<TMachine>) => string;
  isClosed: (snapshot: SnapshotFrom<TMachine>) => boolean;
  whyNot: (snapshot: SnapshotFrom<TMachine>, event: EventFromLogic<TMachine>) => string | undefined;
  view: (snapshot: SnapshotFrom<TMachine>) => TView;
  stateQuery: QueryDefinition<TView>;
  decisions: DecisionBinding<TView, EventFromLogic<TMachine>>[];
  /** The kind's own facts beyond views and downloads (an invoice's payments): recorded as the machine says, never refused. */
  facts?: FactBinding<EventFromLogic<TMachine>>[];
  /** The kind's own activity actions; given the story's tools when they need them. */
  actions: NoInfer<KindActions<TMachine> | ((tools: StoryTools) => KindActions<TMachine>)>;
}

/** The actions every story runs itself, for every machine that names them. */
type StoryAction = 'recordTransition' | 'notifyAssignee';
/** A kind's handlers: one for each activity action of its machine the story does not run. */
export type KindActions<TMachine extends AnyStateMachine> = Omit<ActionHandlers<TMachine>, StoryAction>;

/** What the story lends a kind's own actions. */
export interface StoryTools {
  /**
   * Runs a notice behind the answer, as the assignee's are: the decision that caused it does
   * not wait for it; the story does, before it closes or continues as new. A notice that
   * fails for good (retries are unlimited, so only a non-retryable failure) is logged, and the
   * document goes on.
   */
  behindTheAnswer(notice: () => Promise<unknown>, what: Record<string, unknown>): void;
}

/**
 * Runs the story until the machine closes and answers its final snapshot; continues as new
 * (never returns) when the history should be cut first.
 */
export async function runDocumentStory<TMachine extends AnyStateMachine, TView, TInput extends StoryInput>(
  input: TInput,
  story: DocumentStory<TMachine, TView>,
): Promise<SnapshotFrom<TMachine>> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  /** Sequence of recorded transitions: with the workflow id, it makes each record idempotent. */
  let transitionSeq = input.resume?.transitionSeq ?? 0;
  let recordedThisRun = 0;
  /** Decisions taken, by decision id (= update id), remembered across continue-as-new. */
  const decisionIds = new Set(input.resume?.decisionIds);
  /** Notifications go out behind the answer: a slow mail server must not hold a decision. */
  const notifications = new Set<Promise<void>>();
  const behindTheAnswer: StoryTools['behindTheAnswer'] = (notice, what) => {
    const notification = notice().then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof ActivityFailure)) throw error;
        log.warn('Notification failed', { documentId, ...what, error: error.message });
      },
    );
    notifications.add(notification);
    void notification.finally(() => notifications.delete(notification));
  };

  const storyActions = {
    recordTransition: async ({ params, event, snapshot, previous }: ActionCall<TMachine, RecordParams>) => {
      const status = story.status(snapshot);
      const statusChanged = previous === undefined || story.status(previous) !== status;
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
          at: 'occurredAt' in event ? (event as FactEvent).occurredAt : Date.now(),
          actor: actorOf(event),
          ...('source' in event && event.source ? { source: (event as FactEvent).source } : {}),
          data: { ...auditDetails(event), ...params.data },
        },
      });
      if (statusChanged) {
        upsertSearchAttributes(documentSearchAttributes({ tenantId, kind: story.kind, customerId: input.customerId, status }));
      }
    },
    notifyAssignee: async ({ params, event }: ActionCall<TMachine, NotifyParams>) => {
      // Keyed by the transition it reports, recorded just before it.
      const idempotencyKey = `${workflowId}#${transitionSeq}#notify`;
      behindTheAnswer(
        () =>
          notifyAssignee({
            tenantId,
            documentId,
            event: params.event,
            what: params.what,
            at: 'occurredAt' in event ? (event as FactEvent).occurredAt : Date.now(),
            idempotencyKey,
            // The notice names who did it: a colleague the proof was forwarded to is not the contact.
            detail: { ...auditDetails(event), ...actorNameOf(event) },
          }),
        { notice: 'assignee', what: params.what },
      );
    },
  };

  // The kind's machine names the story's actions with their params (machines/actions.ts); its type cannot say so generically.
  const activities = {
    ...(typeof story.actions === 'function' ? story.actions({ behindTheAnswer }) : story.actions),
    ...storyActions,
  } as unknown as ActionHandlers<TMachine>;

  const runner = input.resume
    ? MachineRunner.restore(
        story.machine,
        { snapshot: input.resume.snapshot as { value: unknown; context: unknown }, deadlines: input.resume.deadlines },
        activities,
      )
    : MachineRunner.start(story.machine, story.machineInput(), activities);

  const refuseUnlessAllowed = (snapshot: SnapshotFrom<TMachine>, event: EventFromLogic<TMachine>): void => {
    const reason = story.whyNot(snapshot, event);
    if (reason) throw ApplicationFailure.create({ type: DECISION_REJECTED, message: reason, nonRetryable: true });
  };
  // The validator answers at once whether the machine allows the decision, and why not.
  const onDecision: OnDecision<TView, EventFromLogic<TMachine>> = (update, toEvent) =>
    setHandler(
      update,
      async (decisionInput) => {
        const decisionId = currentDecisionId();
        if (decisionIds.has(decisionId)) return story.view(runner.snapshot);
        const event = toEvent(decisionInput);
        await runner.send(event, (snapshot) => refuseUnlessAllowed(snapshot, event));
        decisionIds.add(decisionId);
        return story.view(runner.snapshot);
      },
      {
        validator: (decisionInput) => {
          // A repeated decision id is answered with the current state, not decided again.
          if (decisionIds.has(currentDecisionId())) return;
          refuseUnlessAllowed(runner.snapshot, toEvent(decisionInput));
        },
      },
    );
  for (const bind of story.decisions) bind(onDecision);
  // Views and downloads are facts: recorded whatever the status, never refused.
  setHandler(viewedSignal, async (fact) => void (await runner.send(factEvent('VIEWED', fact) as EventFromLogic<TMachine>)));
  setHandler(downloadedSignal, async (fact) => void (await runner.send(factEvent('DOWNLOADED', fact) as EventFromLogic<TMachine>)));
  for (const bind of story.facts ?? []) bind((signal, toEvent) => setHandler(signal, async (input) => void (await runner.send(toEvent(input)))));
  setHandler(story.stateQuery, () => story.view(runner.snapshot));

  if (!input.resume) {
    // Set at start by api/ already; a workflow started another way (CLI, bench) sets its own.
    if (workflowInfo().memo?.number !== input.number) upsertMemo({ number: input.number, title: input.title ?? null });
    await runner.send({ type: 'SEND', at: Date.now(), actor: input.sentBy } as EventFromLogic<TMachine>);
  }

  // Then time passes: the customer looks and decides, deadlines fire, or the seller acts.
  const timeToContinueAsNew = () =>
    workflowInfo().continueAsNewSuggested ||
    (input.continueAsNewAfterEvents !== undefined && recordedThisRun >= input.continueAsNewAfterEvents);
  const storyPaused = () => story.isClosed(runner.snapshot) || timeToContinueAsNew();
  while (!storyPaused()) await runner.nextDeadline(storyPaused);

  // Callers of decisions in flight are waiting for their answer: let them have it.
  await condition(allHandlersFinished);
  await Promise.all(notifications);
  if (!story.isClosed(runner.snapshot)) {
    const { snapshot, deadlines } = runner.save();
    const resume: WorkflowResume = { snapshot, transitionSeq, decisionIds: [...decisionIds], deadlines };
    return continueAsNew<(next: TInput) => Promise<unknown>>({ ...input, resume });
  }
  return runner.snapshot;
}

/** A decision as its machine event, stamped with the workflow's clock. */
export function decisionEvent<TType extends string, TInput extends DecisionInput>(type: TType, decisionInput: TInput): TInput & { type: TType; at: number } {
  return { type, at: Date.now(), ...decisionInput };
}

function factEvent(type: FactEvent['type'], fact: ViewedSignal): FactEvent {
  return { type, at: Date.now(), occurredAt: fact.at, eventId: fact.eventId, actor: fact.actor, source: fact.source };
}

/** The id of the decision being taken (the update's id); only inside a decision's handler or validator. */
export function currentDecisionId(): string {
  const update = currentUpdateInfo();
  if (!update) throw new Error('A decision is always an update');
  return update.id;
}

function actorNameOf(event: { actor?: Actor }): { actorName?: string } {
  return event.actor?.kind === 'customer' && event.actor.name ? { actorName: event.actor.name } : {};
}

function actorOf(event: { actor?: Actor }): Actor {
  return event.actor ?? { kind: 'system' };
}

/** What an audit row keeps of the event beyond its type, time and actor. */
function auditDetails(event: object): Record<string, unknown> {
  const { reason, options, eventId } = event as Partial<{ reason: string; options: string[]; eventId: string }>;
  return {
    ...(reason ? { reason } : {}),
    ...(options?.length ? { options } : {}),
    ...(eventId ? { eventId } : {}),
  };
}
