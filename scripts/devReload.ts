/**
 * The rebuild half of `npm run dev`: `tsc --watch` compiles nodes/ and credentials/ straight into the
 * `dist/` of the package installed in the local n8n, and a changed icon is copied there as
 * gulpfile.js copies it into `dist/`. n8n, started with its runtime's `devReloadEnv`, watches that
 * folder and reloads the package's node and credential types when files in it change.
 * `n8n-node dev` links the repository into n8n's custom folder instead; keeping `npm start`'s install
 * keeps the node type names users get and loads no second n8n-workflow from our devDependencies.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, watch } from 'node:fs';
import { dirname, extname, join, normalize, sep } from 'node:path';

import type { Log } from './localN8n';
import { REPO_ROOT, stopProcessGroup } from './localN8n';

/** The source folders whose icons n8n loads from beside the compiled files (gulpfile.js copies them). */
const ICON_FOLDERS = ['nodes', 'credentials'];
const ICON_EXTENSIONS = ['.png', '.svg'];

/**
 * Where a changed file, given relative to the repository, is copied in `outDir`: icons under nodes/
 * or credentials/ only; everything else tsc compiles (or nothing uses).
 */
export function iconTarget(relativePath: string, outDir: string): string | undefined {
	const path = normalize(relativePath);
	const [folder, ...rest] = path.split(sep);
	if (!ICON_FOLDERS.includes(folder) || rest.length === 0 || rest.includes('..')) return undefined;
	if (!ICON_EXTENSIONS.includes(extname(path).toLowerCase())) return undefined;
	return join(outDir, path);
}

/**
 * The number of errors of a finished compilation, when `line` is the one `tsc --watch` prints after
 * each; undefined for any other line. (tsc emits even with errors: n8n then logs its reload failing.)
 */
export function compilationErrors(line: string): number | undefined {
	const match = /Found (\d+) errors?\. Watching for file changes\./.exec(line);
	return match ? Number(match[1]) : undefined;
}

export interface Rebuilder {
	/** The first compilation's error count, once it is written. */
	firstCompilation: Promise<number>;
	/** Resolves when tsc exits by itself. */
	exited: Promise<number | null>;
	stop(): Promise<void>;
}

/** Starts `tsc --watch` into `outDir` (its own process group) and the icon watchers. */
export function startRebuilding(outDir: string, log: Log): Rebuilder {
	const tscBin = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
	const tsc = spawn(
		process.execPath,
		[tscBin, '-p', 'tsconfig.build.json', '--watch', '--preserveWatchOutput', '--pretty', 'false', '--outDir', outDir],
		{ cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const exited = new Promise<number | null>((resolveExit) => tsc.once('exit', (code) => resolveExit(code)));
	const firstCompilation = new Promise<number>((resolveFirst, reject) => {
		void exited.then((code) => reject(new Error(`tsc --watch exited (${code}) before its first compilation`)));
		let buffer = '';
		tsc.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk;
			const lines = buffer.split('\n');
			buffer = lines.pop()!;
			for (const line of lines.filter(Boolean)) {
				log(`tsc: ${line}`);
				if (compilationErrors(line) !== undefined) resolveFirst(compilationErrors(line)!);
			}
		});
	});

	const iconWatchers = ICON_FOLDERS.filter((folder) => existsSync(join(REPO_ROOT, folder))).map((folder) =>
		watch(join(REPO_ROOT, folder), { recursive: true }, (_event, file) => {
			const source = file ? join(REPO_ROOT, folder, file) : undefined;
			const target = file ? iconTarget(join(folder, file), outDir) : undefined;
			if (!source || !target || !existsSync(source)) return;
			mkdirSync(dirname(target), { recursive: true });
			copyFileSync(source, target);
			log(`icon copied: ${join(folder, file!)}`);
		}),
	);

	return {
		firstCompilation,
		exited,
		stop: async () => {
			for (const watcher of iconWatchers) watcher.close();
			await stopProcessGroup(tsc, 'SIGTERM', 5_000);
		},
	};
}
