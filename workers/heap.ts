/**
 * How a worker process's V8 heaps are sized. Its two isolates, the main thread's (activities,
 * the Temporal connection) and the workflow thread's, are mostly garbage between collections:
 * every workflow brought (back) into the sticky cache evaluates its workflow modules afresh
 * and an evicted one leaves them behind, each activity's queries and emails are short-lived.
 *
 * - `--max-semi-space-size=4` (MB): V8 sized each isolate's young generation up to 64 MB here,
 *   committed once reached, so about 130 MB of the idle worker's 375 MB was two empty nurseries.
 *   At 4 MB, 2,000 quotes waiting (cache 50): main heap 120–146 MB instead of 225–268, the
 *   workflow thread's 100–110 MB instead of 225–238.
 * - `--heap-growing-percent=25`: an old generation grows 1.25× past what its last full collection
 *   left alive before the next one, where V8 allows up to 4× while the heap's limit is far away
 *   (on a machine with GBs of memory it is). 2,000 quotes waiting (cache 500): from 1.5×, heaps
 *   130–145 → 107–113 MB (main) and 156–161 → 128–137 MB (workflow thread); the price is more
 *   frequent full collections (the worker's CPU over the bench 65 → 69 s, within its noise).
 *
 * V8 sizes an isolate's heap when it makes it: main.ts sets these as it starts, which covers the
 * workflow thread (made later, by Worker.create), and whatever starts a worker puts them on node's
 * command line for the main thread (scripts/start.ts, test/support/worker-process.ts,
 * docker-compose.yml).
 */
import { setFlagsFromString } from 'node:v8';

export const WORKER_HEAP_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=25'] as const;

/** For every isolate made from now on. */
export function applyWorkerHeapFlags(): void {
  for (const flag of WORKER_HEAP_FLAGS) setFlagsFromString(flag);
}
