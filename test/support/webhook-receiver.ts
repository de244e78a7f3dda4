/**
 * A back office's webhook receiver on loopback, verifying as a back office would: with the
 * standard's own reference library (`standardwebhooks`' Webhook.verify), not with a reading of
 * the spec that the code under test could share.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answeredWith: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Answers each request with the next status of `script`, then 200, each with `answerHeaders`. */
export async function startReceiver(script: number[] = [], answerHeaders: Record<string, string> = {}): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const status = script[received.length] ?? 200;
      received.push({ headers: req.headers, body, answeredWith: status });
      res.writeHead(status, answerHeaders).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Whether Webhook.verify accepts the request under `secret`. The library also refuses a
 * timestamp more than five minutes off: verify a request when it arrives, as a receiver does.
 */
export function verifies(secret: string, request: Received): boolean {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  try {
    new Webhook(secret).verify(request.body, headers);
    return true;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return false;
    throw error;
  }
}
