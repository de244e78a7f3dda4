/**
 * A page's zoom image on its first request: the API does not run poppler (it asks, workers
 * act), so it starts `proofZoomWorkflow` with the page's id and awaits it, for a bounded time.
 * Simultaneous requests attach to the same run (USE_EXISTING); a later one for a page whose
 * run completed starts a new run that finds the image already made and answers its key.
 */
import type { Client } from '@temporalio/client';
import { AppError } from '../../domain/errors';
import type { RenderZoomPageInput } from './proof-pages';

export const zoomWorkflowId = (input: RenderZoomPageInput): string => `zoom-${input.revisionId}-${input.position}`;

/** A click waits this long at most; a slower render finishes anyway and the next request is served from the store. */
export const ZOOM_WAIT_MS = 20_000;

export interface ZoomStarter {
  client: Client;
  taskQueue: string;
}

/** The zoom image's file-store key, rendered now if it was not yet. */
export async function awaitZoomRender(starter: ZoomStarter, input: RenderZoomPageInput, waitMs = ZOOM_WAIT_MS): Promise<string> {
  const handle = await starter.client.workflow.start('proofZoomWorkflow', {
    taskQueue: starter.taskQueue,
    workflowId: zoomWorkflowId(input),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    workflowExecutionTimeout: '5 minutes',
    staticSummary: `Render the zoom image of page ${input.position} of proof revision ${input.revisionId}`,
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('unavailable', 'The zoom image is being rendered; retry in a moment.')), waitMs);
  });
  try {
    return await Promise.race([handle.result() as Promise<string>, late]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('unavailable', 'The zoom image could not be rendered; retry in a moment.');
  } finally {
    clearTimeout(timer);
  }
}
