/**
 * The services test/global-setup.ts started, as the environment hands them to test files.
 * Fails with a clear message when a service test runs without that setup.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';

export interface TestServices {
  temporalAddress: string;
  databaseUrl: string;
  workflowBundlePath?: string;
}

export function testServices(): TestServices {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!temporalAddress || !databaseUrl) {
    throw new Error('Service tests need test/global-setup.ts (run them through jest, project "services"): TEMPORAL_ADDRESS or DATABASE_URL is not set.');
  }
  quietTemporalRuntime();
  return { temporalAddress, databaseUrl, workflowBundlePath: process.env.WORKFLOW_BUNDLE_PATH || undefined };
}

let runtimeInstalled = false;

/** Workers log every poll at INFO; tests want warnings only. Must run before the first worker or native connection. */
function quietTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by the test file itself: its choice wins.
  }
}
