/** The GitHub workflows cannot run here: their structure is checked instead. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { REPO_ROOT } from '../../scripts/localN8n';

interface Step {
	name?: string;
	uses?: string;
	run?: string;
}
interface Job {
	uses?: string;
	needs?: string | string[];
	permissions?: Record<string, string>;
	steps?: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const workflow = (name: string) =>
	parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', name), 'utf8')) as Workflow;
const runs = (job: Job) => (job.steps ?? []).flatMap((step) => (step.run ? [step.run.trim()] : []));

/** The test command README.md opens with: the line of its first code block that runs `npm test`. */
function readmeTestCommand(): string {
	const [, firstBlock] = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').split('```');
	const line = firstBlock.split('\n').find((text) => text.includes('npm test'));
	return String(line).replace(/#.*$/, '').trim();
}

/** Whether GitHub's tag filter matches a tag: `*` is any run of characters but `/`. */
const tagFilterMatches = (filter: string, tag: string) =>
	new RegExp(`^${filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(tag);

describe('CI workflow', () => {
	const ci = workflow('ci.yml');

	it("runs README's test command", () => {
		expect(readmeTestCommand()).toBe('npm ci && npm test && npm run test:e2e');
		expect(Object.values(ci.jobs).flatMap(runs)).toContain(readmeTestCommand());
	});

	it('runs the checks n8n verifies packages with: lint, type-check, release check', () => {
		const all = Object.values(ci.jobs).flatMap(runs);
		for (const command of ['npm run lint', 'npm run typecheck', 'npm run release:check']) expect(all).toContain(command);
	});

	it('runs on pushes to main, pull requests, and when the publish workflow calls it', () => {
		expect(ci.on).toEqual({ push: { branches: ['main'] }, pull_request: null, workflow_call: null });
		expect(ci.permissions).toEqual({ contents: 'read' });
	});
});

describe('publish workflow', () => {
	const publish = workflow('publish.yml');
	const { test, publish: publishJob } = publish.jobs;

	it('runs on a version tag only', () => {
		expect(Object.keys(publish.on)).toEqual(['push']);
		const { tags, branches } = publish.on.push as { tags: string[]; branches?: string[] };
		expect(branches).toBeUndefined();
		const matches = (tag: string) => tags.some((filter) => tagFilterMatches(filter, tag));
		expect(['v0.1.0', 'v1.12.3'].filter(matches)).toEqual(['v0.1.0', 'v1.12.3']);
		expect(['main', 'v1', 'release-1.0.0', 'v1.0.0/x'].filter(matches)).toEqual([]);
	});

	it('publishes only after the CI workflow (README test command included) passed', () => {
		expect(test.uses).toBe('./.github/workflows/ci.yml');
		expect([publishJob.needs].flat()).toContain('test');
	});

	it('installs, checks the package, then publishes with provenance and public access', () => {
		const commands = runs(publishJob);
		const publishIndex = commands.findIndex((command) => /^npm publish\b/.test(command));
		expect(commands[publishIndex]).toBe('npm publish --provenance --access public');
		expect(commands.indexOf('npm ci --no-audit --no-fund')).toBeGreaterThanOrEqual(0);
		expect(commands.indexOf('npm ci --no-audit --no-fund')).toBeLessThan(publishIndex);
		expect(commands.indexOf('npm run release:check')).toBeLessThan(publishIndex);
		expect(commands.indexOf('npm run release:check')).toBeGreaterThan(commands.indexOf('npm ci --no-audit --no-fund'));
	});

	it('may mint the OIDC token provenance needs, and write nothing else', () => {
		expect(publishJob.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
		expect(publish.permissions).toEqual({ contents: 'read' });
	});
});
