/**
 * A real n8n on 127.0.0.1 with this package installed the way n8n's Community Nodes screen installs
 * it. Used by `npm start`, `npm run demo` and the end-to-end suite.
 *
 * Node 24 and n8n come from the npm registry into the git-ignored `.local-n8n/runtime` on first use
 * (n8n 2.x needs Node 24; this machine's Node 20 runs only the tooling).
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** The repository: found upwards, as this runs from scripts/ (ts-jest) or .build/scripts/ (node). */
function findRepoRoot(from: string): string {
	for (let folder = from; ; folder = dirname(folder)) {
		if (existsSync(join(folder, 'package.json')) && existsSync(join(folder, 'gulpfile.js'))) return folder;
		if (dirname(folder) === folder) throw new Error(`No repository above ${from}`);
	}
}

export const REPO_ROOT = findRepoRoot(resolve(__dirname));
export const CACHE_DIR = join(REPO_ROOT, '.local-n8n');
export const RUNTIME_DIR = join(CACHE_DIR, 'runtime');
export const NODE_VERSION = '24.9.0';
export const N8N_VERSION = '2.41.1';

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};
export const PACKAGE_NAME = PACKAGE.name;

const RUNTIME_MARKER = join(RUNTIME_DIR, '.complete.json');
const runtimeBin = join(RUNTIME_DIR, 'node_modules', '.bin');
export const nodeBin = join(runtimeBin, 'node');
const n8nEntry = join(RUNTIME_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

export type Log = (line: string) => void;
const defaultLog: Log = (line) => console.log(line);

interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs a command to completion, collecting its output (or appending it to a log file). */
export function run(
	command: string,
	args: string[],
	options: SpawnOptions & { logFile?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		const logStream = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
		child.stdout!.on('data', (chunk: Buffer) => {
			stdout += chunk;
			logStream?.write(chunk);
		});
		child.stderr!.on('data', (chunk: Buffer) => {
			stderr += chunk;
			logStream?.write(chunk);
		});
		const timer = options.timeoutMs
			? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
			: undefined;
		child.on('error', reject);
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			logStream?.end();
			resolvePromise({ code, stdout, stderr });
		});
	});
}

export async function runOrThrow(
	label: string,
	command: string,
	args: string[],
	options: SpawnOptions & { logFile?: string },
	log: Log,
): Promise<CommandResult> {
	const started = Date.now();
	// A big install prints nothing for minutes: say that it is alive.
	const ticker = setInterval(
		() => log(`  … ${label}: ${Math.round((Date.now() - started) / 1000)} s`),
		15_000,
	);
	try {
		const result = await run(command, args, options);
		if (result.code !== 0) {
			throw new Error(
				`${label} failed (exit ${result.code})${options.logFile ? `; see ${options.logFile}` : ''}\n${result.stderr.slice(-2000)}`,
			);
		}
		log(`  ✓ ${label} (${Math.round((Date.now() - started) / 1000)} s)`);
		return result;
	} finally {
		clearInterval(ticker);
	}
}

/**
 * This process's environment without what an outer `npm run` injects: its npm_* settings, NODE and
 * PATH entries point at the machine's Node 20 and its node-gyp, and would make npm build native
 * modules for Node 20 instead of picking the runtime's Node 24 (and isolated-vm's prebuilt binary).
 */
function cleanEnvironment(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(name) || name === 'NODE' || name === 'INIT_CWD') continue;
		env[name] = value;
	}
	env.PATH = [
		runtimeBin,
		...(process.env.PATH ?? '')
			.split(':')
			.filter((entry) => entry && !entry.includes('node-gyp-bin') && !entry.endsWith(join('node_modules', '.bin'))),
	].join(':');
	return env;
}

const readJson = <T>(file: string): T | undefined => {
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as T;
	} catch {
		return undefined;
	}
};

