/**
 * A worker killed the hard way (SIGKILL) in the middle of a revision's render: the render beats
 * while it runs (activities/heartbeat.ts), so Temporal notices the silence within the
 * heartbeat timeout and another worker renders the revision at once — not after the render's
 * 15-minute start-to-close timeout, which is what the test's own time bound would show.
 */
import { revisionRenderWorkflowId } from '../../services/render/render-start';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded } from '../support/api';
import { textPdf, uploadRevision } from '../support/proof-uploads';
import { startStack, type Stack } from '../support/stack';
import { killHard, WorkerProcesses } from '../support/worker-process';

let stack: Stack;
const workers = new WorkerProcesses();

beforeAll(async () => {
  stack = await startStack({ inProcessWorker: false });
}, 120_000);
afterAll(async () => {
  await workers.stopAll();
  await stack?.close();
});

it('renders the revision on another worker within a minute of the first one dying mid-render', async () => {
  const { apiKey } = await stack.createTenant('Imprimerie Relève');
  const api = greenlightClient(stack.baseUrl, apiKey);
  const customer = await succeeded(api.POST('/v1/customers', { body: { name: 'Client relevé' } }));
  const documentId = (await succeeded(api.POST('/v1/documents', { body: { kind: 'proof', customerId: customer.id, title: 'Catalogue' } }))).id;
  const first = workers.start(stack, 'first');

  // Enough pages that the render is still running when the worker is killed.
  const uploaded = await uploadRevision(stack.baseUrl, apiKey, documentId, [{ name: 'catalogue.pdf', bytes: await textPdf('Catalogue', 120) }]);
  expect(uploaded.status).toBe(201);
  const revisionId: string = uploaded.body.revision.id;
  const render = stack.client.workflow.getHandle(revisionRenderWorkflowId(revisionId));
  await eventually(
    async () => {
      const { raw } = await render.describe();
      return raw.pendingActivities?.some((activity) => activity.activityType?.name === 'renderProofRevision' && activity.lastStartedTime) ? true : undefined;
    },
    { what: 'the render running on the first worker', everyMs: 100 },
  );
  await killHard(first);
  const killedAt = Date.now();
  // Killed mid-render: the revision was not finished.
  expect((await stack.prisma.revision.findUniqueOrThrow({ where: { id: revisionId } })).status).toBe('rendering');
  workers.start(stack, 'second');

  const revision = await eventually(
    async () => {
      const row = await stack.prisma.revision.findUniqueOrThrow({ where: { id: revisionId } });
      return row.status === 'rendering' ? undefined : row;
    },
    { what: 'the revision rendered by the second worker', timeoutMs: 150_000 },
  );
  expect(revision.status).toBe('ready');
  expect(Date.now() - killedAt).toBeLessThan(150_000);
}, 300_000);
