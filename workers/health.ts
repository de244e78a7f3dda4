/**
 * The worker's health endpoint (WORKER_HEALTH_PORT), for whatever supervises the process — an
 * orchestrator's probe, the load balancer of `make cluster`. GET /healthz answers 200 while
 * the worker polls its task queue (state RUNNING) and 503 otherwise: still starting, draining
 * on shutdown, failed. A worker has no other HTTP surface.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { State } from '@temporalio/worker';

export interface WorkerHealthServer {
  url: string;
  close(): Promise<void>;
}

export function startWorkerHealthServer(options: { port: number; taskQueue: string; state: () => State }): Promise<WorkerHealthServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/healthz') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('GET /healthz\n');
      return;
    }
    const state = options.state();
    res
      .writeHead(state === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ status: state === 'RUNNING' ? 'ok' : 'unavailable', state, taskQueue: options.taskQueue }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise<void>((closed) => server.close(() => closed())),
      });
    });
  });
}
