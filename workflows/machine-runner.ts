/**
 * Runs a pure XState machine inside a Temporal workflow (DESIGN.md §3). Every document kind's
 * workflow uses it the same way:
 *
 * - the machine is stepped with XState's pure `initialTransition` / `transition`; assign
 *   actions are already applied by XState, and the runner keeps the resulting snapshot;
 * - an action named after an activity is run by the handler of that name the workflow gives;
 *   what the activity answered comes back as the event the handler returns (a charge's
 *   CHARGE_SUCCEEDED, a provider's PROVIDER_STATUS), fed to the machine once the step's
 *   actions ran and before any other event: the outcome is the rest of the step, so nothing
 *   decided meanwhile can come between an activity and what it answered;
 * - events carry `at` (epoch ms): the machine's clock, so its delays are computed from data;
 * - a delayed event (`after:` a named delay) arrives as `xstate.raise` with `params.delay`: it
 *   becomes a deadline at the absolute time `event.at + delay`, waited on by `nextDeadline()`
 *   with `condition`, and fed back through `transition`, stamped with the time it fired;
 *   `xstate.cancel` drops it. A delay of Infinity means "never" (no timer is due);
 * - events are processed one at a time: `send` queues the event and resolves once its actions
 *   (and their outcomes) ran, so the machine never steps concurrently, whatever handlers run at once;
 * - `beforeActions`, when given, sees each new snapshot before its actions run (a kind whose
 *   read model keeps the whole state writes it there, so a charge shows before it is made);
 * - with `actionsRunBehind`, an event is taken at once (admitted and transitioned, its timers
 *   armed) and its actions run behind, one event's after another's, in the order the events
 *   were taken: a decision answers as soon as the machine took it (`decide`), and its writes,
 *   emails and webhooks follow. Its actions answer no event (nothing may come between an
 *   activity and its answer, and here everything may); one that fails for good fails the run
 *   (`nextDeadline` and `idle` throw it), as a fact's or a deadline's does, and nothing of
 *   what was queued behind it runs.
 *
 * Deadlines and the snapshot are plain data (`save()`), so a workflow carries them through
 * continue-as-new and resumes with `MachineRunner.restore`.
 */
import { condition } from '@temporalio/workflow';
import {
  initialTransition,
  transition,
  type AnyStateMachine,
  type EventFromLogic,
  type InputFrom,
  type ParameterizedObject,
  type SnapshotFrom,
  type StateMachine,
} from 'xstate';

/** A delayed event due at an absolute time (epoch ms, workflow clock). */
export interface Deadline {
  /** XState's send id: a later `xstate.cancel` names it. */
  id: string;
  /** Type of the event to feed back when it fires. */
  event: string;
  at: number;
}

/**
 * The name operators know a deadline by: an `after` delay's name (XState names its event
 * `xstate.after.<delay>.<state>`), else the event it feeds back (a raised CHECK_DUE).
 */
export function deadlineName(deadline: Deadline): string {
  return deadline.event.startsWith('xstate.after.') ? (deadline.event.split('.')[2] ?? deadline.event) : deadline.event;
}

/** Who watches the runner for operators (the Temporal UI): what each timer is for, and each settled state. */
export interface RunnerObserver<TMachine extends AnyStateMachine> {
  /** The summary on the deadline's timer ("reminder 1 of 3"), from the state that armed it. */
  timerSummary(deadline: Deadline, snapshot: SnapshotFrom<TMachine>): string;
  /** An event and its actions were processed (or the run's first work was done). */
  settled(snapshot: SnapshotFrom<TMachine>, deadlines: Deadline[]): void;
}

/** One action the machine asked for, with what caused it. */
export interface ActionCall<TMachine extends AnyStateMachine, TParams = unknown> {
  params: TParams;
  event: EventFromLogic<TMachine>;
  snapshot: SnapshotFrom<TMachine>;
  previous: SnapshotFrom<TMachine> | undefined;
}

/** Every action the machine names, as `setup({ actions })` declared it: its type and its params. */
type MachineAction<TMachine> =
  TMachine extends StateMachine<
    infer _TContext,
    infer _TEvent,
    infer _TChildren,
    infer _TActor,
    infer TAction,
    infer _TGuard,
    infer _TDelay,
    infer _TStateValue,
    infer _TTag,
    infer _TInput,
    infer _TOutput,
    infer _TEmitted,
    infer _TMeta,
    infer _TStateSchema
  >
    ? TAction
    : never;

/**
 * The actions the workflow runs: those declared with `activity<TParams>()` (machines/actions.ts),
 * whose params are what the machine passes (`undefined` when nothing). XState's own actions
 * (assign) leave their params unknown: that is how the two are told apart.
 */
