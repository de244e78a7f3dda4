/**
 * What a workflow's history says it was asked: the updates it accepted, by name. A test that
 * must prove "one decision" counts them here instead of trusting the answers it got.
 */
import type { Client } from '@temporalio/client';

/** The names of the updates the workflow (its current run) accepted, in order. */
export async function updatesAccepted(client: Client, workflowId: string): Promise<string[]> {
  return (await updateRequests(client, workflowId)).map((update) => update.name);
}

/** The updates the workflow (its current run) accepted: name and id, which tells who asked. */
export async function updateRequests(client: Client, workflowId: string): Promise<{ name: string; id: string }[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
    const name = request?.input?.name;
    return name ? [{ name, id: request?.meta?.updateId ?? '' }] : [];
  });
}
