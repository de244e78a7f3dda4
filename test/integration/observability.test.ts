/**
 * What an operator sees of a quote's send, view and accept, with the API and the worker each in
 * a process of its own, started as production starts them: JSON logs that follow one request id
 * from the API into the workflow and its activities and never hold a token, a key or a
 * signature; Prometheus metrics that move on both; OpenTelemetry spans from both, in one trace.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { getAcceptWebhookToken } from '../../services/signature/webhook-token';
import { createApp } from '../../api/app';
import type { Config } from '../../platform/config';
import { listenOn } from '../../platform/listen';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually } from '../support/eventually';
import { greenlightClient } from '../support/api';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver';
import { PHONE_BROWSER_AGENT } from '../support/page-views';
import { sampleSum, scrape } from '../support/prometheus';
import { createQuoteScenario, emailTo, portalLinkIn, type QuoteScenario } from '../support/quote-scenario';
import { quoteRunOver } from '../support/quote-run';
import { startStack, type Stack } from '../support/stack';
import { processLogPath, WorkerProcesses } from '../support/worker-process';

type LogLine = Record<string, unknown>;

/** The JSON lines a process wrote so far (anything else it printed is skipped). */
function logLines(path: string): LogLine[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

describe('operators see a quote go through', () => {
  const processes = new WorkerProcesses();
  const tag = Math.random().toString(36).slice(2, 8);
  const sendRequestId = `ops-send-${tag}`;
  const acceptRequestId = `ops-accept-${tag}`;
  let stack: Stack;
  let receiver: OtlpReceiver;
  let tenant: { tenantId: string; apiKey: string };
  let quote: QuoteScenario;
  let apiUrl: string;
  let workerMetricsUrl: string;
  let apiLog: string;
  let workerLog: string;
  let portalLink: string;

  beforeAll(async () => {
    stack = await startStack({ inProcessWorker: false });
    tenant = await stack.createTenant('Imprimerie Observée');
    receiver = await startOtlpReceiver();
    const [apiPort, metricsPort] = await Promise.all([findFreePort(), findFreePort()]);
    apiUrl = `http://127.0.0.1:${apiPort}`;
    workerMetricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    const shared = { PUBLIC_URL: apiUrl, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
    // Debug: the SDK's own lines ("Workflow started", "Activity completed") carry the request id too.
    processes.start(stack, 'observed-worker', { ...shared, LOG_LEVEL: 'debug', WORKER_METRICS_PORT: String(metricsPort) });
    processes.startApi(stack, 'observed-api', { ...shared, PORT: String(apiPort) });
    workerLog = processLogPath(stack, 'observed-worker');
    apiLog = processLogPath(stack, 'observed-api');
    const answers = async (url: string) => ((await fetch(url).catch(() => undefined))?.ok ? true : undefined);
    await eventually(() => answers(`${apiUrl}/healthz`), { what: 'the API process', timeoutMs: 120_000, everyMs: 250 });
    await eventually(() => answers(workerMetricsUrl), { what: "the worker's metrics", timeoutMs: 120_000, everyMs: 250 });
    quote = await createQuoteScenario(greenlightClient(apiUrl, tenant.apiKey));
  }, 240_000);

  afterAll(async () => {
    await processes.stopAll();
    await receiver?.close();
    await stack?.close();
  });

  it('counts the send, the view and the accept in /metrics, on the API and on the worker', async () => {
    const api = greenlightClient(apiUrl, tenant.apiKey);
    const apiBefore = await scrape(`${apiUrl}/metrics`);
    const workerBefore = await scrape(workerMetricsUrl);

    const sent = await api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } }, body: {}, headers: { 'x-request-id': sendRequestId } });
    expect(sent.response.status).toBe(202);
    portalLink = portalLinkIn(await emailTo(stack.readOutbox, quote.contactEmail), apiUrl);
    expect((await fetch(portalLink, { headers: { 'user-agent': PHONE_BROWSER_AGENT } })).status).toBe(200);
    const accepted = await fetch(`${portalLink}/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'user-agent': PHONE_BROWSER_AGENT, 'x-request-id': acceptRequestId },
      body: JSON.stringify({ decisionId: `ops-${tag}` }),
    });
    expect(accepted.status).toBe(200);

    const apiAfter = await scrape(`${apiUrl}/metrics`);
    const moved = (name: string, labels: Record<string, string>) => sampleSum(apiAfter, name, labels) - sampleSum(apiBefore, name, labels);
    expect({
      sends: moved('greenlight_http_request_duration_seconds_count', { method: 'POST', route: '/v1/documents/:id/send', status: '202' }),
      pageOpens: moved('greenlight_http_request_duration_seconds_count', { method: 'GET', route: '/d/:token', status: '200' }),
      accepts: moved('greenlight_http_request_duration_seconds_count', { method: 'POST', route: '/d/:token/accept', status: '200' }),
      opens: moved('greenlight_portal_opens_total', { kind: 'quote' }),
      views: moved('greenlight_portal_views_total', { kind: 'quote' }),
      decisions: moved('greenlight_decisions_total', { kind: 'quote', decision: 'accept', outcome: 'taken' }),
    }).toEqual({ sends: 1, pageOpens: 1, accepts: 1, opens: 1, views: 1, decisions: 1 });
    // A route is its pattern: the customer's token is no label.
    expect(apiAfter).not.toContain(portalLink.split('/d/')[1]);

    // The accept's activities run after its answer: wait for the worker to count them.
    const workerAfter = await eventually(
      async () => {
        const exposition = await scrape(workerMetricsUrl);
        const completed = { outcome: 'completed', task_queue: stack.taskQueue };
        return sampleSum(exposition, 'greenlight_activity_executions', completed) > sampleSum(workerBefore, 'greenlight_activity_executions', completed) + 1 ? exposition : undefined;
      },
      { what: 'completed activities counted on the worker' },
    );
    // Temporal's own: workflow tasks and activities measured by the SDK.
    expect(sampleSum(workerAfter, 'temporal_workflow_task_execution_latency_count')).toBeGreaterThan(sampleSum(workerBefore, 'temporal_workflow_task_execution_latency_count'));
    expect(sampleSum(workerAfter, 'temporal_activity_execution_latency_count')).toBeGreaterThan(sampleSum(workerBefore, 'temporal_activity_execution_latency_count'));
  }, 180_000);

  it("follows each request id from the API's log into the workflow's and its activities' logs", async () => {
    const sendLines = await eventually(
      async () => {
        const lines = logLines(workerLog).filter((line) => line.requestId === sendRequestId);
        return lines.some((line) => line.activityType) && lines.some((line) => line.workflowType && !line.activityType) ? lines : undefined;
      },
      { what: `worker log lines of request ${sendRequestId}` },
    );
    expect(sendLines.find((line) => line.workflowType && !line.activityType)).toMatchObject({ workflowId: `quote-${quote.documentId}`, workflowType: 'quoteWorkflow' });
    expect(sendLines.find((line) => line.activityType)).toMatchObject({ workflowId: `quote-${quote.documentId}` });

    const acceptActivities = await eventually(
      async () => {
        const lines = logLines(workerLog).filter((line) => line.requestId === acceptRequestId && line.activityType);
        return lines.length > 0 ? lines : undefined;
      },
      { what: `activity log lines of request ${acceptRequestId}` },
    );
    expect(acceptActivities[0]).toMatchObject({ workflowId: `quote-${quote.documentId}` });

    const apiLines = logLines(apiLog);
    expect(apiLines.find((line) => line.requestId === sendRequestId && line.res)).toMatchObject({ level: 'info', route: '/v1/documents/:id/send', res: { statusCode: 202 } });
    expect(apiLines.find((line) => line.requestId === acceptRequestId && line.res)).toMatchObject({ route: '/d/:token/accept', req: { url: '/d/[token]/accept' }, res: { statusCode: 200 } });
  }, 120_000);

  it('writes no portal token, webhook token, API key or signature to any log', async () => {
    const portalToken = portalLink.split('/d/')[1] ?? '';
    const webhookToken = getAcceptWebhookToken(stack.config.appSecret, tenant.tenantId);
    const stripeSignature = `t=${Math.floor(Date.now() / 1000)},v1=${'5'.repeat(64)}`;
    const webhook = await fetch(`${apiUrl}/webhooks/getaccept/${tenant.tenantId}?token=${webhookToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': `ops-getaccept-${tag}` },
      body: JSON.stringify({ event: 'document.signed' }),
    });
    expect(webhook.status).toBeGreaterThanOrEqual(400);
    const stripe = await fetch(`${apiUrl}/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature }, body: '{}' });
    expect(stripe.status).toBe(400);
    // A dead link fails the same way a live one logs: cut.
    expect((await fetch(`${apiUrl}/d/${'x'.repeat(43)}`)).status).toBe(404);

    const webhookLine = await eventually(async () => logLines(apiLog).find((line) => line.requestId === `ops-getaccept-${tag}`), { what: "the GetAccept webhook's log line" });
    expect(webhookLine).toMatchObject({ route: '/webhooks/getaccept/:tenantId', req: { url: `/webhooks/getaccept/${tenant.tenantId}?token=[redacted]` } });
    await eventually(async () => (logLines(apiLog).some((line) => line.route === '/webhooks/stripe') ? true : undefined), { what: "the Stripe webhook's log line" });
    const apiText = readFileSync(apiLog, 'utf8');
    expect(apiText).toContain('"url":"/d/[token]"');
    expect(apiText).toContain('"authorization":"[redacted]"');
    expect(apiText).toContain('"stripe-signature":"[redacted]"');

    for (const text of [apiText, readFileSync(workerLog, 'utf8')]) {
      for (const secret of [portalToken, webhookToken, tenant.apiKey, stripeSignature, 'x'.repeat(43)]) expect(text).not.toContain(secret);
    }
  }, 120_000);

  it('traces a request from the API into the workflow and its activities, in one trace', async () => {
    /** The names of the worker's spans in the trace the API's span `apiSpan` starts, once `complete` holds. */
    const workerSpansUnder = (apiSpan: string, complete: (names: string[]) => boolean) =>
      eventually(
        async () => {
          const started = receiver.spans.find((span) => span.service === 'greenlight-api' && span.name === apiSpan);
          if (!started) return undefined;
          const names = receiver.spans.filter((span) => span.service === 'greenlight-worker' && span.traceId === started.traceId).map((span) => span.name);
          return complete(names) ? names : undefined;
        },
        { what: `the worker's spans under the API's ${apiSpan}` },
      );
    const runsActivities = (names: string[]) => names.some((name) => name.startsWith('StartActivity:')) && names.some((name) => name.startsWith('RunActivity:'));
    // A run's span is written when the run ends, and an accepted quote's run stays open while its customer
    // may withdraw: the seller moves it on, as a conversion would.
    await quoteRunOver(stack, quote.documentId);
    expect(await workerSpansUnder('StartWorkflow:quoteWorkflow', (names) => names.includes('RunWorkflow:quoteWorkflow') && runsActivities(names))).toEqual(
      expect.arrayContaining(['RunWorkflow:quoteWorkflow']),
    );
    expect(await workerSpansUnder('StartWorkflowUpdate:accept', (names) => names.includes('HandleUpdate:accept') && runsActivities(names))).toEqual(
      expect.arrayContaining(['ValidateUpdate:accept', 'HandleUpdate:accept']),
    );
  }, 120_000);

  it('opens /metrics in development, only to METRICS_TOKEN when set, and closes it in production without one', async () => {
    const statusOf = async (config: Partial<Config>, headers: Record<string, string> = {}) => {
      const app = createApp({ prisma: stack.prisma, temporal: stack.client, config: { ...stack.config, ...config } });
      const server = await listenOn(http.createServer(app), 0, '127.0.0.1', 'metrics-access');
      try {
        return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, { headers })).status;
      } finally {
        server.close();
      }
    };
    expect({
      development: await statusOf({ devMode: true }),
      noToken: await statusOf({ metricsToken: 'scrape-secret' }),
      wrongToken: await statusOf({ metricsToken: 'scrape-secret' }, { authorization: 'Bearer guess' }),
      rightToken: await statusOf({ metricsToken: 'scrape-secret', devMode: false }, { authorization: 'Bearer scrape-secret' }),
      production: await statusOf({ devMode: false }),
    }).toEqual({ development: 200, noToken: 401, wrongToken: 401, rightToken: 200, production: 403 });
  });
});
