/**
 * HTTP requests exactly as written: any method with any body, paths sent unnormalised (bad
 * percent-encoding included), and bodies cut off mid-way with the connection dropped — what
 * fetch refuses to send and a hostile client sends anyway.
 */
import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query as sent on the request line. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Announce the whole body, send this many bytes, then drop the connection. */
  cutAfter?: number;
}

export type RawAnswer = { status: number; contentType: string; body: string } | { failed: string };

const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const KEPT_BODY_CHARS = 2_000;

export function sendRaw(baseUrl: string, raw: RawRequest, timeoutMs = 30_000): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const headers = { ...raw.headers, ...(raw.body ? { 'content-length': String(raw.body.length) } : {}) };
    const outgoing = request(
      { host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers, agent: raw.cutAfter === undefined ? agent : false, timeout: timeoutMs },
      (incoming) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        incoming.on('data', (chunk: Buffer) => {
          if (kept < KEPT_BODY_CHARS) chunks.push(chunk);
          kept += chunk.length;
        });
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, contentType: incoming.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8').slice(0, KEPT_BODY_CHARS) }),
        );
        incoming.on('error', (error) => resolve({ failed: `the answer broke off: ${error.message}` }));
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error) => resolve({ failed: error.message }));
    if (raw.cutAfter !== undefined && raw.body) {
      outgoing.write(raw.body.subarray(0, raw.cutAfter), () => {
        outgoing.destroy();
        resolve({ failed: 'cut off by us' });
      });
      return;
    }
    outgoing.end(raw.body);
  });
}
