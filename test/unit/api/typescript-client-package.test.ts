/**
 * The TypeScript client as npm publishes it: `npm pack` builds it (prepack) and ships the
 * compiled code with its types and nothing else, and the built package runs from CommonJS and
 * from an ES module. The build writes clients/typescript/dist (ignored by git).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repository = join(__dirname, '../../..');
const client = join(repository, 'clients/typescript');

test('npm pack ships the built client, its types and its README', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json'], { cwd: client, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as { name: string; files: { path: string }[] }[];
  expect(packed?.name).toBe('@greenlight/client');
  expect(packed?.files.map((file) => file.path).sort()).toEqual(['README.md', 'dist/index.d.ts', 'dist/index.js', 'dist/schema.d.ts', 'package.json']);

  // The built client, loaded the two ways a consumer loads it, makes a client with the API's methods.
  const probe = (loaded: string) => `console.log(Object.keys(${loaded}.createGreenlightClient({ baseUrl: 'http://127.0.0.1', apiKey: 'gl_live_x' })).join(','))`;
  const required = await run(process.execPath, ['-e', `${probe(`require(${JSON.stringify(join(client, 'dist/index.js'))})`)}`]);
  const imported = await run(process.execPath, [
    '--input-type=module',
    '-e',
    `import * as greenlight from ${JSON.stringify(join(client, 'dist/index.js'))}; ${probe('greenlight')}`,
  ]);
  for (const { stdout: methods } of [required, imported]) expect(methods.trim().split(',')).toEqual(expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']));
}, 120_000);
