/**
 * The benches' bare workflow (bench/bare-workflow.ts) served by a worker process of its own, as
 * Greenlight's worker is: BARE_WORKFLOW_BUNDLE (the bundle the bench made), TASK_QUEUE and
 * TEMPORAL_ADDRESS from the environment, and MAX_CACHED_WORKFLOWS when a bench bounds its sticky
 * cache as Greenlight's (WORKER_MAX_CACHED_WORKFLOWS). Prints "ready" once polling; stops on
 * SIGTERM (the SDK's shutdown signals).
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { BareActivities } from './bare-workflow';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  // Warnings and errors only, as Greenlight's worker logs in the bench (LOG_LEVEL warn).
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
  const activities: BareActivities = { noop: async () => undefined };
  const worker = await Worker.create({
    connection,
    taskQueue: required('TASK_QUEUE'),
    workflowBundle: { codePath: required('BARE_WORKFLOW_BUNDLE') },
    activities,
    ...(process.env.MAX_CACHED_WORKFLOWS ? { maxCachedWorkflows: Number(process.env.MAX_CACHED_WORKFLOWS) } : {}),
  });
  const running = worker.run();
  console.log('ready');
  await running;
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
