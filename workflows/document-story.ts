/**
 * What every document's workflow adds to the story (story.ts), written once: the quote's
 * workflow and the acceptance workflow of orders and delivery notes differ only in their
 * machine and their own activities (emails, signature, revisions).
 *
 * - the seller's send opens the story (SEND, the memo set for operators); a workflow started
 *   for a draft's cancel sends nothing and closes with it;
 * - views and downloads are facts every document takes;
 * - every transition is recorded by `recordTransition`, keyed by (workflow id, sequence), and
 *   refreshes the search attributes when the status changes;
 * - the assignee is notified behind the answer, so a slow mail server never holds a decision;
 * - a run continues as new when Temporal suggests it (tests: after `continueAsNewAfterEvents`).
 */
import { currentUpdateInfo, proxyActivities, proxyLocalActivities, sleep, upsertMemo, workflowInfo } from '@temporalio/workflow';
import type { AnyStateMachine, EventFromLogic, SnapshotFrom } from 'xstate';
import type { GreenlightActivities } from '../activities/types';
import type { Actor, DocumentKind } from '../domain/documents';
import { documentSummary } from '../domain/summaries';
import { downloadedSignal, viewedSignal, type DecisionInput, type DocumentWorkflowInput, type DraftStart, type RecordAnswerInput, type ViewedSignal } from './messages/document';
import type { ActionCall, ActionHandlers } from './machine-runner';
import type { AnswerEvent, FactEvent, NotifyParams, RecordParams } from './machines/actions';
import { fact, patiently, runStory, type OperatorView, type Story, type StoryTools } from './story';
import { patched } from './patches';

const { recordTransition, notifyAssignee } = proxyActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});
/**
 * A decision's record is one short write to our own database: run in the worker that took
 * the transition, inside its workflow task (a marker in the history), instead of a trip through
 * the task queue and back (recordTransitions says which records run so). Retried as patiently;
 * a worker lost mid-write loses its task, and the record, keyed by (workflow id, sequence), is
 * written again once by the next.
 */
const { recordTransition: recordTransitionHere } = proxyLocalActivities<GreenlightActivities>({
  startToCloseTimeout: '30 seconds',
  retry: patiently,
});

/** The actions the document story runs itself, for every machine that names them. */
type DocumentStoryAction = 'recordTransition' | 'notifyAssignee';
/** A kind's handlers: one for each activity action of its machine the story does not run. */
export type KindActions<TMachine extends AnyStateMachine> = Omit<ActionHandlers<TMachine>, DocumentStoryAction>;

/**
 * One kind of document's story. Its machine takes `SEND` (with the sender as actor) and the
 * facts `VIEWED` and `DOWNLOADED` (machines/actions.ts), and names `recordTransition` and
 * `notifyAssignee` actions with their params; `actions` runs the rest.
 */
export interface DocumentStory<TMachine extends AnyStateMachine, TView>
  extends Omit<Story<TMachine, TView>, 'kind' | 'opening' | 'actions' | 'beforeActions' | 'timeToContinueAsNew' | 'operator'> {
  /** The event that opens this run instead of the seller's SEND (a reopened quote's REOPEN). */
  opening?: () => EventFromLogic<TMachine>;
  /** 'request': a service request, a document of its own kind outside DOCUMENT_KINDS (domain/requests.ts). */
  kind: DocumentKind | 'request';
  /** The status the document row and the search attributes show. */
  status: (snapshot: SnapshotFrom<TMachine>) => string;
  /** The kind's own activity actions; given the story's tools when they need them. */
  actions: NoInfer<KindActions<TMachine> | ((tools: StoryTools) => KindActions<TMachine>)>;
  /** What operators read in the Temporal UI besides the document's summary and status. */
  operator: NoInfer<Omit<OperatorView<TMachine>, 'title' | 'status'>>;
}

/**
 * Runs the document's story until its machine closes and answers the final snapshot;
 * continues as new (never returns) when the history should be cut first.
 */
