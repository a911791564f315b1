/**
 * `npm run bench`: what the node adds on top of its HTTP calls, with figures, not pass/fail.
 * Everything runs against the fake VideoSDK API on 127.0.0.1 in this process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { INodeExecutionData } from 'n8n-workflow';

import { REPO_ROOT } from './localN8n';

process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'n8n-videosdk-bench-'));

const ITEMS = 1000;
const BATCH_SIZE = 10;
// Wall-clock ratios on a shared 2-core machine swing by ±10% from run to run: take medians of more.
const ROUNDS = 7;

type Row = [string, string];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (value: number) => `${value.toFixed(0)} ms`;

async function mergeThroughput(rows: Row[]) {
	const { startFakeVideoSdkApi } = await import('./fake-videosdk/server');
	const { runNode } = await import('./harness');
	const { getVideoSdkToken } = await import('../nodes/VideoSdk/api');

	const api = await startFakeVideoSdkApi({ autoWebhooks: false, mergeCompletionDelayMs: 3_600_000 });
	const credentials = { apiKey: api.apiKey, secretKey: api.secretKey, baseUrl: api.url };
	const items = Array.from({ length: ITEMS }, (_, index) => ({
		json: { sessionId: `session-${index}`, left: [`a-${index}`], right: [`b-${index}`] },
	}));
	// Fields from each item by expression (as a real workflow would), or fixed: the difference is
	// the cost of n8n's expression engine, which the node does not control.
	const parameters = (batchSize: number, byExpression: boolean) => ({
		resource: 'mergeRecording',
		operation: 'create',
		sessionId: byExpression ? '={{ $json.sessionId }}' : 'session-fixed',
		specifyChannels: 'json',
		channel1Json: byExpression ? '={{ $json.left }}' : '["a-fixed"]',
		channel2Json: byExpression ? '={{ $json.right }}' : '["b-fixed"]',
		options: batchSize > 1 ? { batching: { batch: { batchSize, batchInterval: 0 } } } : {},
	});

	const viaNode = async (batchSize: number, byExpression: boolean) => {
		const started = performance.now();
		const run = await runNode({
			type: 'videoSdk',
			parameters: parameters(batchSize, byExpression),
			items,
			credentials,
		});
		const elapsed = performance.now() - started;
		if (run.error || run.items.length !== ITEMS) throw new Error(`node run failed: ${run.error?.message}`);
		return elapsed;
	};

	// The same requests by hand: one token, the same bodies, the same concurrency.
	const viaFetch = async (concurrency: number, byExpression: boolean) => {
		const token = getVideoSdkToken(api.apiKey, api.secretKey);
		const send = async (index: number) => {
			const suffix = byExpression ? String(index) : 'fixed';
			const response = await fetch(`${api.url}/v2/recordings/participant/merge`, {
				method: 'POST',
				headers: { Authorization: token, 'Content-Type': 'application/json' },
				body: JSON.stringify({
					sessionId: `session-${suffix}`,
					channel1: [{ participantId: `a-${suffix}` }],
					channel2: [{ participantId: `b-${suffix}` }],
				}),
			});
			if (!response.ok) throw new Error(`fetch failed: ${response.status}`);
			await response.json();
		};
		const started = performance.now();
		for (let start = 0; start < ITEMS; start += concurrency) {
			const batch = Array.from({ length: Math.min(concurrency, ITEMS - start) }, (_, offset) => start + offset);
			await Promise.all(batch.map(send));
		}
		return performance.now() - started;
	};

	rows.push([
		`${ITEMS} items, the same 3 fields by expression, read by n8n-core alone (no node, no request)`,
		ms(await expressionCost(items)),
	]);
	for (const byExpression of [true, false]) {
		for (const [mode, concurrency] of [
			['sequential', 1],
			[`batches of ${BATCH_SIZE}`, BATCH_SIZE],
		] as const) {
			const label = `${mode}, ${byExpression ? 'fields by expression' : 'fixed fields'}`;
			console.error(`… ${ITEMS} merges, ${label}`);
			await viaNode(concurrency, byExpression); // warm-up: JIT, connection pool, token cache
			await viaFetch(concurrency, byExpression);
			const nodeTimes: number[] = [];
			const fetchTimes: number[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				api.reset();
				fetchTimes.push(await viaFetch(concurrency, byExpression));
				api.reset();
				nodeTimes.push(await viaNode(concurrency, byExpression));
			}
			const node = median(nodeTimes);
			const bare = median(fetchTimes);
			rows.push([`${ITEMS} merges, ${label}: node in n8n-core / bare fetch`, `${ms(node)} / ${ms(bare)} = ${(node / bare).toFixed(2)}`]);
		}
	}
	await api.close();
}

/**
 * What n8n's expression engine alone costs the expression rows: a node that only reads the three
 * fields per item through getNodeParameter, as the VideoSDK node does, and sends nothing.
 */
