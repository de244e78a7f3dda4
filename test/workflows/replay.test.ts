/**
 * Every recorded history under test/replay/ must replay on the current workflow code: a
 * change that would break documents already running fails here, before it ships.
 */
import { Worker } from '@temporalio/worker';
import { testWorkflowCode } from '../support/worker';
import { recordedHistories } from '../replay/record';
import * as workflows from '../../workflows';

const recorded = recordedHistories();

it('has a recorded history of every workflow the worker runs', () => {
  const recordedTypes = new Set(recorded.map((r) => r.history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name));
  expect(Object.keys(workflows).filter((type) => !recordedTypes.has(type))).toEqual([]);
});

it('replays every recorded history without nondeterminism', async () => {
  const failures: string[] = [];
  const replays = Worker.runReplayHistories(testWorkflowCode(), recorded);
  for await (const result of replays) {
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
});
