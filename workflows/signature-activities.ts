/**
 * The signature provider's activities as a signing workflow calls them, with the time each may
 * take and how it retries. Shared by the signature's story (signature.ts) and the loop that
 * still runs signings started before it (legacy/signature-loop.ts): the same activities, the
 * same options.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { SignatureActivities } from '../activities/signature/types';
import { patiently } from './story';

/** Creating at the provider renders the PDF first; an outage waits (a refusal is the caller's to handle). */
export const { startExternalSignature, storeSignedDocument, decideParentDocument } = proxyActivities<SignatureActivities>({
  startToCloseTimeout: '2 minutes',
  retry: patiently,
});
/** A check retries a little, then counts as one failed check: the next one is due a poll interval later. */
export const { checkExternalSignature } = proxyActivities<SignatureActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});
/** The seller waits for the answer: a few tries, then the update fails and the signature stays as it was. */
export const { cancelExternalSignature } = proxyActivities<SignatureActivities>({
  startToCloseTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 4 },
});
