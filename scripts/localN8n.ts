/**
 * A real n8n on 127.0.0.1 with this package installed the way n8n's Community Nodes screen installs
 * it. Used by `npm start`, `npm run demo` and the end-to-end suite.
 *
 * Two n8n majors can run: 2.41.1 on Node 24 (from the npm registry, as n8n 2.x requires it) and
 * 1.123.x on the machine's Node 20. Each is installed on first use into its own folder of the
 * git-ignored `.local-n8n/`; `N8N_MAJOR=1` (or `npm start -- --n8n 1`) picks 1.x, 2.x is the default.
 */
import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** One n8n the harness can install and run, with everything that differs between majors. */
export interface N8nRuntime {
	major: 1 | 2;
	n8nVersion: string;
	/** Node installed from the npm registry into the runtime; undefined: the Node running this script. */
	nodeVersion?: string;
	dir: string;
	/** The committed package.json and package-lock.json it is installed from (`npm ci`). */
	manifestDir: string;
	nodeBin: string;
	n8nEntry: string;
	/** Native modules built after the install, which skips install scripts. */
	nativeModules: string[];
	/** What n8n's environment needs on this major, beside the common headless settings. */
	env: NodeJS.ProcessEnv;
	/** The CLI arguments that activate (publish) an imported workflow. */
	activateArgs(workflowId: string): string[];
	/** Whether `$execution.resumeUrl` carries n8n's `?signature=` token. */
	signsResumeUrl: boolean;
	/** What makes `n8n start` watch its node packages and reload them when their files change. */
	devReloadEnv: NodeJS.ProcessEnv;
}

export type N8nMajor = N8nRuntime['major'];

/**
 * Where a major's runtime is installed, and what from: scripts/runtimes/<major>/ holds its
 * package.json (n8n, and Node for 2.x, at exact versions) and the package-lock.json of the tree the
 * suites were proven on. `npm ci` skips resolving n8n's 2,300 dependencies (about 90 s) and installs
 * the same tree on every machine.
 */
function runtimeIn(major: 1 | 2, dir: string) {
	const manifestDir = join(REPO_ROOT, 'scripts', 'runtimes', String(major));
	const { dependencies } = JSON.parse(readFileSync(join(manifestDir, 'package.json'), 'utf8')) as {
		dependencies: { n8n: string; node?: string };
	};
	const nodeVersion = dependencies.node;
	return {
		major,
		n8nVersion: dependencies.n8n,
		nodeVersion,
		dir,
		manifestDir,
		// n8n 1.x runs on the machine's Node, which runs this script.
		nodeBin: nodeVersion ? join(dir, 'node_modules', '.bin', 'node') : process.execPath,
		n8nEntry: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	};
}

export const RUNTIMES: Record<N8nMajor, N8nRuntime> = {
	2: {
		...runtimeIn(2, join(CACHE_DIR, 'runtime')),
		nativeModules: ['sqlite3', 'isolated-vm'],
		// Otherwise `n8n start` tries to reach n8n's servers.
		env: { N8N_DISABLED_MODULES: 'mcp-registry' },
		activateArgs: (id) => ['publish:workflow', `--id=${id}`],
		signsResumeUrl: true,
		devReloadEnv: { N8N_DEV_RELOAD: 'true' },
	},
	1: {
		// Its package.json overrides xlsx: n8n-nodes-base 1.x asks for it by a CDN URL that cannot be
		// reached; the registry has the same version.
		...runtimeIn(1, join(CACHE_DIR, 'runtime-1')),
		nativeModules: ['sqlite3'],
		// The default `vm` engine needs isolated-vm, which needs Node 22+: every command would exit 1.
		// (1.x knows no module "mcp-registry": N8N_DISABLED_MODULES would fail every command.)
		env: { N8N_EXPRESSION_ENGINE: 'legacy' },
		activateArgs: (id) => ['update:workflow', `--id=${id}`, '--active=true'],
		signsResumeUrl: false,
		// 1.x watches only in development (NODE_ENV unset or `development`, as under `n8n-node dev`);
		// that also turns on CORS and stack traces in error responses, harmless on 127.0.0.1.
		devReloadEnv: { N8N_DEV_RELOAD: 'true', NODE_ENV: 'development' },
	},
};

