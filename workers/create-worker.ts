/**
 * One Greenlight worker: every workflow (workflows/index.ts) and the given activities on
 * one task queue. The workflow code comes prebuilt when a bundle path is given (tests
 * bundle once for all their workers; `npm run build` bundles once for production), else
 * webpack bundles workflows/ at start.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { GreenlightActivities } from '../activities/types';

/**
 * The prebuilt workflow code a worker process loads: WORKFLOW_BUNDLE_PATH, else the bundle
 * `npm run build` writes beside the compiled code (dist/workflow-bundle.js, one folder up from
 * dist/workers/). Run from the sources there is none (no workflow-bundle.js at the root), and
 * the worker bundles at start.
 */
export function workflowBundlePath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.WORKFLOW_BUNDLE_PATH) return env.WORKFLOW_BUNDLE_PATH;
  const built = path.join(__dirname, '..', 'workflow-bundle.js');
  return existsSync(built) ? built : undefined;
}

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
