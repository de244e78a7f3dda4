/**
 * One Greenlight worker: every workflow (workflows/index.ts) and the given activities on
 * one task queue. The workflow code comes prebuilt when a bundle path is given (tests
 * bundle once for all their workers; `npm run build` bundles once for production), else
 * webpack bundles workflows/ at start. Either way the bundle holds the workflow interceptors
 * (request ids, tracing), and every activity goes through the activity interceptors (request
 * ids, outcome counts, tracing).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { Worker, type NativeConnection } from '@temporalio/worker';
import type { GreenlightActivities } from '../activities/types';
import type { Tracing } from '../platform/tracing';
import { activityInterceptors } from './activity-interceptors';

/** Bundled with the workflows wherever they are bundled (here, or scripts/lib/workflow-bundle.ts). */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('./workflow-interceptors')];

const workflowsDir = path.join(__dirname, '..', 'workflows');

/** The modules of a folder of workflows/ (their compiled .js in dist/). */
function modulesIn(folder: string): string[] {
  const dir = path.join(workflowsDir, folder);
  return readdirSync(dir)
    .filter((file) => /^[\w-]+\.(ts|js)$/.test(file))
    .map((file) => path.join(dir, file));
}

/**
 * The modules the workflow thread evaluates once and every workflow shares, wherever the workflows
 * are bundled: the definitions, made once and never changed — the XState machines
 * (workflows/machines/, and the legacy signature machine old runs still replay on), with XState
 * and the domain/ modules they import, and the signals, queries and updates (workflows/messages/).
 * The SDK evaluates the rest of the bundle afresh for each workflow brought into the sticky cache
 * (its module state is the workflow's own): these were 420 of the 470 KB of heap each cached
 * workflow held for its modules, and of the CPU each replay spent evaluating them. The SDK
 * freezes what these modules export.
 */
export const WORKFLOW_PRELOAD_MODULES = [...modulesIn('machines'), require.resolve('../workflows/legacy/signature-machine'), ...modulesIn('messages')];

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
  /** On when an OTLP endpoint is configured (platform/tracing.ts). */
  tracing?: Tracing;
  /** The sticky cache's bound (Config.maxCachedWorkflows); the SDK's default when absent. */
  maxCachedWorkflows?: number;
}

export function createGreenlightWorker(options: GreenlightWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue,
    activities: options.activities,
    ...(options.workflowBundlePath
      ? { workflowBundle: { codePath: options.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows'), bundlerOptions: { preloadModules: WORKFLOW_PRELOAD_MODULES } }),
    interceptors: {
      activity: activityInterceptors(options.tracing),
      ...(options.workflowBundlePath ? {} : { workflowModules: WORKFLOW_INTERCEPTOR_MODULES }),
    },
    // The workflow interceptors hand their spans to this sink (workflow code cannot do I/O).
    ...(options.tracing ? { sinks: { exporter: makeWorkflowExporter(options.tracing.spanProcessor, options.tracing.resource) } } : {}),
    // Activities are short (a database write, one email): let the running ones finish on
    // shutdown rather than leave them to time out and be retried elsewhere.
    shutdownGraceTime: '10s',
    ...(options.maxCachedWorkflows ? { maxCachedWorkflows: options.maxCachedWorkflows } : {}),
  });
}
