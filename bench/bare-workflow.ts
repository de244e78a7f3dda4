/**
 * The engine's own cost, for comparison with the quote lifecycle: a workflow that runs the
 * same number of activities as a quote does in each phase of its life — at send, after the
 * "viewed" signal, and inside the "accept" update — but activities that do nothing, and no
 * state machine. Deterministic workflow code: bundled by the benchmark's worker.
 */
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export interface BareActivities {
  noop(): Promise<void>;
}

/** How many activities each phase runs (counted from a real quote's history by the benchmark). */
export interface BarePhases {
  atStart: number;
  afterSignal: number;
  inUpdate: number;
}

export const bareViewedSignal = defineSignal('viewed');
export const bareAcceptUpdate = defineUpdate<string>('accept');

const { noop } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

async function runNoops(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) await noop();
}

export async function bareWorkflow(phases: BarePhases): Promise<void> {
  let viewed = false;
  let accepted = false;
  setHandler(bareViewedSignal, () => {
    viewed = true;
  });
  setHandler(bareAcceptUpdate, async () => {
    await condition(() => viewed);
    await runNoops(phases.inUpdate);
    accepted = true;
    return 'accepted';
  });
  await runNoops(phases.atStart);
  await condition(() => viewed);
  await runNoops(phases.afterSignal);
  await condition(() => accepted);
}
