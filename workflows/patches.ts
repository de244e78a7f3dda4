/**
 * Whether this run takes a change made behind a patch (DESIGN.md §3): the SDK's `patched`, with
 * one marker for all the patches of a generation instead of one each.
 *
 * Each patch a run takes costs its history a marker and Temporal an upsert of the run's
 * `TemporalChangeVersion` search attribute (a visibility write): a new quote took four of each,
 * eight of the 62 events of its lifecycle.
 * A run that starts on this code takes every patch of the generation at its first patched
 * site, recording the generation's one marker; a run started before it finds no such marker
 * in its history and replays its own markers one by one, as it recorded them. Temporal's
 * replay looks for a patch marker only in the workflow task it replays, so a run started
 * before that reaches a patched site live (after a deploy) takes the generation there and
 * replays it there.
 *
 * A patch added after a generation is not in its list: a run recorded under the generation
 * did not take it, so it is taken on its own. To cut the next generation, put it first with
 * every patch of the workflows then; keep the earlier ones for the runs recorded under them.
 */
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- the one place that takes the SDK's patched.
import { patched as sdkPatched } from '@temporalio/workflow';

interface PatchGeneration {
  /** The marker's id, and how operators find the runs on it in `TemporalChangeVersion`. */
  id: string;
  patches: ReadonlySet<string>;
}

/** Every patch of the generation `patches-2026-12`. */
const PATCHES_2026_12 = [
  'actions-run-behind',
  'auto-convert-to-order',
  'customer-confirmations',
  'decider-outcomes',
  'deciders',
  'deposit',
  'external-signature',
  'notify-invoice-payment-failed',
  'proof-revision-marks-failure',
  'proof-revision-reaches-colleagues',
  'proof-revision-reports-ready',
  'provider-rejection-told',
  'provider-signers-reminded',
  'records-local',
  'remind-at-provider',
  'reopen',
  'request-charge-retry',
  'signature-on-story',
  'subscription-on-story',
  'unstarted-signature-dropped',
  'withdraw-signature-on-cancel',
  'withdrawal',
];

/** Newest first. */
const GENERATIONS: readonly PatchGeneration[] = [
  { id: 'patches-2026-12b', patches: new Set([...PATCHES_2026_12, 'customer-records-follow']) },
  { id: 'patches-2026-12', patches: new Set(PATCHES_2026_12) },
];

export function patched(patchId: string): boolean {
  return GENERATIONS.some((generation) => generation.patches.has(patchId) && sdkPatched(generation.id)) || sdkPatched(patchId);
}
