/** One jest run for every level; the global setup starts one in-memory DynamoDB Local for all of them. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  // @middy/core ships ESM only: let ts-jest transpile it (middy issues #850, #843).
  transformIgnorePatterns: ['node_modules/(?!(@middy)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  setupFiles: ['<rootDir>/test/support/quiet-logs.ts'],
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Tests wait on HTTP and DynamoDB Local more than on CPU: two workers on a 2-core machine.
  maxWorkers: 2,
};
