/**
 * The interpreter every workflow of ours runs its machine on, written once (DESIGN.md §3): a
 * document's (document-story.ts), a signature's and a subscription's differ only in their
 * machine, their activities and how their read model is written.
 *
 * - the machine is stepped by a MachineRunner: the kind's handlers run its activity actions, and
 *   what an activity answered comes back to the machine as an event (machine-runner.ts);
 * - decisions are Updates whose validator asks the machine (`whyNot`), asked again when the
 *   decision's turn comes, taken once per decision id (= update id), ids remembered across
 *   continue-as-new; they answer the view, or what the kind reads from the machine once the
 *   decision is taken (a payment page), which may still refuse it. A kind whose actions run
 *   behind the answer (`actionsRunBehind`) answers a customer's decision as soon as its machine
 *   took it: the update's completion in the history is what makes it durable, and the
 *   decision's writes follow in order (the read model lags the answer by that much). The
 *   seller's decisions still answer once recorded: the back office's clients read what they
 *   just did;
 * - facts are Signals, never refused; the state a Query;
 * - time passes on the machine's deadlines until it closes or the kind says the run did enough,
 *   and then it continues as new carrying snapshot, deadlines, write sequence and decision ids.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  currentUpdateInfo,
  log,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { QueryDefinition, SignalDefinition, UpdateDefinition } from '@temporalio/common';
import type { AnyStateMachine, EventFromLogic, InputFrom, SnapshotFrom } from 'xstate';
import { DECISION_REJECTED, type DecisionInput, type StoryInput, type WorkflowResume } from './messages/document';
import { detailLines, plainTime } from '../domain/summaries';
import { MachineRunner, deadlineName, type ActionHandlers, type BeforeActions, type Deadline, type RunnerObserver } from './machine-runner';
import { documentSearchAttributes, type StoryKind } from './search-attributes';

/** Activities retry with backoff for as long as it takes: a database or mail outage delays a document, never loses it. */
export const patiently = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

type OnDecision<TEvent, TSnapshot> = <TInput, TAnswer>(
  update: UpdateDefinition<TAnswer, [TInput]>,
  toEvent: (input: TInput) => TEvent,
  answer: (snapshot: TSnapshot) => TAnswer | Promise<TAnswer>,
) => void;
/** An update, the machine event it becomes and what it answers, each with its own types; `view` is the story's. */
export type DecisionBinding<TView, TEvent, TSnapshot> = (on: OnDecision<TEvent, TSnapshot>, view: (snapshot: TSnapshot) => TView) => void;

type OnFact<TEvent> = <TInput>(signal: SignalDefinition<[TInput]>, toEvent: (input: TInput) => TEvent) => void;
/** A signal (a provider's report, a customer's view) and the machine event it becomes. */
export type FactBinding<TEvent> = (on: OnFact<TEvent>) => void;

export function fact<TInput, TEvent>(signal: SignalDefinition<[TInput]>, toEvent: (input: TInput) => TEvent): FactBinding<TEvent> {
  return (on) => on(signal, toEvent);
}

/** A decision answered with the story's view once taken. */
export function decision<TView, TInput, TEvent>(
  update: UpdateDefinition<TView, [TInput]>,
  toEvent: (input: TInput) => TEvent,
): <TSnapshot>(on: OnDecision<TEvent, TSnapshot>, view: (snapshot: TSnapshot) => TView) => void {
  return (on, view) => on(update, toEvent, view);
}

/**
 * A decision answered with what the machine holds once it is taken (a payment page an activity
 * opened), or with what its actions behind the answer bring (a promise, for a kind whose actions
 * run behind). `answer` may still refuse it (`refuseDecision`): the machine learned meanwhile that
 * it could not be done (the page was paid before anyone told us).
 */
export function answeredDecision<TSnapshot, TAnswer, TInput, TEvent>(
  update: UpdateDefinition<TAnswer, [TInput]>,
  toEvent: (input: TInput) => TEvent,
  answer: (snapshot: TSnapshot) => TAnswer | Promise<TAnswer>,
): <TView>(on: OnDecision<TEvent, TSnapshot>, view: (snapshot: TSnapshot) => TView) => void {
  return (on) => on(update, toEvent, answer);
}

/** Refuses the decision being taken, with the reason callers read (decision_rejected). */
export function refuseDecision(reason: string): never {
  throw ApplicationFailure.create({ type: DECISION_REJECTED, message: reason, nonRetryable: true });
}

