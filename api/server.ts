/**
 * The API process: connects to PostgreSQL and Temporal, serves createApp, and closes
 * cleanly on SIGTERM / SIGINT (in-flight requests finish, then connections close).
 *
 *   npx tsx api/server.ts          # PORT, DATABASE_URL, TEMPORAL_ADDRESS, ... (platform/config.ts)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type Config } from '../platform/config';
import { createPrisma } from '../platform/db';
import { listenOn } from '../platform/listen';
import { exitOnStartFailure, logger } from '../platform/logger';
import { connectTemporal } from '../platform/temporal';
import { startTracing } from '../platform/tracing';
import { RequestsInFlight } from '../platform/in-flight';
import { createApp } from './app';
import { pruneExpiredRateLimitCounters } from './portal/rate-limits';
import { apiClientInterceptors } from './temporal-interceptors';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/** How long closing waits for handlers whose clients hung up (the worker's own shutdown grace is 10 s too). */
const HANDLER_GRACE_MS = 10_000;

export async function startApiServer(config: Config): Promise<RunningApi> {
  const tracing = startTracing('greenlight-api');
  const prisma = createPrisma(config.databaseUrl);
  const { connection, client } = await connectTemporal(config, apiClientInterceptors(tracing));
  const requestsInFlight = new RequestsInFlight();
  const app = createApp({ prisma, temporal: client, config, requestsInFlight });
  const server = await listenOn(http.createServer(app), config.port, undefined, 'api');
  const { port } = server.address() as AddressInfo;
  const pruning = setInterval(() => {
    pruneExpiredRateLimitCounters(prisma).catch((error: unknown) => logger.warn({ err: error }, 'expired rate-limit counters not pruned; next try in 5 minutes'));
  }, 5 * 60_000);
  pruning.unref();
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      clearInterval(pruning);
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until their clients leave.
        server.closeIdleConnections();
      });
      // A client that hung up ended its connection, not its handler: its handler gets a grace too.
      const stillHandled = await requestsInFlight.drained(HANDLER_GRACE_MS);
      if (stillHandled > 0) logger.warn({ requests: stillHandled }, 'api closing with requests still being handled');
      await connection.close();
      await prisma.$disconnect();
      await tracing?.shutdown();
    },
  };
}

async function main(): Promise<void> {
  const api = await startApiServer(loadConfig());
  logger.info({ url: api.url }, 'api listening');
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'api closing');
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'api close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch(exitOnStartFailure('api'));
}
