/**
 * A decision that arrives with the workflow's start — a seller acting at once on the `pending`
 * the API answered for a new request — is taken after the story's opening, not refused against
 * the state before it. Update-with-start puts the update in the workflow's very first task, the
 * case a client racing the start meets by chance.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { GreenlightActivities } from '../../activities/types';
import type { RequestActivities } from '../../activities/requests/types';
import type { Actor } from '../../domain/documents';
import { requestUpdates, requestWorkflowId, type RequestWorkflowInput } from '../../workflows/messages/request';
import type { requestWorkflow } from '../../workflows/request';
import { startTestWorker, type TestWorker } from '../support/worker';

const seller: Actor = { kind: 'seller', userId: 'user-1' };
const recorded = new Map<string, string[]>();

/** An activity a new request's opening and start never ask for: asked, it fails the test loudly. */
const notAsked = (name: string) => async (): Promise<never> => {
  throw new Error(`a request being opened and started asks no ${name}`);
};

const activities: GreenlightActivities & Pick<RequestActivities, 'syncServiceRequest'> = {
  recordTransition: async (input) => {
    recorded.set(input.documentId, [...(recorded.get(input.documentId) ?? []), input.event.type]);
  },
  syncServiceRequest: async () => undefined,
  notifyAssignee: async () => ({ sent: 0 }),
  sendDocumentEmail: notAsked('sendDocumentEmail'),
  sendDocumentSms: notAsked('sendDocumentSms'),
  sendConfirmationEmail: notAsked('sendConfirmationEmail'),
  notifyForwarder: notAsked('notifyForwarder'),
  sendRevisionToColleagues: notAsked('sendRevisionToColleagues'),
  recordSignature: notAsked('recordSignature'),
  applyRevision: notAsked('applyRevision'),
  convertDocument: notAsked('convertDocument'),
  attemptWebhookDelivery: notAsked('attemptWebhookDelivery'),
  cancelPortalSigning: notAsked('cancelPortalSigning'),
};

let worker: TestWorker;

beforeAll(async () => {
  worker = await startTestWorker({ activities });
});

afterAll(async () => {
  await worker?.close();
});

it("takes a seller's move sent with the request's start, after the request is received", async () => {
  const documentId = `doc-${randomUUID()}`;
  const input: RequestWorkflowInput = {
    tenantId: 'tenant-1',
    documentId,
    customerId: 'customer-1',
    number: 'DEM-2026-0001',
    sentBy: seller,
    priceOnQuote: true,
    billing: 'card',
    currency: 'EUR',
  };
  const start = new WithStartWorkflowOperation<typeof requestWorkflow>('requestWorkflow', {
    workflowId: requestWorkflowId(documentId),
    taskQueue: worker.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'FAIL',
  });
  const view = await worker.client.workflow.executeUpdateWithStart(requestUpdates.start, { args: [{ actor: seller }], startWorkflowOperation: start, updateId: randomUUID() });
  expect(view.status).toBe('in_progress');
  expect(recorded.get(documentId)).toEqual(['created', 'request_started']);
  await (await start.workflowHandle()).terminate('test over');
});
