/**
 * Recorded histories under test/replay/, which CI replays against the current workflow code
 * (test/workflows/replay.test.ts), which also asks for one of every workflow the worker runs.
 * The workflow and integration tests that drive a workflow record it when
 * RECORD_REPLAY_HISTORIES=1 (grep for it): `RECORD_REPLAY_HISTORIES=1 npx jest
 * test/workflows/quote.test.ts`. A test file rewrites every history it records: commit only the
 * new ones. Record a new file when a workflow changes on purpose (behind `patched()`), and keep
 * the old ones: `*-loop*.json` are signature and subscription runs of the loops the shared
 * story replaced (workflows/legacy/), `*-loop-to-story-*` a run of each continuing as new onto
 * the story.
 *
 * Files hold the History message as @temporalio/proto writes it (int64 as strings, enums by
 * name, bytes in base64). Not through historyToJSON/historyFromJSON: with the two copies of
 * protobufjs npm installs under @temporalio/common and @temporalio/proto, their proto-JSON
 * step fails ("type must be a Type").
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowClient, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;
export const REPLAY_DIR = __dirname;

export async function saveReplayHistory(handle: WorkflowHandle, name: string): Promise<string> {
  const history = History.fromObject(await handle.fetchHistory());
  const file = path.join(REPLAY_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(History.toObject(history, { longs: String, enums: String, bytes: String }), null, 2)}\n`);
  return file;
}

/**
 * The history of the workflow's newest run once it closed: a document's workflow closes after
 * the notices it sent behind its last answer, which a test has not waited for.
 */
export async function saveClosedHistory(client: WorkflowClient, workflowId: string, name: string): Promise<string> {
  const handle = client.getHandle(workflowId);
  await handle.result();
  return saveReplayHistory(handle, name);
}

/**
 * Every run of a workflow that continued as new, oldest first, each in a file of its own
 * (`<name>-run<n>.json`): a later run starts from the state the one before carried.
 */
export async function saveReplayRuns(client: WorkflowClient, workflowId: string, name: string): Promise<string[]> {
  // Walked back from the latest run: each run's start names the run it continues.
  const runs: WorkflowHandle[] = [];
  for (let runId: string | undefined = undefined; ; ) {
    const handle: WorkflowHandle = client.getHandle(workflowId, runId);
    const started = (await handle.fetchHistory()).events?.[0]?.workflowExecutionStartedEventAttributes;
    runs.unshift(handle);
    runId = started?.continuedExecutionRunId || undefined;
    if (!runId) break;
  }
  const files: string[] = [];
  for (const [index, handle] of runs.entries()) files.push(await saveReplayHistory(handle, `${name}-run${index + 1}`));
  return files;
}

/** Every recorded history, named by its file. */
export function recordedHistories(): { workflowId: string; history: temporal.api.history.v1.History }[] {
  return readdirSync(REPLAY_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: History.fromObject(JSON.parse(readFileSync(path.join(REPLAY_DIR, file), 'utf8'))),
    }));
}
