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
};
