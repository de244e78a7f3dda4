/**
 * The proof workflow on the real Temporal dev server, with in-memory activities that keep what
 * they were asked (idempotent by the same keys as the real ones). The API is not wired to it
 * yet: decisions go to the workflow's updates through the Temporal client, as api/ will.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type {
  GreenlightActivities,
  NotifyAssigneeInput,
  NotifyForwarderInput,
  RecordTransitionInput,
  RevisionToColleaguesInput,
  SendConfirmationEmailInput,
  SendDocumentEmailInput,
} from '../../activities/types';
import type { Actor } from '../../domain/documents';
import type { Decider, DeciderPlan, StepRule } from '../../domain/deciders';
import { DECISION_REJECTED, documentWorkflowId, viewedSignal } from '../../workflows/messages/document';
import { proofStateQuery, proofUpdates, type ProofView, type ProofWorkflowInput } from '../../workflows/messages/proof';
import type { proofWorkflow } from '../../workflows/proof';
import { eventually } from '../support/eventually';
import { startTestWorker, type TestWorker } from '../support/worker';
import { saveReplayHistory, saveReplayRuns } from '../replay/record';

const seller: Actor = { kind: 'seller', userId: 'user-1' };
const system: Actor = { kind: 'system' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Zoë Ångström' };

class RecordingActivities {
  readonly records = new Map<string, RecordTransitionInput>();
  readonly emails: SendDocumentEmailInput[] = [];
  readonly notifications: NotifyAssigneeInput[] = [];
  readonly confirmations: SendConfirmationEmailInput[] = [];
  readonly forwarderNotices: NotifyForwarderInput[] = [];
  readonly revisionsToColleagues: RevisionToColleaguesInput[] = [];
  /** Notifications of these documents wait until released, to keep a closed workflow running. */
  readonly #held = new Map<string, Promise<void>>();

  hold(documentId: string): () => void {
    let release!: () => void;
    this.#held.set(documentId, new Promise<void>((resolve) => (release = resolve)));
    return release;
  }

  readonly activities: GreenlightActivities = {
    recordTransition: async (input) => {
      this.records.set(`${input.workflowId}#${input.seq}`, input);
    },
    sendDocumentEmail: async (input) => {
      if (!this.emails.some((email) => email.idempotencyKey === input.idempotencyKey)) this.emails.push(input);
      return { messageId: `message-${input.idempotencyKey}`, linkId: 'link-1' };
    },
    sendConfirmationEmail: async (input) => {
      if (!this.confirmations.some((c) => c.idempotencyKey === input.idempotencyKey)) this.confirmations.push(input);
      return { messageId: `message-${input.idempotencyKey}`, linkId: 'link-1' };
    },
    sendDocumentSms: async () => {
      throw new Error('sent by email in these tests');
    },
    notifyAssignee: async (input) => {
      await this.#held.get(input.documentId);
      if (!this.notifications.some((n) => n.idempotencyKey === input.idempotencyKey)) this.notifications.push(input);
      return { sent: 1 };
    },
    notifyForwarder: async (input) => {
      if (!this.forwarderNotices.some((n) => n.idempotencyKey === input.idempotencyKey)) this.forwarderNotices.push(input);
      return { sent: 1 };
    },
    sendRevisionToColleagues: async (input) => {
      if (!this.revisionsToColleagues.some((n) => n.idempotencyKey === input.idempotencyKey)) this.revisionsToColleagues.push(input);
      return { sent: 1 };
    },
    recordSignature: async () => {
      throw new Error('a proof is never signed');
    },
    cancelPortalSigning: async () => {
      throw new Error('a proof is never signed');
    },
    applyRevision: async () => {
      throw new Error('a proof has revisions of its own, not quote versions');
    },
    convertDocument: async () => {
      throw new Error('a proof converts into nothing');
    },
    attemptWebhookDelivery: async () => {
      throw new Error('the proof workflow delivers no webhook');
    },
  };

  /** Audit rows recorded for a document, in sequence order. */
  trail(documentId: string): RecordTransitionInput[] {
    return [...this.records.values()].filter((record) => record.documentId === documentId).sort((a, b) => a.seq - b.seq);
  }
}