/** What the story lends a kind's actions. */
export interface StoryTools {
  /**
   * Runs a notice behind the answer: the decision that caused it does not wait for it; the
   * story does, before it closes or continues as new. A notice that fails for good (retries
   * are unlimited, so only a non-retryable failure) is logged, and the story goes on.
   */
  behindTheAnswer(notice: () => Promise<unknown>, what: Record<string, unknown>): void;
  /** Numbers a write to the read model: with the workflow id it makes the write idempotent, across runs. */
  nextWriteSeq(): number;
  /** The number of the last write. */
  lastWriteSeq(): number;
  /** Shows this status in the search attributes operators filter on. */
  showStatus(status: string): void;
  /**
   * Feeds the machine an outcome that came behind the answer (a charge the seller did not wait
   * for), queued like any event; resolves once its actions ran.
   */
  tell(event: object): Promise<void>;
}

/** How far the current run has come: a kind's `timeToContinueAsNew` decides on it. */
export interface RunSoFar<TMachine extends AnyStateMachine> {
  snapshot: SnapshotFrom<TMachine>;
  /** The snapshot this run resumed from; absent in a story's first run. */
  resumedFrom?: SnapshotFrom<TMachine>;
  /** Writes to the read model in this run. */
  written: number;
  /** Temporal suggests it: the history is getting long. */
  suggested: boolean;
}

/**
 * How operators read a story in the Temporal UI: its current details (status, what it waits
 * for, the next timer), refreshed after every transition, and a summary on each timer. All of
 * it from the workflow's own input and state, so replaying it gives the same words.
 */
export interface OperatorView<TMachine extends AnyStateMachine> {
  /** The workflow's one line (its static summary at start): heads the details, which a continued run keeps. */
  title: string;
  status: (snapshot: SnapshotFrom<TMachine>) => string;
  /** What the story waits for now, in words; undefined once nothing more comes. */
  waitingFor: (snapshot: SnapshotFrom<TMachine>) => string | undefined;
  /** What a timer is for ("reminder 1 of 3", "validity ends"), by its deadline's name (machine-runner.ts `deadlineName`). */
  timer: (name: string, snapshot: SnapshotFrom<TMachine>) => string;
  /** More lines of details worth a glance (reminders sent, amount paid). */
  facts?: (snapshot: SnapshotFrom<TMachine>) => [label: string, value: string | undefined][];
}

export interface Story<TMachine extends AnyStateMachine, TView> {
  /** The kind operators filter on (search attribute GreenlightKind). */
  kind: StoryKind;
  machine: TMachine;
  /** Input of a fresh machine (not asked when resuming). */
  machineInput: () => InputFrom<TMachine>;
  isClosed: (snapshot: SnapshotFrom<TMachine>) => boolean;
  whyNot: (snapshot: SnapshotFrom<TMachine>, event: EventFromLogic<TMachine>) => string | undefined;
  view: (snapshot: SnapshotFrom<TMachine>) => TView;
  stateQuery: QueryDefinition<TView>;
  decisions: DecisionBinding<TView, EventFromLogic<TMachine>, SnapshotFrom<TMachine>>[];
  /** Facts: recorded as the machine says, never refused. */
  facts?: FactBinding<EventFromLogic<TMachine>>[];
  /**
   * The fact a decision's input carries (a customer's view: whoever decides has read), taken
   * just before the decision, and the decision's input without it; undefined when it carries
   * none. One update instead of a signal and then an update: one workflow task, not two.
   */
  carriedFact?: (decisionInput: unknown) => { fact: EventFromLogic<TMachine>; decision: unknown } | undefined;
  /** The event that opens a fresh story (the seller sends the document); none when the machine's first actions open it. */
  opening?: () => EventFromLogic<TMachine>;
  /** Runs every activity action of the machine. */
  actions: NoInfer<(tools: StoryTools) => ActionHandlers<TMachine>>;
  /** Sees every state before its actions run, and each run's first (a read model that keeps the whole state). */
  beforeActions?: NoInfer<(tools: StoryTools) => BeforeActions<TMachine>>;
  /**
   * Events are taken at once and their actions run behind, in order (machine-runner.ts), and a
   * customer's decision answers once taken; only for a kind whose actions answer no event and
   * whose decisions answer from the machine alone (not a payment page an activity opens).
   */
  actionsRunBehind?: boolean;
  /**
   * With actions behind: what a customer's decision waits for before its actions run (a short
   * timer), so that its answer leaves in a workflow task of its own. Local activities run inside
   * the task that asked for them, and the answer leaves with the task: without it, the
   * decision's local records would hold the customer's click until they are written.
   */
  answerAlone?: () => Promise<void>;
  /** Whether the run should continue as new now, if the machine is not closed. */
  timeToContinueAsNew: NoInfer<(run: RunSoFar<TMachine>) => boolean>;
  operator: NoInfer<OperatorView<TMachine>>;
}

