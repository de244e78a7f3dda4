/**
 * The HTTP face of Greenlight: the back-office API under /v1, the customer portal under /d,
 * /healthz, and /dev tools in development. Every error leaves as application/problem+json
 * (RFC 9457) through one handler; nothing internal leaks in a 500.
 */
import type { Client } from '@temporalio/client';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import type { Config } from '../platform/config';
import { createBackofficeRouter } from './backoffice';
import { outboxHandler } from './dev/outbox';
import { AppError } from '../domain/errors';
import { parsingRefusal, toProblem } from './errors';
import { healthHandler } from './health';
import { jsonBody } from './json-body';
import { createPortalRouter } from './portal/router';
import { stripeWebhookHandlers } from './inbound/stripe-webhook';
import { createProviderWebhookRouter } from './inbound/getaccept-webhook';
import { validationError } from './schemas';

export interface AppDeps {
  prisma: PrismaClient;
  temporal: Client;
  config: Config;
}

/** Larger than any document a back office sends (500 lines), small enough to refuse abuse early. */
const JSON_BODY_LIMIT = '1mb';

function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof z.ZodError) return validationError(error);
  return parsingRefusal(error) ?? new AppError('internal');
}

function sendProblem(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  const appError = asAppError(error);
  if (appError.status >= 500 && appError.code === 'internal') {
    console.error(`[api] ${req.method} ${req.originalUrl} failed`, error);
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  res.status(appError.status).type('application/problem+json').send(JSON.stringify(toProblem(appError)));
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.set('trust proxy', deps.config.trustProxyHops);
  app.disable('x-powered-by');
  app.use(helmet({ referrerPolicy: { policy: 'no-referrer' } }));

  app.get('/healthz', healthHandler(deps));
  app.use('/v1', ...jsonBody(JSON_BODY_LIMIT), createBackofficeRouter(deps));
  app.use('/d', createPortalRouter(deps));
  // Provider webhooks in: verified before they signal anything.
  app.post('/webhooks/stripe', ...stripeWebhookHandlers(deps));
  app.use('/webhooks', createProviderWebhookRouter(deps));
  if (deps.config.devMode) app.get('/dev/outbox', outboxHandler(deps.config));

  app.use((req: Request) => {
    throw new AppError('not_found', `No route for ${req.method} ${req.path}.`);
  });
  app.use(sendProblem);
  return app;
}
