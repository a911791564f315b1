import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { StoredExecution } from '../../scripts/localN8n';
import { REPO_ROOT, RUNTIMES, runtimeOf, SAVING_STATUS, settled } from '../../scripts/localN8n';

const { n8nSupport } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8nSupport: { versions: string; testedWith: Record<string, string> };
};

/** Whether `version` satisfies one of the `^x.y.z` ranges joined by `||`. */
const satisfiesCaret = (version: string, ranges: string) =>
	ranges.split('||').some((range) => {
		const [major, minor, patch] = range.trim().replace(/^\^/, '').split('.').map(Number);
		const [vMajor, vMinor, vPatch] = version.split('.').map(Number);
		return vMajor === major && (vMinor > minor || (vMinor === minor && vPatch >= patch));
	});

describe('the n8n runtimes the e2e suite runs', () => {
	it('are exactly the n8n versions package.json says it is tested with, each within its supported range', () => {
		const runVersions = Object.values(RUNTIMES).map((runtime) => runtime.n8nVersion).sort();
		expect(Object.keys(n8nSupport.testedWith).sort()).toEqual(runVersions);
		for (const version of runVersions) expect({ version, supported: satisfiesCaret(version, n8nSupport.versions) }).toEqual({ version, supported: true });
	});

	it('install from lockfiles that hold exactly the versions their package.json names', () => {
		const read = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
		for (const runtime of Object.values(RUNTIMES)) {
			const manifest = read(join(runtime.manifestDir, 'package.json'));
			const { packages } = read(join(runtime.manifestDir, 'package-lock.json'));
			expect(packages[''].dependencies).toEqual(manifest.dependencies);
			expect(packages['node_modules/n8n'].version).toBe(runtime.n8nVersion);
			expect(packages['node_modules/node']?.version).toBe(runtime.nodeVersion);
			for (const [name, version] of Object.entries(manifest.overrides ?? {})) expect(packages[`node_modules/${name}`].version).toBe(version);
		}
		expect(RUNTIMES[2].nodeVersion).toMatch(/^24\./);
	});

	it('are picked by major, 2 by default, and nothing else', () => {
		expect([runtimeOf(undefined), runtimeOf(''), runtimeOf('1'), runtimeOf(2)].map((runtime) => runtime.major)).toEqual([2, 2, 1, 2]);
		expect(() => runtimeOf('3')).toThrow('No n8n runtime for major "3" (1 or 2)');
	});
});

describe('an execution as the suite reads it', () => {
	const execution = (status: string, data: unknown): StoredExecution =>
		({ id: '7', status, mode: 'manual', finished: false, workflowId: 'w', data }) as StoredExecution;
	const ran = { resultData: { runData: { Start: [{}] }, lastNodeExecuted: 'Start' } };
	const paused = { resultData: { runData: { Start: [{}], Merge: [{}] }, lastNodeExecuted: 'Merge' }, waitTill: '2026-12-04T23:00:00.000Z' };
	const statusOf = (status: string, data: unknown) => settled(execution(status, data)).status;

	it('is saving while an ended status stands beside data n8n has not written yet', () => {
		// n8n 1.x stores a manual run's data as flatted's "[]" (undefined) until the run's data is written.
		expect(statusOf('success', undefined)).toBe(SAVING_STATUS);
		expect(statusOf('error', { resultData: { runData: {} } })).toBe(SAVING_STATUS);
		// A resumed run that ended while its data is still the paused one.
		expect(statusOf('success', paused)).toBe(SAVING_STATUS);
		// The same once n8n 1.x has resumed it: no longer paused, the resumed node still to run (seen in CI: the agent's run missing).
		const resumed = { resultData: paused.resultData, executionData: { nodeExecutionStack: [{ node: { name: 'Merge' } }] } };
		expect(statusOf('success', resumed)).toBe(SAVING_STATUS);
		expect(statusOf('error', resumed)).toBe(SAVING_STATUS);
		expect(statusOf('waiting', { resultData: { runData: {} } })).toBe(SAVING_STATUS);
	});

	it('keeps its status once the data agrees with it', () => {
		expect(statusOf('success', ran)).toBe('success');
		expect(statusOf('success', { ...ran, executionData: { nodeExecutionStack: [] } })).toBe('success');
		expect(statusOf('error', { resultData: { runData: {}, error: { message: 'Unrecognized node type' } } })).toBe('error');
		expect(statusOf('waiting', paused)).toBe('waiting');
		expect(statusOf('running', undefined)).toBe('running');
		expect(statusOf('new', undefined)).toBe('new');
		expect(settled(execution('success', ran))).toEqual(execution('success', ran));
	});
});