/** The runtime a major names: 1 or 2, as `--n8n` or N8N_MAJOR give it (2 when empty). */
export function runtimeOf(major: string | number | undefined): N8nRuntime {
	const key = String(major ?? '').trim() || '2';
	if (key !== '1' && key !== '2') throw new Error(`No n8n runtime for major "${key}" (1 or 2)`);
	return RUNTIMES[Number(key) as N8nMajor];
}

/** The runtime N8N_MAJOR picks, read on each call (jest sets it per project). */
export const selectedRuntime = () => runtimeOf(process.env.N8N_MAJOR);

/** Where the default (2.x) runtime is installed. */
export const RUNTIME_DIR = RUNTIMES[2].dir;

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	name: string;
	version: string;
};
export const PACKAGE_NAME = PACKAGE.name;

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
function cleanEnvironment(runtime: N8nRuntime): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (/^npm_/i.test(name) || name === 'NODE' || name === 'INIT_CWD') continue;
		env[name] = value;
	}
	env.PATH = [
		dirname(runtime.nodeBin),
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

/**
 * What the runtime's marker records: the lockfile it was installed from, and for a runtime on the
 * machine's Node that Node's ABI, which its native modules were built for.
 */
const markerOf = (runtime: N8nRuntime) => ({
	node: runtime.nodeVersion ?? `machine (ABI ${process.versions.modules})`,
	n8n: runtime.n8nVersion,
	lock: createHash('sha256').update(readFileSync(join(runtime.manifestDir, 'package-lock.json'))).digest('hex').slice(0, 16),
});

function runtimeLooksComplete(runtime: N8nRuntime): boolean {
	const modules = join(runtime.dir, 'node_modules');
	const n8nPackage = readJson<{ version: string }>(join(modules, 'n8n', 'package.json'));
	const nodePackage = readJson<{ version: string }>(join(modules, 'node', 'package.json'));
	const sqliteBinding = join(modules, 'sqlite3', 'build', 'Release', 'node_sqlite3.node');
	return (
		n8nPackage?.version === runtime.n8nVersion &&
		(runtime.nodeVersion === undefined || nodePackage?.version === runtime.nodeVersion) &&
		existsSync(runtime.nodeBin) &&
		existsSync(sqliteBinding)
	);
}

/** n8n 1.123.x declares `engines.node ">=20.19 <= 24.x"`: say so before a 4-minute install. */
function checkMachineNode(runtime: N8nRuntime) {
	if (runtime.nodeVersion !== undefined) return;
	const [major, minor] = process.versions.node.split('.').map(Number);
	if (major < 20 || (major === 20 && minor < 19) || major > 24) {
		throw new Error(`n8n ${runtime.n8nVersion} needs Node 20.19 to 24.x; this is Node ${process.versions.node}`);
	}
}

/**
 * Native modules built against Node-API, whose binary is the same for every Node. sqlite3 has no
 * prebuilt binary this machine can download, so it compiles from source (minutes on two cores):
 * once is enough for both runtimes when they hold the same version.
 */
const NODE_API_BINARIES: Record<string, string> = { sqlite3: join('build', 'Release', 'node_sqlite3.node') };

/** Copies a Node-API module's binary from another complete runtime with the same version of it. */
function borrowNodeApiBuild(runtime: N8nRuntime, name: string, log: Log): boolean {
	const binary = NODE_API_BINARIES[name];
	if (!binary) return false;
	const version = (dir: string) => readJson<{ version: string }>(join(dir, 'node_modules', name, 'package.json'))?.version;
	const wanted = version(runtime.dir);
	for (const other of Object.values(RUNTIMES)) {
		const built = join(other.dir, 'node_modules', name, binary);
		if (other === runtime || !existsSync(join(other.dir, '.complete.json')) || version(other.dir) !== wanted || !existsSync(built)) {
			continue;
		}
		const target = join(runtime.dir, 'node_modules', name, binary);
		mkdirSync(dirname(target), { recursive: true });
		copyFileSync(built, target);
		log(`  ✓ ${name} ${wanted}: the binary built for n8n ${other.n8nVersion} (Node-API, the same for every Node)`);
		return true;
	}
	return false;
}

/** Node (for 2.x) and n8n in the cache, installed on first use (a few minutes, 2–3 GB). */
export async function ensureRuntime(log: Log = defaultLog, runtime: N8nRuntime = selectedRuntime()): Promise<void> {
	checkMachineNode(runtime);
	const markerFile = join(runtime.dir, '.complete.json');
	const expected = markerOf(runtime);
	const marker = readJson<ReturnType<typeof markerOf>>(markerFile);
	if (marker?.node === expected.node && marker?.n8n === expected.n8n && marker?.lock === expected.lock && runtimeLooksComplete(runtime)) {
		return;
	}

	const what = runtime.nodeVersion ? `Node ${runtime.nodeVersion} and n8n ${runtime.n8nVersion}` : `n8n ${runtime.n8nVersion}`;
	log(`Installing ${what} into ${runtime.dir} (first run only: about 3–6 minutes, 2–3 GB)`);
	rmSync(runtime.dir, { recursive: true, force: true });
	mkdirSync(runtime.dir, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(runtime.manifestDir, file), join(runtime.dir, file));
	const logFile = join(CACHE_DIR, `runtime-${runtime.major}-install.log`);
	log(`  npm output goes to ${logFile}`);
	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
	// With the runtime's Node first on PATH (once installed), npm runs under it and builds for it.
	const options = { cwd: runtime.dir, env: cleanEnvironment(runtime), logFile };
	// A plain install fails here: a native dependency of the Kafka node downloads sources at install
	// time. Skip install scripts, then run only those of Node itself and of the native modules n8n needs.
	await runOrThrow(`npm ci (n8n ${runtime.n8nVersion}, locked)`, 'npm', ['ci', ...npmFlags, '--ignore-scripts'], options, log);
	if (runtime.nodeVersion) {
		await runOrThrow(`Node ${runtime.nodeVersion}`, 'npm', ['rebuild', '--ignore-scripts=false', 'node'], options, log);
	}
	const toBuild = runtime.nativeModules.filter((name) => !borrowNodeApiBuild(runtime, name, log));
	if (toBuild.length > 0) {
		await runOrThrow(`npm rebuild ${toBuild.join(' ')}`, 'npm', ['rebuild', '--ignore-scripts=false', ...toBuild], options, log);
	}
	if (!runtimeLooksComplete(runtime)) throw new Error(`The n8n runtime in ${runtime.dir} is incomplete; see ${logFile}`);
	writeFileSync(markerFile, JSON.stringify(expected));
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

/** Where installPackage puts this package in the n8n of `userFolder`. */
export const installedPackageDir = (userFolder: string) => join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` as n8n's Community Nodes screen does: unpack,
 * drop dev, peer and optional dependencies (n8n provides n8n-workflow itself: a second copy would
 * load its own classes), install the runtime dependencies, and list the package.
 */
export async function installPackage(userFolder: string, tarball: string, log: Log = defaultLog): Promise<void> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const target = installedPackageDir(userFolder);
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
	/** Which n8n runs it; N8N_MAJOR's when not given. */
	runtime?: N8nRuntime;
	/** Set last, over the defaults below (queue mode: Postgres, Redis, the shared encryption key). */
	env?: NodeJS.ProcessEnv;
}

export const runtimeOfInstance = (instance: InstanceOptions) => instance.runtime ?? selectedRuntime();

/** The environment of a headless n8n that stays on 127.0.0.1 and calls no n8n service. */
export function n8nEnv(instance: InstanceOptions): NodeJS.ProcessEnv {
	const { userFolder, port, brokerPort, env } = instance;
	const runtime = runtimeOfInstance(instance);
	return {
		...cleanEnvironment(runtime),
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
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		NODE_OPTIONS: '',
		// n8n exits silently under NODE_ENV=test, which jest sets for the e2e suite.
		NODE_ENV: 'production',
		...runtime.env,
		...env,
	};
}

/** One n8n CLI command (import:credentials, import:workflow, publish:workflow, execute …). */
export async function n8nCli(instance: InstanceOptions, args: string[], timeoutMs = 180_000): Promise<CommandResult> {
	const { nodeBin: node, n8nEntry } = runtimeOfInstance(instance);
	return await run(node, [n8nEntry, ...args], { env: n8nEnv(instance), cwd: instance.userFolder, timeoutMs });
}

/** The CLI arguments that activate an imported workflow on the instance's n8n. */
export const activateArgs = (instance: InstanceOptions, workflowId: string) =>
	runtimeOfInstance(instance).activateArgs(workflowId);

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

/**
 * Whether n8n serves its editor's routes: /healthz/readiness answers 200 first (on 1.x about 5 s
 * before the REST routes and the node types file exist), so ask for all three.
 */
async function answersReadiness(url: string): Promise<boolean> {
	try {
		return (await fetch(`${url}/healthz/readiness`)).ok;
	} catch {
		return false;
	}
}

async function isReady(url: string, userFolder: string): Promise<boolean> {
	try {
		if (!(await answersReadiness(url))) return false;
		if (!(await fetch(`${url}/rest/settings`)).ok) return false;
	} catch {
		return false;
	}
	return existsSync(join(typesDirOf(userFolder), 'nodes.json'));
}

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
 * once it is ready: `n8n start` as isReady says, a worker or webhook process once
 * /healthz/readiness answers 200 on `instance.port` (a worker's health-check port).
 */
export async function startN8n(
	instance: InstanceOptions,
	{
		inheritOutput = false,
		readyTimeoutMs = 180_000,
		command = 'start' as 'start' | 'worker' | 'webhook',
		// Called once the process exists, before it is ready: a Ctrl-C while it starts can stop it.
		onSpawn = (_stop: () => Promise<void>) => {},
	} = {},
): Promise<RunningN8n> {
	const logFile = join(instance.userFolder, 'n8n.log');
	mkdirSync(instance.userFolder, { recursive: true });
	const { nodeBin: node, n8nEntry } = runtimeOfInstance(instance);
	const child = spawn(node, [n8nEntry, command], {
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
	onSpawn(stop);

	const deadline = Date.now() + readyTimeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) {
			throw new Error(`n8n exited (code ${child.exitCode}) before it was ready; see ${logFile}`);
		}
		const ready = command === 'start' ? await isReady(url, instance.userFolder) : await answersReadiness(url);
		if (ready) return { url, process: child, logFile, stop };
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

const typesDirOf = (userFolder: string) => join(userFolder, '.cache', 'n8n', 'public', 'types');

/** The node and credential types n8n loaded, as it wrote them after starting. */
export function loadedTypes(userFolder: string): {
	nodes: string[];
	credentials: string[];
	nodeTypes: LoadedNodeType[];
	credentialTypes: Array<Pick<LoadedNodeType, 'name' | 'iconUrl'>>;
} {
	const typesDir = typesDirOf(userFolder);
	const nodeTypes = readJson<LoadedNodeType[]>(join(typesDir, 'nodes.json')) ?? [];
	const credentialTypes = readJson<Array<Pick<LoadedNodeType, 'name' | 'iconUrl'>>>(join(typesDir, 'credentials.json')) ?? [];
	return {
		nodes: nodeTypes.map(({ name }) => name),
		credentials: credentialTypes.map(({ name }) => name),
		nodeTypes,
		credentialTypes,
	};
}

/** A node's run as n8n stores it: its output, or its error, and how long it took (ms). */
export interface StoredNodeRun {
	data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>>; pairedItem?: unknown }>> };
	error?: { message: string; description?: string };
	startTime?: number;
	executionTime?: number;
}

/** An execution as n8n stored it: what its Executions list shows. */
export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	workflowId: string;
	startedAt?: string;
	stoppedAt?: string | null;
	data: {
		resultData: {
			runData: Record<string, StoredNodeRun[]>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
		/** The nodes still to run: empty once a run has succeeded. */
		executionData?: { nodeExecutionStack?: unknown[] };
		/** Set while the run is paused (a Wait, merge and wait); cleared when it resumes. */
		waitTill?: string;
	};
}

/** What an execution is reported as while n8n has written its status but not yet the data that goes with it. */
export const SAVING_STATUS = 'saving';

/**
 * An execution as it can be read: n8n 1.x ends a run with two writes, the status first, then the run
 * data (a manual run's data is empty until then; a resumed run's is the paused one, or, once n8n has
 * resumed it, the same with `waitTill` cleared and the resumed node still to run), so a read between
 * the two sees an ended status beside data that is not the run's. Such an execution is reported as
 * `saving` until its data agrees with its status: a run that ended has run a node or failed and is no
 * longer paused, one that succeeded has no node left to run, one that failed says why; a paused
 * run's data says until when.
 */
export function settled(execution: StoredExecution): StoredExecution {
	const data = execution.data as Partial<StoredExecution['data']> | undefined;
	const result = data?.resultData;
	const ended = result !== undefined && data?.waitTill === undefined && (Object.keys(result.runData ?? {}).length > 0 || result.error !== undefined);
	const nothingLeftToRun = (data?.executionData?.nodeExecutionStack?.length ?? 0) === 0;
	const agrees: Record<string, boolean> = {
		success: ended && nothingLeftToRun,
		error: ended && result.error !== undefined,
		canceled: result !== undefined,
		crashed: true,
		waiting: data?.waitTill !== undefined,
	};
	return agrees[execution.status] === false ? { ...execution, status: SAVING_STATUS } : execution;
}

// Reads an n8n's SQLite database, read-only, with its runtime's own sqlite3 (built for its Node) and
// flatted (the format n8n stores run data in), in a child process of that Node.
const sqliteQueryScript = (runtime: N8nRuntime) => {
	const runtimeModule = (name: string) => JSON.stringify(join(runtime.dir, 'node_modules', name));
	return `
const { Database, OPEN_READONLY } = require(${runtimeModule('sqlite3')});
const { parse } = require(${runtimeModule('flatted')});
const [database, sql, params] = process.argv.slice(1);
const db = new Database(database, OPEN_READONLY);
db.all(sql, JSON.parse(params), (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	console.log(JSON.stringify(rows.map((row) => (typeof row.data === 'string' ? { ...row, data: parse(row.data) } : row))));
	db.close();
});`;
};

/** Rows of a query on the SQLite database of the n8n in `userFolder`; a `data` column is unflattened. */
export async function querySqlite<Row>(userFolder: string, runtime: N8nRuntime, sql: string, params: unknown[] = []): Promise<Row[]> {
	const database = join(userFolder, '.n8n', 'database.sqlite');
	const result = await run(runtime.nodeBin, ['-e', sqliteQueryScript(runtime), database, sql, JSON.stringify(params)], {
		timeoutMs: 60_000,
	});
	if (result.code !== 0) throw new Error(`Reading ${database} failed: ${result.stderr}`);
	return JSON.parse(result.stdout) as Row[];
}

/** The executions an n8n on SQLite stored, oldest first, with their run data (from `sinceId` on). */
export async function sqliteExecutions(userFolder: string, runtime: N8nRuntime, sinceId = 0): Promise<StoredExecution[]> {
	const rows = await querySqlite<Omit<StoredExecution, 'id' | 'finished'> & { id: number; finished: number }>(
		userFolder,
		runtime,
		'SELECT e.id, e.status, e.mode, e.finished, e.workflowId, e.startedAt, e.stoppedAt, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.id > ? ORDER BY e.id',
		[sinceId],
	);
	return rows.map((row) => settled({ ...row, id: String(row.id), finished: !!row.finished }));
}
