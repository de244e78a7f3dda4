/**
 * Stops what test/global-setup.ts started and removes this run's scratch folder. The shared
 * `greenlight_test` database stays for post-mortems (the next run recreates it); a private
 * one made for a concurrent run is dropped.
 */
import { rmSync } from 'node:fs';
import { dropDatabase } from '../scripts/lib/database';
import { takeHarness } from './support/harness-state';

export default async function globalTeardown(): Promise<void> {
  const harness = takeHarness();
  if (!harness) return;
  await harness.temporal?.stop();
  await harness.databaseLock?.end();
  if (harness.privateDatabaseUrl) await dropDatabase(harness.privateDatabaseUrl, new URL(harness.privateDatabaseUrl).pathname.slice(1));
  // GREENLIGHT_KEEP_TEST_RUN=1 keeps the logs (Temporal, worker processes) for a post-mortem.
  if (process.env.GREENLIGHT_KEEP_TEST_RUN) console.log(`[test] kept ${harness.runDir}`);
  else rmSync(harness.runDir, { recursive: true, force: true });
}
