// One `npm test` runs every project: the server (real HTTP app, real FerretDB engine, fakes on
// loopback, and the console in headless Chromium) and the mini-program pages in miniprogram-simulate.
/** @type {import('jest').Config['transform']} */
const transform = {
  '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
  projects: [
    {
      displayName: 'server',
      testEnvironment: 'node',
      roots: ['<rootDir>/server', '<rootDir>/typings', '<rootDir>/scripts'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/server/test/global-setup.ts',
      globalTeardown: '<rootDir>/server/test/global-teardown.ts',
    },
    {
      displayName: 'miniprogram',
      testEnvironment: 'jsdom',
      roots: ['<rootDir>/miniprogram'],
      testMatch: ['**/*.test.ts'],
      transform,
      setupFiles: ['<rootDir>/miniprogram/test/setup.ts'],
      // Copied TDesign build (npm run build:miniprogram-npm): not ours to crawl or test.
      modulePathIgnorePatterns: ['<rootDir>/miniprogram/miniprogram_npm/'],
      // The pure-JS file the phone runs (build-miniprogram-npm.ts copies it), not the Node build
      // jest would pick by the package's exports.
      moduleNameMapper: { '^js-sha256$': '<rootDir>/node_modules/js-sha256/build/sha256.cjs' },
    },
  ],
};