function runtimeLooksComplete(): boolean {
	const n8nPackage = readJson<{ version: string }>(join(RUNTIME_DIR, 'node_modules', 'n8n', 'package.json'));
	const nodePackage = readJson<{ version: string }>(join(RUNTIME_DIR, 'node_modules', 'node', 'package.json'));
	const sqliteBinding = join(RUNTIME_DIR, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	return (
		n8nPackage?.version === N8N_VERSION &&
		nodePackage?.version === NODE_VERSION &&
		existsSync(nodeBin) &&
		existsSync(sqliteBinding)
	);
}

/** Node 24 and n8n in the cache, installed on first use (a few minutes, about 3 GB). */
export async function ensureRuntime(log: Log = defaultLog): Promise<void> {
	const marker = readJson<{ node: string; n8n: string }>(RUNTIME_MARKER);
	if (marker?.node === NODE_VERSION && marker?.n8n === N8N_VERSION && runtimeLooksComplete()) return;
	if (!marker && runtimeLooksComplete()) {
		writeFileSync(RUNTIME_MARKER, JSON.stringify({ node: NODE_VERSION, n8n: N8N_VERSION }));
		return;
	}

	log(`Installing Node ${NODE_VERSION} and n8n ${N8N_VERSION} into ${RUNTIME_DIR} (first run only: about 3–5 minutes, 3 GB)`);
	rmSync(RUNTIME_DIR, { recursive: true, force: true });
	mkdirSync(RUNTIME_DIR, { recursive: true });
	writeFileSync(join(RUNTIME_DIR, 'package.json'), '{"name":"local-n8n-runtime","private":true}\n');
	const logFile = join(CACHE_DIR, 'runtime-install.log');
	log(`  npm output goes to ${logFile}`);
	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=warn'];
	// With Node 24 first on PATH, the machine's npm runs under it and builds for it.
	const env = cleanEnvironment();
	const options = { cwd: RUNTIME_DIR, env, logFile };
	await runOrThrow(`npm install node@${NODE_VERSION}`, 'npm', ['install', ...npmFlags, `node@${NODE_VERSION}`], options, log);
	// A plain install fails here: a native dependency of the Kafka node downloads sources at install
	// time. Skip install scripts, then build only the two native modules n8n needs.
	await runOrThrow(
		`npm install n8n@${N8N_VERSION}`,
		'npm',
		['install', ...npmFlags, '--ignore-scripts', `n8n@${N8N_VERSION}`],
		options,
		log,
	);
	await runOrThrow('npm rebuild sqlite3 isolated-vm', 'npm', ['rebuild', '--ignore-scripts=false', 'sqlite3', 'isolated-vm'], options, log);
	if (!runtimeLooksComplete()) throw new Error(`The n8n runtime in ${RUNTIME_DIR} is incomplete; see ${logFile}`);
	writeFileSync(RUNTIME_MARKER, JSON.stringify({ node: NODE_VERSION, n8n: N8N_VERSION }));
}

/** Builds and packs this package; returns the tarball's path. */
export async function packPackage(log: Log = defaultLog): Promise<string> {
	const packDir = join(CACHE_DIR, 'packs');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	await runOrThrow('npm run build', 'npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT }, log);
	const { stdout } = await runOrThrow(
		'npm pack',
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', packDir],
		{ cwd: REPO_ROOT },
		log,
	);
	const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
	return join(packDir, filename);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as n8n's Community Nodes screen does: unpack,
 * drop dev, peer and optional dependencies (n8n provides n8n-workflow itself: a second copy would
 * load its own classes), install the runtime dependencies, and list the package.
 */
export async function installPackage(userFolder: string, tarball: string, log: Log = defaultLog): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = join(nodesDir, 'node_modules', PACKAGE_NAME);
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	await runOrThrow('unpack', 'tar', ['-xzf', tarball, '-C', target, '--strip-components=1'], {}, log);

	const manifestFile = join(target, 'package.json');
	const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, unknown>;
	delete manifest.devDependencies;
	delete manifest.peerDependencies;
	delete manifest.optionalDependencies;
	writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
	await runOrThrow(
		'install runtime dependencies',
		'npm',
		['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=warn'],
		{ cwd: target },
		log,
	);
	if (existsSync(join(target, 'node_modules', 'n8n-workflow'))) {
		throw new Error('The installed package brought its own n8n-workflow; n8n must provide it');
	}

	const listFile = join(nodesDir, 'package.json');
	const list = readJson<{ dependencies?: Record<string, string> }>(listFile) ?? {};
	writeFileSync(
		listFile,
		JSON.stringify(
			{ name: 'installed-nodes', private: true, ...list, dependencies: { ...list.dependencies, [PACKAGE_NAME]: String(manifest.version) } },
			null,
			2,
		),
	);
}

export interface InstanceOptions {
	userFolder: string;
	port: number;
	brokerPort: number;
	/** Set last, over the defaults below (queue mode: Postgres, Redis, the shared encryption key). */
	env?: NodeJS.ProcessEnv;
}

/** The environment of a headless n8n that stays on 127.0.0.1 and calls no n8n service. */
export function n8nEnv({ userFolder, port, brokerPort, env }: InstanceOptions): NodeJS.ProcessEnv {
	return {
		...cleanEnvironment(),
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		NODE_OPTIONS: '',
		// n8n exits silently under NODE_ENV=test, which jest sets for the e2e suite.
		NODE_ENV: 'production',
		...env,
	};
}

/** One n8n CLI command (import:credentials, import:workflow, publish:workflow, execute …). */
export async function n8nCli(instance: InstanceOptions, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	return await run(nodeBin, [n8nEntry, ...args], { env: n8nEnv(instance), cwd: instance.userFolder, timeoutMs });
}

export async function getFreePort(): Promise<number> {
	return await new Promise((resolvePort, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			server.close(() => resolvePort(port));
		});
	});
}

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	logFile: string;
	stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