type ActivityAction<TMachine> = MachineAction<TMachine> extends infer TAction
  ? TAction extends ParameterizedObject
    ? unknown extends TAction['params']
      ? never
      : TAction
    : never
  : never;

/** The names of the activity actions a machine names. */
export type ActivityActionName<TMachine> = ActivityAction<TMachine>['type'];

/** What an activity answered, as the machine event it becomes; nothing when the machine needs no answer. */
export type Outcome<TMachine extends AnyStateMachine> = EventFromLogic<TMachine> | void;

/**
 * The workflow's implementation of each activity action the machine declares, by its name and
 * with its params: a misspelled, missing or extra handler fails to compile.
 */
export type ActionHandlers<TMachine extends AnyStateMachine> = {
  [TAction in ActivityAction<TMachine> as TAction['type']]: (call: ActionCall<TMachine, TAction['params']>) => Promise<Outcome<TMachine>>;
};

/** Sees a new snapshot before its actions run; `previous` is absent for a run's first snapshot. */
export type BeforeActions<TMachine extends AnyStateMachine> = (snapshot: SnapshotFrom<TMachine>, previous: SnapshotFrom<TMachine> | undefined) => Promise<void>;

type AnyActionHandler = (call: ActionCall<AnyStateMachine, unknown>) => Promise<unknown>;

/** What a runner is given besides its machine and handlers. */
export interface RunnerOptions<TMachine extends AnyStateMachine> {
  beforeActions?: BeforeActions<TMachine>;
  observer?: RunnerObserver<TMachine>;
  /** Events are taken at once and their actions run behind, in order (see the top of this file). */
  actionsRunBehind?: boolean;
}

/** What a runner saves to be restored later (continue-as-new). */
export interface SavedMachine {
  snapshot: { value: unknown; context: unknown };
  deadlines: Deadline[];
}

interface ExecutableAction {
  type: string;
  params?: unknown;
}

export class MachineRunner<TMachine extends AnyStateMachine> {
  #snapshot: SnapshotFrom<TMachine>;
  readonly #deadlines = new Map<string, Deadline>();
  #queue: Promise<unknown> = Promise.resolve();
  /** The run's first work: a fresh machine's entry actions, a restored one's first look. */
  #entered: Promise<unknown> = Promise.resolve();
  /** With actions behind: what a failed action behind an answer failed with; nothing runs after it. */
  #failure: { error: unknown } | undefined;
  private readonly beforeActions: BeforeActions<TMachine> | undefined;
  private readonly observer: RunnerObserver<TMachine> | undefined;
  private readonly actionsRunBehind: boolean;

  private constructor(
    private readonly machine: TMachine,
    private readonly handlers: ActionHandlers<TMachine>,
    snapshot: SnapshotFrom<TMachine>,
    options: RunnerOptions<TMachine>,
  ) {
    this.#snapshot = snapshot;
    this.beforeActions = options.beforeActions;
    this.observer = options.observer;
    this.actionsRunBehind = options.actionsRunBehind ?? false;
  }

  /** A fresh machine; its initial entry actions run before any queued event. */
  static start<TMachine extends AnyStateMachine>(
    machine: TMachine,
    input: InputFrom<TMachine>,
    handlers: NoInfer<ActionHandlers<TMachine>>,
    options: NoInfer<RunnerOptions<TMachine>> = {},
  ): MachineRunner<TMachine> {
    const [snapshot, actions] = (initialTransition as (logic: TMachine, input: unknown) => [SnapshotFrom<TMachine>, ExecutableAction[]])(
      machine,
      input,
    );
    const runner = new MachineRunner(machine, handlers, snapshot, options);
    const init = { type: 'xstate.init', at: Date.now(), input } as EventFromLogic<TMachine>;
    if (runner.actionsRunBehind) {
      runner.#entered = runner.#takeStep(snapshot, actions, init, undefined);
      return runner;
    }
    const { beforeActions } = options;
    const enter = () => runner.#execute(actions, init, undefined);
    runner.#entered = runner.#enqueue(beforeActions ? () => beforeActions(snapshot, undefined).then(enter) : enter);
    return runner;
  }

  /** A machine saved by `save()`; its deadlines are armed again at their original times, and `beforeActions` sees it first. */
  static restore<TMachine extends AnyStateMachine>(
    machine: TMachine,
    saved: SavedMachine,
    handlers: NoInfer<ActionHandlers<TMachine>>,
    options: NoInfer<RunnerOptions<TMachine>> = {},
  ): MachineRunner<TMachine> {
    const snapshot = machine.resolveState(saved.snapshot as Parameters<TMachine['resolveState']>[0]) as SnapshotFrom<TMachine>;
    const runner = new MachineRunner(machine, handlers, snapshot, options);
    for (const deadline of saved.deadlines) runner.#deadlines.set(deadline.id, deadline);
    const { beforeActions } = options;
    if (beforeActions) {
      const look = () => beforeActions(snapshot, undefined);
      runner.#entered = runner.actionsRunBehind ? runner.#behind(look) : runner.#enqueue(look);
    }
    options.observer?.settled(snapshot, runner.deadlines);
    return runner;
  }

