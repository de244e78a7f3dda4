/**
 * What an operator reads in the Temporal UI without opening a workflow's input: a quote sent
 * through the API with the tenant's reminders shows its one-line summary and the terms it was
 * sent on (static user metadata), its current details (status, what it waits for, the next
 * timer: when and what for), and each reminder timer and activity says what it is for. Read
 * back through the Temporal client as the UI reads it: describe, the metadata query, the history.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { workflowMetadataQuery } from '@temporalio/workflow';
import { plainTime } from '../../domain/summaries';
import { quoteStateQuery, quoteWorkflowId } from '../../workflows/messages/quote';
import { eventually } from '../support/eventually';
import { greenlightClient, succeeded, type GreenlightClient } from '../support/api';
import { createQuoteScenario, emailTo, type QuoteScenario } from '../support/quote-scenario';
import { startStack, type Stack } from '../support/stack';

describe('a quote as operators see it in the Temporal UI', () => {
  let stack: Stack;
  let api: GreenlightClient;
  let quote: QuoteScenario;
  let handle: WorkflowHandle;

  beforeAll(async () => {
    stack = await startStack();
    const tenant = await stack.createTenant('Imprimerie Durand');
    api = greenlightClient(stack.baseUrl, tenant.apiKey);
    quote = await createQuoteScenario(api);
    // The tenant's defaults: three reminders, three days apart; valid thirty days.
    await succeeded(api.POST('/v1/documents/{id}/send', { params: { path: { id: quote.documentId } } }), 202);
    await emailTo(stack.readOutbox, quote.contactEmail);
    handle = stack.client.workflow.getHandle(quoteWorkflowId(quote.documentId));
  }, 120_000);
  afterAll(() => stack?.close());

  it('names the quote, its customer and its amount, and the terms it was sent on', async () => {
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`Quote ${quote.number} · Boulangerie Éclair · 243,00 EUR`);
    const details = await description.staticDetails();
    expect(details).toContain('**Title:** Flyers et affiches — printemps');
    expect(details).toContain(`**Customer:** Boulangerie Éclair (${quote.customerId})`);
    expect(details).toContain('**Automatic reminders:** up to 3, 3 days after the last email');
    expect(details).toMatch(/\*\*Valid until:\*\* \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  });

  it('says what it waits for and when its next timer fires, and follows each transition', async () => {
    const sent = await currentDetailsWhen((details) => details.includes('**Status:** sent'));
    const { nextReminderAt } = await handle.query(quoteStateQuery);
    expect(sent).toBe(
      [
        `**Quote ${quote.number} · Boulangerie Éclair · 243,00 EUR**`,
        '',
        '**Status:** sent  ',
        "**Waiting for:** the customer's answer: accept, refuse or put on hold  ",
        `**Next timer:** reminder 1 of 3, ${plainTime(nextReminderAt as number)}  `,
        '**Reminders sent:** 0 of 3',
      ].join('\n'),
    );

    // The seller reminds by hand: the clock starts again, and the next automatic one is the second.
    await succeeded(api.POST('/v1/documents/{id}/remind', { params: { path: { id: quote.documentId }, header: { 'Idempotency-Key': `remind-${quote.documentId}` } } }));
    const after = await currentDetailsWhen((details) => details.includes('**Reminders sent:** 1 of 3'));
    const state = await handle.query(quoteStateQuery);
    expect(after).toContain(`**Next timer:** reminder 2 of 3, ${plainTime(state.nextReminderAt as number)}`);
  });

  it('labels its timers and activities with what they are for', async () => {
    const events = (await handle.fetchHistory()).events ?? [];
    const summaryOf = (payload: Payload | null | undefined) => (payload ? defaultPayloadConverter.fromPayload<string>(payload) : undefined);
    const timers = events.filter((event) => event.timerStartedEventAttributes).map((event) => summaryOf(event.userMetadata?.summary as Payload | undefined));
    expect(timers).toEqual(['reminder 1 of 3', 'reminder 2 of 3']);
    // Regular activities, and local ones (the transition records: a marker each in the history).
    const activities = events
      .filter((event) => event.activityTaskScheduledEventAttributes || event.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      .map((event) => summaryOf(event.userMetadata?.summary as Payload | undefined));
    expect(activities).toEqual(
      expect.arrayContaining([
        'email the quote to Boulangerie Éclair',
        'record sent (status sent)',
        'email reminder 1 of 3 (asked by the seller) for the quote to Boulangerie Éclair',
        'record reminded',
      ]),
    );
  });

  async function currentDetailsWhen(ready: (details: string) => boolean): Promise<string> {
    return eventually(
      async () => {
        const { currentDetails } = await handle.query(workflowMetadataQuery);
        return currentDetails && ready(currentDetails) ? currentDetails : undefined;
      },
      { what: 'the current details' },
    );
  }
});
