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

/** The input a quote gives its signature child, for a signature started here without one. */
async function signatureInput(documentId: string, run: Pick<SignatureWorkflowInput, 'pollIntervalMs' | 'continueAsNewAfterChecks'>): Promise<SignatureWorkflowInput> {
  const { customerId } = await stack.prisma.document.findUniqueOrThrow({ where: { id: documentId } });
  return { provider: 'getaccept', purpose: 'quote', channel: 'email', kind: 'quote', tenantId: office.tenantId, documentId, customerId, parentWorkflowId: `quote-${documentId}`, ...run };
}

it('continues as new every two checks, carrying its state, and still follows the provider', async () => {
  const { documentId, email } = await office.createDocument();
  // The row the API keeps at send time; the workflow is started here, without a quote workflow around it.
  await stack.prisma.externalSignature.create({
    data: { id: `esig_${documentId}`, tenantId: office.tenantId, documentId, provider: 'getaccept', purpose: 'quote', channel: 'email', recipientName: 'Åsa Öberg', recipientEmail: email },
  });
  const input = await signatureInput(documentId, { pollIntervalMs: 1_000, continueAsNewAfterChecks: 2 });
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

it("hands a run carrying the old loop's state over to the story: status, transition sequence and interval come along", async () => {
  await office.settings({ signaturePollInterval: 'PT1H' });
  const { documentId } = await office.createDocument();
  const sent = await office.sendForSignature(documentId);
  const workflowId = signatureWorkflowId(documentId);
  // The run the quote started gives way to one resumed from what the loop carried (signature_sent recorded, seq 1).
  await stack.client.workflow.getHandle(workflowId).terminate('replaced by a run resumed from the loop');
  const input = await signatureInput(documentId, { pollIntervalMs: 3_600_000, continueAsNewAfterChecks: 1 });
  const loopResume = { snapshot: { value: 'sent' }, transitionSeq: 1, decisionIds: [], consecutiveFailures: 0, failureReported: false, lastCheckAt: Date.now(), checkRequested: true };
  const handle = await stack.client.workflow.start('signatureWorkflow', { taskQueue: stack.taskQueue, workflowId, args: [{ ...input, resume: loopResume }] });

  // The loop checks once (the request it carried), then continues as new onto the story.
  await eventually(async () => ((await handle.describe()).runId !== handle.firstExecutionRunId ? true : undefined), { what: 'the loop to continue as new' });
  // The new run is the story's: it took the patch (runs of the loop never ask for it).
  const patchedRun = async () => {
    const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    return events?.some((event) => event.markerRecordedEventAttributes?.markerName === 'core_patch') ? true : undefined;
  };
  await eventually(patchedRun, { what: 'the story to run the new run' });
  const story = await handle.query(signatureStateQuery);
  expect(story.digitalStatus).toBe('sent');
  // The hour between checks holds across the hand-over.
  expect(story.nextCheckAt).toBeGreaterThan(Date.now() + 3_000_000);

  await office.moveAtProvider(sent.id, 'signed');
  expect((await office.checkSignature(documentId)).response.status).toBe(202);
  expect((await stack.client.workflow.getHandle(workflowId).result()).digitalStatus).toBe('signed');
  await eventually(async () => ((await office.document(documentId)).status === 'accepted' ? true : undefined), { what: 'the quote accepted' });
  // Numbered after what the loop recorded: nothing overwritten, nothing dropped as a repeat.
  const events = (await office.events(documentId)).filter((event) => event.type.startsWith('signature_') || event.type === 'signed');
  expect(events.map((event) => event.type)).toEqual(['signature_sent', 'signed']);
  if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayRuns(stack.client.workflow, workflowId, 'signature-loop-to-story');
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
