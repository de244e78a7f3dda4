/**
 * Generates the Prisma client into generated/prisma when it is missing or older than the
 * schema. Offline: Prisma's CLI wants to download its schema engine even for `generate`,
 * which never uses it, and is content when PRISMA_SCHEMA_ENGINE_BINARY names any existing
 * file (DESIGN.md §8).
 *
 *   npx tsx scripts/prisma-generate.ts [--force]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const generatedEntry = path.join(root, 'generated', 'prisma', 'client.ts');

export function clientIsCurrent(): boolean {
  return existsSync(generatedEntry) && statSync(generatedEntry).mtimeMs >= statSync(schema).mtimeMs;
}

export function generatePrismaClient(): void {
  execFileSync(path.join(root, 'node_modules', '.bin', 'prisma'), ['generate'], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
}

if (require.main === module) {
  if (process.argv.includes('--force') || !clientIsCurrent()) generatePrismaClient();
  else console.log('[prisma] client in generated/prisma is up to date');
}
