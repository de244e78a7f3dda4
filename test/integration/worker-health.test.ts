/**
 * A worker process's health endpoint (WORKER_HEALTH_PORT): 200 once it polls its task queue —
 * which Temporal confirms by listing it among the queue's pollers — and nothing answers there
 * once the process is gone.
 */
import { hostname } from 'node:os';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { killHard, WorkerProcesses } from '../support/worker-process';

// 1 = TASK_QUEUE_TYPE_WORKFLOW
const WORKFLOW_TASK_QUEUE = 1;

describe('worker health endpoint', () => {
  let stack: Stack;
  const workers = new WorkerProcesses();

  beforeAll(async () => {
    stack = await startStack({ inProcessWorker: false });
  }, 120_000);
  afterAll(async () => {
    await workers.stopAll();
    await stack?.close();
  });

  it('answers 200 while the worker polls its task queue, and nothing once it is gone', async () => {
    const port = await findFreePort();
    const worker = workers.start(stack, 'health', { WORKER_HEALTH_PORT: String(port) });
    const healthUrl = `http://127.0.0.1:${port}/healthz`;

    const healthy = await eventually(
      async () => {
        const response = await fetch(healthUrl);
        return response.status === 200 ? response : undefined;
      },
      { what: 'the worker answering 200 on /healthz', timeoutMs: 120_000 },
    );
    expect(healthy.headers.get('content-type')).toBe('application/json');
    expect(await healthy.json()).toEqual({ status: 'ok', state: 'RUNNING', taskQueue: stack.taskQueue });

    const pollers = await eventually(
      async () => {
        const { pollers: found } = await stack.client.workflowService.describeTaskQueue({
          namespace: stack.config.temporalNamespace,
          taskQueue: { name: stack.taskQueue },
          taskQueueType: WORKFLOW_TASK_QUEUE,
        });
        return found?.length ? found : undefined;
      },
      { what: `a poller on ${stack.taskQueue}` },
    );
    expect(pollers.map((poller) => poller.identity)).toContain(`${worker.pid}@${hostname()}`);

    await killHard(worker);
    await expect(fetch(healthUrl)).rejects.toThrow();
  }, 180_000);
});
