/**
 * One webhook POST, reported as a value whatever happens: the attempt list shows timeouts,
 * refused connections and refused addresses as well as status codes. Redirects are not
 * followed (a 3xx is a failed attempt), as Standard Webhooks recommends.
 */
import http from 'node:http';
import https from 'node:https';
import { checkLiteralDestination, guardedLookup } from '../../services/webhooks/destination';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface PostResult {
  statusCode?: number;
  durationMs: number;
  error?: string;
  /** From the receiver's Retry-After (seconds or an HTTP date). */
  retryAfterMs?: number;
}

/** We read a little of the answer (to free the socket), never all of a hostile one. */
const MAX_RESPONSE_BYTES = 64 * 1024;

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const code = (error as { code?: string }).code;
    return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export async function postWebhook(post: WebhookPost): Promise<PostResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  try {
    const url = new URL(post.url);
    checkLiteralDestination(url, post.allowPrivate);
    const transport = url.protocol === 'https:' ? https : http;
    const body = Buffer.from(post.body, 'utf8');
    return await new Promise<PostResult>((resolve, reject) => {
      const request = transport.request(
        url,
        {
          method: 'POST',
          headers: { ...post.headers, 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'Greenlight-Webhooks/1' },
          lookup: guardedLookup(post.allowPrivate),
          signal: AbortSignal.timeout(post.timeoutMs),
        },
        (response) => {
          let read = 0;
          response.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > MAX_RESPONSE_BYTES) response.destroy();
          });
          const done = () =>
            resolve({
              statusCode: response.statusCode,
              durationMs: elapsed(),
              ...(response.headers['retry-after'] ? { retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()) } : {}),
            });
          response.on('end', done);
          response.on('close', done);
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  } catch (error) {
    return { durationMs: elapsed(), error: describe(error) };
  }
}
