/**
 * `npm start`: a local n8n with this package, on http://127.0.0.1:5678 (N8N_PORT or --port).
 * `npm run demo`: the same, plus the fake VideoSDK API, a credential for it and the examples.
 * `npm run dev`: the same as `npm start`, and each change in nodes/ or credentials/ is recompiled
 * into the installed package, which n8n reloads without restarting (see devReload.ts).
 * `--n8n 1` (or N8N_MAJOR=1) runs n8n 1.123.x on this machine's Node instead of 2.41.1.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startRebuilding } from './devReload';
import { DEMO_SESSION_ID } from './fake-videosdk/demoSession';
import { exampleFiles, loadExample } from './examples';
import type { InstanceOptions, N8nRuntime, RunningN8n } from './localN8n';
import {
	CACHE_DIR,
	REPO_ROOT,
	activateArgs,
	ensureRuntime,
	getFreePort,
	installPackage,
	installedPackageDir,
	loadedTypes,
	n8nCli,
	packPackage,
	runtimeOf,
	startN8n,
} from './localN8n';

/** `--n8n 1|2`, else N8N_MAJOR, else 2. */
function runtimeFromArguments(): N8nRuntime {
	const flag = process.argv.indexOf('--n8n');
	return runtimeOf(flag > 0 ? process.argv[flag + 1] : process.env.N8N_MAJOR);
}

const RUNTIME = runtimeFromArguments();
// Each major keeps its own database: n8n migrates it forward only.
const DATA_DIR = join(CACHE_DIR, RUNTIME.major === 2 ? 'data' : `data-${RUNTIME.major}`);
const DEMO_CREDENTIAL = { id: 'videoSdkDemoCred', name: 'VideoSDK (demo fake API)' };

function portFromArguments(): number {
	const flag = process.argv.indexOf('--port');
	const value = flag > 0 ? process.argv[flag + 1] : process.env.N8N_PORT;
	const port = Number(value ?? 5678);
	if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Not a port: ${value}`);
	return port;
}

async function prepareInstance(): Promise<InstanceOptions> {
	const port = portFromArguments();
	const instance = { userFolder: DATA_DIR, port, brokerPort: await getFreePort(), runtime: RUNTIME };
	await ensureRuntime(undefined, RUNTIME);
	console.log('Packing this package and installing it into the local n8n…');
	await installPackage(DATA_DIR, await packPackage());
	return instance;
}

async function cliOrThrow(instance: InstanceOptions, args: string[]) {
	const result = await n8nCli(instance, args);
	if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
	return result;
}

/** The fake VideoSDK API as its own process, so n8n can call it while this script waits. */
async function startFakeApi(port: number) {
	const apiKey = 'demo-api-key';
	const secretKey = `demo-secret-${randomBytes(8).toString('hex')}`;
	const child = spawn(process.execPath, [join(REPO_ROOT, '.build', 'scripts', 'fake-videosdk', 'cli.js')], {
		env: {
			...process.env,
			FAKE_VIDEOSDK_PORT: String(port),
			FAKE_VIDEOSDK_API_KEY: apiKey,
			FAKE_VIDEOSDK_SECRET: secretKey,
		},
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const firstLine = await new Promise<string>((resolveLine, reject) => {
		let buffer = '';
		child.stdout!.on('data', (chunk: Buffer) => {
			buffer += chunk;
			const newline = buffer.indexOf('\n');
			if (newline >= 0) resolveLine(buffer.slice(0, newline));
		});
		child.once('exit', (code) => reject(new Error(`The fake API exited (${code})`)));
	});
	return { child, url: (JSON.parse(firstLine) as { url: string }).url, apiKey, secretKey };
}

/** Example workflows name the trigger's URL on the default port; the demo may run on another. */
const EXAMPLE_N8N_URL = 'http://127.0.0.1:5678';

async function importDemo(instance: InstanceOptions, api: { url: string; apiKey: string; secretKey: string }) {
	const workDir = join(CACHE_DIR, 'demo-import');
	mkdirSync(workDir, { recursive: true });
	const credentialsFile = join(workDir, 'credentials.json');
	writeFileSync(
		credentialsFile,
		JSON.stringify([
			{
				...DEMO_CREDENTIAL,
				type: 'videoSdkApi',
				data: { apiKey: api.apiKey, secretKey: api.secretKey, baseUrl: api.url },
			},
		]),
	);
	await cliOrThrow(instance, ['import:credentials', `--input=${credentialsFile}`]);
	const published: string[] = [];
	for (const file of exampleFiles()) {
		const workflow = loadExample(file, DEMO_CREDENTIAL);
		const workflowFile = join(workDir, file);
		writeFileSync(
			workflowFile,
			JSON.stringify(workflow).replaceAll(EXAMPLE_N8N_URL, `http://127.0.0.1:${instance.port}`),
		);
		await cliOrThrow(instance, ['import:workflow', `--input=${workflowFile}`]);
		if (workflow.nodes.some((node) => node.type.endsWith('.videoSdkTrigger'))) {
			await cliOrThrow(instance, activateArgs(instance, workflow.id));
			published.push(workflow.name);
		}
	}
	return published;
}