  /** Resolves once the run's first work is done, and fails as it failed: nobody else awaits it. */
  async entered(): Promise<void> {
    await this.#entered;
  }

  get snapshot(): SnapshotFrom<TMachine> {
    return this.#snapshot;
  }

  get deadlines(): Deadline[] {
    return [...this.#deadlines.values()];
  }

  save(): SavedMachine {
    const { value, context } = this.#snapshot;
    return { snapshot: { value, context }, deadlines: this.deadlines };
  }

  /**
   * Queue `event`; at its turn, `admit` (if given) sees the then-current snapshot and may throw
   * to refuse it, so a check made earlier (an update validator) cannot be outrun by another
   * event. Resolves with the snapshot after the event's actions ran.
   */
  send(event: EventFromLogic<TMachine>, admit?: (snapshot: SnapshotFrom<TMachine>) => void): Promise<SnapshotFrom<TMachine>> {
    if (this.actionsRunBehind) {
      return this.#taking(event, admit).then(async ({ snapshot, actions }) => {
        await actions;
        return snapshot;
      });
    }
    return this.#enqueue(async () => {
      admit?.(this.#snapshot);
      await this.#step(event);
      return this.#snapshot;
    });
  }

  /**
   * A decision: as `send`, but with actions behind it resolves as soon as the machine took the
   * event, with the snapshot it made; its actions follow in order (a failure of theirs fails
   * the run, see the top of this file).
   */
  async decide(event: EventFromLogic<TMachine>, admit?: (snapshot: SnapshotFrom<TMachine>) => void): Promise<SnapshotFrom<TMachine>> {
    if (!this.actionsRunBehind) return this.send(event, admit);
    return (await this.#taking(event, admit)).snapshot;
  }

  /**
   * Wait until the earliest deadline is due and feed its event back, or return early when
   * `interrupt()` becomes true or the earliest deadline changes. Callers loop on it.
   */
  async nextDeadline(interrupt: () => boolean): Promise<void> {
    const due = this.#earliestDeadline();
    // Compared by value: a state re-entered re-arms its timers at the same times, and a
    // view must not cost a cancelled timer in the history.
    const interrupted = () => {
      const earliest = this.#earliestDeadline();
      return interrupt() || this.#failure !== undefined || earliest?.id !== due?.id || earliest?.at !== due?.at;
    };
    if (!due) {
      await condition(interrupted);
      this.#throwFailure();
      return;
    }
    const wait = due.at - Date.now();
    // The timer says what it is for in the Temporal UI; metadata, not a command of its own.
    if (wait > 0 && (await this.#waitUntil(interrupted, wait, due))) return this.#throwFailure();
    if (this.actionsRunBehind) {
      const current = this.#deadlines.get(due.id);
      if (current?.at !== due.at) return;
      this.#deadlines.delete(due.id);
      await this.send({ type: due.event, at: Date.now() } as EventFromLogic<TMachine>);
      return;
    }
    await this.#enqueue(async () => {
      // Another event may have cancelled or moved it while this one waited its turn.
      const current = this.#deadlines.get(due.id);
      if (current?.at !== due.at) return;
      this.#deadlines.delete(due.id);
      await this.#step({ type: due.event, at: Date.now() } as EventFromLogic<TMachine>);
    });
  }

  /** With actions behind: queues `work` behind the actions taken so far, as an event's own actions are; what follows waits for it. */
  waitBehind(work: () => Promise<void>): void {
    if (!this.actionsRunBehind) throw new Error('Only actions run behind the answer can wait behind it');
    void this.#behind(work);
  }

  /** Resolves once every queued event has been processed (with actions behind: every action ran, or throws what one failed with). */
  async idle(): Promise<void> {
    let tail: Promise<unknown>;
    do {
      tail = this.#queue;
      await tail;
    } while (tail !== this.#queue);
    this.#throwFailure();
  }

  #throwFailure(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /**
   * With actions behind: takes the event now (admitted, transitioned, its timers armed) and
   * queues its actions behind those of the events taken before; `actions` settles once they ran.
   */
  async #taking(event: EventFromLogic<TMachine>, admit?: (snapshot: SnapshotFrom<TMachine>) => void): Promise<{ snapshot: SnapshotFrom<TMachine>; actions: Promise<void> }> {
    admit?.(this.#snapshot);
    const previous = this.#snapshot;
    const [next, actions] = transition(this.machine, previous, event) as [SnapshotFrom<TMachine>, ExecutableAction[]];
    this.#snapshot = next;
    return { snapshot: next, actions: this.#takeStep(next, actions, event, previous) };
  }

  /** With actions behind: the step's timers now, its activity actions (and `beforeActions`) behind the answer. */
  #takeStep(snapshot: SnapshotFrom<TMachine>, actions: ExecutableAction[], event: EventFromLogic<TMachine>, previous: SnapshotFrom<TMachine> | undefined): Promise<void> {
    const activities: { action: ExecutableAction; handler: AnyActionHandler }[] = [];
    for (const action of actions) {
      if (this.#keepTime(action, event)) continue;
      activities.push({ action, handler: this.#handlerOf(action) });
    }
    return this.#behind(async () => {
      if (this.beforeActions) await this.beforeActions(snapshot, previous);
      for (const { action, handler } of activities) {
        const outcome = await handler({ params: action.params, event, snapshot, previous });
        if (outcome) throw new Error(`The action "${action.type}" answered an event: its machine cannot run its actions behind the answer`);
      }
      // The step's own state: operators read a status once its actions ran, not as soon as it was taken.
      this.observer?.settled(snapshot, this.deadlines);
    });
  }

  /** Queues work behind the actions taken before; the first failure is kept and stops everything after it. */
  #behind(work: () => Promise<void>): Promise<void> {
    const done = this.#queue.then(() => {
      this.#throwFailure();
      return work();
    });
    this.#queue = done.catch((error: unknown) => {
      this.#failure ??= { error };
    });
    return done;
  }

  #waitUntil(interrupted: () => boolean, wait: number, due: Deadline): Promise<boolean> {
    return this.observer ? condition(interrupted, wait, { summary: this.observer.timerSummary(due, this.#snapshot) }) : condition(interrupted, wait);
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(work);
    // A refused or failed event must not block the ones behind it; its caller gets the error.
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #step(event: EventFromLogic<TMachine>): Promise<void> {
    const previous = this.#snapshot;
    const [next, actions] = transition(this.machine, previous, event) as [SnapshotFrom<TMachine>, ExecutableAction[]];
    this.#snapshot = next;
    if (this.beforeActions) await this.beforeActions(next, previous);
    await this.#execute(actions, event, previous);
  }

  async #execute(actions: ExecutableAction[], event: EventFromLogic<TMachine>, previous: SnapshotFrom<TMachine> | undefined): Promise<void> {
    const outcomes: EventFromLogic<TMachine>[] = [];
    for (const action of actions) {
      if (this.#keepTime(action, event)) continue;
      const outcome = await this.#handlerOf(action)({ params: action.params, event, snapshot: this.#snapshot, previous });
      if (outcome) outcomes.push(outcome as EventFromLogic<TMachine>);
    }
    for (const outcome of outcomes) await this.#step(outcome);
    // Told synchronously, at the end of work already awaited: no tick is added that could move a command.
    this.observer?.settled(this.#snapshot, this.deadlines);
  }

  /** Applies a timer action (arm or cancel a deadline); false for any other action. */
  #keepTime(action: ExecutableAction, cause: { at?: unknown }): boolean {
    switch (action.type) {
      case 'xstate.raise':
        this.#arm(action.params as { event: { type: string }; id?: string; delay?: number }, cause);
        return true;
      case 'xstate.cancel':
        this.#deadlines.delete((action.params as { sendId: string }).sendId);
        return true;
      default:
        return false;
    }
  }

  #handlerOf(action: ExecutableAction): AnyActionHandler {
    const handler = (this.handlers as Partial<Record<string, AnyActionHandler>>)[action.type];
    // A built-in we do not interpret (spawn, sendTo, ...) or an action without an
    // activity is a programming error: fail the workflow task loudly, never skip it.
    if (!handler) throw new Error(`No handler for machine action "${action.type}"`);
    return handler;
  }

  #arm({ event, id, delay }: { event: { type: string }; id?: string; delay?: number }, cause: { at?: unknown }): void {
    if (delay === undefined) throw new Error(`Immediate raise of "${event.type}" reached the interpreter`);
    if (!Number.isFinite(delay)) return;
    const from = typeof cause.at === 'number' ? cause.at : Date.now();
    const deadline = { id: id ?? event.type, event: event.type, at: from + delay };
    this.#deadlines.set(deadline.id, deadline);
  }

  #earliestDeadline(): Deadline | undefined {
    let earliest: Deadline | undefined;
    for (const deadline of this.#deadlines.values()) if (!earliest || deadline.at < earliest.at) earliest = deadline;
    return earliest;
  }
}
