/**
 * Bundles workflow code once (webpack takes seconds) and writes it where workers load it
 * with `workflowBundle: { codePath }`. Used by the test harness and the benchmark. The
 * workflow interceptors (request ids, tracing) are part of the bundle, and the modules every
 * workflow shares are marked for preloading (WORKFLOW_PRELOAD_MODULES).
 */
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOW_PRELOAD_MODULES } from '../../workers/create-worker';

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(`[bundle] ${message}`),
  error: (message: string) => console.error(`[bundle] ${message}`),
};

export async function bundleWorkflowsTo(bundlePath: string, workflowsPath: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, preloadModules: WORKFLOW_PRELOAD_MODULES, logger: quietBundlerLogger });
  writeFileSync(bundlePath, code);
  return bundlePath;
}
