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
import { connectTemporal } from '../platform/temporal';
import { createApp } from './app';

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export async function startApiServer(config: Config): Promise<RunningApi> {
  const prisma = createPrisma(config.databaseUrl);
  const { connection, client } = await connectTemporal(config);
  const app = createApp({ prisma, temporal: client, config });
  const server = await listenOn(http.createServer(app), config.port, undefined, 'api');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would hold close() open until their clients leave.
        server.closeIdleConnections();
      });
      await connection.close();
      await prisma.$disconnect();
    },
  };
}

async function main(): Promise<void> {
  const api = await startApiServer(loadConfig());
  console.log(`[api] listening on ${api.url}`);
  let closing = false;
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    console.log(`[api] ${signal}: closing`);
    api.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('[api] close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('[api] failed to start', error);
    process.exit(1);
  });
}
