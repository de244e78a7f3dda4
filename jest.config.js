// One Temporal dev server and one test database serve every test file (test/global-setup.ts);
// projects split the fast pure tests from those that need the running services.
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] };
// The generated Prisma client imports its own .ts files as "./x.js" (ESM-style specifiers); map them back.
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const shared = { transform, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

/** @type {import('jest').Config} */
module.exports = {
  // Service tests wait on real servers and timers; a hung one still fails well inside CI's budget.
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'services',
      testMatch: [
        '<rootDir>/test/workflows/**/*.test.ts',
        '<rootDir>/test/integration/**/*.test.ts',
        '<rootDir>/test/e2e/**/*.test.ts',
      ],
    },
    // The production topology under faults: Temporal's server, processes and databases of its own.
    { ...shared, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'] },
  ],
};
