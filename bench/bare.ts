/**
 * What the benches compare Greenlight with: the bare workflow (bench/bare-workflow.ts) on a worker
 * process of its own (bench/bare-worker.ts), running as many activities as a real quote ran —
 * Temporal's own cost of the same work, without our engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { quoteRunOver } from '../test/support/quote-run';
import type { Stack } from '../test/support/stack';
import { quoteWorkflowId } from '../workflows/messages/quote';
import type { BarePhases } from './bare-workflow';

/** The bare workflow's source, for inBenchEnvironment's `extraBundles`. */
export const BARE_WORKFLOW = path.join(__dirname, 'bare-workflow.ts');

/** bench/bare-worker.ts as a child, resolved once it polls; its output beside the bench's other logs. */
export async function startBareWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'bare-worker.ts')], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the bare worker exited (${code}) before polling`)));
  });
  return child;
}

/** The marker a local activity leaves in the history (Temporal's SDK core): one per local activity run. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * How many activities an accepted quote ran before the accept update, and from it on: its
 * regular activities and its local ones (the transition records), which the bare workflow runs
 * as regular activities — the engine's cost of the same work, kept honest.
 */
export async function activityPhases(stack: Stack, documentId: string): Promise<BarePhases> {
  // Its closed history: the accept answers before its activities run (workflows/story.ts), and an
  // accepted quote's run stays open until the seller moves it on (which runs no activity).
  await quoteRunOver(stack, documentId);
  const history = await stack.client.workflow.getHandle(quoteWorkflowId(documentId)).fetchHistory();
  const events = history.events ?? [];
  const phases: BarePhases = { beforeUpdate: 0, afterUpdate: 0 };
  let phase: keyof BarePhases = 'beforeUpdate';
  for (const event of events) {
    if (event.workflowExecutionUpdateAcceptedEventAttributes) phase = 'afterUpdate';
    if (event.activityTaskScheduledEventAttributes || event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER) phases[phase] += 1;
  }
  const count = (has: (event: (typeof events)[number]) => unknown) => events.filter(has).length;
  console.log(
    `[bench] a quote's history: ${events.length} events, ${count((event) => event.workflowTaskCompletedEventAttributes)} workflow tasks, ` +
      `${count((event) => event.activityTaskScheduledEventAttributes)} regular activities, ` +
      `${count((event) => event.markerRecordedEventAttributes?.markerName === LOCAL_ACTIVITY_MARKER)} local ones, ${count((event) => event.timerStartedEventAttributes)} timers`,
  );
  return phases;
}
