/**
 * Production refuses to run half-configured. A stack in production (NODE_ENV=production, every
 * required setting given, mail through a Resend-compatible endpoint, no GETACCEPT_API_KEY) on
 * the real API, worker, Temporal and PostgreSQL: sending through GetAccept for a tenant without
 * its own GetAccept account answers 409 saying how to give one, where development would have
 * sent it to the local stand-in, and leaves the quote
 * a draft that can still be sent; and a worker or API process missing settings does not start,
 * naming them all in one message.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createQuoteScenario, emailTo } from '../support/quote-scenario';
import { greenlightClient, succeeded } from '../support/api';
import { PRODUCTION_ENV, startStack, type Stack } from '../support/stack';
import { PROBLEM_JSON, STACK_START_TIMEOUT_MS } from './api-http';

const root = path.resolve(__dirname, '..', '..');

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ env: PRODUCTION_ENV });
}, STACK_START_TIMEOUT_MS);
afterAll(() => stack?.close());

it('answers 409 "GetAccept is not set up" to a send through GetAccept of a tenant without its own account, and the quote stays a draft that sends as usual', async () => {
  expect(stack.config).toMatchObject({ devMode: false, getaccept: { local: false, accessToken: '' } });
  const { apiKey } = await stack.createTenant();
  const api = greenlightClient(stack.baseUrl, apiKey);
  const quote = await createQuoteScenario(api);
  const send = { params: { path: { id: quote.documentId } } };

  const refused = await api.POST('/v1/documents/{id}/send', { ...send, body: { signature: { provider: 'getaccept' } } });
  expect(refused.response.status).toBe(409);
  expect(refused.response.headers.get('content-type')).toMatch(PROBLEM_JSON);
  expect(refused.error).toMatchObject({ status: 409, detail: "GetAccept is not set up for this seller: give its GetAccept account's credentials (PUT /v1/settings/getaccept)." });
  expect(await succeeded(api.GET('/v1/settings/getaccept'), 200)).toEqual({ account: 'none', email: null, entityId: null, tokenExpiresAt: null });
  const untouched = await stack.prisma.document.findUniqueOrThrow({ where: { id: quote.documentId } });
  expect(untouched).toMatchObject({ status: 'draft', workflowId: null, digitalStatus: null });
  expect(await stack.prisma.externalSignature.count({ where: { documentId: quote.documentId } })).toBe(0);

  const sent = await api.POST('/v1/documents/{id}/send', { ...send, body: {} });
  expect(sent.response.status).toBe(202);
  const email = await emailTo(stack.readOutbox, quote.contactEmail);
  // The tenant's name on MAIL_FROM's address.
  expect(email.from).toMatch(/<devis@imprimerie-durand\.example>$/);
  expect(email.subject).toContain(quote.number);
});

describe('a process missing production settings', () => {
  it.each([
    ['worker', 'workers/main.ts'],
    ['API', 'api/server.ts'],
  ])('the %s refuses to start, naming every missing setting in one message', async (_name, entry) => {
    // Only what a careless deployment might set: the database and Temporal, nothing else.
    const env = { PATH: process.env.PATH, NODE_ENV: 'production', DATABASE_URL: stack.config.databaseUrl, TEMPORAL_ADDRESS: stack.config.temporalAddress };
    const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    expect(output).toContain('Greenlight will not start in production (NODE_ENV=production) without these 4 settings:');
    expect(output.match(/^ {2}[A-Z_]+(?= {2})/gm)?.map((name) => name.trim())).toEqual(['PUBLIC_URL', 'APP_SECRET', 'RESEND_API_KEY', 'MAIL_FROM']);
    // One message, not a stack trace.
    expect(output).not.toMatch(/^\s+at /m);
  });
});
