/**
 * `npm run release:check`: packs the package exactly as `npm publish` would (prepack builds dist,
 * whatever is or isn't built already) and checks the tarball a user's n8n will install: every file
 * the package.json `n8n` block names, each node's codex file, every icon a node or credential names,
 * and nothing that users do not need (tests, sources, source maps, tools).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';

import { REPO_ROOT } from './localN8n';

interface Manifest {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
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

function main() {
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
		const problems = problemsOf(files, readEntry, manifest);
		console.log(`${tarball}: ${files.size} files`);
		for (const problem of problems) console.log(`  ✗ ${problem}`);
		if (problems.length > 0) process.exitCode = 1;
		else console.log('  ✓ every file the n8n block names, codex files and icons; no tests, sources or source maps');
	} finally {
		rmSync(destination, { recursive: true, force: true });
	}
}

if (require.main === module) main();
