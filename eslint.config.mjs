// Lint: typescript-eslint's recommended rules everywhere, and the purity of workflows/
// (DESIGN.md §3): workflow code is replayed, so it may import only the Temporal workflow
// API, xstate and domain/ — never Node built-ins, the database, renderers or mailers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const forbiddenInWorkflows = [
  // Node's own `domain` module shares its name with our pure domain/ folder.
  ...builtinModules.filter((name) => name !== 'domain'),
  ...builtinModules.map((name) => `node:${name}`),
  '@prisma/*',
  '**/generated/**',
  'pg',
  'sharp',
  'pdf-lib',
  '@pdf-lib/*',
  'resend',
  'express',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '**/activities/**',
  '**/api/**',
  '**/platform/**',
  '**/workers/**',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'generated/**', 'dist/**', 'coverage/**'] },
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
  {
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbiddenInWorkflows,
              // Types vanish at compile time: importing the activity surface's types is how
              // proxyActivities stays typed.
              allowTypeImports: true,
              message: 'workflows/ is deterministic: import only @temporalio/workflow, xstate and domain/ (DESIGN.md §3).',
            },
          ],
        },
      ],
    },
  },
);
