/**
 * Prometheus metrics of the API process, served at GET /metrics (README, "Metrics and logs"):
 * HTTP requests by method, route pattern and status; decisions by document kind, decision and
 * outcome; portal page opens and customers' views; and Node's process metrics. One registry
 * per process, as Prometheus scrapes a process. Labels are bounded: a route is its pattern
 * (`/d/:token`, never the URL, which holds a customer's token), a kind and a decision come
 * from our own names.
 *
 * Who may scrape: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without
 * it, anyone in development and nobody in production (403 naming the setting).
 */
import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { AppError } from '../domain/errors';
import type { Config } from '../platform/config';
import { bearerToken, sameSecret } from './auth';

function createApiMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'greenlight_http_request_duration_seconds',
      help: 'HTTP requests answered by the API, by method, route pattern and status (its _count counts them)',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    decisions: new Counter({
      name: 'greenlight_decisions_total',
      help: "Decisions (Temporal updates) sent to documents' workflows, by document kind, decision and outcome (taken, rejected, failed)",
      labelNames: ['kind', 'decision', 'outcome'] as const,
      registers: [registry],
    }),
    portalOpens: new Counter({
      name: 'greenlight_portal_opens_total',
      help: 'Portal pages opened through a link, by document kind: people and mail scanners alike',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    portalViews: new Counter({
      name: 'greenlight_portal_views_total',
      help: "Customers' views of a document on the portal, by document kind: opens confirmed human, each counted once",
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
  };
}

export const apiMetrics = createApiMetrics();

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * Set where a router is mounted: Express forgets a router's mount path (req.baseUrl) once an
 * error leaves it, and the route pattern needs it.
 */
export function rememberRouteBase(req: Request, res: Response, next: NextFunction): void {
  res.locals.routeBase = req.baseUrl;
  next();
}

/** The pattern of the route that answered (`/d/:token/accept`), or `unmatched`: never the path itself. */
export function routePatternOf(req: Request, res: Response): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
  if (typeof path !== 'string') return 'unmatched';
  const { routeBase } = res.locals as { routeBase?: unknown };
  return `${typeof routeBase === 'string' ? routeBase : ''}${path}`;
}

export function measureHttpRequests(req: Request, res: Response, next: NextFunction): void {
  const stopTimer = apiMetrics.httpRequestDuration.startTimer();
  // 'close' comes for every response, finished or cut off by the client.
  res.once('close', () => {
    stopTimer({ method: KNOWN_METHODS.has(req.method) ? req.method : 'other', route: routePatternOf(req, res), status: String(res.statusCode) });
  });
  next();
}

export function metricsHandler(config: Pick<Config, 'metricsToken' | 'devMode'>) {
  return async (req: Request, res: Response): Promise<void> => {
    if (config.metricsToken) {
      const token = bearerToken(req);
      if (!token || !sameSecret(token, config.metricsToken)) throw new AppError('unauthorized', 'Send "Authorization: Bearer <METRICS_TOKEN>".');
    } else if (!config.devMode) {
      throw new AppError('forbidden', 'Metrics are closed in production until METRICS_TOKEN is set.');
    }
    res.set('Cache-Control', 'no-store');
    res.type(apiMetrics.registry.contentType).send(await apiMetrics.registry.metrics());
  };
}
