/**
 * One Greenlight worker: every workflow (workflows/index.ts) and the given activities on
 * one task queue. The workflow code comes prebuilt when a bundle path is given (tests
 * bundle once for all their workers; production can ship a bundle), else webpack bundles
 * workflows/ at start.
 */
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { GreenlightActivities } from '../activities/types';

export interface GreenlightWorkerOptions {
  connection: NativeConnection;
  taskQueue: string;
  activities: GreenlightActivities;
  workflowBundlePath?: string;
  namespace?: string;
}

export function createGreenlightWorker(options: GreenlightWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    // Activities are short (a database write, one email): let the running ones finish on
    // shutdown rather than leave them to time out and be retried elsewhere.
    shutdownGraceTime: '10s',
  });
}
