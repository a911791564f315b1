/** Unit and integration tests: our nodes driven through real n8n-core against the fake API on 127.0.0.1. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	setupFiles: ['<rootDir>/test/setup.ts'],
	// isolatedModules in tsconfig lets ts-jest transpile without type-checking each file (tsc checks).
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 20_000,
};
