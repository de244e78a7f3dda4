// Lint: typescript-eslint's recommended rules everywhere, and the rooms of the code base with
// who may import whom (README, "Architecture"; DESIGN.md §2-3):
//   workflows/          deterministic, replayed: the Temporal workflow API, xstate, domain/, and
//                       the activities' types (how proxyActivities is typed) — no I/O of any kind
//   workflows/machines/ pure machines: nothing of Temporal, nothing of workflows/ outside machines/
//   api/                asks the workflows and reads the read model: nothing from activities/
//   activities/         adapters over services/ for the worker: nothing from api/
//   services/           capabilities both api/ and activities/ use: nothing from api/, activities/,
//                       workers/, and only types from workflows/
//   platform/           infrastructure (config, database, ids, Temporal client): only domain/
//   domain/             pure types and rules: nothing of ours outside domain/, no I/O
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';

/** Our top-level folders (activities, api, domain, …): what "ours" means below. */
const ourFolders = readdirSync(import.meta.dirname, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
  .map((entry) => entry.name);
const allOursBut = (...kept) => ourFolders.filter((folder) => !kept.includes(folder));

/** Packages that do I/O (or are Node's own), which replayed or pure code must never load. */
const ioPackages = [
  // Node's own `domain` module shares its name with our pure domain/ folder.
  ...builtinModules.filter((name) => name !== 'domain'),
  ...builtinModules.map((name) => `node:${name}`),
  '@prisma/*',
  'pg',
  'sharp',
  'pdf-lib',
  '@pdf-lib/*',
  'resend',
  'stripe',
  'twilio',
  'express',
];

/**
 * Imports are relative, so which folder "../api" reaches depends on how deep the importing file
 * is: each room's rule is made once per depth (api/x.ts, api/a/x.ts, …), with `up` the "../"
 * run that climbs from that depth to the top.
 */
const MAX_DEPTH = 5;
const dotDots = (count) => '\\.\\./'.repeat(count);
/** An import reaching one of these top-level folders ("../../services/db/audit" from api/operations/). */
const into = (depth, ...folders) => `^${dotDots(depth)}(${folders.join('|')})(/|$)`;

function room(folder, patternsAt, { minDepth = 1 } = {}) {
  return Array.from({ length: MAX_DEPTH - minDepth + 1 }, (_, index) => {
    const depth = minDepth + index;
    return {
      files: [`${folder}/${'*/'.repeat(depth - folder.split('/').length)}*.ts`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: patternsAt(depth) }] },
    };
  });
}

const WORKFLOWS = 'workflows/ is deterministic: import only @temporalio/workflow, xstate, domain/ and the types of activities/ (DESIGN.md §3).';
const workflowPatterns = (depth) => [
  { group: [...ioPackages, '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: WORKFLOWS },
  { regex: into(depth, ...allOursBut('domain', 'workflows', 'activities')), message: WORKFLOWS },
  // Types vanish at compile time: the activity interfaces are how proxyActivities stays typed.
  { regex: into(depth, 'activities'), allowTypeImports: true, message: WORKFLOWS },
  { group: ['@temporalio/workflow'], importNames: ['patched'], message: 'Take a patch with workflows/patches.ts: a new run records one marker for all the patches of its generation.' },
];

const MACHINES = 'workflows/machines/ are pure machines: nothing of Temporal and nothing of workflows/ outside machines/ (README, "Architecture").';
const PURE = 'domain/ is pure: nothing of ours outside domain/, no I/O, no Temporal.';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'generated/**', 'dist/**', 'clients/typescript/dist/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...room('workflows', workflowPatterns),
  // After the workflows/ blocks, which it replaces for machines (flat config does not merge a rule's options).
  ...room(
    'workflows/machines',
    (depth) => [
      ...workflowPatterns(depth).filter((pattern) => !pattern.allowTypeImports),
      { group: ['@temporalio/*'], message: MACHINES },
      { regex: into(depth, 'activities'), message: MACHINES },
      // Up out of machines/ but not out of workflows/: not even a type (views live in their machines, messages import them).
      { regex: `^${dotDots(depth - 1)}(?!\\.\\./)`, message: MACHINES },
    ],
    { minDepth: 2 },
  ),
  ...room('api', (depth) => [
    {
      regex: into(depth, 'activities', 'workers'),
      message: 'api/ asks the workflows and reads the read model; what it shares with the activities lives in services/ (README, "Architecture").',
    },
  ]),
  ...room('activities', (depth) => [
    { regex: into(depth, 'api', 'workers'), message: "activities/ are the worker's adapters over services/: nothing from api/ or workers/." },
  ]),
  ...room('services', (depth) => [
    { regex: into(depth, 'api', 'activities', 'workers'), message: 'services/ serve api/ and activities/ alike, so they import neither (README, "Architecture").' },
    { regex: into(depth, 'workflows'), allowTypeImports: true, message: 'services/ may use the types of workflows/ (inputs, views), never their code.' },
  ]),
  ...room('platform', (depth) => [
    { regex: into(depth, ...allOursBut('platform', 'domain', 'generated')), message: 'platform/ is infrastructure: it imports only domain/ (and the generated Prisma client).' },
  ]),
  ...room('domain', (depth) => [
    { regex: into(depth, ...allOursBut('domain')), message: PURE },
    { group: [...ioPackages, '@temporalio/*'], message: PURE },
  ]),
);
