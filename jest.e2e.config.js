/**
 * End-to-end suite: the packed package inside a real n8n and the fake API, once per n8n major
 * (a jest project each: n8n 2.41.1 on Node 24, n8n 1.123.x on Node 20). N8N_MAJOR=1 or 2 runs one.
 */
const MAJORS = process.env.N8N_MAJOR ? [process.env.N8N_MAJOR] : ['2', '1'];

module.exports = {
	// One real n8n at a time: the machine has two cores.
	maxWorkers: 1,
	testTimeout: 15 * 60_000,
	projects: MAJORS.map((major) => ({
		displayName: `n8n ${major}.x`,
		preset: 'ts-jest',
		testEnvironment: 'node',
		rootDir: __dirname,
		roots: ['<rootDir>/test/e2e'],
		testMatch: ['**/*.test.ts'],
		// On 1.x, the files whose every step goes through what differs between the majors: loading,
		// each operation, API errors, the trigger's webhooks, wait and resume, binary data, hostile
		// input, the example workflows as a 1.x user imports them (the AI Agent's too). Queue mode, the editor in a browser
		// and the trigger under load (our signature checks and key cache, the same code on both) are
		// proven on the current major.
		testPathIgnorePatterns:
			major === '2' ? [] : ['queueMode', 'editor', 'videoSdkTriggerLoad'].map((name) => `/${name}\\.test\\.ts$`),
		transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
		// Installs this major's runtime and packs the package; each test file's process.env gets
		// N8N_MAJOR from the project's globals.
		globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
		setupFiles: ['<rootDir>/test/e2e/setup.ts'],
		globals: { N8N_MAJOR: major },
	})),
};
