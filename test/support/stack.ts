/**
 * The whole Greenlight stack in the test process, on free ports: local mail outbox, a worker
 * with the real activities on its own task queue, and the API — against the shared test
 * Temporal dev server and database. Each call is independent, so test files run in parallel.
 */
import { randomBytes } from 'node:crypto';
import { RequestsInFlight } from '../../platform/in-flight';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { createActivities } from '../../activities/index';
import { createStripeProvider } from '../../services/payment/stripe';
import { openFileStore } from '../../services/files/store';
import { signatureDepsFromConfig } from '../../activities/signature/index';
import { createResendMailer, type Mailer } from '../../services/notify/mailer';
import { createTwilioSmsSender } from '../../services/notify/sms';
import type { GreenlightActivities } from '../../activities/types';
import { createApp } from '../../api/app';
import { apiClientInterceptors } from '../../api/temporal-interceptors';
import { startOutbox } from '../../devtools/outbox/server';
import { loadConfig, type Config } from '../../platform/config';
import { createPrisma, type PrismaClient } from '../../platform/db';
import { listenOn } from '../../platform/listen';
import { connectTemporal } from '../../platform/temporal';
import { findFreePort } from '../../scripts/lib/ports';
import { testServices } from './environment';
import { readOutbox, type OutboxEmail } from './outbox';
import { testRunDir } from './harness-state';
import { runWorker, uniqueTaskQueue } from './worker';
import { startRenderSweeper } from '../../workers/render-sweeper';
import { startWebhookSweeper } from '../../workers/webhook-dispatcher';
import { greenlightClient, succeeded } from './api';

export interface Stack {
  baseUrl: string;
  prisma: PrismaClient;
  client: Client;
  taskQueue: string;
  outboxUrl: string;
  config: Config;
  /** The environment another process (a worker, an API) needs to join this stack. */
  env: NodeJS.ProcessEnv;
  adminToken: string;
  /** The outbox's emails, newest first; with `after` (an email's id), only those received after it. */
  readOutbox(after?: string): Promise<OutboxEmail[]>;
  /** A new tenant through the real `POST /v1/tenants`, with its API key. */
  createTenant(name?: string): Promise<{ tenantId: string; apiKey: string }>;
  /** The requests its API is handling now (api/server.ts waits for them when closing). */
  requestsInFlight: RequestsInFlight;
  close(): Promise<void>;
}

/** Operator token for POST /v1/tenants; the API reads ADMIN_TOKEN from the environment. */
function adminTokenForThisProcess(): string {
  process.env.ADMIN_TOKEN ??= `test-admin-${randomBytes(16).toString('hex')}`;
  return process.env.ADMIN_TOKEN;
}

/**
 * A stack in production: NODE_ENV=production with every setting production requires, and
 * without GetAccept's key. Mail still reaches the stack's outbox, through the Resend SDK at
 * RESEND_BASE_URL as it would reach Resend.
 */
export const PRODUCTION_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  APP_SECRET: 'production-test-secret-0123456789abcdef',
  RESEND_API_KEY: 're_test_production',
  MAIL_FROM: 'Imprimerie Durand <devis@imprimerie-durand.example>',
  GETACCEPT_API_KEY: '',
  GETACCEPT_API_URL: '',
};

export interface StackOptions {
  /** Replace some real activities (a failing mailer, a slow renderer). */
  activities?: Partial<GreenlightActivities>;
  /** false: run no worker here; the test runs its own (worker-fault.test.ts kills one). */
  inProcessWorker?: boolean;
  /** Where the worker's emails go instead of the local outbox (the benchmark reads them in memory). */
  mailer?: Mailer;
  /** Settings added to the stack's own (NODE_ENV=production and what production asks for). */
  env?: NodeJS.ProcessEnv;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const services = testServices();
  const adminToken = adminTokenForThisProcess();
  const taskQueue = uniqueTaskQueue('stack');
  const [apiPort, outboxPort] = await Promise.all([findFreePort(), findFreePort()]);
  const dataDir = path.join(testRunDir(), taskQueue);
  mkdirSync(dataDir, { recursive: true });

