/**
 * Renders one proof page's watermarked zoom image on its first request: the API asks and
 * awaits this workflow (services/render/zoom-start.ts), a worker with pdftoppm does the work.
 * Its id is the page's, so simultaneous requests share one render.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ProofActivities } from '../activities/types';

// One page at zoom width takes a second or two; a customer is waiting, so a stuck attempt is retried soon.
const { renderZoomPage } = proxyActivities<ProofActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

/** Answers the zoom image's file-store key. */
export async function proofZoomWorkflow(input: Parameters<ProofActivities['renderZoomPage']>[0]): Promise<string> {
  return renderZoomPage.executeWithOptions({ summary: `render the zoom image of page ${input.position}` }, [input]);
}