let worker: TestWorker;
const recorded = new RecordingActivities();

beforeAll(async () => {
  worker = await startTestWorker({ activities: recorded.activities });
});

afterAll(async () => {
  await worker?.close();
});

async function startProof(overrides: Partial<ProofWorkflowInput> = {}): Promise<{ documentId: string; handle: WorkflowHandle<typeof proofWorkflow> }> {
  const documentId = `doc-${randomUUID()}`;
  const input: ProofWorkflowInput = {
    tenantId: 'tenant-1',
    documentId,
    customerId: 'customer-1',
    number: 'P-2026-0007',
    title: 'Flyers A5',
    send: { channel: 'email', attachPdf: false },
    sentBy: seller,
    termsVersion: 'v3',
    ...overrides,
  };
  const handle = await worker.client.workflow.start<typeof proofWorkflow>('proofWorkflow', {
    workflowId: documentWorkflowId('proof', documentId),
    taskQueue: worker.taskQueue,
    args: [input],
  });
  return { documentId, handle };
}

function decide<TInput>(handle: WorkflowHandle, update: UpdateDefinition<ProofView, [TInput]>, input: TInput, decisionId: string = randomUUID()): Promise<ProofView> {
  return handle.executeUpdate(update, { args: [input], updateId: decisionId });
}

