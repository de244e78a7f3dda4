import type { Server } from 'node:net';
import { logger } from './logger';

/**
 * Starts `server` listening. A failure to listen (the port taken) rejects; an error after
 * that — a connection the kernel could not hand over, as when file descriptors run out — is
 * logged and the server keeps serving: an 'error' event without a listener would end the
 * process, and with it every other request.
 */
export function listenOn<S extends Server>(server: S, port: number, host: string | undefined, name: string): Promise<S> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      server.on('error', (error) => logger.error({ err: error, server: name }, 'server error; still serving'));
      resolve(server);
    });
  });
}