/**
 * Runs the story until the machine closes and answers its final snapshot; continues as new
 * (never returns) when the kind says the run did enough.
 */
export async function runStory<TMachine extends AnyStateMachine, TView, TInput extends StoryInput>(
  input: TInput,
  story: Story<TMachine, TView>,
): Promise<SnapshotFrom<TMachine>> {
  const { workflowId } = workflowInfo();
  /** Writes to the read model are numbered: with the workflow id, each is idempotent. */
  let writeSeq = input.resume?.transitionSeq ?? input.writtenBefore ?? 0;
  const writtenBefore = writeSeq;
  /** Decisions taken, by decision id (= update id), remembered across continue-as-new. */
  const decisionIds = new Set(input.resume?.decisionIds);
  /** Notices go out behind the answer: a slow mail server must not hold a decision. */
  const notifications = new Set<Promise<void>>();
  const tools: StoryTools = {
    behindTheAnswer(notice, what) {
      const notification = notice().then(
        () => undefined,
        (error: unknown) => {
          if (!(error instanceof ActivityFailure)) throw error;
          log.warn('Notification failed', { workflowId, ...what, error: error.message });
        },
      );
      notifications.add(notification);
      void notification.finally(() => notifications.delete(notification));
    },
    nextWriteSeq: () => (writeSeq += 1),
    lastWriteSeq: () => writeSeq,
    showStatus: (status) => upsertSearchAttributes(documentSearchAttributes({ tenantId: input.tenantId, kind: story.kind, customerId: input.customerId, status })),
    // The runner is made just below, before any action can run.
    tell: async (event) => void (await runner.send(event as EventFromLogic<TMachine>)),
  };

  const handlers = story.actions(tools);
  const beforeActions = story.beforeActions?.(tools);
  const { operator } = story;
  const observer: RunnerObserver<TMachine> = {
    timerSummary: (deadline, snapshot) => operator.timer(deadlineName(deadline), snapshot),
    settled: (snapshot, deadlines) => setCurrentDetails(currentDetails(operator, snapshot, deadlines)),
  };
  const runnerOptions = { ...(beforeActions ? { beforeActions } : {}), observer, actionsRunBehind: story.actionsRunBehind ?? false };
  // Only a kind whose decisions answer before their actions has an answer to send alone.
  const answerAlone = story.actionsRunBehind ? story.answerAlone : undefined;
  const runner = input.resume
    ? MachineRunner.restore(
        story.machine,
        { snapshot: input.resume.snapshot as { value: unknown; context: unknown }, deadlines: input.resume.deadlines },
        handlers,
        runnerOptions,
      )
    : MachineRunner.start(story.machine, story.machineInput(), handlers, runnerOptions);
  const resumedFrom = input.resume ? runner.snapshot : undefined;

  const refuseUnlessAllowed = (snapshot: SnapshotFrom<TMachine>, event: EventFromLogic<TMachine>): void => {
    const reason = story.whyNot(snapshot, event);
    if (reason) refuseDecision(reason);
  };
  /**
   * Whether the opening event has been taken (set as it is admitted, its transition following at
   * once). Until then a decision is validated in the runner's queue, behind the opening: one that
   * arrives with the workflow's start (a client acting on the `pending` the API answered) is not
   * refused against the state before it.
   */
  let opened = !story.opening || input.resume !== undefined;
  // The validator answers at once whether the machine allows the decision, and why not.
  const onDecision: OnDecision<EventFromLogic<TMachine>, SnapshotFrom<TMachine>> = (update, toEvent, answer) =>
    setHandler(
      update,
      async (decisionInput) => {
        const decisionId = currentDecisionId();
        if (decisionIds.has(decisionId)) return answer(runner.snapshot);
        const carried = story.carriedFact?.(decisionInput);
        const event = toEvent(carried ? (carried.decision as typeof decisionInput) : decisionInput);
        const admit = (snapshot: SnapshotFrom<TMachine>) => refuseUnlessAllowed(snapshot, event);
        const customers = isCustomers(event);
        if (carried || (customers && answerAlone)) {
          // Refused before its fact is taken (the caller then records the fact apart) and before its actions wait.
          admit(runner.snapshot);
        }
        if (customers && answerAlone) runner.waitBehind(answerAlone);
        // The fact goes first.
        if (carried) await runner.decide(carried.fact);
        const taken = await (customers ? runner.decide(event, admit) : runner.send(event, admit));
        decisionIds.add(decisionId);
        return answer(taken);
      },
      {
        validator: (decisionInput) => {
          // A repeated decision id is answered with the current state, not decided again.
          if (decisionIds.has(currentDecisionId()) || !opened) return;
          const carried = story.carriedFact?.(decisionInput);
          refuseUnlessAllowed(runner.snapshot, toEvent(carried ? (carried.decision as typeof decisionInput) : decisionInput));
        },
      },
    );
  // The opening goes first in the runner's queue: a decision that came with the start, buffered
  // by the SDK until its handler is set just below, is then taken after it, not before.
  const opening = story.opening && !input.resume ? runner.send(story.opening(), () => void (opened = true)) : undefined;
  for (const bind of story.decisions) bind(onDecision, story.view);
  for (const bind of story.facts ?? []) bind((signal, toEvent) => setHandler(signal, async (input) => void (await runner.send(toEvent(input)))));
  setHandler(story.stateQuery, () => story.view(runner.snapshot));

  if (story.opening) {
    await opening;
  } else {
    // The machine's own first actions open the story: if they fail for good, so does the run.
    await runner.entered();
  }

  // Then time passes: decisions and facts arrive, deadlines fire.
  const timeToContinueAsNew = () =>
    story.timeToContinueAsNew({ snapshot: runner.snapshot, resumedFrom, written: writeSeq - writtenBefore, suggested: workflowInfo().continueAsNewSuggested });
  const storyPaused = () => story.isClosed(runner.snapshot) || timeToContinueAsNew();
  while (!storyPaused()) await runner.nextDeadline(storyPaused);

  // Callers of decisions in flight are waiting for their answer: let them have it.
  await condition(allHandlersFinished);
  // Actions still running behind an answer finish before the run ends (or throw what failed them).
  await runner.idle();
  await Promise.all(notifications);
  if (!story.isClosed(runner.snapshot)) {
    const { snapshot, deadlines } = runner.save();
    const resume: WorkflowResume = { snapshot, transitionSeq: writeSeq, decisionIds: [...decisionIds], deadlines };
    return continueAsNew<(next: TInput) => Promise<unknown>>({ ...input, resume });
  }
  return runner.snapshot;
}

