/**
 * The signature workflow on a real worker, Temporal and PostgreSQL, against the GetAccept
 * stand-in, started on its own (no parent document workflow): it continues as new every few
 * checks carrying its state (status, sequence, failures, the interval), follows the provider
 * across runs, and records each transition once.
 */
import { takeToken } from '../../activities/signature/rate-limit';
import { signatureWorkflowId, signatureStateQuery, type SignatureWorkflowInput } from '../../workflows/messages/signature';
import { saveReplayRuns } from '../replay/record';
import { eventually } from '../support/eventually';
import { startSigningStack, type SigningOffice, type SigningStack } from '../support/getaccept';
import type { Stack } from '../support/stack';

let signing: SigningStack;
let stack: Stack;
let office: SigningOffice;

beforeAll(async () => {
  signing = await startSigningStack();
  ({ stack, office } = signing);
});
afterAll(async () => {
  await signing?.close();
});

it('continues as new every two checks, carrying its state, and still follows the provider', async () => {
  const { documentId, email } = await office.createDocument();
  // The row the API keeps at send time; the workflow is started here, without a quote workflow around it.
  await stack.prisma.externalSignature.create({
    data: { id: `esig_${documentId}`, tenantId: office.tenantId, documentId, provider: 'getaccept', purpose: 'quote', channel: 'email', recipientName: 'Åsa Öberg', recipientEmail: email },
  });
  const input: SignatureWorkflowInput = {
    provider: 'getaccept',
    purpose: 'quote',
    channel: 'email',
    pollIntervalMs: 1_000,
    kind: 'quote',
    tenantId: office.tenantId,
    documentId,
    customerId: (await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } })).customerId,
    parentWorkflowId: `quote-${documentId}`,
    continueAsNewAfterChecks: 2,
  };
  const handle = await stack.client.workflow.start('signatureWorkflow', { taskQueue: stack.taskQueue, workflowId: signatureWorkflowId(documentId), args: [input] });
  await office.waitForDigitalStatus(documentId, 'sent');
  const { id: providerId } = await office.standInDocument(documentId);

  // Two runs later, the state came along.
  await eventually(async () => ((await handle.describe()).runId !== handle.firstExecutionRunId ? true : undefined), { what: 'a continue-as-new' });
  const before = await handle.query(signatureStateQuery);
  expect(before.digitalStatus).toBe('sent');

  await office.moveAtProvider(providerId, 'viewed');
  await office.waitForDigitalStatus(documentId, 'viewed');

  await office.moveAtProvider(providerId, 'signed');
  const result = await stack.client.workflow.getHandle(signatureWorkflowId(documentId)).result();
  expect(result.digitalStatus).toBe('signed');

  const events = (await office.events(documentId)).filter((event) => event.type.startsWith('signature_') || event.type === 'signed');
  expect(events.map((event) => event.type)).toEqual(['signature_sent', 'signature_viewed', 'signed']);
  expect(await stack.prisma.externalSignature.findUniqueOrThrow({ where: { documentId } })).toMatchObject({ signedFileKey: `signatures/${documentId}/signed.pdf` });
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayRuns(stack.client.workflow, signatureWorkflowId(documentId), 'signature-continued-as-new');
});

it('shares a token bucket per tenant in PostgreSQL: a burst beyond the limit waits', async () => {
  const key = { tenantId: office.tenantId, provider: 'bucket-test' };
  const limit = { perMinute: 3 };
  const waits = [];
  for (let take = 0; take < 4; take += 1) waits.push(await takeToken(stack.prisma, key, limit));
  expect(waits.slice(0, 3)).toEqual([0, 0, 0]);
  // The fourth waits for the refill: about a third of a minute at three a minute.
  expect(waits[3]).toBeGreaterThan(10_000);
  expect(waits[3]).toBeLessThanOrEqual(20_000);
  expect(await takeToken(stack.prisma, { ...key, tenantId: 'another-tenant' }, limit)).toBe(0);
});
