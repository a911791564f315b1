/** End-to-end suite: the packed package inside a real n8n (Node 24, n8n 2.41.1) and the fake API. */
module.exports = {
	preset: 'ts-jest',
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	// One real n8n at a time: the machine has two cores.
	maxWorkers: 1,
	testTimeout: 15 * 60_000,
};
