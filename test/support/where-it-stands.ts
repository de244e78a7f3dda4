/**
 * What a document's story had reached when a test gave up waiting on it: its status, its last
 * recorded events, and its workflow's pending activities with their attempts and last failure.
 * A wait that fails on a busy CI machine then says where the time went.
 */
import type { DocumentKind } from '../../domain/documents';
import { documentWorkflowId } from '../../workflows/messages/document';
import type { Stack } from './stack';

export async function whereItStands(stack: Stack, kind: DocumentKind, documentId: string): Promise<string> {
  const [document, events] = await Promise.all([
    stack.prisma.document.findUnique({ where: { id: documentId }, select: { status: true } }),
    stack.prisma.auditEvent.findMany({ where: { documentId }, orderBy: { seq: 'desc' }, take: 12, select: { type: true, at: true } }),
  ]);
  const workflow = await stack.client.workflow
    .getHandle(documentWorkflowId(kind, documentId))
    .describe()
    .then(({ status, historyLength, raw }) => {
      const pending = (raw.pendingActivities ?? []).map(
        (activity) => `${activity.activityType?.name ?? '?'} (attempt ${activity.attempt ?? 1}${activity.lastFailure?.message ? `, last failure: ${activity.lastFailure.message}` : ''})`,
      );
      return `workflow ${status.name}, ${historyLength} events in its history, pending: ${pending.join('; ') || 'nothing'}`;
    })
    .catch((error: unknown) => `workflow not described: ${String(error)}`);
  const recent = events.map((event) => `${event.at.toISOString()} ${event.type}`).join(', ');
  return `status ${document?.status ?? 'no row'}; ${workflow}; last events (newest first): ${recent}`;
}
