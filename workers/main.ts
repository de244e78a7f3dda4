/**
 * The worker process: runs every workflow and activity of the task queue (TASK_QUEUE,
 * default "greenlight") against Temporal (TEMPORAL_ADDRESS), PostgreSQL (DATABASE_URL) and
 * the mail provider (Resend, or the local outbox when RESEND_API_KEY is not set).
 * Stops gracefully on SIGINT/SIGTERM: no new tasks, running ones finish; a second signal
 * stops at once. With WORKER_HEALTH_PORT set, answers GET /healthz there (workers/health.ts).
 */
import type { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities/index';
import { createStripeProvider } from '../services/payment/stripe';
import { openFileStore } from '../services/files/store';
import { signatureDepsFromConfig } from '../activities/signature/index';
import { createResendMailer } from '../services/notify/mailer';
import { createTwilioSmsSender } from '../services/notify/sms';
import { loadConfig } from '../platform/config';
import { createPrisma } from '../platform/db';
import { exitOnStartFailure, logger } from '../platform/logger';
import { temporalConnectionOptions } from '../platform/temporal';
import { startTracing } from '../platform/tracing';
import { createGreenlightWorker, workflowBundlePath } from './create-worker';
import { startWorkerHealthServer } from './health';
import { startRenderSweeper } from './render-sweeper';
import { startWebhookSweeper } from './webhook-dispatcher';
import { installWorkerRuntime } from './runtime';
import { applyWorkerHeapFlags } from './heap';

async function main(): Promise<void> {
  applyWorkerHeapFlags();
  const config = loadConfig();
  installWorkerRuntime(config);
  const tracing = startTracing('greenlight-worker');

  const prisma = createPrisma(config.databaseUrl);
  const mailer = createResendMailer({ apiKey: config.resendApiKey, baseUrl: config.resendBaseUrl });
  // Twilio, or in development the local outbox answering as Twilio; none in production without TWILIO_ACCOUNT_SID.
  const sms = createTwilioSmsSender(prisma, config.twilio);

  logger.info({ temporalAddress: config.temporalAddress, namespace: config.temporalNamespace }, 'worker connecting to Temporal');
  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  const bundle = workflowBundlePath();
  logger.info({ bundle: bundle ?? null }, bundle ? 'workflows prebuilt' : 'bundling the workflows (npm run build prebuilds them)');
  const worker = await createGreenlightWorker({
    connection,
    namespace: config.temporalNamespace,
    taskQueue: config.taskQueue,
    activities: createActivities({
      prisma,
      payments: createStripeProvider(config.stripe),
      mailer,
      config,
      sms,
      proofs: { files: openFileStore(config), render: config.render },
      signatures: signatureDepsFromConfig(config),
    }),
    workflowBundlePath: bundle,
    tracing,
    maxCachedWorkflows: config.maxCachedWorkflows,
  });

  const scope = config.sweepTenants ? { tenantIds: new Set(config.sweepTenants) } : undefined;
  // Starts the renders of revisions whose upload could not reach Temporal.
  const renderSweeper = startRenderSweeper({ prisma, client: worker.client as Client, taskQueue: config.taskQueue, scope });
  // Starts the webhook deliveries a recorder could not (a page's open while Temporal was away).
  const webhookSweeper = startWebhookSweeper({ prisma, client: worker.client as Client, taskQueue: config.taskQueue, retryDelaysMs: config.webhooks.retryDelaysMs, scope });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'signal again: worker exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'worker finishing running tasks, then stopping (send the signal again to exit at once)');
    worker.shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const health =
    config.workerHealthPort === undefined
      ? undefined
      : await startWorkerHealthServer({ port: config.workerHealthPort, taskQueue: config.taskQueue, state: () => worker.getState() });
  if (health) logger.info({ url: `${health.url}/healthz` }, 'worker health endpoint');

  const mail = config.resendBaseUrl === config.outboxUrl ? 'the local outbox' : 'Resend';
  logger.info(
    { taskQueue: config.taskQueue, mail, mailUrl: config.resendBaseUrl, sms: sms ? config.twilio.apiUrl : 'none', metrics: config.workerMetrics ?? 'off', tracing: tracing ? 'on' : 'off' },
    'worker polling',
  );
  try {
    await worker.run();
  } finally {
    await health?.close();
    await renderSweeper.stop();
    await webhookSweeper.stop();
    await connection.close();
    await prisma.$disconnect();
    await tracing?.shutdown();
  }
  logger.info('worker stopped');
}

main().catch(exitOnStartFailure('worker'));
