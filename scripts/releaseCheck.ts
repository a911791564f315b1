/**
 * `npm run release:check`: packs the package exactly as `npm publish` would (prepack builds dist,
 * whatever is or isn't built already) and checks the tarball a user's n8n will install: every file
 * the package.json `n8n` block names, each node's codex file, every icon a node or credential names,
 * and nothing that users do not need (tests, sources, source maps, tools). Then it lints the source
 * and the tarball as n8n's verification scanner does, offline, and fails on any finding.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';

import { ESLint } from 'eslint';

import { REPO_ROOT } from './localN8n';

interface Manifest {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
	repository?: string | { url?: string };
	homepage?: string;
	bugs?: string | { url?: string };
	author?: string | { name?: string; email?: string; url?: string };
}

/** What must not ship: the files a user's n8n never loads. */
const UNWANTED = [/\.map$/, /\.ts$/, /^package\/(test|scripts|examples|nodes|credentials|docs)\//, /\.test\./];

export function problemsOf(files: Set<string>, readEntry: (path: string) => string, manifest: Manifest): string[] {
	const problems: string[] = [];
	const need = (path: string, why: string) => {
		if (!files.has(`package/${path}`)) problems.push(`missing ${path} (${why})`);
	};
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		need(file, 'named by the n8n block');
		if (!files.has(`package/${file}`)) continue;
		if (file.endsWith('.node.js')) need(file.replace(/\.js$/, '.json'), 'the codex beside the node');
		// Icons are named as `file:<path>` relative to the compiled file that names them.
		for (const [, icon] of readEntry(file).matchAll(/['"]file:([^'"]+)['"]/g)) {
			need(posix.join(posix.dirname(file), icon), `an icon ${file} names`);
		}
	}
	for (const file of files) {
		if (UNWANTED.some((pattern) => pattern.test(file))) problems.push(`should not ship ${file.replace(/^package\//, '')}`);
	}
	return problems;
}

/** The GitHub repository a URL names, as "owner/name" in lower case (GitHub ignores case). */
const githubRepositoryOf = (url: string | undefined) =>
	/^(?:git\+)?https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?(?:[/#].*)?$/.exec(url ?? '')?.[1].toLowerCase();

/**
 * n8n verifies a package against the public GitHub repository its package.json names, with the same
 * author on npm and GitHub: repository, homepage, bugs and author must name the same repository
 * and its owner.
 */
export function metadataProblems(manifest: Manifest): string[] {
	const urlOf = (field: string | { url?: string } | undefined) => (typeof field === 'string' ? field : field?.url);
	const repository = githubRepositoryOf(urlOf(manifest.repository));
	if (!repository) return ['package.json repository.url does not name a GitHub repository'];
	const problems: string[] = [];
	if (githubRepositoryOf(manifest.homepage) !== repository) {
		problems.push(`package.json homepage is not the repository ${repository}`);
	}
	const bugs = urlOf(manifest.bugs);
	if (githubRepositoryOf(bugs) !== repository || !/\/issues\/?$/.test(bugs ?? '')) {
		problems.push(`package.json bugs.url is not the issues of ${repository}`);
	}
	const owner = repository.split('/')[0];
	const author = typeof manifest.author === 'string' ? { name: manifest.author } : (manifest.author ?? {});
	const noreplyOwner = /^(?:\d+\+)?([\w-]+)@users\.noreply\.github\.com$/i.exec(author.email ?? '')?.[1].toLowerCase();
	if (!author.name) problems.push('package.json author has no name');
	if (noreplyOwner !== undefined && noreplyOwner !== owner) {
		problems.push(`package.json author.email is the GitHub account ${noreplyOwner}, not ${owner}`);
	}
	const authorAccount = /^https:\/\/github\.com\/([\w-]+)\/?$/i.exec(author.url ?? '')?.[1].toLowerCase();
	if (author.url !== undefined && authorAccount !== owner) problems.push(`package.json author.url is not github.com/${owner}`);
	return problems;
}

/** What the findings are read from in ESLint's results. */
type LintResults = Array<Pick<ESLint.LintResult, 'filePath' | 'messages'>>;

/** Every message of a lint run, warnings included: the scanner's own verdict counts errors only. */
export function findingsOf(results: LintResults, root: string): string[] {
	return results.flatMap(({ filePath, messages }) =>
		messages.map(
			({ line, column, severity, message, ruleId }) =>
				`${relative(root, filePath)}:${line}:${column} ${severity === 2 ? 'error' : 'warning'} ${message} (${ruleId ?? 'no rule: the file did not parse'})`,
		),
	);
}

/** What n8n's scanner lints when it verifies a package (scanner.mjs, analyzePackageByName). */
export const scanTargets = (sourceDir: string, packedDir: string, sourcePatterns: string[]) => [
	{ what: 'source', directory: sourceDir, patterns: sourcePatterns },
	// The tarball's compiled JavaScript and its package.json.
	{ what: 'tarball', directory: packedDir, patterns: ['**/*.js', 'package.json'] },
];

/**
 * Lints as @n8n/scan-community-package does: its config (buildScanConfig), inline eslint-disable
 * comments ignored, no config file of ours. Its own analyzePackage, which downloads nothing either,
 * passes a package whose findings are all warnings and reports them only as formatted text.
 */
async function scanFindings(sourceDir: string, packedDir: string): Promise<string[]> {
	// tsc compiles this to require(), which loads an ES module from Node 20.19 on.
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const findings: string[] = [];
	for (const { what, directory, patterns } of scanTargets(sourceDir, packedDir, scanner.SOURCE_FILE_PATTERNS)) {
		const eslint = new ESLint({
			cwd: directory,
			allowInlineConfig: false,
			overrideConfigFile: true,
			overrideConfig: await scanner.buildScanConfig(),
		});
		const results = await eslint.lintFiles(patterns);
		console.log(`  n8n's scanner over the ${what}: ${results.length} files`);
		findings.push(...findingsOf(results, directory).map((finding) => `${what}: ${finding}`));
	}
	return findings;
}

async function main() {
	const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as Manifest;
	// A stale dist must not hide a pack that does not build: start from none, as a fresh clone does.
	rmSync(join(REPO_ROOT, 'dist'), { recursive: true, force: true });
	const destination = mkdtempSync(join(tmpdir(), 'videosdk-release-check-'));
	try {
		execFileSync('npm', ['pack', '--pack-destination', destination], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
		const tarball = join(destination, `${manifest.name}-${manifest.version}.tgz`);
		const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean));
		const readEntry = (path: string) =>
			execFileSync('tar', ['-xzOf', tarball, `package/${path}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
		const problems = [...metadataProblems(manifest), ...problemsOf(files, readEntry, manifest)];
		console.log(`${tarball}: ${files.size} files`);
		for (const problem of problems) console.log(`  ✗ ${problem}`);
		if (problems.length === 0) {
			console.log('  ✓ repository, homepage, bugs and author agree; every file the n8n block names, codex files and');
			console.log('    icons; no tests, sources or source maps');
		}

		const packedDir = join(destination, 'package');
		mkdirSync(packedDir);
		execFileSync('tar', ['-xzf', tarball, '-C', packedDir, '--strip-components=1']);
		const findings = await scanFindings(REPO_ROOT, packedDir);
		for (const finding of findings) console.log(`  ✗ ${finding}`);
		if (findings.length === 0) console.log("  ✓ n8n's scanner finds nothing, warnings included");

		if (problems.length > 0 || findings.length > 0) process.exitCode = 1;
	} finally {
		rmSync(destination, { recursive: true, force: true });
	}
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}