/** The story's current details, in markdown: its title, status, what it waits for, the next timer and the kind's own facts. */
function currentDetails<TMachine extends AnyStateMachine>(operator: OperatorView<TMachine>, snapshot: SnapshotFrom<TMachine>, deadlines: Deadline[]): string {
  const next = deadlines.reduce<Deadline | undefined>((earliest, deadline) => (!earliest || deadline.at < earliest.at ? deadline : earliest), undefined);
  const lines = detailLines([
    ['Status', operator.status(snapshot).replaceAll('_', ' ')],
    ['Waiting for', operator.waitingFor(snapshot)],
    ['Next timer', next && `${operator.timer(deadlineName(next), snapshot)}, ${plainTime(next.at)}`],
    ...(operator.facts?.(snapshot) ?? []),
  ]);
  return `**${operator.title}**\n\n${lines}`;
}

/** A customer's click answers once taken (with actions behind); the seller's API answers once recorded. */
function isCustomers(event: object): boolean {
  return 'actor' in event && (event as Pick<DecisionInput, 'actor'>).actor.kind === 'customer';
}

/** A decision as its machine event, stamped with the workflow's clock. */
export function decisionEvent<TType extends string, TInput extends DecisionInput>(type: TType, decisionInput: TInput): TInput & { type: TType; at: number } {
  return { type, at: Date.now(), ...decisionInput };
}

/** The id of the decision being taken (the update's id); only inside a decision's handler or validator. */
export function currentDecisionId(): string {
  const update = currentUpdateInfo();
  if (!update) throw new Error('A decision is always an update');
  return update.id;
}