/** Stops everything on SIGINT/SIGTERM; returns whether that has begun. */
function stopOnSignals(stoppers: Array<() => Promise<void> | void>): () => boolean {
	let stopping = false;
	const stopAll = async () => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n…');
		for (const stopper of stoppers) await stopper();
		process.exit(0);
	};
	process.on('SIGINT', () => void stopAll());
	process.on('SIGTERM', () => void stopAll());
	return () => stopping;
}

async function start(demo: boolean) {
	const instance = await prepareInstance();
	let api: Awaited<ReturnType<typeof startFakeApi>> | undefined;
	let published: string[] = [];
	if (demo) {
		api = await startFakeApi(await getFreePort());
		published = await importDemo(instance, api);
	}
	// Registered before n8n starts: a Ctrl-C while it starts stops it too (it runs in its own process group).
	let stopN8n: () => Promise<void> = async () => {};
	const stopping = stopOnSignals([() => stopN8n(), () => void api?.child.kill('SIGTERM')]);
	console.log(`Starting n8n ${'(this takes a few seconds)'}…`);
	let n8n: RunningN8n;
	try {
		n8n = await startN8n(instance, { inheritOutput: true, onSpawn: (stop) => (stopN8n = stop) });
	} catch (error) {
		if (stopping()) return; // stopped by a Ctrl-C while starting: not an error
		api?.child.kill('SIGTERM');
		throw error;
	}
	const types = loadedTypes(instance.userFolder);
	const ours = types.nodes.filter((name) => name.startsWith('n8n-nodes-videosdk.'));
	console.log(`
n8n ${RUNTIME.n8nVersion} is running at ${n8n.url}  (Ctrl-C stops it; data stays in ${DATA_DIR})
Loaded from this package: ${ours.join(', ') || 'NOTHING: check the log above'}

1. Open ${n8n.url} and create the owner account (first time only; it stays on this machine).
2. Add a node and search for "VideoSDK".`);
	if (demo && api) {
		console.log(`3. Demo: a fake VideoSDK API runs at ${api.url}; the credential "VideoSDK (demo fake API)" points at it.
   It holds a finished session, ${DEMO_SESSION_ID}, with the recordings of two participants.
   a) Open "VideoSDK demo: merge a finished session and wait" and click "Execute workflow".
      It lists the session's recordings, starts the merge and pauses; about 3 s later the fake API
      calls the execution's resume URL and the run goes on. The last node shows the finished job
      (recording.file.fileUrl) and the stereo mp3 in its binary field "data".
   b) Or with a trigger workflow (published: ${published.join(', ')}): open
      "VideoSDK demo: merge two speakers" and click "Execute workflow". The merge output shows the
      running job; a moment later the Executions list of "VideoSDK demo: when the merge is done"
      shows a run with the merged file's job.`);
	}
	await new Promise<void>((resolveExit) => n8n.process.once('exit', () => resolveExit()));
	api?.child.kill('SIGTERM');
}

async function dev() {
	const instance = await prepareInstance();
	let stopN8n: () => Promise<void> = async () => {};
	const rebuilder = startRebuilding(join(installedPackageDir(instance.userFolder), 'dist'), (line) => console.log(line));
	// Registered before n8n starts: a Ctrl-C while it starts stops it and tsc too.
	const stopping = stopOnSignals([() => stopN8n(), () => rebuilder.stop()]);
	let n8n: RunningN8n;
	try {
		// The first compilation rewrites every file: done before n8n starts, it triggers no reload.
		await rebuilder.firstCompilation;
		console.log('Starting n8n with live reload (this takes a few seconds)…');
		n8n = await startN8n(
			{ ...instance, env: RUNTIME.devReloadEnv },
			{ inheritOutput: true, onSpawn: (stop) => (stopN8n = stop) },
		);
	} catch (error) {
		if (stopping()) return; // tsc or n8n stopped by a Ctrl-C while starting: not an error
		await rebuilder.stop();
		throw error;
	}
	const ours = loadedTypes(instance.userFolder).nodes.filter((name) => name.startsWith('n8n-nodes-videosdk.'));
	console.log(`
n8n ${RUNTIME.n8nVersion} is running at ${n8n.url} with live reload  (Ctrl-C stops n8n and tsc)
Loaded from this package: ${ours.join(', ') || 'NOTHING: check the log above'}
Save a file in nodes/ or credentials/: tsc compiles it into ${installedPackageDir(instance.userFolder)},
n8n logs "Hot reload triggered" and the open editor fetches the new node descriptions.
A change to package.json (a new node or credential file) needs a restart.`);
	const stoppedBy = await Promise.race([
		new Promise<string>((resolveExit) => n8n.process.once('exit', () => resolveExit('n8n'))),
		rebuilder.exited.then(() => 'tsc --watch'),
	]);
	if (stopping()) return; // a Ctrl-C stopped it: stopOnSignals finishes the job
	console.error(`${stoppedBy} exited; stopping the rest.`);
	await n8n.stop();
	await rebuilder.stop();
	process.exit(1);
}

const command = process.argv[2];
if (command !== 'start' && command !== 'demo' && command !== 'dev') {
	console.error('usage: node .build/scripts/n8n.js start|demo|dev [--port N] [--n8n 1|2]');
	process.exit(2);
}
(command === 'dev' ? dev() : start(command === 'demo')).catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
