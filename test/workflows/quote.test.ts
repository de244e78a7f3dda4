/**
 * The quote workflow on the real Temporal dev server, with in-memory activities that keep
 * what they were asked (idempotent by the same keys as the real ones). Decisions, facts and
 * queries go through api/operations/quote-workflow.ts, as the API sends them.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type {
  GreenlightActivities,
  NotifyAssigneeInput,
  SendConfirmationEmailInput,
  RecordTransitionInput,
  ConvertDocumentActivityInput,
  SendDocumentEmailInput,
} from '../../activities/types';
import { AppError } from '../../domain/errors';
import { commentOnQuote, decideQuote, queryQuote, signalQuoteFact, startQuoteWorkflow } from '../../api/operations/quote-workflow';
import type { Actor } from '../../domain/documents';
import type { Decider, DeciderPlan } from '../../domain/deciders';
import { quoteWorkflowId, type QuoteWorkflowInput } from '../../workflows/messages/quote';
import type { DecisionInput } from '../../workflows/messages/document';
import type { quoteWorkflow } from '../../workflows/quote';
import { GreenlightStatus } from '../../workflows/search-attributes';
import { eventually } from '../support/eventually';
import { testServices } from '../support/environment';
import { runWorker, startTestWorker, testWorkflowCode, uniqueTaskQueue, type TestWorker } from '../support/worker';
import { saveReplayHistory } from '../replay/record';

// Bounds a broken run only (jest ignores testTimeout inside a project's config).

const DAY = 24 * 3600 * 1000;
const seller: Actor = { kind: 'seller', userId: 'user-1' };
const customer: Actor = { kind: 'customer', linkId: 'link-1', name: 'Zoë Ångström' };
const asCustomer: DecisionInput = { actor: customer, source: { ip: '203.0.113.7', userAgent: 'jest' } };

/** What the activities were asked, per document; records keyed like the real table. */
class RecordingActivities {
  readonly records = new Map<string, RecordTransitionInput>();
  readonly recordCalls: RecordTransitionInput[] = [];
  readonly emails: SendDocumentEmailInput[] = [];
  readonly notifications: NotifyAssigneeInput[] = [];
  readonly confirmations: SendConfirmationEmailInput[] = [];
  readonly conversions: ConvertDocumentActivityInput[] = [];
  /** Holds the recording of one audit type until released, to catch the workflow mid-step. */
  gate?: { type: string; opened: Promise<void> };

  readonly activities: GreenlightActivities = {
    recordTransition: async (input) => {
      this.recordCalls.push(input);
      if (this.gate?.type === input.event.type) await this.gate.opened;
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
      if (!this.notifications.some((n) => n.idempotencyKey === input.idempotencyKey)) this.notifications.push(input);
      return { sent: 1 };
    },
    notifyForwarder: async () => {
      throw new Error('only proofs are forwarded to a colleague');
    },
    sendRevisionToColleagues: async () => {
      throw new Error('only proofs have revisions for colleagues');
    },
    convertDocument: async (input) => {
      const created = !this.conversions.some((c) => c.documentId === input.documentId && c.to === input.to);
      if (created) this.conversions.push(input);
      return { documentId: `order-of-${input.documentId}`, number: 'O-2026-0001', created };
    },
    // Signatures and revisions are proven in quote-signature.test.ts.
    recordSignature: async () => {
      throw new Error('no quote is signed in this file');
    },
    cancelPortalSigning: async () => {
      throw new Error('no quote is signed in this file');
    },
    applyRevision: async () => {
      throw new Error('no quote is revised in this file');
    },
    // Webhooks are delivered by their own workflow, never by the quote workflow.
    attemptWebhookDelivery: async () => {
      throw new Error('the quote workflow delivers no webhook');
    },
  };

  /** Audit types recorded for a document, in sequence order. */
  /**
   * The seller's notices of a document, as `event:what`, sorted: each goes out behind the answer
   * on its own, so the order they reach the seller in is not promised (the trail's order is).
   */
  notices(documentId: string): string[] {
    return this.notifications
      .filter((notice) => notice.documentId === documentId)
      .map((notice) => `${notice.event}:${notice.what}`)
      .sort();
  }