async function expressionCost(items: INodeExecutionData[]): Promise<number> {
	const { registerNodeType, runNode } = await import('./harness');
	const { NodeConnectionTypes } = await import('n8n-workflow');
	const names = ['sessionId', 'channel1Json', 'channel2Json'];
	registerNodeType('benchExpressionReader', {
		description: {
			displayName: 'Bench expression reader',
			name: 'benchExpressionReader',
			group: ['transform'],
			version: 1,
			description: 'Reads three fields per item',
			defaults: { name: 'Bench expression reader' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: names.map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
		},
		async execute() {
			const input = this.getInputData();
			return [
				input.map((_, itemIndex) => ({
					json: Object.fromEntries(names.map((name) => [name, this.getNodeParameter(name, itemIndex)])),
				})),
			];
		},
	});
	const parameters = { sessionId: '={{ $json.sessionId }}', channel1Json: '={{ $json.left }}', channel2Json: '={{ $json.right }}' };
	const once = async () => {
		const started = performance.now();
		await runNode({ type: 'benchExpressionReader', parameters, items });
		return performance.now() - started;
	};
	await once();
	const times: number[] = [];
	for (let round = 0; round < ROUNDS; round++) times.push(await once());
	return median(times);
}

async function authenticateCost(rows: Row[]) {
	const { VideoSdkApi } = await import('../credentials/VideoSdkApi.credentials');
	const { clearVideoSdkTokenCache } = await import('../nodes/VideoSdk/api');
	const credential = new VideoSdkApi();
	const credentials = { apiKey: 'bench-key', secretKey: 'bench-secret', baseUrl: 'http://127.0.0.1' };
	const measure = async (count: number, beforeEach?: () => void) => {
		const started = performance.now();
		for (let index = 0; index < count; index++) {
			beforeEach?.();
			await credential.authenticate(credentials, { url: '/' });
		}
		return ((performance.now() - started) * 1000) / count;
	};
	await measure(200, clearVideoSdkTokenCache);
	rows.push(['authenticate, signing a new token', `${(await measure(2000, clearVideoSdkTokenCache)).toFixed(1)} µs`]);
	rows.push(['authenticate, token from cache', `${(await measure(20000)).toFixed(1)} µs`]);
}

function coldRequire(rows: Row[]) {
	const { n8n } = require(join(REPO_ROOT, 'package.json')) as { n8n: { nodes: string[]; credentials: string[] } };
	for (const file of [...n8n.credentials, ...n8n.nodes]) {
		const script = `const s=process.hrtime.bigint();require(${JSON.stringify(join(REPO_ROOT, file))});console.log(Number(process.hrtime.bigint()-s)/1e6)`;
		const times = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ['-e', script]).toString()));
		rows.push([`cold require ${file}`, `${median(times).toFixed(1)} ms`]);
	}
}

const folderBytes = (folder: string): number =>
	readdirSync(folder, { withFileTypes: true }).reduce((total, entry) => {
		const path = join(folder, entry.name);
		return total + (entry.isDirectory() ? folderBytes(path) : statSync(path).size);
	}, 0);

function packageSize(rows: Row[]) {
	const workdir = mkdtempSync(join(tmpdir(), 'n8n-videosdk-pack-'));
	try {
		const packed = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workdir], {
				cwd: REPO_ROOT,
				stdio: ['ignore', 'pipe', 'ignore'],
			}).toString(),
		)[0] as { filename: string; size: number; unpackedSize: number; entryCount: number };
		rows.push(['npm pack tarball', `${(packed.size / 1024).toFixed(1)} kB (${packed.entryCount} files)`]);
		const installDir = join(workdir, 'install');
		execFileSync('mkdir', ['-p', installDir]);
		writeFileSync(join(installDir, 'package.json'), '{"name":"bench-install","private":true}');
		execFileSync(
			'npm',
			['install', '--omit=dev', '--omit=peer', '--ignore-scripts', '--no-audit', '--no-fund', join(workdir, packed.filename)],
			{ cwd: installDir, stdio: 'ignore' },
		);
		const installed = folderBytes(join(installDir, 'node_modules'));
		rows.push(['installed as n8n installs it (no runtime dependency)', `${(installed / 1024).toFixed(0)} kB`]);
	} finally {
		rmSync(workdir, { recursive: true, force: true });
	}
}

