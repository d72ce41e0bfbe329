/** `npm run test:unit`: the inner loop. Unit and CDK tests only: no Java, no DynamoDB Local. */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/unit', '<rootDir>/test/infra'],
  globalSetup: '<rootDir>/test/support/global-setup-unit.ts',
  globalTeardown: undefined,
};