  trail(documentId: string): string[] {
    return [...this.records.values()]
      .filter((record) => record.documentId === documentId)
      .sort((a, b) => a.seq - b.seq)
      .map((record) => record.event.type);
  }

  reminders(documentId: string): SendDocumentEmailInput[] {
    return this.emails.filter((email) => email.documentId === documentId && email.template === 'reminder');
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

function quoteInput(overrides: Partial<QuoteWorkflowInput> = {}): QuoteWorkflowInput {
  const documentId = `doc-${randomUUID()}`;
  return {
    tenantId: 'tenant-1',
    documentId,
    customerId: 'customer-1',
    number: 'Q-2026-0042',
    title: 'Brochures A5, 2 000 ex.',
    validUntil: Date.now() + 30 * DAY,
    reminderAfterMs: DAY,
    maxReminders: 3,
    send: { channel: 'email', attachPdf: true },
    sentBy: seller,
    ...overrides,
  };
}

async function sendQuote(overrides: Partial<QuoteWorkflowInput> = {}) {
  const input = quoteInput(overrides);
  await startQuoteWorkflow(worker.client, worker.taskQueue, input);
  const handle: WorkflowHandle<typeof quoteWorkflow> = worker.client.workflow.getHandle(quoteWorkflowId(input.documentId));
  await eventually(async () => (recorded.trail(input.documentId).includes('sent') ? true : undefined), { what: 'the quote to be sent' });
  return { documentId: input.documentId, handle };
}

const view = (documentId: string) =>
  signalQuoteFact(worker.client, documentId, 'viewed', { eventId: randomUUID(), at: Date.now(), actor: customer });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AppError)) throw new Error(`Expected an AppError, got ${String(error)}`);
  return error;
}