/**
 * The polling trigger with 1,000 merge jobs in the account: what one poll asks of VideoSDK (it reads
 * the whole list: VideoSDK has no "ended after" filter), how long it takes here, and what it keeps.
 */
async function pollingCost(rows: Row[]) {
	const { startFakeVideoSdkApi } = await import('./fake-videosdk/server');
	const { runPoll } = await import('./harness');
	const { API_PATHS } = await import('../nodes/VideoSdk/api');

	const JOBS = 1000;
	const ENDING = 20;
	const api = await startFakeVideoSdkApi({ autoWebhooks: false });
	const credentials = { apiKey: api.apiKey, secretKey: api.secretKey, baseUrl: api.url };
	try {
		for (const [label, events] of [
			['both endings', ['merge-recording-completed', 'merge-recording-failed']],
			['completed only', ['merge-recording-completed']],
		] as const) {
			api.reset();
			api.seedMerges(JOBS - ENDING);
			const running = api.seedMerges(ENDING, { status: 'running' });
			const parameters = { events: [...events] };
			const first = await runPoll({ parameters, credentials });
			const times: number[] = [];
			let requests = 0;
			let staticData = first.staticData;
			for (const [index, job] of running.entries()) {
				api.endMerge(job.id, { end: new Date(Date.now() + index + 1) });
				api.requests.length = 0;
				const started = performance.now();
				const run = await runPoll({ parameters, credentials, staticData });
				times.push(performance.now() - started);
				if (run.error || run.emitted.length !== 1) throw new Error(`poll failed: ${run.error?.message ?? run.emitted.length}`);
				requests = api.requests.filter((request) => request.path === API_PATHS.merge).length;
				staticData = run.staticData;
			}
			rows.push([`polling trigger, ${JOBS} jobs, ${label}: requests per poll`, String(requests)]);
			rows.push([`polling trigger, ${JOBS} jobs, ${label}: one poll (median of ${ENDING})`, ms(median(times))]);
			rows.push([`polling trigger, ${JOBS} jobs, ${label}: static data after ${ENDING} runs`, `${JSON.stringify(staticData).length} bytes`]);
		}
	} finally {
		await api.close();
	}
}

const N8N_PARTS = ['merges', 'triggers', 'wait'] as const;

/**
 * `npm run bench -- --only n8n` runs one section (core, poll, asking, n8n, queue), or one part of the n8n section
 * (n8n:merges, n8n:triggers, n8n:wait); comma-separated; everything by default.
 */
function sections(): Set<string> {
	const flag = process.argv.indexOf('--only');
	const all = ['core', 'poll', 'asking', 'n8n', ...N8N_PARTS.map((part) => `n8n:${part}`), 'queue'];
	const chosen = flag > 0 ? (process.argv[flag + 1]?.split(',') ?? []) : ['core', 'poll', 'asking', 'n8n', 'queue'];
	const unknown = chosen.filter((name) => !all.includes(name));
	if (unknown.length > 0 || chosen.length === 0) throw new Error(`--only takes ${all.join(', ')} (comma-separated)`);
	return new Set(chosen.flatMap((name) => (name === 'n8n' ? N8N_PARTS.map((part) => `n8n:${part}`) : [name])));
}

async function main() {
	const only = sections();
	const rows: Row[] = [];
	const progress = (line: string) => console.error(line);
	if (only.has('core')) {
		await mergeThroughput(rows);
		progress('… authenticate');
		await authenticateCost(rows);
		progress('… cold require');
		coldRequire(rows);
		progress('… package size');
		packageSize(rows);
	}
	if (only.has('poll')) {
		progress('… polling trigger');
		await pollingCost(rows);
	}
	if (only.has('asking')) {
		const { askingCost } = await import('./benchAsking');
		await askingCost(rows, progress);
	}
	const n8nParts = N8N_PARTS.filter((part) => only.has(`n8n:${part}`));
	if (n8nParts.length > 0) {
		const { insideN8n } = await import('./benchN8n');
		await insideN8n(rows, progress, n8nParts);
	}
	if (only.has('queue')) {
		const { queueThroughput } = await import('./benchQueue');
		await queueThroughput(rows, progress);
	}
	const width = Math.max(...rows.map(([name]) => name.length));
	console.log(`\nn8n-nodes-videosdk benchmark (Node ${process.version}, ${new Date().toISOString()})\n`);
	console.log(`| ${'measure'.padEnd(width)} | result |`);
	console.log(`| ${'-'.repeat(width)} | ------ |`);
	for (const [name, value] of rows) console.log(`| ${name.padEnd(width)} | ${value} |`);
}

main().catch((error: Error) => {
	console.error(error);
	process.exit(1);
});