/** Sends `signal` to a child's process group; SIGKILL if the child has not exited after `graceMs`. */
export async function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
	try {
		process.kill(-child.pid!, signal);
	} catch {
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	const timedOut = new Promise<boolean>((resolveTimeout) => {
		timer = setTimeout(() => resolveTimeout(false), graceMs);
	});
	// The timer is cleared once the child exits, so it cannot keep this process (or jest) alive.
	const stopped = await Promise.race([exited.then(() => true), timedOut]);
	clearTimeout(timer);
	if (!stopped) {
		try {
			process.kill(-child.pid!, 'SIGKILL');
		} catch {}
		await exited;
	}
}

/**
 * `n8n start` (or, in queue mode, `n8n worker` / `n8n webhook`) in its own process group; resolves
 * once /healthz/readiness answers 200 on `instance.port` (a worker's health-check port).
 */
export async function startN8n(
	instance: InstanceOptions,
	{ inheritOutput = false, readyTimeoutMs = 180_000, command = 'start' as 'start' | 'worker' | 'webhook' } = {},
): Promise<RunningN8n> {
	const logFile = join(instance.userFolder, 'n8n.log');
	mkdirSync(instance.userFolder, { recursive: true });
	const child = spawn(nodeBin, [n8nEntry, command], {
		env: n8nEnv(instance),
		cwd: instance.userFolder,
		detached: true, // its own process group: stopping it stops its task runner too
		stdio: ['ignore', inheritOutput ? 'inherit' : 'pipe', inheritOutput ? 'inherit' : 'pipe'],
	});
	if (!inheritOutput) {
		const out = createWriteStream(logFile, { flags: 'a' });
		child.stdout!.pipe(out);
		child.stderr!.pipe(out);
	}
	const url = `http://127.0.0.1:${instance.port}`;
	const stop = () => stopProcessGroup(child, 'SIGTERM', 20_000);

	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(`n8n exited (code ${child.exitCode}) before it was ready; see ${logFile}`);
		}
		try {
			const response = await fetch(`${url}/healthz/readiness`);
			if (response.ok) return { url, process: child, logFile, stop };
		} catch {}
		await sleep(500);
	}
	await stop();
	throw new Error(`n8n was not ready within ${readyTimeoutMs / 1000} s; see ${logFile}`);
}

/**
 * Waits until a published workflow's webhook is registered: readiness answers before that, and a
 * GET on a registered POST webhook says so, while an unknown path answers otherwise.
 */
export async function waitForWebhook(webhookUrl: string, timeoutMs = 60_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			const text = await (await fetch(webhookUrl)).text();
			if (text.includes('not registered for GET')) return;
		} catch {}
		await sleep(300);
	}
	throw new Error(`The webhook ${webhookUrl} was not registered within ${timeoutMs / 1000} s`);
}

/** A node type as n8n describes it to its editor (nodes.json), with the codex it read beside it. */
export interface LoadedNodeType {
	name: string;
	codex?: { categories?: string[]; alias?: string[] };
	/** Where n8n serves the icon, relative to its URL. */
	iconUrl?: string | { light: string; dark: string };
}

/** The node and credential types n8n loaded, as it wrote them after starting. */
export function loadedTypes(userFolder: string): {
	nodes: string[];
	credentials: string[];
	nodeTypes: LoadedNodeType[];
	credentialTypes: Array<Pick<LoadedNodeType, 'name' | 'iconUrl'>>;
} {
	const typesDir = join(userFolder, '.cache', 'n8n', 'public', 'types');
	const nodeTypes = readJson<LoadedNodeType[]>(join(typesDir, 'nodes.json')) ?? [];
	const credentialTypes = readJson<Array<Pick<LoadedNodeType, 'name' | 'iconUrl'>>>(join(typesDir, 'credentials.json')) ?? [];
	return {
		nodes: nodeTypes.map(({ name }) => name),
		credentials: credentialTypes.map(({ name }) => name),
		nodeTypes,
		credentialTypes,
	};
}