export async function runDocumentStory<TMachine extends AnyStateMachine, TView, TInput extends DocumentWorkflowInput & DraftStart>(
  input: TInput,
  story: DocumentStory<TMachine, TView>,
): Promise<SnapshotFrom<TMachine>> {
  const { workflowId } = workflowInfo();
  const { tenantId, documentId } = input;
  // Set at start by api/ already; a workflow started another way (CLI, bench) sets its own.
  if (!input.resume && workflowInfo().memo?.number !== input.number) upsertMemo({ number: input.number, title: input.title ?? null });

  // Patched: records were regular activities before; a run decides once, at its start.
  const recordsHere = patched('records-local');
  // Patched, for a kind that answers a customer before its actions: the records were local,
  // behind a short timer that let the answer leave first; Temporal fires a timer up to a second
  // late (history.timerProcessorMaxTimeShift), and the records, the webhooks after them and the
  // portal page waiting for them paid it. Now they follow the answer as regular activities,
  // scheduled in the task that answers.
  const customersRecordsFollow = story.actionsRunBehind === true && patched('customer-records-follow');
  return runStory(input, {
    ...story,
    ...(recordsHere && !customersRecordsFollow ? { answerAlone: () => sleep(1, { summary: 'answer the decision, then record it' }) } : {}),
    operator: { ...story.operator, title: documentSummary(story.kind, input), status: story.status },
    facts: [
      // Views and downloads are facts: recorded whatever the status, never refused.
      fact(viewedSignal, (viewed) => factEvent('VIEWED', viewed) as EventFromLogic<TMachine>),
      fact(downloadedSignal, (downloaded) => factEvent('DOWNLOADED', downloaded) as EventFromLogic<TMachine>),
      ...(story.facts ?? []),
    ],
    // A customer's decision may carry the view it confirms (api/portal/view-tracking.ts). No patch:
    // only a decision that carries one takes it, and none did before.
    carriedFact: (decisionInput) => {
      const { viewed, ...decision } = decisionInput as DecisionInput;
      return viewed ? { fact: factEvent('VIEWED', viewed) as EventFromLogic<TMachine>, decision } : undefined;
    },
    // Started for a draft's decision (its cancel): nothing is sent; the decision closes the story.
    ...(input.draft ? {} : { opening: story.opening ?? (() => ({ type: 'SEND', at: Date.now(), actor: input.sentBy }) as EventFromLogic<TMachine>) }),
    actions: (tools) => {
      const documentActions = {
        recordTransition: recordTransitions<TMachine>(tools, { tenantId, documentId, status: story.status, column: 'status', here: recordsHere, customersFollow: customersRecordsFollow }),
        notifyAssignee: async ({ params, event }: ActionCall<TMachine, NotifyParams>) => {
          if (params.patch !== undefined && !patched(params.patch)) return;
          // Keyed by the transition it reports, recorded just before it.
          const idempotencyKey = `${workflowId}#${tools.lastWriteSeq()}#notify`;
          tools.behindTheAnswer(
            () =>
              notifyAssignee.executeWithOptions({ summary: `notify the assignee: ${params.what.replaceAll('_', ' ')}` }, [{
                tenantId,
                documentId,
                event: params.event,
                what: params.what,
                at: timeOf(event),
                idempotencyKey,
                // The notice names who did it: a colleague the proof was forwarded to is not the contact.
                detail: { ...auditDetails(event), ...actorNameOf(event) },
              }]),
            { notice: 'assignee', what: params.what },
          );
        },
      };
      // The machine names the story's actions with their params (machines/actions.ts); its type cannot say so generically.
      return { ...(typeof story.actions === 'function' ? story.actions(tools) : story.actions), ...documentActions } as unknown as ActionHandlers<TMachine>;
    },
    timeToContinueAsNew: (run) => run.suggested || (input.continueAsNewAfterEvents !== undefined && run.written >= input.continueAsNewAfterEvents),
  });
}

/**
 * The `recordTransition` action of a document's machine: an audit row keyed by (workflow id,
 * sequence), with the new status when the transition changed it, in `column` (a signature
 * writes the document's digital status); the search attributes follow the status.
 */
export function recordTransitions<TMachine extends AnyStateMachine>(
  tools: StoryTools,
  target: {
    tenantId: string;
    documentId: string;
    status: (snapshot: SnapshotFrom<TMachine>) => string;
    column: 'status' | 'digitalStatus';
    /** How operators see the status in the Temporal UI; the status itself when absent. */
    shownAs?: (status: string) => string;
    /** A run that took the patch `records-local`: a decision's records are local activities, the others regular ones. */
    here: boolean;
    /** A run whose kind answers a customer first and that took the patch `customer-records-follow`: a customer's decision's records are regular activities. */
    customersFollow?: boolean;
  },
) {
  const { workflowId } = workflowInfo();
  return async ({ params, event, snapshot, previous }: ActionCall<TMachine, RecordParams>): Promise<void> => {
    const status = target.status(snapshot);
    const statusChanged = previous === undefined || target.status(previous) !== status;
    const summary = `record ${params.type.replaceAll('_', ' ')}${statusChanged ? ` (status ${status.replaceAll('_', ' ')})` : ''}`;
    // Locally for a decision (an update) that waits for its record anyway: a seller's, or a
    // customer's where the kind answers once recorded (a proof). A customer's answered first (a
    // quote, an order) has its records follow as regular activities from the task that answers,
    // or, in runs from before `customer-records-follow`, locally behind answerAlone's timer.
    // Elsewhere (a send, a timer, a signal) a local record would hold the task, and with it a
    // customer's click that arrives meanwhile.
    const customers = actorOf(event).kind === 'customer';
    const local = target.here && currentUpdateInfo() !== undefined && !(customers && target.customersFollow);
    await (local ? recordTransitionHere : recordTransition).executeWithOptions({ summary }, [{
      tenantId: target.tenantId,
      documentId: target.documentId,
      workflowId,
      seq: tools.nextWriteSeq(),
      ...(statusChanged ? { [target.column]: status } : {}),
      event: {
        type: params.type,
        at: timeOf(event),
        actor: params.actor ?? actorOf(event),
        ...('source' in event && event.source ? { source: (event as FactEvent).source } : {}),
        data: { ...auditDetails(event), ...params.data },
      },
    }]);
    if (statusChanged) tools.showStatus(target.shownAs ? target.shownAs(status) : status);
  };
}

/** The seller's record of the customer's answer given off line, as its machine event: it happened when the customer answered. */
export function answerEvent(answer: RecordAnswerInput): AnswerEvent {
  const at = Date.now();
  return { type: 'RECORD_ANSWER', at, occurredAt: answer.answeredAt ?? at, ...answer };
}

/**
 * When it happened: a fact when the customer did it, anything else when the machine took it
 * (its `at`), which may be earlier than the write when actions run behind the answer.
 */
function timeOf(event: object): number {
  if ('occurredAt' in event) return (event as FactEvent).occurredAt;
  return 'at' in event && typeof event.at === 'number' ? event.at : Date.now();
}

function factEvent(type: FactEvent['type'], fact: ViewedSignal): FactEvent {
  return { type, at: Date.now(), occurredAt: fact.at, eventId: fact.eventId, actor: fact.actor, source: fact.source };
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
