/**
 * The engine's own cost, for comparison with the quote lifecycle: a workflow that runs the
 * same number of activities as a quote does before its accept and after it — but activities
 * that do nothing, and no state machine. Like the quote's portal decision (which carries its
 * view), the accept is one update and no signal: the quote's history has no signal left to
 * mirror. Like the quote's, the update answers at once and the activities after it run once it
 * has. The bench sends it right after the start, while the activities before it may still run
 * (a quote's runs before its email arrives): it waits at most for a workflow task in flight.
 * Deterministic workflow code: bundled by the benchmark, run by bench/bare-worker.ts.
 */
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BareActivities {
  noop(): Promise<void>;
}

/** How many activities each phase runs (counted from a real quote's history by the benchmark). */
export interface BarePhases {
  beforeUpdate: number;
  afterUpdate: number;
}

export const bareAcceptUpdate = defineUpdate<string>('accept');

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

async function runNoops(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await noop();
}

export async function bareWorkflow(phases: BarePhases): Promise<void> {
  let accepted = false;
  setHandler(bareAcceptUpdate, () => {
    accepted = true;
    return 'accepted';
  });
  await runNoops(phases.beforeUpdate);
  await condition(() => accepted);
  await runNoops(phases.afterUpdate);
}
