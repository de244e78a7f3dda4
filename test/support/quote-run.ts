/**
 * The end of a quote's run, for tests that read its trail once everything behind its answers is
 * written. An accepted quote's run stays open while its customer may withdraw (issue 17): the
 * seller moves it on first, as a conversion would.
 */
import { quoteStateQuery, quoteUpdates, quoteWorkflowId } from '../../workflows/messages/quote';
import type { Stack } from './stack';

export async function quoteRunOver(stack: Stack, documentId: string): Promise<void> {
  const handle = stack.client.workflow.getHandle(quoteWorkflowId(documentId));
  const view = await handle.query(quoteStateQuery);
  if (view.withdrawable) await handle.executeUpdate(quoteUpdates.moveOn, { args: [{ actor: { kind: 'system' } }], updateId: `test-move-on-${documentId}` });
  await handle.result();
}