describe('quote workflow', () => {
  it('sends the first email, records it, and publishes status, search attributes and memo', async () => {
    const { documentId, handle } = await sendQuote();
    expect(recorded.emails.filter((e) => e.documentId === documentId)).toMatchObject([
      { template: 'first_send', attachPdf: true, idempotencyKey: `${quoteWorkflowId(documentId)}#first_send` },
    ]);
    expect([...recorded.records.values()].find((r) => r.documentId === documentId)).toMatchObject({ seq: 1, status: 'sent' });
    const description = await eventually(
      async () => {
        const d = await handle.describe();
        return d.typedSearchAttributes.get(GreenlightStatus) === 'sent' ? d : undefined;
      },
      { what: 'the status search attribute' },
    );
    expect(await description.memo).toEqual({ number: 'Q-2026-0042', title: 'Brochures A5, 2 000 ex.' });
    await decideQuote(worker.client, documentId, 'cancel', randomUUID(), { actor: seller });
  });

  it('refuses to send the same quote twice', async () => {
    const input = quoteInput();
    await startQuoteWorkflow(worker.client, worker.taskQueue, input);
    const error = await rejection(startQuoteWorkflow(worker.client, worker.taskQueue, input));
    expect(error.code).toBe('already_started');
    await decideQuote(worker.client, input.documentId, 'cancel', randomUUID(), { actor: seller });
  });

  it('reminds while nothing is decided and stops once the customer decides', async () => {
    const { documentId, handle } = await sendQuote({ reminderAfterMs: 1500, maxReminders: 10 });
    await eventually(async () => (recorded.reminders(documentId).length >= 1 ? true : undefined), { what: 'a reminder' });

    const view = await decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer);
    expect(view.status).toBe('accepted');
    expect(view.nextReminderAt).toBeUndefined();
    await handle.result();

    // The workflow is over: no reminder can follow the decision, and each one sent was recorded.
    const trail = recorded.trail(documentId);
    expect(trail.at(-1)).toBe('accepted');
    expect(trail.filter((type) => type === 'reminded')).toHaveLength(recorded.reminders(documentId).length);
    expect(recorded.reminders(documentId)[0]).toMatchObject({ template: 'reminder', idempotencyKey: `${quoteWorkflowId(documentId)}#reminder#1` });
  });

  it('sends at most maxReminders automatic reminders', async () => {
    const { documentId, handle } = await sendQuote({ reminderAfterMs: 1000, maxReminders: 2 });
    const state = await eventually(
      async () => {
        const q = await queryQuote(worker.client, documentId);
        return q?.remindersSent === 2 ? q : undefined;
      },
      { what: 'two reminders' },
    );
    expect(state.nextReminderAt).toBeUndefined();
    await decideQuote(worker.client, documentId, 'cancel', randomUUID(), { actor: seller, reason: 'Done testing' });
    // The seller's cancel answered once recorded; the run ends with it.
    await handle.result();
    expect(recorded.trail(documentId)).toEqual(['sent', 'reminded', 'reminded', 'cancelled']);
    // Timers firing and a seller's decision, with actions run behind (workflows/story.ts).
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-reminded-cancelled-actions-behind');
  });

  it('expires at validUntil, then refuses decisions and lets the caller record views itself', async () => {
    const { documentId, handle } = await sendQuote({ validUntil: Date.now() + 2000 });
    expect((await handle.result()).status).toBe('expired');
    expect(recorded.trail(documentId)).toEqual(['sent', 'expired']);
    expect([...recorded.records.values()].find((r) => r.documentId === documentId && r.event.type === 'expired')).toMatchObject({
      status: 'expired',
      event: { actor: { kind: 'system' } },
    });

    const error = await rejection(decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer));
    expect(error).toMatchObject({ code: 'decision_rejected', detail: 'The quote has expired' });
    expect(await view(documentId)).toBe(false);
    expect(await queryQuote(worker.client, documentId)).toMatchObject({ status: 'expired' });
  });

  it('is put on hold, stays on hold when looked at again, then accepted', async () => {
    const { documentId, handle } = await sendQuote();
    expect(await view(documentId)).toBe(true);
    expect((await decideQuote(worker.client, documentId, 'hold', randomUUID(), asCustomer)).status).toBe('on_hold');
    expect(await view(documentId)).toBe(true);
    await eventually(async () => (recorded.trail(documentId).length === 4 ? true : undefined), { what: 'the second view' });
    expect((await queryQuote(worker.client, documentId))?.status).toBe('on_hold');

    const accepted = await decideQuote(worker.client, documentId, 'accept', randomUUID(), { ...asCustomer, options: ['line-3'] });
    expect(accepted.status).toBe('accepted');
    await handle.result();

    expect(recorded.trail(documentId)).toEqual(['sent', 'viewed', 'put_on_hold', 'viewed', 'accepted']);
    const acceptedRecord = [...recorded.records.values()].find((r) => r.documentId === documentId && r.event.type === 'accepted');
    expect(acceptedRecord).toMatchObject({ status: 'accepted', event: { actor: customer, source: asCustomer.source, data: { options: ['line-3'] } } });
    expect(recorded.notices(documentId)).toEqual(['decided:accepted', 'decided:put_on_hold', 'viewed:viewed', 'viewed:viewed']);
    // quote-accepted.json is the same story before its actions ran behind the answer.
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-accepted-actions-behind');
  });

  it('takes the view a customer decision carries just before the decision, as the view signalled first', async () => {
    const { documentId, handle } = await sendQuote();
    const viewed = { eventId: randomUUID(), at: Date.now() - 1000, actor: customer, source: asCustomer.source };
    expect((await decideQuote(worker.client, documentId, 'accept', randomUUID(), { ...asCustomer, viewed })).status).toBe('accepted');
    await handle.result();

    expect(recorded.trail(documentId)).toEqual(['sent', 'viewed', 'accepted']);
    const records = [...recorded.records.values()].filter((r) => r.documentId === documentId);
    expect(records.find((r) => r.event.type === 'viewed')).toMatchObject({ status: 'viewed', event: { at: viewed.at, actor: customer, data: { eventId: viewed.eventId } } });
    expect(records.find((r) => r.event.type === 'accepted')?.event.data).toEqual({});
    expect(recorded.notices(documentId)).toEqual(['decided:accepted', 'viewed:viewed']);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-accepted-records-local');
  });

  it("answers the customer's decision once taken, before its record, which follows in order before the run ends", async () => {
    const { documentId, handle } = await sendQuote();
    expect(await view(documentId)).toBe(true);
    let open!: () => void;
    recorded.gate = { type: 'accepted', opened: new Promise<void>((resolve) => (open = resolve)) };
    try {
      const accepted = await decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer);
      expect(accepted).toMatchObject({ status: 'accepted' });
      // Answered while its record is held at the gate: asked for, not written.
      await eventually(async () => (recorded.recordCalls.some((r) => r.documentId === documentId && r.event.type === 'accepted') ? true : undefined), {
        what: 'the acceptance to be recorded behind the answer',
      });
      expect(recorded.trail(documentId)).toEqual(['sent', 'viewed']);
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      recorded.gate = undefined;
      open?.();
    }
    expect((await handle.result()).status).toBe('accepted');
    expect(recorded.trail(documentId)).toEqual(['sent', 'viewed', 'accepted']);
    expect(recorded.notices(documentId)).toEqual(['decided:accepted', 'viewed:viewed']);
  });

  it("schedules a customer's records in the workflow task that answers, with no timer before them", async () => {
    const { documentId, handle } = await sendQuote();
    const decisionId = randomUUID();
    await decideQuote(worker.client, documentId, 'accept', decisionId, { ...asCustomer, viewed: { eventId: randomUUID(), at: Date.now(), actor: customer } });
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const answered = events.findIndex((event) => event.workflowExecutionUpdateCompletedEventAttributes?.meta?.updateId === decisionId);
    // The answer's workflow task: the events its completion wrote, from its WorkflowTaskCompleted to the next task.
    const taskStart = events.slice(0, answered).findLastIndex((event) => event.workflowTaskCompletedEventAttributes);
    const taskEnd = events.findIndex((event, index) => index > answered && event.workflowTaskScheduledEventAttributes);
    const written = events.slice(taskStart, taskEnd === -1 ? undefined : taskEnd);
    expect(written.filter((event) => event.timerStartedEventAttributes)).toEqual([]);
    // The first of its records (the view it carried) leaves with the answer; the acceptance's follows it, in order.
    expect(written.flatMap((event) => event.activityTaskScheduledEventAttributes?.activityType?.name ?? [])).toContain('recordTransition');
    expect(recorded.trail(documentId)).toEqual(['sent', 'viewed', 'accepted']);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-accepted-records-follow');
  });

  it('takes a decision sent twice with the same id once', async () => {
    const { documentId, handle } = await sendQuote();
    const decisionId = randomUUID();
    const answers = await Promise.all([
      decideQuote(worker.client, documentId, 'accept', decisionId, asCustomer),
      decideQuote(worker.client, documentId, 'accept', decisionId, asCustomer),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['accepted', 'accepted']);
    await handle.result();
    // The same decision retried once the workflow has closed still gets the first answer.
    expect(await decideQuote(worker.client, documentId, 'accept', decisionId, asCustomer)).toMatchObject({ status: 'accepted' });
    expect(recorded.recordCalls.filter((r) => r.documentId === documentId && r.event.type === 'accepted')).toHaveLength(1);
  });

  it('refuses a different decision after acceptance, with the reason, while running and once closed', async () => {
    const { documentId, handle } = await sendQuote();
    let open!: () => void;
    recorded.gate = { type: 'accepted', opened: new Promise<void>((resolve) => (open = resolve)) };
    try {
      const acceptance = decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer);
      // The machine is accepted as soon as the step starts; its record is held at the gate.
      await eventually(async () => ((await queryQuote(worker.client, documentId))?.status === 'accepted' ? true : undefined), {
        what: 'the acceptance to be taken',
      });
      const whileRunning = await rejection(decideQuote(worker.client, documentId, 'refuse', randomUUID(), asCustomer));
      expect(whileRunning).toMatchObject({ code: 'decision_rejected', detail: 'The quote is already accepted' });
      open();
      expect((await acceptance).status).toBe('accepted');
    } finally {
      recorded.gate = undefined;
      open?.();
    }
    await handle.result();
    const onceClosed = await rejection(decideQuote(worker.client, documentId, 'hold', randomUUID(), asCustomer));
    expect(onceClosed).toMatchObject({ code: 'decision_rejected', detail: 'The quote is already accepted' });
    expect(recorded.trail(documentId)).toEqual(['sent', 'accepted']);
  });

  it('continues as new without losing its state, its timers or the decisions it took', async () => {
    const { documentId, handle } = await sendQuote({ continueAsNewAfterEvents: 2, reminderAfterMs: 4000, maxReminders: 1 });
    const firstRunId = (await handle.describe()).runId;
    await view(documentId);
    const holdId = randomUUID();
    await eventually(
      async () => ((await worker.client.workflow.getHandle(quoteWorkflowId(documentId), firstRunId).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined),
      { what: 'the first run to continue as new' },
    );
    const secondRunId = (await handle.describe()).runId;
    // The reminder armed in the first run fires in the second.
    await eventually(async () => (recorded.reminders(documentId).length === 1 ? true : undefined), { what: 'the carried-over reminder' });
    expect((await decideQuote(worker.client, documentId, 'hold', holdId, asCustomer)).status).toBe('on_hold');
    // Two records in the second run (reminded, put_on_hold): a third run, which must remember holdId.
    await eventually(async () => (![firstRunId, secondRunId].includes((await handle.describe()).runId) ? true : undefined), {
      what: 'a third run',
    });
    expect(await decideQuote(worker.client, documentId, 'hold', holdId, asCustomer)).toMatchObject({ status: 'on_hold', remindersSent: 1 });
    await decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer);
    await handle.result();

    expect(recorded.trail(documentId)).toEqual(['sent', 'viewed', 'reminded', 'put_on_hold', 'accepted']);
    const seqs = [...recorded.records.values()].filter((r) => r.documentId === documentId).map((r) => r.seq);
    expect(seqs.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('quote workflow with several deciders', () => {
  const named = (id: string, step: number): Decider => ({ id, step, role: 'approver', email: `${id}@client.example`, name: `Decider ${id}` });
  const deciderActor = (id: string): Actor => ({ kind: 'customer', linkId: `link-${id}`, name: `Decider ${id}`, deciderId: id });
  /** Two approvers in step 1 (rule all), one in step 2. */
  const twoSteps: DeciderPlan = { deciders: [named('d1', 1), named('d2', 1), named('d3', 2)], rules: ['all', 'all'] };
  const invited = (documentId: string) => recorded.emails.filter((email) => email.documentId === documentId).map((email) => email.decider?.id);
  const byDecider = (documentId: string, decision: 'accept' | 'refuse', id: string, decisionId: string = randomUUID()) =>
    decideQuote(worker.client, documentId, decision, decisionId, { actor: deciderActor(id) });
  const invitedAfterStep = (documentId: string, count: number) =>
    eventually(async () => (invited(documentId).length === count ? invited(documentId) : undefined), { what: `${count} invitations` });
  /** The decision told, once the workflow closed (it tells behind the answer, then closes): whom, what, on which decider's link. */
  const told = async (documentId: string) => {
    await worker.client.workflow.getHandle(quoteWorkflowId(documentId)).result();
    return recorded.confirmations
      .filter((confirmation) => confirmation.documentId === documentId)
      .map(({ confirmation, to, decider, declinedBy, idempotencyKey }) => ({ confirmation, to, decider, declinedBy, key: idempotencyKey.split('#').slice(2).join('#') }))
      .sort((a, b) => a.key.localeCompare(b.key));
  };
  const toldTo = (id: string, confirmation: string, declinedBy?: string) => ({
    confirmation,
    to: { email: `${id}@client.example`, name: `Decider ${id}` },
    decider: { id, role: 'approver' },
    declinedBy,
    key: `confirmation#${id}`,
  });

  it('invites step 1 instead of the customer, step 2 once both approved, and accepts once when step 2 did', async () => {
    const { documentId, handle } = await sendQuote({ deciders: twoSteps, send: { channel: 'email', attachPdf: false, message: 'Merci' } });
    expect(invited(documentId)).toEqual(['d1', 'd2']);
    expect(recorded.emails.find((email) => email.documentId === documentId)).toMatchObject({
      template: 'first_send',
      message: 'Merci',
      to: { email: 'd1@client.example', name: 'Decider d1' },
      decider: { id: 'd1', role: 'approver' },
      idempotencyKey: `${quoteWorkflowId(documentId)}#decider#d1#round#1`,
    });
    expect((await rejection(byDecider(documentId, 'accept', 'd3'))).message).toBe('Step 2 decides after step 1; you will be invited once it is done');
    expect((await rejection(decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer))).message).toMatch(/people the seller named/);
    expect((await rejection(decideQuote(worker.client, documentId, 'hold', randomUUID(), { actor: deciderActor('d1') }))).message).toMatch(/not put on hold/);

    expect((await byDecider(documentId, 'accept', 'd1')).status).toBe('sent');
    expect((await rejection(byDecider(documentId, 'refuse', 'd1'))).message).toBe('You already approved');
    expect(invited(documentId)).toEqual(['d1', 'd2']);
    const stepMet = await byDecider(documentId, 'accept', 'd2');
    expect(stepMet.status).toBe('sent');
    expect(stepMet.deciders?.map((decider) => decider.state)).toEqual(['approved', 'approved', 'awaited']);
    expect(await invitedAfterStep(documentId, 3)).toEqual(['d1', 'd2', 'd3']);

    expect((await byDecider(documentId, 'accept', 'd3')).status).toBe('accepted');
    expect((await handle.result()).status).toBe('accepted');
    expect(recorded.trail(documentId)).toEqual(['sent', 'decider_approved', 'decider_approved', 'step_completed', 'decider_approved', 'accepted']);
    expect([...recorded.records.values()].filter((record) => record.documentId === documentId && record.event.type === 'decider_approved').map((record) => [record.event.actor, record.event.data])).toEqual([
      [deciderActor('d1'), { deciderId: 'd1', step: 1, role: 'approver' }],
      [deciderActor('d2'), { deciderId: 'd2', step: 1, role: 'approver' }],
      [deciderActor('d3'), { deciderId: 'd3', step: 2, role: 'approver' }],
    ]);
    // Each decider hears the decision on their own link; the document's contact is one of them here (no informContact).
    expect(await told(documentId)).toEqual([toldTo('d1', 'deciders_accepted'), toldTo('d2', 'deciders_accepted'), toldTo('d3', 'deciders_accepted')]);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-deciders-two-steps-accepted');
  });

  it("takes a reviewer's comment as theirs, which changes no status nor the reminders' clock, then the approvers decide", async () => {
    const reviewer: Decider = { ...named('d2', 1), role: 'reviewer' };
    const { documentId, handle } = await sendQuote({ deciders: { deciders: [named('d1', 1), reviewer], rules: ['all'] } });
    const comment = (actor: Actor, words: string) => commentOnQuote(worker.client, documentId, randomUUID(), { actor, comment: words });
    const before = await queryQuote(worker.client, documentId);

    const commented = await comment(deciderActor('d2'), '  Le délai me paraît court.  ');
    expect(commented).toMatchObject({ status: 'sent', remindersSent: 0, nextReminderAt: before?.nextReminderAt });
    expect(commented.deciders?.map((decider) => [decider.id, decider.state])).toEqual([
      ['d1', 'awaited'],
      ['d2', 'reviewing'],
    ]);
    expect((await rejection(comment(deciderActor('d2'), '   '))).message).toBe('A comment needs some words');
    expect((await rejection(comment(customer, 'Et moi ?'))).message).toMatch(/people the seller named/);
    // A comment is not a vote, and a reviewer's link never accepts.
    expect((await rejection(byDecider(documentId, 'accept', 'd2'))).message).toBe('A reviewer comments; the approvers decide');
    expect((await comment(deciderActor('d2'), 'Et la TVA ?')).status).toBe('sent');

    expect((await byDecider(documentId, 'accept', 'd1')).status).toBe('accepted');
    expect((await handle.result()).status).toBe('accepted');
    expect((await rejection(comment(deciderActor('d2'), 'Trop tard'))).message).toMatch(/already accepted/);
    expect(recorded.trail(documentId)).toEqual(['sent', 'commented', 'commented', 'decider_approved', 'accepted']);
    const comments = [...recorded.records.values()].filter((record) => record.documentId === documentId && record.event.type === 'commented');
    expect(comments.map((record) => [record.event.actor, record.event.data])).toEqual([
      [deciderActor('d2'), { comment: 'Le délai me paraît court.', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 }],
      [deciderActor('d2'), { comment: 'Et la TVA ?', deciderId: 'd2', step: 1, role: 'reviewer', version: 1 }],
    ]);
    // As on a proof, a comment is recorded (and so sent as a webhook), not notified.
    expect(recorded.notifications.filter((notice) => notice.documentId === documentId).map((notice) => notice.what)).not.toContain('commented');
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-deciders-reviewer-commented');
  });

  it('is refused by one refusal in step 1, and by one in step 2', async () => {
    const first = await sendQuote({ deciders: twoSteps });
    expect((await byDecider(first.documentId, 'refuse', 'd2')).status).toBe('refused');
    expect((await first.handle.result()).status).toBe('refused');
    expect(recorded.trail(first.documentId)).toEqual(['sent', 'decider_declined', 'refused']);
    expect(invited(first.documentId)).toEqual(['d1', 'd2']);

    const second = await sendQuote({ deciders: twoSteps });
    await byDecider(second.documentId, 'accept', 'd1');
    await byDecider(second.documentId, 'accept', 'd2');
    expect((await byDecider(second.documentId, 'refuse', 'd3')).status).toBe('refused');
    expect((await second.handle.result()).status).toBe('refused');
    expect(recorded.trail(second.documentId)).toEqual(['sent', 'decider_approved', 'decider_approved', 'step_completed', 'decider_declined', 'refused']);
  });

  it('tells a refusal to everyone invited but who refused, and the contact who is no decider; not the step never invited', async () => {
    const reviewer: Decider = { ...named('d4', 1), role: 'reviewer' };
    const first = await sendQuote({ deciders: { ...twoSteps, deciders: [...twoSteps.deciders, reviewer] }, informContact: true });
    await byDecider(first.documentId, 'accept', 'd1');
    expect((await byDecider(first.documentId, 'refuse', 'd2')).status).toBe('refused');
    const contact = { confirmation: 'deciders_declined', to: undefined, decider: undefined, declinedBy: 'Decider d2', key: 'confirmation' };
    expect(await told(first.documentId)).toEqual([contact, toldTo('d1', 'deciders_declined', 'Decider d2'), { ...toldTo('d4', 'deciders_declined', 'Decider d2'), decider: { id: 'd4', role: 'reviewer' } }]);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(first.handle, 'quote-deciders-declined-told');

    // In step 2: step 1's deciders hear it too.
    const second = await sendQuote({ deciders: twoSteps });
    await byDecider(second.documentId, 'accept', 'd1');
    await byDecider(second.documentId, 'accept', 'd2');
    await invitedAfterStep(second.documentId, 3);
    expect((await byDecider(second.documentId, 'refuse', 'd3')).status).toBe('refused');
    expect(await told(second.documentId)).toEqual([toldTo('d1', 'deciders_declined', 'Decider d3'), toldTo('d2', 'deciders_declined', 'Decider d3')]);
  });

  it('decides once when two deciders accept at the same moment from their links', async () => {
    const { documentId, handle } = await sendQuote({ deciders: { deciders: [named('d1', 1), named('d2', 1)], rules: ['all'] } });
    const answers = await Promise.all([byDecider(documentId, 'accept', 'd1'), byDecider(documentId, 'accept', 'd2')]);
    expect(answers.map((answer) => answer.status).sort()).toEqual(['accepted', 'sent']);
    expect((await handle.result()).status).toBe('accepted');
    expect(recorded.trail(documentId)).toEqual(['sent', 'decider_approved', 'decider_approved', 'accepted']);
  });

  it('reminds only the deciders still awaited, each on their own link', async () => {
    const { documentId, handle } = await sendQuote({ deciders: twoSteps, reminderAfterMs: 1500, maxReminders: 1 });
    await byDecider(documentId, 'accept', 'd1');
    const reminders = await eventually(async () => {
      const sent = recorded.reminders(documentId);
      return sent.length > 0 ? sent : undefined;
    }, { what: 'the reminder' });
    expect(reminders).toEqual([expect.objectContaining({ to: { email: 'd2@client.example', name: 'Decider d2' }, decider: { id: 'd2', role: 'approver' }, idempotencyKey: `${quoteWorkflowId(documentId)}#decider#d2#reminder#1` })]);
    await decideQuote(worker.client, documentId, 'cancel', randomUUID(), { actor: seller });
    await handle.result();
  });

  it('continues as new in the middle and keeps who decided', async () => {
    const { documentId, handle } = await sendQuote({ deciders: twoSteps, continueAsNewAfterEvents: 2 });
    const firstRunId = (await handle.describe()).runId;
    await byDecider(documentId, 'accept', 'd1', 'accept-d1');
    await eventually(async () => ((await worker.client.workflow.getHandle(quoteWorkflowId(documentId), firstRunId).describe()).status.name === 'CONTINUED_AS_NEW' ? true : undefined), {
      what: 'the first run to continue as new',
    });
    expect((await byDecider(documentId, 'accept', 'd1', 'accept-d1')).deciders?.[0]).toMatchObject({ id: 'd1', state: 'approved' });
    expect((await rejection(byDecider(documentId, 'accept', 'd1'))).message).toBe('You already approved');
    await byDecider(documentId, 'accept', 'd2');
    await invitedAfterStep(documentId, 3);
    expect((await byDecider(documentId, 'accept', 'd3')).status).toBe('accepted');
    expect((await handle.result()).status).toBe('accepted');
    expect(recorded.trail(documentId)).toEqual(['sent', 'decider_approved', 'decider_approved', 'step_completed', 'decider_approved', 'accepted']);
  });
});

describe('quote workflow across the patch generation (workflows/patches.ts)', () => {
  const GENERATION = 'patches-2026-12b';
  /** What code from before the generations did not take: the generations, and the patch only the newest holds. */
  const NOT_BEFORE = new Set([GENERATION, 'patches-2026-12', 'customer-records-follow']);
  const patchesTaken = (history: temporal.api.history.v1.IHistory) =>
    (history.events ?? []).flatMap((event) => {
      const marker = event.markerRecordedEventAttributes;
      const data = marker?.markerName === 'core_patch' ? marker.details?.['patch-data']?.payloads?.[0]?.data : undefined;
      return data ? [(JSON.parse(Buffer.from(data).toString()) as { id: string }).id] : [];
    });

  it('takes every patch of the generation with one marker in a new run', async () => {
    const { documentId, handle } = await sendQuote();
    await decideQuote(worker.client, documentId, 'accept', randomUUID(), asCustomer);
    await handle.result();
    expect(patchesTaken(await handle.fetchHistory())).toEqual([GENERATION]);
    expect(confirmationsOf(documentId)).toHaveLength(1);
  });

  it('replays a run started before it by its own markers, and takes the generation where the run next goes live', async () => {
    const { temporalAddress, workflowBundlePath } = testServices();
    const taskQueue = uniqueTaskQueue('patch-generation');
    const input = quoteInput();
    // A worker that declines the generation sends the quote as code from before it did: a marker per patch.
    const connection = await NativeConnection.connect({ address: temporalAddress });
    const before = await Worker.create({ connection, taskQueue, activities: recorded.activities, ...testWorkflowCode(), patchActivationCallback: ({ patchId }) => !NOT_BEFORE.has(patchId) });
    const beforeRun = before.run();
    try {
      await startQuoteWorkflow(worker.client, taskQueue, input);
      await eventually(async () => (recorded.trail(input.documentId).includes('sent') ? true : undefined), { what: 'the quote to be sent' });
    } finally {
      before.shutdown();
      await beforeRun;
      await connection.close();
    }
    const handle = worker.client.workflow.getHandle(quoteWorkflowId(input.documentId));
    expect(patchesTaken(await handle.fetchHistory())).toEqual(['actions-run-behind', 'records-local']);

    // Today's worker replays the run, then takes the accept live: its confirmation's patch comes with the generation.
    const after = await runWorker({ address: temporalAddress, taskQueue, activities: recorded.activities, workflowBundlePath });
    try {
      expect((await decideQuote(worker.client, input.documentId, 'accept', randomUUID(), asCustomer)).status).toBe('accepted');
      await handle.result();
    } finally {
      await after.stop();
    }
    const history = await handle.fetchHistory();
    expect(patchesTaken(history)).toEqual(['actions-run-behind', 'records-local', GENERATION]);
    expect(recorded.trail(input.documentId)).toEqual(['sent', 'accepted']);
    expect(confirmationsOf(input.documentId)).toHaveLength(1);
    // And it replays from the start on today's code: each patch where its marker is.
    await Worker.runReplayHistory(testWorkflowCode(), history, handle.workflowId);
    if (process.env.RECORD_REPLAY_HISTORIES === '1') await saveReplayHistory(handle, 'quote-accepted-across-patch-generation');
  });
});

function confirmationsOf(documentId: string): SendConfirmationEmailInput[] {
  return recorded.confirmations.filter((confirmation) => confirmation.documentId === documentId);
}
