/** Jest runs TypeScript through SWC (fast, no type-check: `tsc --noEmit` does that in `npm test`). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // @middy/core ships ES modules only: let SWC turn it into CommonJS for jest.
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  reporters: ['default', '<rootDir>/test/support/plain-summary-reporter.js'],
  setupFiles: ['<rootDir>/test/setup-env.ts'],
  testTimeout: 20000,
};
