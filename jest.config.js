/** The whole suite: unit tests, workflow tests on the real Temporal server, and HTTP integration tests. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/packages/zoho-emulator/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Two cores: one worker per core keeps the Temporal server and the tests from starving each other.
  maxWorkers: 2,
  // A worker's heap grows by tens of MB with each file (every file loads the app, Temporal's SDK and the emulator
  // anew, and V8 reclaims that late): a worker past this is replaced between two files. Measured on 40 workflow
  // files, A/B twice: 8-11% less CPU.
  workerIdleMemoryLimit: '800MB',
};
