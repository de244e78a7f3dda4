/**
 * Recorded histories under test/replay/, which CI replays against the current workflow code
 * (test/workflows/replay.test.ts). The workflow tests record one when RECORD_REPLAY_HISTORIES=1:
 * `RECORD_REPLAY_HISTORIES=1 npx jest test/workflows/quote.test.ts`. Record a new file when a
 * workflow changes on purpose (behind `patched()`), and keep the old ones.
 *
 * Files hold the History message as @temporalio/proto writes it (int64 as strings, enums by
 * name, bytes in base64). Not through historyToJSON/historyFromJSON: with the two copies of
 * protobufjs npm installs under @temporalio/common and @temporalio/proto, their proto-JSON
 * step fails ("type must be a Type").
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;
export const REPLAY_DIR = __dirname;

export async function saveReplayHistory(handle: WorkflowHandle, name: string): Promise<string> {
  const history = History.fromObject(await handle.fetchHistory());
  const file = path.join(REPLAY_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(History.toObject(history, { longs: String, enums: String, bytes: String }), null, 2)}\n`);
  return file;
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
