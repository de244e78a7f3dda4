/**
 * The served OpenAPI document (the very object GET /v1/openapi.json answers) passes Redocly's
 * recommended rules with no error and no warning, and says what the linter does not check:
 * every status an enum, every event Greenlight sends under `webhooks`, every tag described,
 * every JSON request body with an example the route accepts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { backofficeRoutes, openApiDocument } from '../../../api/backoffice/index';
import { WEBHOOK_EVENT_TYPES } from '../../../domain/webhooks';

const run = promisify(execFile);
const repository = join(__dirname, '../../..');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

test('redocly lint (recommended rules) finds nothing to report', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(directory, 'openapi.json');
    await writeFile(file, JSON.stringify(openApiDocument));
    // Run from the repository so a redocly.yaml there would apply; telemetry off: nothing leaves the machine.
    const { stdout } = await run(join(repository, 'node_modules/.bin/redocly'), ['lint', file, '--format=json'], {
      cwd: repository,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    expect(report.problems.map((problem) => `${problem.ruleId} at ${problem.location[0]?.pointer}: ${problem.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}, 60_000);

/** Every property named status, anywhere in the document, and its schema. */
function statusProperties(node: unknown, pointer: string): [string, Record<string, unknown>][] {
  if (Array.isArray(node)) return node.flatMap((item, index) => statusProperties(item, `${pointer}/${index}`));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const found = statusProperties(value, `${pointer}/${key}`);
    const isProperty = pointer.endsWith('/properties') && key === 'status';
    return isProperty ? [[`${pointer}/status`, value as Record<string, unknown>] as [string, Record<string, unknown>], ...found] : found;
  });
}

test('every status is an enum (or a reference to one, or the Problem HTTP status number), never a bare string', () => {
  const statuses = statusProperties(openApiDocument, '');
  expect(statuses.length).toBeGreaterThan(5);
  const bare = statuses.filter(([, schema]) => !('enum' in schema) && !('$ref' in schema) && schema.type !== 'integer');
  expect(bare.map(([pointer]) => pointer)).toEqual([]);
});

test('every event type Greenlight sends is described under webhooks, with its payload', () => {
  const webhooks = openApiDocument.webhooks as Record<string, { post: { requestBody: { content: Record<string, { schema: unknown }> } } }>;
  expect(Object.keys(webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
  for (const type of WEBHOOK_EVENT_TYPES) {
    expect(webhooks[type]?.post.requestBody.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/WebhookPayload' });
  }
});

test('every tag an operation names is declared with a description', () => {
  const declared = new Map((openApiDocument.tags ?? []).map((tag) => [tag.name, tag.description]));
  const used = Object.values(openApiDocument.paths ?? {}).flatMap((item) => Object.values(item as Record<string, { tags?: string[] }>).flatMap((operation) => operation.tags ?? []));
  for (const tag of new Set(used)) expect(declared.get(tag)).toEqual(expect.stringMatching(/\w/));
});

test('every JSON request body has an example, and the route accepts it', () => {
  const bodies = backofficeRoutes.flatMap((route) => {
    // The route table's own description: the zod schema itself, not yet a JSON Schema.
    const json = route.openapi.request?.body?.content['application/json'] as { schema: z.ZodType; example?: unknown } | undefined;
    return json ? [{ operation: route.openapi.operationId, schema: json.schema, example: json.example }] : [];
  });
  expect(bodies.length).toBeGreaterThan(20);
  expect(bodies.filter((body) => body.example === undefined).map((body) => body.operation)).toEqual([]);
  const refused = bodies.filter((body) => !body.schema.safeParse(body.example).success).map((body) => body.operation);
  expect(refused).toEqual([]);
});