/** The reason a decision was refused with. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === DECISION_REJECTED) {
    return error.cause.message;
  }
  throw new Error(`Expected a refused decision, got ${String(error)}`);
}

describe('proof workflow', () => {
  it('loops through a change request with a pin, then approves revision 2 with the terms', async () => {
    const { documentId, handle } = await startProof();
    expect(await handle.query(proofStateQuery)).toEqual({ status: 'draft', revision: 0, pageCount: 0, termsRequired: true, remindersSent: 0 });

    const sent = await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 3 }, 'revision-r1');
    expect(sent).toMatchObject({ status: 'sent', revision: 1 });
    await handle.signal(viewedSignal, { eventId: randomUUID(), at: Date.now(), actor: customer });
    await eventually(async () => ((await handle.query(proofStateQuery)).status === 'viewed' ? true : undefined), { what: 'the view' });

    const pins = [{ page: 2, x: 0.4, y: 0.25, comment: 'Wrong phone number' }];
    expect(await refusal(decide(handle, proofUpdates.requestChanges, { actor: customer, revision: 1, comment: 'See pin', pins: [{ ...pins[0]!, page: 4 }] }))).toBe(
      'Pin 1 is on page 4; revision 1 has 3 pages',
    );
    const changes = await decide(handle, proofUpdates.requestChanges, { actor: customer, revision: 1, comment: 'See pin', pins });
    expect(changes.status).toBe('changes_requested');

    const again = await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 3 }, 'revision-r2');
    expect(again).toMatchObject({ status: 'sent', revision: 2 });
    // The render retried: the same decision id is taken once and answered with the state.
    expect(await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 3 }, 'revision-r2')).toMatchObject({ revision: 2 });

    expect(await refusal(decide(handle, proofUpdates.approve, { actor: customer, revision: 1, termsAccepted: true, termsVersion: 'v3' }))).toBe(
      'This decision is about revision 1 of the proof; the current revision is 2',
    );
    expect(await refusal(decide(handle, proofUpdates.approve, { actor: customer, revision: 2 }))).toBe(
      'The terms of sale must be accepted to approve the proof',
    );
    const approved = await decide(handle, proofUpdates.approve, { actor: customer, revision: 2, termsAccepted: true, termsVersion: 'v3' });
    expect(approved).toEqual({ status: 'approved', revision: 2, pageCount: 3, termsRequired: false, remindersSent: 0 });
    expect(await handle.result()).toEqual(approved);

    const trail = recorded.trail(documentId);
    expect(trail.map((record) => [record.event.type, record.status])).toEqual([
      ['sent', 'sent'],
      ['viewed', 'viewed'],
      ['changes_requested', 'changes_requested'],
      ['sent', 'sent'],
      ['approved', 'approved'],
    ]);
    expect(trail[2]!.event.data).toMatchObject({ revision: 1, comment: 'See pin', pins });
    expect(trail[4]!.event.data).toMatchObject({ revision: 2, termsAccepted: true, termsVersion: 'v3' });
    // Revision 2's email says which it is (template proof_next_revision); nobody was forwarded it.
    expect(recorded.emails.filter((email) => email.documentId === documentId)).toMatchObject([
      { template: 'proof_revision', attachPdf: false, idempotencyKey: `proof-${documentId}#revision#1` },
      { template: 'proof_next_revision', attachPdf: false, idempotencyKey: `proof-${documentId}#revision#2` },
    ]);
    expect(recorded.revisionsToColleagues.filter((notice) => notice.documentId === documentId)).toEqual([]);
    await eventually(
      async () => {
        const decided = recorded.notifications.filter((n) => n.documentId === documentId && n.event === 'decided').map((n) => n.what);
        return decided.length === 2 ? decided : undefined;
      },
      { what: 'both decisions notified' },
    );
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'proof-approved');
  });

  it('continues as new without losing the revision, its pages, the terms or the decisions taken', async () => {
    const { documentId, handle } = await startProof({ continueAsNewAfterEvents: 2 });
    const firstRunId = (await handle.describe()).runId;
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 2 }, 'revision-r1');
    await handle.signal(viewedSignal, { eventId: randomUUID(), at: Date.now(), actor: customer });
    await eventually(
      async () => ((await worker.client.workflow.getHandle(documentWorkflowId('proof', documentId), firstRunId).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined),
      { what: 'the first run to continue as new' },
    );
    expect(await handle.query(proofStateQuery)).toEqual({ status: 'viewed', revision: 1, pageCount: 2, termsRequired: true, remindersSent: 0 });
    // The render's retry reaches the new run: taken once, in the first run.
    expect(await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 2 }, 'revision-r1')).toMatchObject({ revision: 1 });
    expect(await refusal(decide(handle, proofUpdates.requestChanges, { actor: customer, revision: 1, comment: 'x', pins: [{ page: 3, x: 0, y: 0, comment: 'y' }] }))).toBe(
      'Pin 1 is on page 3; revision 1 has 2 pages',
    );
    await decide(handle, proofUpdates.approve, { actor: customer, revision: 1, termsAccepted: true, termsVersion: 'v3' });
    expect((await handle.result()).status).toBe('approved');
    expect(recorded.trail(documentId).map((record) => [record.seq, record.event.type])).toEqual([
      [1, 'sent'],
      [2, 'viewed'],
      [3, 'approved'],
    ]);
  });

  it('takes a change request, continues as new, then sends revision 2 as the next one and approves it', async () => {
    const { documentId, handle } = await startProof({ continueAsNewAfterEvents: 2, termsVersion: undefined });
    const workflowId = documentWorkflowId('proof', documentId);
    const firstRunId = (await handle.describe()).runId;
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 2 }, 'revision-r1');
    await decide(handle, proofUpdates.requestChanges, { actor: customer, revision: 1, comment: 'Bigger logo' });
    // Two writes (sent, changes requested): the first run hands over to the next.
    await eventually(
      async () => ((await worker.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined),
      { what: 'the first run to continue as new' },
    );
    expect(await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 2 }, 'revision-r2')).toMatchObject({ status: 'sent', revision: 2 });
    await decide(handle, proofUpdates.approve, { actor: customer, revision: 2 });
    expect(await handle.result()).toMatchObject({ status: 'approved', revision: 2 });

    expect(recorded.trail(documentId).map((record) => [record.seq, record.event.type])).toEqual([
      [1, 'sent'],
      [2, 'changes_requested'],
      [3, 'sent'],
      [4, 'approved'],
    ]);
    // The continued run knows revision 2 follows another: not the first send's template.
    expect(recorded.emails.filter((email) => email.documentId === documentId).map((email) => email.template)).toEqual(['proof_revision', 'proof_next_revision']);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayRuns(worker.client.workflow, workflowId, 'proof-two-revisions-continued-as-new');
  });

  it('sends a revision ready at start, takes terms already accepted, and cancels another proof', async () => {
    const { handle: ready } = await startProof({ readyRevision: { revision: 1, pageCount: 1 }, termsAcceptedVersion: 'v3' });
    await eventually(async () => ((await ready.query(proofStateQuery)).status === 'sent' ? true : undefined), { what: 'the first send' });
    expect(await decide(ready, proofUpdates.approve, { actor: customer, revision: 1 })).toMatchObject({ status: 'approved', termsRequired: false });
    await ready.result();

    const { handle: cancelled } = await startProof();
    await decide(cancelled, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 2 });
    expect(await decide(cancelled, proofUpdates.cancel, { actor: seller, reason: 'Order dropped' })).toMatchObject({ status: 'cancelled' });
    expect((await cancelled.result()).status).toBe('cancelled');
  });

  it("forwards to a colleague once per decision id, and tells the forwarder of the colleague's approval before closing", async () => {
    const { documentId, handle } = await startProof({ readyRevision: { revision: 1, pageCount: 1 }, termsVersion: undefined });
    await eventually(async () => ((await handle.query(proofStateQuery)).status === 'sent' ? true : undefined), { what: 'the first send' });
    const to = { email: 'marc@client.example', name: 'Marc' };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(await decide(handle, proofUpdates.forward, { actor: customer, to }, 'forward-1')).toMatchObject({ status: 'sent' });
    }
    const forwardEmails = recorded.emails.filter((email) => email.documentId === documentId && email.template === 'proof_forwarded');
    expect(forwardEmails).toEqual([expect.objectContaining({ to, forwardedFromLinkId: 'link-1', idempotencyKey: `${documentWorkflowId('proof', documentId)}#forward#forward-1` })]);
    expect(recorded.trail(documentId).filter((record) => record.event.type === 'forwarded')).toHaveLength(1);

    const colleague: Actor = { kind: 'customer', linkId: 'link-2', name: 'Marc', email: to.email, forwardedFromLinkId: 'link-1' };
    await decide(handle, proofUpdates.approve, { actor: colleague, revision: 1 });
    expect(await handle.result()).toMatchObject({ status: 'approved' });
    expect(recorded.forwarderNotices.filter((notice) => notice.documentId === documentId)).toEqual([
      expect.objectContaining({ colleagueLinkId: 'link-2', decision: 'approved' }),
    ]);
    expect(recorded.notifications.filter((notice) => notice.documentId === documentId && notice.what === 'approved')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ actorName: 'Marc' }) }),
    ]);
  });

  it('sends a new revision to the colleagues the proof was forwarded to, after the customer, without the first send’s message', async () => {
    const { documentId, handle } = await startProof({ send: { channel: 'email', attachPdf: false, message: 'Voici le BAT' }, termsVersion: undefined });
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 1, pageCount: 1 }, 'revision-r1');
    await decide(handle, proofUpdates.forward, { actor: customer, to: { email: 'marc@client.example' } }, 'forward-1');
    await decide(handle, proofUpdates.requestChanges, { actor: customer, revision: 1, comment: 'Logo plus grand' });
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 1 }, 'revision-r2');
    const key = `${documentWorkflowId('proof', documentId)}#revision#2`;
    await eventually(async () => (recorded.revisionsToColleagues.some((notice) => notice.documentId === documentId) ? true : undefined), { what: 'the colleagues told' });
    expect(recorded.revisionsToColleagues.filter((notice) => notice.documentId === documentId)).toEqual([{ tenantId: 'tenant-1', documentId, revision: 2, idempotencyKey: key }]);
    const revisionEmails = recorded.emails.filter((email) => email.documentId === documentId && email.template !== 'proof_forwarded');
    expect(revisionEmails.map((email) => [email.template, email.message])).toEqual([
      ['proof_revision', 'Voici le BAT'],
      ['proof_next_revision', undefined],
    ]);
    await decide(handle, proofUpdates.cancel, { actor: seller });
    await handle.result();
  });

  it('refuses a revision reported to an approved proof, with its reason', async () => {
    const { documentId, handle } = await startProof({ readyRevision: { revision: 1, pageCount: 1 }, termsVersion: undefined });
    await eventually(async () => ((await handle.query(proofStateQuery)).status === 'sent' ? true : undefined), { what: 'the first send' });
    // The seller's notification is held, so the approved workflow is still there to answer.
    const release = recorded.hold(documentId);
    await decide(handle, proofUpdates.approve, { actor: customer, revision: 1 });
    expect(await refusal(decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 1 }))).toBe(
      'The proof is already approved (revision 1): a new revision cannot be sent',
    );
    release();
    expect(await handle.result()).toMatchObject({ status: 'approved', revision: 1 });
  });
});

describe('proof workflow with several deciders', () => {
  const named = (id: string, step: number, role: Decider['role'] = 'approver'): Decider => ({ id, step, role, email: `${id}@client.example`, name: `Decider ${id}` });
  const deciderActor = (id: string): Actor => ({ kind: 'customer', linkId: `link-${id}`, name: `Decider ${id}`, deciderId: id });
  /** Two approvers (rule given) and a reviewer in step 1, one approver in step 2. */
  const twoSteps = (rule: StepRule = 'all'): DeciderPlan => ({ deciders: [named('d1', 1), named('d2', 1), named('d3', 2), named('d4', 1, 'reviewer')], rules: [rule, 'all'] });
  const startWith = (deciders: DeciderPlan, overrides: Partial<ProofWorkflowInput> = {}) =>
    startProof({ readyRevision: { revision: 1, pageCount: 2 }, termsVersion: undefined, deciders, ...overrides });
  const invited = (documentId: string) => recorded.emails.filter((email) => email.documentId === documentId).map((email) => email.decider?.id);
  /** Sent once recorded: the invitations go out just before. */
  const sentTo = (documentId: string) => eventually(async () => (recorded.trail(documentId).some((record) => record.event.type === 'sent') ? true : undefined), { what: 'the first send' });
  const approve = (handle: WorkflowHandle, id: string, decisionId?: string) => decide(handle, proofUpdates.approve, { actor: deciderActor(id), revision: 1 }, decisionId);
  /** The decision told, once the workflow closed (it tells behind the answer): whom, what, on which decider's link, keyed by the transition. */
  const told = async (handle: WorkflowHandle, documentId: string) => {
    await handle.result();
    return recorded.confirmations
      .filter((confirmation) => confirmation.documentId === documentId)
      .map(({ confirmation, to, decider, declinedBy, idempotencyKey }) => ({ confirmation, to, decider, declinedBy, key: idempotencyKey.split('#').slice(1).join('#') }))
      .sort((a, b) => a.key.localeCompare(b.key));
  };
  const toldTo = (id: string, confirmation: string, seq: number, declinedBy?: string, role: Decider['role'] = 'approver') => ({
    confirmation,
    to: { email: `${id}@client.example`, name: `Decider ${id}` },
    decider: { id, role },
    declinedBy,
    key: `${seq}#confirmation#${id}`,
  });

  it('invites step 1, takes both approvals and a comment, invites step 2 only then, and approves once its approver did', async () => {
    const { documentId, handle } = await startWith(twoSteps('all'), { send: { channel: 'email', attachPdf: false, message: 'Voici le BAT' } });
    await sentTo(documentId);
    expect(invited(documentId)).toEqual(['d1', 'd2', 'd4']);
    expect(recorded.emails.find((email) => email.documentId === documentId && email.decider?.id === 'd1')).toMatchObject({
      template: 'proof_revision',
      message: 'Voici le BAT',
      to: { email: 'd1@client.example', name: 'Decider d1' },
      decider: { id: 'd1', role: 'approver' },
      idempotencyKey: `proof-${documentId}#decider#d1#round#1`,
    });

    expect(await refusal(approve(handle, 'd3'))).toBe('Step 2 decides after step 1; you will be invited once it is done');
    expect(await refusal(decide(handle, proofUpdates.approve, { actor: customer, revision: 1 }))).toMatch(/people the seller named/);
    expect(await refusal(approve(handle, 'd4'))).toBe('A reviewer comments; the approvers decide');
    await decide(handle, proofUpdates.comment, { actor: deciderActor('d4'), revision: 1, comment: 'The blue is too dark', pins: [{ page: 2, x: 0.5, y: 0.5, comment: 'here' }] });

    const first = await approve(handle, 'd1');
    expect(first.status).toBe('sent');
    expect(first.deciders?.map((decider) => [decider.id, decider.state])).toEqual([
      ['d1', 'approved'],
      ['d2', 'awaited'],
      ['d3', 'not_yet_invited'],
      ['d4', 'reviewing'],
    ]);
    expect(await refusal(approve(handle, 'd1'))).toBe('You already approved');
    expect(invited(documentId)).toEqual(['d1', 'd2', 'd4']);

    expect((await approve(handle, 'd2')).status).toBe('sent');
    expect(invited(documentId)).toEqual(['d1', 'd2', 'd4', 'd3']);
    expect(recorded.emails.find((email) => email.documentId === documentId && email.decider?.id === 'd3')).toMatchObject({ template: 'proof_revision', message: 'Voici le BAT' });

    expect((await approve(handle, 'd3')).status).toBe('approved');
    expect((await handle.result()).status).toBe('approved');
    expect(recorded.trail(documentId).map((record) => [record.event.type, record.event.actor, record.event.data?.deciderId])).toEqual([
      ['sent', seller, undefined],
      ['commented', deciderActor('d4'), 'd4'],
      ['decider_approved', deciderActor('d1'), 'd1'],
      ['decider_approved', deciderActor('d2'), 'd2'],
      ['step_completed', deciderActor('d2'), undefined],
      ['decider_approved', deciderActor('d3'), 'd3'],
      ['approved', deciderActor('d3'), undefined],
    ]);
    expect(recorded.trail(documentId).find((record) => record.event.type === 'commented')?.event.data).toMatchObject({ comment: 'The blue is too dark', pins: [{ page: 2 }] });
    // Each decider invited hears the approval on their own link, the reviewer and the last approver too; the contact is one of them here (no informContact).
    expect(await told(handle, documentId)).toEqual([
      toldTo('d1', 'deciders_approved', 7),
      toldTo('d2', 'deciders_approved', 7),
      toldTo('d3', 'deciders_approved', 7),
      toldTo('d4', 'deciders_approved', 7, undefined, 'reviewer'),
    ]);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'proof-deciders-two-steps-approved');
  });

  it('sends the proof back at the first change request in step 1, and in step 2', async () => {
    const { documentId, handle } = await startWith(twoSteps('all'));
    await sentTo(documentId);
    expect((await decide(handle, proofUpdates.requestChanges, { actor: deciderActor('d2'), revision: 1, comment: 'Wrong date' })).status).toBe('changes_requested');
    expect(await refusal(approve(handle, 'd1'))).toMatch(/Changes were already requested/);
    // The next revision asks the same deciders again, from step 1.
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 2 }, 'revision-r2');
    expect(invited(documentId)).toEqual(['d1', 'd2', 'd4', 'd1', 'd2', 'd4']);
    expect(recorded.emails.filter((email) => email.documentId === documentId).at(-1)).toMatchObject({ template: 'proof_next_revision', revision: 2 });
    await decide(handle, proofUpdates.approve, { actor: deciderActor('d1'), revision: 2 });
    await decide(handle, proofUpdates.approve, { actor: deciderActor('d2'), revision: 2 });
    expect((await decide(handle, proofUpdates.requestChanges, { actor: deciderActor('d3'), revision: 2, comment: 'No' })).status).toBe('changes_requested');
    expect(recorded.trail(documentId).map((record) => record.event.type)).toEqual([
      'sent',
      'decider_declined',
      'changes_requested',
      'sent',
      'decider_approved',
      'decider_approved',
      'step_completed',
      'decider_declined',
      'changes_requested',
    ]);
    await decide(handle, proofUpdates.cancel, { actor: seller });
    await handle.result();
  });

  it('tells a change request to everyone invited but who asked, and the contact who is no decider; not the step never invited', async () => {
    const { documentId, handle } = await startWith(twoSteps('all'), { informContact: true });
    await sentTo(documentId);
    await approve(handle, 'd1');
    expect((await decide(handle, proofUpdates.requestChanges, { actor: deciderActor('d2'), revision: 1, comment: 'Wrong date' })).status).toBe('changes_requested');
    // In step 2 of the next revision: step 1's deciders hear it too.
    await decide(handle, proofUpdates.revisionReady, { actor: system, revision: 2, pageCount: 2 }, 'revision-r2');
    await decide(handle, proofUpdates.approve, { actor: deciderActor('d1'), revision: 2 });
    await decide(handle, proofUpdates.approve, { actor: deciderActor('d2'), revision: 2 });
    expect((await decide(handle, proofUpdates.requestChanges, { actor: deciderActor('d3'), revision: 2, comment: 'No' })).status).toBe('changes_requested');
    await decide(handle, proofUpdates.cancel, { actor: seller });
    const contact = (seq: number, declinedBy: string) => ({ confirmation: 'deciders_changes_requested', to: undefined, decider: undefined, declinedBy, key: `${seq}#confirmation` });
    expect(await told(handle, documentId)).toEqual([
      contact(10, 'Decider d3'),
      toldTo('d1', 'deciders_changes_requested', 10, 'Decider d3'),
      toldTo('d2', 'deciders_changes_requested', 10, 'Decider d3'),
      toldTo('d4', 'deciders_changes_requested', 10, 'Decider d3', 'reviewer'),
      contact(4, 'Decider d2'),
      toldTo('d1', 'deciders_changes_requested', 4, 'Decider d2'),
      toldTo('d4', 'deciders_changes_requested', 4, 'Decider d2', 'reviewer'),
    ]);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'proof-deciders-changes-requested-told');
  });

  it('waits for the others after a no under rule any', async () => {
    const { documentId, handle } = await startWith(twoSteps('any'));
    await sentTo(documentId);
    expect((await decide(handle, proofUpdates.requestChanges, { actor: deciderActor('d1'), revision: 1, comment: 'Hmm' })).status).toBe('sent');
    const second = await approve(handle, 'd2');
    expect(second.deciders?.find((decider) => decider.id === 'd3')?.state).toBe('awaited');
    await decide(handle, proofUpdates.cancel, { actor: seller });
    await handle.result();
  });

  it('decides once when two deciders approve at the same moment from their links', async () => {
    for (const rule of ['all', 'any'] as const) {
      const { documentId, handle } = await startWith({ deciders: [named('d1', 1), named('d2', 1)], rules: [rule] });
      await sentTo(documentId);
      const answers = await Promise.allSettled([approve(handle, 'd1'), approve(handle, 'd2')]);
      expect(answers.filter((answer) => answer.status === 'fulfilled')).toHaveLength(rule === 'all' ? 2 : 1);
      expect((await handle.result()).status).toBe('approved');
      expect(recorded.trail(documentId).filter((record) => record.event.type === 'approved')).toHaveLength(1);
      expect(recorded.trail(documentId).filter((record) => record.event.type === 'decider_approved')).toHaveLength(rule === 'all' ? 2 : 1);
    }
  });

  it('continues as new in the middle and keeps who decided', async () => {
    const { documentId, handle } = await startWith(twoSteps('all'), { continueAsNewAfterEvents: 2 });
    const workflowId = documentWorkflowId('proof', documentId);
    const firstRunId = (await handle.describe()).runId;
    await sentTo(documentId);
    await approve(handle, 'd1', 'approve-d1');
    await eventually(async () => ((await worker.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined), {
      what: 'the first run to continue as new',
    });
    expect((await handle.query(proofStateQuery)).deciders?.find((decider) => decider.id === 'd1')?.state).toBe('approved');
    // The same click again is answered, not counted; another click of d1 is refused.
    expect((await approve(handle, 'd1', 'approve-d1')).status).toBe('sent');
    expect(await refusal(approve(handle, 'd1'))).toBe('You already approved');
    await approve(handle, 'd2');
    await approve(handle, 'd3');
    expect((await handle.result()).status).toBe('approved');
    expect(recorded.trail(documentId).map((record) => [record.seq, record.event.type])).toEqual([
      [1, 'sent'],
      [2, 'decider_approved'],
      [3, 'decider_approved'],
      [4, 'step_completed'],
      [5, 'decider_approved'],
      [6, 'approved'],
    ]);
    expect(invited(documentId)).toEqual(['d1', 'd2', 'd4', 'd3']);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayRuns(worker.client.workflow, workflowId, 'proof-deciders-continued-as-new');
  });
});
