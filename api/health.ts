/**
 * Liveness and readiness, as a load balancer and an orchestrator probe them:
 * - GET /healthz (live): the process serves HTTP. Nothing outside it is asked, so a database
 *   outage never gets every API process restarted at once.
 * - GET /readyz (ready): 200 only when both stores the API needs answer — PostgreSQL
 *   (`select 1`) and Temporal (GetSystemInfo) — each within a short deadline, so a probe gets
 *   an answer rather than a hang. 503 problem+json names what is down; a load balancer sends
 *   requests elsewhere meanwhile.
 */
import type { Request, Response } from 'express';
import type { AppDeps } from './app';
import { AppError } from '../domain/errors';
import { sendProblem } from './errors';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(probe: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  return Promise.race([probe, timeout]).finally(() => clearTimeout(timer));
}

async function probe(name: string, check: () => Promise<unknown>): Promise<{ name: string; ok: boolean }> {
  try {
    await withTimeout(check(), name);
    return { name, ok: true };
  } catch {
    return { name, ok: false };
  }
}

export function livenessHandler(_req: Request, res: Response): void {
  res.set('Cache-Control', 'no-store');
  res.json({ status: 'ok' });
}

export function readinessHandler(deps: AppDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const results = await Promise.all([
      probe('postgresql', () => deps.prisma.$queryRaw`SELECT 1`),
      probe('temporal', () =>
        deps.temporal.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => deps.temporal.workflowService.getSystemInfo({})),
      ),
    ]);
    const down = results.filter((result) => !result.ok).map((result) => result.name);
    res.set('Cache-Control', 'no-store');
    if (down.length === 0) {
      res.json({ status: 'ok', checks: Object.fromEntries(results.map((result) => [result.name, 'ok'])) });
      return;
    }
    sendProblem(res, new AppError('unavailable', `Not reachable: ${down.join(', ')}.`));
  };
}
