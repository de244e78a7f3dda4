/**
 * `npm run build`: Greenlight as JavaScript for production, in dist/ (README, "Running in
 * production"); development and tests run the sources through tsx instead.
 *   1. the Prisma client generated when missing or older than the schema (it is TypeScript too);
 *   2. tsc -p tsconfig.build.json: the API, the worker, the migration runner and what they import;
 *   3. the workflows bundled once (bundleWorkflowCode) into dist/workflow-bundle.js, which a
 *      worker loads instead of running webpack at its start (workers/create-worker.ts);
 *   4. prisma/migrations copied beside the compiled migration runner (dist/scripts/migrate.js).
 * dist/ is made anew each time, so nothing removed from the sources lingers there.
 *
 *   npm run build        then: node dist/scripts/migrate.js, node dist/workers/main.js, node dist/api/server.js
 */
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { clientIsCurrent, generatePrismaClient } from './prisma-generate';
import { bundleWorkflowsTo } from './lib/workflow-bundle';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');

async function build(): Promise<void> {
  if (!clientIsCurrent()) generatePrismaClient();
  rmSync(dist, { recursive: true, force: true });
  console.log('[build] compiling with tsc -p tsconfig.build.json…');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  console.log('[build] bundling the workflows…');
  await bundleWorkflowsTo(path.join(dist, 'workflow-bundle.js'), path.join(root, 'workflows', 'index.ts'));
  cpSync(path.join(root, 'prisma', 'migrations'), path.join(dist, 'prisma', 'migrations'), { recursive: true });
  console.log(`[build] done: ${path.relative(root, dist)}/`);
}

build().catch((error: unknown) => {
  console.error('[build] failed:', error);
  process.exit(1);
});
