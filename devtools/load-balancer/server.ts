/**
 * The local load balancer of `make cluster`: a stand-in for what sits in front of the API
 * processes in production (a cloud load balancer, nginx, an ingress). Clients reach it on
 * PORT; it spreads requests over the API processes round robin, streaming bodies both ways
 * and adding X-Forwarded-For/-Proto/-Host (the APIs trust one proxy hop).
 *
 * An API that refuses the connection (it is restarting, or was killed) never saw the request:
 * any request whose body we kept (up to 1 MB: every JSON body) is then tried on the next API,
 * so a client does not notice one process going away. A reset on a kept-alive connection we
 * reused, before any answer, most likely was not seen either: that is retried for idempotent
 * methods (GET, HEAD, OPTIONS, PUT, DELETE) only. Otherwise — a POST the API may have taken, or
 * an upload too large to keep — the answer is 502, and whether to resend is the client's call
 * (the API takes an Idempotency-Key for that).
 *
 * GET /healthz is its own: 200 only when the whole cluster is up — Temporal answers, every
 * API is ready (its /readyz: PostgreSQL and Temporal) and every worker polls (its health
 * endpoint) — else 503 naming what is down. Every other path goes to the APIs.
 *
 *   PORT, TEMPORAL_ADDRESS (platform/config.ts); CLUSTER_API_URLS and
 *   CLUSTER_WORKER_HEALTH_URLS, comma-separated (scripts/start.ts sets them)
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from '@temporalio/client';
import { loadConfig } from '../../platform/config';

export interface LoadBalancerOptions {
  port: number;
  host?: string;
  /** Base URLs of the API processes. */
  apiUrls: string[];
  /** Each worker's health endpoint (WORKER_HEALTH_PORT's /healthz). */
  workerHealthUrls: string[];
  temporalAddress: string;
}

export interface RunningLoadBalancer {
  url: string;
  close(): Promise<void>;
}

/** RFC 9110 §9.2.2: sending one of these twice has the effect of sending it once. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
/** A request's body is kept for a retry up to this size; the API refuses larger JSON bodies anyway. */
const REPLAYABLE_BODY_LIMIT = 1024 * 1024;
const PROBE_TIMEOUT_MS = 2000;
/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'upgrade']);

type Body = Buffer | http.IncomingMessage;

function problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/problem+json', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ type: 'about:blank', title, status, detail }));
}

