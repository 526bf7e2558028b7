// The embedded test database serves one client at a time, so test files then run in band;
// a real PostgreSQL (TEST_DATABASE_URL, as CI sets it) takes both cores.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: "..",
  testEnvironment: "node",
  roots: ["<rootDir>/test", "<rootDir>/src"],
  testMatch: ["**/*.test.ts", "**/*.spec.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/test/tsconfig.json" }] },
  setupFiles: ["reflect-metadata"],
  globalSetup: "<rootDir>/test/support/global-setup.ts",
  globalTeardown: "<rootDir>/test/support/global-teardown.ts",
  maxWorkers: process.env.TEST_DATABASE_URL ? 2 : 1,
  testTimeout: 30000,
};
