/**
 * The HTTP face of Greenlight: the back-office API under /v1 (its reference page at /docs), the
 * customer portal under /d, /healthz (live), /readyz (ready), /metrics, and /dev tools in development. Every error leaves as
 * application/problem+json (RFC 9457) through one handler; nothing internal leaks in a 500.
 * Every request is logged (one JSON line, secrets cut: http-logging.ts) and measured (metrics.ts).
 */
import type { Client } from '@temporalio/client';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../platform/config';
import type { RequestsInFlight } from '../platform/in-flight';
import { logoHandler } from './assets';
import { createBackofficeRouter } from './backoffice';
import { outboxHandler } from './dev/outbox';
import { createDocsRouter } from './docs';
import { AppError } from '../domain/errors';
import { inspectUrl, jsonBody } from './body';
import { knownAppError, sendProblem } from './errors';
import { livenessHandler, readinessHandler } from './health';
import { logHttpRequests, logWithRequest } from './http-logging';
import { measureHttpRequests, metricsHandler, rememberRouteBase } from './metrics';
import { createPortalRouter } from './portal/router';
import { stripeWebhookHandlers } from './inbound/stripe-webhook';
import { createProviderWebhookRouter } from './inbound/getaccept-webhook';
import { assignRequestId } from './request-id';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
  /** Where the handlers of the back office and the portal count themselves, for a close that waits for them. */
  requestsInFlight?: RequestsInFlight;
}

/** Larger than any document a back office sends (500 lines), small enough to refuse abuse early. */
const JSON_BODY_LIMIT = '1mb';

function answerProblem(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const appError = knownAppError(error) ?? new AppError('internal');
  // The request's log line carries it (http-logging.ts), with the URL made safe to log.
  if (appError.status >= 500 && appError.code === 'internal') logWithRequest(res, error);
  if (res.headersSent) {
    res.end();
    return;
  }
  sendProblem(res, appError);
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.trustProxyHops);
  app.disable('x-powered-by');
  app.use(assignRequestId);
  app.use(logHttpRequests);
  app.use(measureHttpRequests);
  app.use(helmet({ referrerPolicy: { policy: 'no-referrer' } }));
  app.use(inspectUrl);

  app.get('/healthz', livenessHandler);
  app.get('/readyz', readinessHandler(deps));
  app.get('/metrics', metricsHandler(deps.config));
  app.use('/v1', rememberRouteBase, jsonBody(JSON_BODY_LIMIT), createBackofficeRouter(deps));
  app.use('/docs', rememberRouteBase, createDocsRouter());
  app.use('/d', rememberRouteBase, createPortalRouter(deps));
  app.get('/assets/logos/:name', logoHandler(deps));
  // Provider webhooks in: verified before they signal anything.
  app.post('/webhooks/stripe', ...stripeWebhookHandlers(deps));
  app.use('/webhooks', rememberRouteBase, createProviderWebhookRouter(deps));
  if (deps.config.devMode) app.get('/dev/outbox', outboxHandler(deps.config));

  app.use((req: Request) => {
    throw new AppError('not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(answerProblem);
  return app;
}
