// `npm run chaos`: the fault-injection suite. Runs the built processes
// (`npm run start:*`) against its own durable redis-server; one scenario at a
// time, since each one loads the 2 cores CI has with several processes.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/chaos'],
  testMatch: ['**/*.chaos.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  moduleNameMapper: {
    '^@inferq/(api|worker|dispatcher|dashboard)$': '<rootDir>/apps/$1/src/index.ts',
    '^@inferq/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
  globalSetup: '<rootDir>/chaos/global-setup.ts',
  globalTeardown: '<rootDir>/chaos/global-teardown.ts',
  reporters: ['default', '<rootDir>/chaos/figures-reporter.js'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
