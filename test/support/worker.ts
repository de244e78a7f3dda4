/**
 * A real worker on the shared test dev server, for workflow tests with in-memory
 * activities: each call polls its own task queue, so test files run in parallel safely.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { GreenlightActivities } from '../../activities/types';
import { createGreenlightWorker } from '../../workers/create-worker';
import { testServices } from './environment';

export interface TestWorker {
  client: Client;
  taskQueue: string;
  close(): Promise<void>;
}

export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

export async function startTestWorker(options: { taskQueue?: string; activities: GreenlightActivities }): Promise<TestWorker> {
  const services = testServices();
  const taskQueue = options.taskQueue ?? uniqueTaskQueue();
  const connection = await Connection.connect({ address: services.temporalAddress });
  const client = new Client({ connection });
  const running = await runWorker({ address: services.temporalAddress, taskQueue, activities: options.activities, workflowBundlePath: services.workflowBundlePath });
  return {
    client,
    taskQueue,
    close: async () => {
      await running.stop();
      await connection.close();
    },
  };
}

/** The workflow code a test's own Worker.create or replay runs: the run's prebuilt bundle, or the sources bundled afresh. */
export function testWorkflowCode(): { workflowBundle: { codePath: string } } | { workflowsPath: string } {
  const { workflowBundlePath } = testServices();
  return workflowBundlePath ? { workflowBundle: { codePath: workflowBundlePath } } : { workflowsPath: require.resolve('../../workflows') };
}

export interface RunningWorker {
  worker: Worker;
  stop(): Promise<void>;
}

/** Starts a worker and keeps its run() promise, so a crash surfaces on stop() instead of vanishing. */
export async function runWorker(options: {
  address: string;
  taskQueue: string;
  activities: GreenlightActivities;
  workflowBundlePath?: string;
}): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: options.address });
  const worker = await createGreenlightWorker({
    connection,
    taskQueue: options.taskQueue,
    activities: options.activities,
    workflowBundlePath: options.workflowBundlePath,
  });
  const run = worker.run();
  run.catch(() => undefined); // observed in stop()
  return {
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      try {
        await run;
      } finally {
        await connection.close();
      }
    },
  };
}
