// One jest run over every package and app. Tests run from TypeScript sources
// through swc; `npm test` typechecks them separately with tsc.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/scripts'],
  testMatch: ['**/src/**/*.test.ts', '**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }],
    // request-filtering-agent ships only as an ES module; jest's CommonJS runtime needs it compiled.
    '/request-filtering-agent/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  transformIgnorePatterns: ['^(?!.*/request-filtering-agent/).*/node_modules/'],
  moduleNameMapper: {
    '^@inferq/(api|worker|dispatcher|dashboard)$': '<rootDir>/apps/$1/src/index.ts',
    '^@inferq/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  // The default output, then a closing note on browser suites skipped for want of Chromium.
  reporters: ['default', '<rootDir>/scripts/browser-skip-reporter.js'],
  // Finds Redis and starts the local 3-master Redis Cluster of the cluster target; the teardown stops it.
  globalSetup: '<rootDir>/scripts/jest-global-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-global-teardown.js',
  testTimeout: 30000,
  maxWorkers: 2,
};
