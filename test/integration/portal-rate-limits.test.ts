/**
 * The portal's rate limits hold across API processes: two API processes on one database
 * (as behind the load balancer of `make cluster`) share one budget per link, counted in
 * PostgreSQL, so a customer gets the limit once, not once per process.
 */
import { pruneExpiredRateLimitCounters, RateLimitHits } from '../../api/portal/rate-limits';
import { findFreePort } from '../../scripts/lib/ports';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { WorkerProcesses } from '../support/worker-process';
import { backOffice, SAMPLE_LINES } from './portal-fixtures';

const PER_TOKEN_PER_MINUTE = 4;

describe('portal rate limits with two API processes', () => {
  let stack: Stack;
  const processes = new WorkerProcesses();

  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => {
    await processes.stopAll();
    await stack?.close();
  });

  async function startApi(name: string): Promise<string> {
    const port = await findFreePort();
    processes.startApi(stack, name, { PORT: String(port), PORTAL_RATE_LIMIT_PER_TOKEN: String(PER_TOKEN_PER_MINUTE) });
    const baseUrl = `http://127.0.0.1:${port}`;
    await eventually(async () => ((await fetch(`${baseUrl}/readyz`)).ok ? true : undefined), { what: `API ${name} ready`, timeoutMs: 120_000 });
    return baseUrl;
  }

  it('lets a link through as many times in all as one process would, then answers 429 on both', async () => {
    const office = await backOffice(stack);
    const { documentId, contactEmail } = await office.createQuote({ locale: 'en', lines: SAMPLE_LINES });
    const { token } = await office.sendQuote(documentId, contactEmail);
    const apis = await Promise.all([startApi('api-a'), startApi('api-b')]);

    // One request on each: the second process already counts the first one's.
    const first = await fetch(`${apis[0]}/d/${token}`);
    const second = await fetch(`${apis[1]}/d/${token}`);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers.get('ratelimit')).toContain(`"portal-token"; r=${PER_TOKEN_PER_MINUTE - 2};`);

    // The rest at once, alternating: exactly the budget's remainder gets through.
    const statuses = await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${apis[i % 2]}/d/${token}`).then((response) => response.status)));
    expect(statuses.filter((status) => status === 200)).toHaveLength(PER_TOKEN_PER_MINUTE - 2);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10 - (PER_TOKEN_PER_MINUTE - 2));
    for (const api of apis) expect((await fetch(`${api}/d/${token}`)).status).toBe(429);

    // A person's page says so, and loads again by itself once the budget is back.
    const limited = await fetch(`${apis[0]}/d/${token}`, { headers: { accept: 'text/html', 'accept-language': 'en' } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    const page = await limited.text();
    expect(page).toContain('Too many requests');
    expect(page).toContain(`<meta http-equiv="refresh" content="${retryAfter}">`);
  }, 240_000);

  it('counts hits that arrive while a count is out together, each with a count of its own', async () => {
    const hits = new RateLimitHits(stack.prisma);
    const [busy, quiet] = [`batch-test:${Date.now()}:busy`, `batch-test:${Date.now()}:quiet`];
    // The first goes alone; the others wait for it and go in one statement.
    const counts = await Promise.all([busy, busy, quiet, busy, busy].map((key) => hits.count(key)));
    expect(counts.map((count) => count.points)).toEqual([1, 2, 1, 3, 4]);
    const rows = await stack.prisma.rateLimitCounter.findMany({ where: { key: { in: [busy, quiet] } }, orderBy: { key: 'asc' } });
    expect(rows.map((row) => [row.key, row.points])).toEqual([
      [busy, 4],
      [quiet, 1],
    ]);
    // A key's window starts with its first hit, whichever batch the others went in.
    expect(new Set(counts.filter((_, index) => index !== 2).map((count) => count.expire.getTime())).size).toBe(1);
  });

  it('prunes counters whose window ended an hour ago, and keeps the others', async () => {
    const now = new Date();
    const stale = `prune-test:${now.getTime()}:stale`;
    const live = `prune-test:${now.getTime()}:live`;
    await stack.prisma.rateLimitCounter.createMany({
      data: [
        { key: stale, points: 3, expire: new Date(now.getTime() - 2 * 3_600_000) },
        { key: live, points: 1, expire: new Date(now.getTime() + 60_000) },
      ],
    });
    expect(await pruneExpiredRateLimitCounters(stack.prisma, now)).toBeGreaterThanOrEqual(1);
    const left = await stack.prisma.rateLimitCounter.findMany({ where: { key: { in: [stale, live] } } });
    expect(left.map((row) => row.key)).toEqual([live]);
  });
});
