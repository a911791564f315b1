import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT, RUNTIMES, runtimeOf } from '../../scripts/localN8n';

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

	it('are picked by major, 2 by default, and nothing else', () => {
		expect([runtimeOf(undefined), runtimeOf(''), runtimeOf('1'), runtimeOf(2)].map((runtime) => runtime.major)).toEqual([2, 2, 1, 2]);
		expect(() => runtimeOf('3')).toThrow('No n8n runtime for major "3" (1 or 2)');
	});
});