function forwardedHeaders(req: http.IncomingMessage): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const clientIp = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${clientIp}` : clientIp;
  headers['x-forwarded-proto'] = 'http';
  if (req.headers.host) headers['x-forwarded-host'] = req.headers.host;
  return headers;
}

/** The whole body of an idempotent request, or undefined when it is larger than we keep. */
async function bufferedBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > REPLAYABLE_BODY_LIMIT) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function startLoadBalancer(options: LoadBalancerOptions): Promise<RunningLoadBalancer> {
  if (options.apiUrls.length === 0) throw new Error('the load balancer needs at least one API URL');
  const agent = new http.Agent({ keepAlive: true });
  const temporal = Connection.lazy({ address: options.temporalAddress });
  let next = 0;

  /** Sends the request to API number `index`; when that API did not take it, `onNotTaken` decides. */
  function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Body, index: number, onNotTaken: () => void): void {
    const target = new URL(req.url ?? '/', options.apiUrls[index]);
    let answered = false;
    const upstream = http.request(target, { method: req.method, headers: forwardedHeaders(req), agent }, (answer) => {
      answered = true;
      const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
      // An API dying mid-answer: the client sees its connection cut, not a truncated success.
      answer.once('error', () => res.destroy());
      answer.pipe(res);
    });
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      const idempotent = IDEMPOTENT_METHODS.has(req.method ?? '');
      const notTaken = error.code === 'ECONNREFUSED' || (idempotent && error.code === 'ECONNRESET' && upstream.reusedSocket && !answered);
      if (notTaken) onNotTaken();
      else problem(res, 502, 'Bad gateway', `The API did not answer (${error.code ?? error.message}).`);
    });
    // The client went away: so does its request to the API.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    if (Buffer.isBuffer(body)) upstream.end(body);
    else body.pipe(upstream);
  }

  async function proxy(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const first = next;
    next = (next + 1) % options.apiUrls.length;
    const refusedEverywhere = () => problem(res, 502, 'Bad gateway', 'No API process took the request.');
    // A body of unknown length (chunked) or a large upload streams through: kept nowhere, it cannot be sent to another API.
    const keepable = req.headers['content-length'] !== undefined && Number(req.headers['content-length']) <= REPLAYABLE_BODY_LIMIT;
    if (!IDEMPOTENT_METHODS.has(req.method ?? '') && !keepable) {
      forward(req, res, req, first, () => problem(res, 502, 'Bad gateway', 'The API process did not answer; send the request again (with the same Idempotency-Key).'));
      return;
    }
    const body = await bufferedBody(req);
    if (!body) {
      problem(res, 413, 'Content too large', `Bodies of ${req.method} requests are limited to ${REPLAYABLE_BODY_LIMIT} bytes.`);
      return;
    }
    const tryFrom = (attempt: number): void =>
      forward(req, res, body, (first + attempt) % options.apiUrls.length, () =>
        attempt + 1 < options.apiUrls.length ? tryFrom(attempt + 1) : refusedEverywhere(),
      );
    tryFrom(0);
  }

  async function probeUrl(url: string): Promise<boolean> {
    try {
      return (await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).ok;
    } catch {
      return false;
    }
  }

  async function clusterHealth(res: http.ServerResponse): Promise<void> {
    const probes: [string, Promise<boolean>][] = [
      [
        'temporal',
        temporal
          .withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => temporal.workflowService.getSystemInfo({}))
          .then(() => true, () => false),
      ],
      ...options.apiUrls.map((url, i): [string, Promise<boolean>] => [`api-${i + 1}`, probeUrl(`${url}/readyz`)]),
      ...options.workerHealthUrls.map((url, i): [string, Promise<boolean>] => [`worker-${i + 1}`, probeUrl(url)]),
    ];
    const checks = await Promise.all(probes.map(async ([name, ok]) => [name, (await ok) ? 'ok' : 'down'] as const));
    const down = checks.filter(([, state]) => state === 'down').map(([name]) => name);
    if (down.length > 0) {
      problem(res, 503, 'A service this request needs is unavailable', `Not up: ${down.join(', ')}.`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'ok', checks: Object.fromEntries(checks) }));
  }

  const server = http.createServer((req, res) => {
    const handled = req.method === 'GET' && req.url === '/healthz' ? clusterHealth(res) : proxy(req, res);
    handled.catch((error: unknown) => problem(res, 502, 'Bad gateway', String(error)));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://${options.host ?? '127.0.0.1'}:${port}`,
        close: async () => {
          await new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeIdleConnections();
          });
          agent.destroy();
          await temporal.close();
        },
      });
    });
  });
}

const urlList = (value: string | undefined): string[] => (value ?? '').split(',').map((url) => url.trim()).filter(Boolean);

if (require.main === module) {
  const config = loadConfig();
  const apiUrls = urlList(process.env.CLUSTER_API_URLS);
  startLoadBalancer({ port: config.port, apiUrls, workerHealthUrls: urlList(process.env.CLUSTER_WORKER_HEALTH_URLS), temporalAddress: config.temporalAddress }).then(
    (balancer) => {
      console.log(`[load-balancer] listening on ${balancer.url}, round robin over ${apiUrls.join(', ')}`);
      const stop = (signal: string) => {
        console.log(`[load-balancer] ${signal}: stopping`);
        balancer.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    },
    (error: unknown) => {
      console.error(`[load-balancer] could not start on port ${config.port}: ${String(error)}`);
      process.exit(1);
    },
  );
}