  const outbox = await startOutbox({ port: outboxPort, dataDir });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(apiPort),
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
    OUTBOX_PORT: String(outboxPort),
    OUTBOX_URL: outbox.url,
    RESEND_API_KEY: '',
    RESEND_BASE_URL: outbox.url,
    TASK_QUEUE: taskQueue,
    // Stacks share the test database, not their portal budgets (all their visitors are 127.0.0.1).
    RATE_LIMIT_SCOPE: taskQueue,
    DATA_DIR: dataDir,
    // One file store for the run, as in production: any stack's worker (or sweeper) can render any upload.
    FILES_DIR: process.env.FILES_DIR ?? path.join(testRunDir(), 'files'),
    TEMPORAL_ADDRESS: services.temporalAddress,
    DATABASE_URL: services.databaseUrl,
    ...options.env,
  };
  const config = loadConfig(env);

  const prisma = createPrisma(config.databaseUrl);
  const { connection, client } = await connectTemporal(config, apiClientInterceptors());
  const worker =
    options.inProcessWorker === false
      ? undefined
      : await runWorker({
          address: config.temporalAddress,
          taskQueue,
          activities: { ...realActivities(prisma, config, options.mailer), ...options.activities },
          workflowBundlePath: services.workflowBundlePath,
        });

  // Each stack sweeps only the tenants it created: what it starts runs on its own task queue.
  const scope = { tenantIds: new Set<string>() };
  const renderSweeper = worker ? startRenderSweeper({ prisma, client, taskQueue, scope }) : undefined;
  const webhookSweeper = worker ? startWebhookSweeper({ prisma, client, taskQueue, retryDelaysMs: config.webhooks.retryDelaysMs, scope }) : undefined;
  const requestsInFlight = new RequestsInFlight();
  const server = await listenOn(http.createServer(createApp({ prisma, temporal: client, config, requestsInFlight })), apiPort, '127.0.0.1', 'api');
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    prisma,
    client,
    taskQueue,
    outboxUrl: outbox.url,
    config,
    // Read when another process starts: its sweepers look after this stack's tenants so far.
    get env() {
      return { ...env, SWEEP_TENANTS: [...scope.tenantIds].join(',') };
    },
    adminToken,
    requestsInFlight,
    readOutbox: (after) => readOutbox(outbox.url, after),
    createTenant: async (name = `Tenant ${taskQueue.slice(-8)}`) => {
      const tenant = await succeeded(greenlightClient(baseUrl, adminToken).POST('/v1/tenants', { body: { name } }), 201);
      scope.tenantIds.add(tenant.id);
      return { tenantId: tenant.id, apiKey: tenant.apiKey };
    },
    close: async () => {
      // Callers first (API), then the worker, then what they used.
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      });
      // Handlers of requests whose clients hung up (a browser closing) end before what they use closes.
      await requestsInFlight.drained(5_000);
      await renderSweeper?.stop();
      await webhookSweeper?.stop();
      await worker?.stop();
      await connection.close();
      await prisma.$disconnect();
      await outbox.close();
    },
  };
}

function realActivities(prisma: PrismaClient, config: Config, mailer?: Mailer): GreenlightActivities {
  return createActivities({
    prisma,
    mailer: mailer ?? createResendMailer({ apiKey: config.resendApiKey, baseUrl: config.resendBaseUrl }),
    config,
    proofs: { files: openFileStore(config), render: config.render },
    signatures: signatureDepsFromConfig(config),
    payments: createStripeProvider(config.stripe),
    // Texts land in the same local outbox as the emails, through Twilio's SDK, as in development (workers/main.ts).
    sms: createTwilioSmsSender(prisma, config.twilio),
  });
}
