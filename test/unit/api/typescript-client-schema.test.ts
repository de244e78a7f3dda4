/**
 * The TypeScript client's generated types (`make deps` writes them) are those of the document the
 * API serves today: a route or schema changed since asks for `npm run client:generate`.
 * The generator runs in its own process: openapi-typescript is an ES module Jest cannot load.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const repository = join(__dirname, '../../..');

test('clients/typescript/src/schema.d.ts matches the served OpenAPI document (else: npm run client:generate)', async () => {
  const { stdout } = await promisify(execFile)(join(repository, 'node_modules/.bin/tsx'), ['scripts/generate-client.ts', '--stdout'], {
    cwd: repository,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(await readFile(join(repository, 'clients/typescript/src/schema.d.ts'), 'utf8')).toBe(stdout);
}, 60_000);
