/**
 * The rows of `npm run bench` measured inside a real n8n 2.41.1 on Node 24 (the runtime of
 * `npm start`, with this package from `npm pack` as the Community Nodes screen installs it), against
 * the fake VideoSDK API on 127.0.0.1. Every comparison runs in the same n8n and the same round:
 *
 * - merges, 1,000 items: the VideoSDK node beside n8n's HTTP Request node sending the same request,
 *   beside the same expressions read with no request, beside a bare fetch loop; per node, the time
 *   n8n itself recorded (run data's executionTime);
 * - 200 signed webhooks at once: the VideoSDK Trigger (signature checked) beside n8n's Webhook node;
 * - merge and wait, 100 items: start to resumed finish, and what the waiting execution holds.
 *
 * Two nodes that exist only for this (scripts/bench-nodes/) load from n8n's custom folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { signVideoSdkToken } from '../nodes/VideoSdk/api';
import { groupRssMb } from './benchQueue';
import type { FakeVideoSdkApi } from './fake-videosdk/server';
import { startFakeVideoSdkApi } from './fake-videosdk/server';
import type { InstanceOptions, Log, RunningN8n, StoredNodeRun } from './localN8n';
import {
	REPO_ROOT,
	RUNTIMES,
	activateArgs,
	ensureRuntime,
	getFreePort,
	installPackage,
	n8nCli,
	packPackage,
	querySqlite,
	sqliteExecutions,
	startN8n,
	waitForWebhook,
} from './localN8n';

type Row = [string, string];
type ExpressionEngine = 'vm' | 'legacy';

const ITEMS = 1000;
const BATCH_SIZE = 10;
// BENCH_ROUNDS=1 for a quick look; the figures are medians of five or more.
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const EVENTS = 200;
const WAIT_ITEMS = 100;
// Long enough that all merges are sent and the execution is saved as waiting before the first job
// calls back (VideoSDK takes minutes); n8n refuses a callback for an execution not yet waiting.
const CALLBACK_DELAY_MS = 10_000;
const RUNTIME = RUNTIMES[2];

const VIDEOSDK_CREDENTIAL = { id: 'benchVideoSdkCred', name: 'VideoSDK (bench fake API)' };
const HEADER_CREDENTIAL = { id: 'benchHeaderCreden', name: 'Authorization header (bench)' };
const MERGE_PATH = '/v2/recordings/participant/merge';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (values: number[], share: number) =>
	[...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * share))];
const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (ours: number, theirs: number) => (ours / theirs).toFixed(2);
const sleep = (delayMs: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, delayMs));

interface WorkflowNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	position?: [number, number];
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
}

const webhookStart = (path: string): WorkflowNode => ({
	name: 'Start',
	type: 'n8n-nodes-base.webhook',
	typeVersion: 2,
	webhookId: path,
	parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
});

const codeItems = (count: number): WorkflowNode => ({
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: {
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { sessionId: 'session-' + i, left: ['a-' + i], right: ['b-' + i] } }));`,
	},
});

const done: WorkflowNode = { name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} };

// The merge fields a user maps from the previous node: three expressions.
const BY_EXPRESSION = {
	sessionId: { __rl: true, mode: 'id', value: '={{ $json.sessionId }}' },
	channel1Json: '={{ $json.left }}',
	channel2Json: '={{ $json.right }}',
};
const FIXED = {
	sessionId: { __rl: true, mode: 'id', value: 'session-fixed' },
	channel1Json: '["a-fixed"]',
	channel2Json: '["b-fixed"]',
};
const batching = { batching: { batch: { batchSize: BATCH_SIZE, batchInterval: 0 } } };

const videoSdkMerge = (name: string, fields: object, options: object = {}): WorkflowNode => ({
	name,
	type: 'n8n-nodes-videosdk.videoSdk',
	typeVersion: 2,
	parameters: { resource: 'mergeRecording', operation: 'create', specifyChannels: 'json', ...fields, options },
	credentials: { videoSdkApi: VIDEOSDK_CREDENTIAL },
});

// The same request with n8n's HTTP Request node: one expression for the whole JSON body, the
// token (signed beforehand) in a Header Auth credential.
const httpRequestMerge = (name: string, url: string, options: object = {}): WorkflowNode => ({
	name,
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		method: 'POST',
		url,
		authentication: 'genericCredentialType',
		genericAuthType: 'httpHeaderAuth',
		sendBody: true,
		specifyBody: 'json',
		jsonBody:
			'={{ JSON.stringify({ sessionId: $json.sessionId, channel1: $json.left.map((participantId) => ({ participantId })), channel2: $json.right.map((participantId) => ({ participantId })) }) }}',
		options,
	},
	credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
});

const readExpressions = (name: string, read: 'eachField' | 'oneCollection'): WorkflowNode => ({
	name,
	type: 'CUSTOM.benchExpressions',
	typeVersion: 1,
	parameters:
		read === 'eachField'
			? { read, sessionId: '={{ $json.sessionId }}', channel1Json: '={{ $json.left }}', channel2Json: '={{ $json.right }}' }
			: { read, fields: { sessionId: '={{ $json.sessionId }}', channel1Json: '={{ $json.left }}', channel2Json: '={{ $json.right }}' } },
});

const bareFetch = (name: string, url: string, token: string, concurrency: number): WorkflowNode => ({
	name,
	type: 'CUSTOM.benchFetch',
	typeVersion: 1,
	parameters: { url, token, concurrency },
});

/** A workflow of `chain` in order, with `branches` all fed by the chain's last node (run top to bottom). */
function workflow(id: string, chain: WorkflowNode[], branches: WorkflowNode[] = []) {
	const connections: Record<string, unknown> = {};
	chain.slice(0, -1).forEach((node, index) => {
		connections[node.name] = { main: [[{ node: chain[index + 1].name, type: 'main', index: 0 }]] };
	});
	if (branches.length > 0) {
		connections[chain[chain.length - 1].name] = {
			main: [branches.map((node) => ({ node: node.name, type: 'main', index: 0 }))],
		};
	}
	const nodes = [
		...chain.map((node, index) => ({ position: [index * 250, 0], ...node })),
		...branches.map((node, index) => ({ position: [chain.length * 250, index * 150], ...node })),
	];
	return { id, name: id, active: false, settings: { executionOrder: 'v1' }, nodes, connections };
}

class BenchN8n {
	server?: RunningN8n;

	constructor(
		readonly instance: InstanceOptions,
		readonly api: FakeVideoSdkApi,
	) {}

	get url() {
		return `http://127.0.0.1:${this.instance.port}`;
	}

	async cli(args: string[]) {
		const result = await n8nCli(this.instance, args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
	}

	async importJson(name: string, content: unknown, command: 'import:credentials' | 'import:workflow') {
		const file = join(this.instance.userFolder, `${name}.json`);
		writeFileSync(file, JSON.stringify(content));
		await this.cli([command, `--input=${file}`]);
		rmSync(file);
	}

	async publish(definition: { id: string }) {
		await this.importJson(definition.id, definition, 'import:workflow');
		await this.cli(activateArgs(this.instance, definition.id));
	}

	/** The newest execution's id (0 before the first). */
	async lastExecutionId(): Promise<number> {
		const [row] = await querySqlite<{ id: number | null }>(this.instance.userFolder, RUNTIME, 'SELECT max(id) AS id FROM execution_entity');
		return row?.id ?? 0;
	}

	/** Executions after `sinceId` that ended: how many, with or without success, and when the last stopped. */
	async ended(sinceId: number) {
		const [row] = await querySqlite<{ ok: number; failed: number; last: string | null }>(
			this.instance.userFolder,
			RUNTIME,
			"SELECT sum(status = 'success') AS ok, sum(status IN ('error', 'crashed', 'canceled')) AS failed, max(stoppedAt) AS last FROM execution_entity WHERE id > ?",
			[sinceId],
		);
		return { ok: row.ok ?? 0, failed: row.failed ?? 0, lastStoppedAt: row.last ? sqliteTime(row.last) : undefined };
	}

	/** Waits until `count` executions after `sinceId` succeeded; any failure stops the bench. */
	async waitForSuccesses(sinceId: number, count: number, pollMs: number, timeoutMs = 10 * 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const ended = await this.ended(sinceId);
			if (ended.failed > 0) throw new Error(`${ended.failed} executions failed; see ${this.server?.logFile}`);
			if (ended.ok >= count && ended.lastStoppedAt !== undefined) return ended.lastStoppedAt;
			if (Date.now() > deadline) throw new Error(`only ${ended.ok} of ${count} executions ended within ${timeoutMs / 1000} s`);
			await sleep(pollMs);
		}
	}

	/**
	 * A token signed beforehand, for the HTTP Request node's header and the bare fetch loop: signed as
	 * the node signs, but living two hours, as long as a run of the benchmark may take.
	 */
	get token() {
		this.signedToken ??= signVideoSdkToken(this.api.apiKey, this.api.secretKey, {
			issuedAt: Math.floor(Date.now() / 1000),
			lifetimeSeconds: 2 * 60 * 60,
		});
		return this.signedToken;
	}

	private signedToken?: string;

	async importCredentials() {
		await this.importJson(
			'bench-credentials',
			[
				{
					...VIDEOSDK_CREDENTIAL,
					type: 'videoSdkApi',
					data: { apiKey: this.api.apiKey, secretKey: this.api.secretKey, baseUrl: this.api.url },
				},
				{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: { name: 'Authorization', value: this.token } },
			],
			'import:credentials',
		);
	}

	async post(path: string, body: unknown = {}) {
		const response = await fetch(`${this.url}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`POST /webhook/${path}: ${response.status} ${await response.text()}`);
	}
}

// SQLite keeps n8n's dates as UTC text without a zone.
const sqliteTime = (text: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`).getTime();

/** 1,000 merges per node, every comparison in one execution per round; rows of medians. */
async function merges(bench: BenchN8n) {
	const url = `${bench.api.url}${MERGE_PATH}`;
	const { token } = bench;
	const nodes = {
		oursByExpression: videoSdkMerge('VideoSDK, by expression', BY_EXPRESSION),
		httpByExpression: httpRequestMerge('HTTP Request, by expression', url),
		expressionsEachField: readExpressions('Expressions alone, field by field', 'eachField'),
		expressionsOneCollection: readExpressions('Expressions alone, one collection', 'oneCollection'),
		fetchSequential: bareFetch('Bare fetch', url, token, 1),
		oursFixed: videoSdkMerge('VideoSDK, fixed fields', FIXED),
		oursBatched: videoSdkMerge(`VideoSDK, by expression, batches of ${BATCH_SIZE}`, BY_EXPRESSION, batching),
		httpBatched: httpRequestMerge(`HTTP Request, by expression, batches of ${BATCH_SIZE}`, url, batching),
		fetchBatched: bareFetch(`Bare fetch, ${BATCH_SIZE} at a time`, url, token, BATCH_SIZE),
	};
	const path = 'bench-merges';
	await bench.publish(workflow('benchMerges00001', [webhookStart(path), codeItems(ITEMS)], Object.values(nodes)));
	// `engine`: which expression engine the running n8n was started with (N8N_EXPRESSION_ENGINE).
	return async (rows: Row[], progress: Log, engine: ExpressionEngine = 'vm') => {
		await waitForWebhook(`${bench.url}/webhook/${path}`);
		const times = new Map<string, number[]>(Object.values(nodes).map(({ name }) => [name, []]));
		// One round to warm up (JIT, connection pools, the expression engine's code cache).
		for (let round = -1; round < ROUNDS; round++) {
			progress(`… ${ITEMS} merges per node, ${round < 0 ? 'warm-up' : `round ${round + 1} of ${ROUNDS}`}`);
			bench.api.reset();
			const since = await bench.lastExecutionId();
			await bench.post(path);
			await bench.waitForSuccesses(since, 1, 1000);
			const [execution] = await sqliteExecutions(bench.instance.userFolder, RUNTIME, since);
			const runData = execution.data.resultData.runData;
			for (const { name } of Object.values(nodes)) {
				const [run] = (runData[name] ?? []) as StoredNodeRun[];
				const outputs = run?.data?.main[0]?.length ?? 0;
				if (run?.executionTime === undefined || outputs !== ITEMS) {
					throw new Error(`${name}: ${outputs} of ${ITEMS} items (${run?.error?.message ?? 'no error'})`);
				}
				if (round >= 0) times.get(name)!.push(run.executionTime);
			}
			progress(`  ${Object.values(nodes).map(({ name }) => `${name} ${(runData[name][0] as StoredNodeRun).executionTime} ms`).join(', ')}`);
		}
		const of = (node: WorkflowNode) => median(times.get(node.name)!);
		const at = `n8n ${RUNTIME.n8nVersion}${engine === 'vm' ? '' : ` (${engine} expression engine)`}, ${ITEMS} merges`;
		const compare = (label: string, ours: WorkflowNode, theirs: WorkflowNode, goal: string) =>
			rows.push([`${at}${label}`, `${ms(of(ours))} / ${ms(of(theirs))} = **${ratio(of(ours), of(theirs))}** (goal ${goal})`]);
		// What the node adds beyond n8n evaluating its expressions, against the floor of a bare fetch loop.
		const withoutExpressions = (label: string, ours: WorkflowNode, floor: WorkflowNode) => {
			const expressions = of(nodes.expressionsEachField);
			rows.push([
				`${at}${label}: (VideoSDK node − its expressions alone) / bare fetch loop`,
				`(${ms(of(ours))} − ${ms(expressions)}) / ${ms(of(floor))} = **${ratio(of(ours) - expressions, of(floor))}** (goal ≤ 1.1)`,
			]);
		};
		compare(' by expression: VideoSDK node / HTTP Request node', nodes.oursByExpression, nodes.httpByExpression, '≤ 0.6');
		withoutExpressions(' by expression', nodes.oursByExpression, nodes.fetchSequential);
		compare(
			`, batches of ${BATCH_SIZE}, by expression: VideoSDK node / HTTP Request node`,
			nodes.oursBatched,
			nodes.httpBatched,
			'≤ 0.6',
		);
		withoutExpressions(`, batches of ${BATCH_SIZE}, by expression`, nodes.oursBatched, nodes.fetchBatched);
		compare(', fixed fields: VideoSDK node / bare fetch loop', nodes.oursFixed, nodes.fetchSequential, 'none');
		rows.push([
			`${at.replace('merges', 'items')}: the same 3 expressions alone, no request: field by field / as one collection`,
			`${ms(of(nodes.expressionsEachField))} / ${ms(of(nodes.expressionsOneCollection))} = ${ratio(of(nodes.expressionsEachField), of(nodes.expressionsOneCollection))}`,
		]);
	};
}

/** Sends `EVENTS` events at once; per-request latencies and executions per second (to n8n's own stoppedAt). */
async function burst(bench: BenchN8n, url: string, label: string) {
	const since = await bench.lastExecutionId();
	const started = Date.now();
	// Every target gets the same request: signed, with the header a Header Auth credential checks.
	const headers = { Authorization: bench.token };
	const latencies = await Promise.all(
		Array.from({ length: EVENTS }, async (_, index) => {
			const event = { webhookType: 'merge-recording-completed', data: { id: `${label}-${index}`, meetingId: 'abc-defg-hij', sessionId: 'bench' } };
			// A job the fake API knows: the trigger confirms each event with it before the run.
			bench.api.seedMerges(1, event.data);
			const sent = performance.now();
			const { status } = await bench.api.sendWebhook(url, event, { headers });
			if (status !== 200) throw new Error(`${label}: a webhook was answered ${status}`);
			return performance.now() - sent;
		}),
	);
	const lastStoppedAt = await bench.waitForSuccesses(since, EVENTS, 1000);
	return { latencies, perSecond: EVENTS / ((lastStoppedAt - started) / 1000) };
}

const videoSdkTrigger = (webhookId: string, verifySignature: boolean): WorkflowNode => ({
	name: 'VideoSDK Trigger',
	type: 'n8n-nodes-videosdk.videoSdkTrigger',
	typeVersion: 1,
	webhookId,
	parameters: { events: ['merge-recording-completed'], verifySignature },
	credentials: { videoSdkApi: VIDEOSDK_CREDENTIAL },
});

async function triggers(bench: BenchN8n) {
	const targets = [
		{ label: 'VideoSDK Trigger, signature verified', id: 'benchTriggerVerify', node: videoSdkTrigger('bench-verified', true) },
		{ label: "n8n's Webhook node", id: 'benchTriggerWebhk', node: webhookStart('bench-webhook-node') },
		{ label: 'VideoSDK Trigger, Verify Signature off', id: 'benchTriggerNoVerif', node: videoSdkTrigger('bench-unverified', false) },
		{
			label: "n8n's Webhook node with Header Auth (a credential)",
			id: 'benchTriggerHeader',
			node: {
				...webhookStart('bench-webhook-header'),
				parameters: { ...webhookStart('bench-webhook-header').parameters, authentication: 'headerAuth' },
				credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
			},
		},
	].map((target) => ({
		...target,
		url:
			target.node.type === 'n8n-nodes-base.webhook'
				? `${bench.url}/webhook/${target.node.webhookId}`
				: `${bench.url}/webhook/${target.node.webhookId}/webhook`,
	}));
	for (const { id, node } of targets) await bench.publish(workflow(id, [node, done]));
	return async (rows: Row[], progress: Log) => {
		for (const { url } of targets) await waitForWebhook(url);
		const results = targets.map(() => ({ latencies: [] as number[], perSecond: [] as number[] }));
		for (let round = -1; round < ROUNDS; round++) {
			progress(`… ${EVENTS} signed webhooks at once, ${round < 0 ? 'warm-up' : `round ${round + 1} of ${ROUNDS}`}`);
			for (const [index, { url, id }] of targets.entries()) {
				const { latencies, perSecond } = await burst(bench, url, `${id}-${round}`);
				if (round < 0) continue;
				results[index].latencies.push(...latencies);
				results[index].perSecond.push(perSecond);
			}
		}
		const [verified, webhookNode, unverified, withCredential] = results.map(({ latencies, perSecond }) => ({
			p50: percentile(latencies, 0.5),
			p95: percentile(latencies, 0.95),
			perSecond: median(perSecond),
		}));
		const compare = (ours: typeof verified, label: string, goal: string) => {
			const name = `n8n ${RUNTIME.n8nVersion}, ${EVENTS} signed webhooks at once: ${label} / n8n's Webhook node`;
			for (const key of ['p50', 'p95'] as const) {
				rows.push([`${name}, ${key} latency`, `${ms(ours[key])} / ${ms(webhookNode[key])} = **${ratio(ours[key], webhookNode[key])}** (goal ${goal})`]);
			}
			rows.push([
				`${name}, time per execution (executions per second, inverted)`,
				`${ours.perSecond.toFixed(1)} / ${webhookNode.perSecond.toFixed(1)} runs/s → **${ratio(webhookNode.perSecond, ours.perSecond)}** (goal ${goal})`,
			]);
		};
		compare(verified, targets[0].label, '≤ 1.05');
		compare(unverified, targets[2].label, 'none: the cost of verifying, by difference');
		compare(withCredential, targets[3].label, "none: n8n's cost of a node with a credential");
	};
}

/** The execution after `sinceId`, once n8n has paused it: how many bytes of run data it stored. */
async function waitingExecution(bench: BenchN8n, sinceId: number, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const [row] = await querySqlite<{ status: string; bytes: number }>(
			bench.instance.userFolder,
			RUNTIME,
			'SELECT e.status, length(d.data) AS bytes FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.id > ? ORDER BY e.id LIMIT 1',
			[sinceId],
		);
		if (row?.status === 'waiting') return row.bytes;
		if (Date.now() > deadline) throw new Error(`merge and wait: the execution was not waiting within ${timeoutMs / 1000} s`);
		await sleep(100);
	}
}

async function mergeAndWait(bench: BenchN8n) {
	const path = 'bench-merge-and-wait';
	const waiting = videoSdkMerge('Merge and wait', BY_EXPRESSION);
	waiting.parameters.waitForCompletion = true;
	await bench.publish(workflow('benchMergeAndWait', [webhookStart(path), codeItems(WAIT_ITEMS), waiting, done]));
	const lookups = () => bench.api.requests.filter((request) => request.method === 'GET' && request.path.startsWith(`${MERGE_PATH}/`)).length;
	return async (rows: Row[], progress: Log) => {
		await waitForWebhook(`${bench.url}/webhook/${path}`);
		// Timed rounds: each job calls back CALLBACK_DELAY_MS after it started, as VideoSDK would.
		const overheads: number[] = [];
		const lookupCounts: number[] = [];
		for (let round = -1; round < ROUNDS; round++) {
			progress(`… merge and wait, ${WAIT_ITEMS} items, ${round < 0 ? 'warm-up' : `round ${round + 1} of ${ROUNDS}`}`);
			bench.api.reset();
			const since = await bench.lastExecutionId();
			const started = Date.now();
			await bench.post(path);
			const lastStoppedAt = await bench.waitForSuccesses(since, 1, 250);
			// The jobs all end within a second or two here, so once a callback finds every job ended
			// it resumes the execution, and n8n refuses the callbacks still on their way.
			await bench.api.settled();
			if (round < 0) continue;
			overheads.push(lastStoppedAt - started - CALLBACK_DELAY_MS);
			lookupCounts.push(lookups());
		}
		// One more round with the callbacks held, to see the paused execution as n8n keeps it.
		progress(`… merge and wait, ${WAIT_ITEMS} items, paused until released`);
		bench.api.reset();
		for (let index = 0; index < WAIT_ITEMS; index++) bench.api.holdCallbacks(`session-${index}`);
		const since = await bench.lastExecutionId();
		const idleRss = groupRssMb(bench.server!.process.pid);
		await bench.post(path);
		const storedBytes = await waitingExecution(bench, since);
		const waitingRss = groupRssMb(bench.server!.process.pid);
		await bench.api.releaseCallbacks(WAIT_ITEMS);
		await bench.waitForSuccesses(since, 1, 250);

		const name = `n8n ${RUNTIME.n8nVersion}, merge and wait, ${WAIT_ITEMS} items`;
		rows.push([
			`${name}: start to resumed finish − the jobs' ${CALLBACK_DELAY_MS / 1000} s (job lookups at VideoSDK by the callbacks)`,
			`${ms(median(overheads))} (${median(lookupCounts)} lookups)`,
		]);
		rows.push([
			`${name}: while paused, run data stored; memory of n8n's process group`,
			`${(storedBytes / 1024).toFixed(0)} kB; ${waitingRss} MB (${idleRss} MB before the run)`,
		]);
	};
}

export type N8nBenchPart = 'merges' | 'triggers' | 'wait';

/**
 * BENCH_N8N_PROFILE=<folder> has n8n write a CPU profile there when it stops (node --cpu-prof), to
 * see where a row's time goes.
 */
export async function insideN8n(rows: Row[], progress: Log, parts: readonly N8nBenchPart[]): Promise<void> {
	await ensureRuntime(progress, RUNTIME);
	const tarball = await packPackage(() => {});
	const userFolder = mkdtempSync(join(tmpdir(), 'n8n-videosdk-bench-n8n-'));
	const api = await startFakeVideoSdkApi({ apiKey: 'bench-n8n-key', mergeCompletionDelayMs: CALLBACK_DELAY_MS });
	const profile = process.env.BENCH_N8N_PROFILE;
	const instance: InstanceOptions = {
		userFolder,
		port: await getFreePort(),
		brokerPort: await getFreePort(),
		runtime: RUNTIME,
		env: {
			N8N_CUSTOM_EXTENSIONS: join(REPO_ROOT, '.build', 'scripts', 'bench-nodes'),
			N8N_LOG_LEVEL: 'warn',
			...(profile ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profile}` } : {}),
		},
	};
	const bench = new BenchN8n(instance, api);
	try {
		progress(`… n8n ${RUNTIME.n8nVersion}: installing the package, importing the bench workflows`);
		await installPackage(userFolder, tarball, () => {});
		await bench.importCredentials();
		const prepared = { merges, triggers, wait: mergeAndWait };
		const runs: Array<(rows: Row[], progress: Log, engine?: ExpressionEngine) => Promise<void>> = [];
		for (const part of parts) runs.push(await prepared[part](bench));
		bench.server = await startN8n(instance);
		const steps: Array<[string, (rows: Row[], progress: Log) => Promise<void>]> = runs.map((runPart, index) => [parts[index], runPart]);
		if (parts.includes('merges')) {
			// The merges once more under n8n's older expression engine, to show the engine's share.
			steps.push([
				'merges (legacy expression engine)',
				async (partRows, partProgress) => {
					await bench.server?.stop();
					bench.server = await startN8n({ ...instance, env: { ...instance.env, N8N_EXPRESSION_ENGINE: 'legacy' } });
					await runs[parts.indexOf('merges')](partRows, partProgress, 'legacy');
				},
			]);
		}
		for (const [part, runPart] of steps) {
			const before = rows.length;
			try {
				await runPart(rows, progress);
			} catch (error) {
				// The other parts' figures still count; the run ends with a failure code.
				rows.push([`n8n ${RUNTIME.n8nVersion}, ${part}`, `failed: ${(error as Error).message}`]);
				process.exitCode = 1;
			}
			for (const [name, value] of rows.slice(before)) progress(`  ${name}: ${value}`);
		}
	} finally {
		await bench.server?.stop();
		await api.close();
		if (!process.env.BENCH_KEEP) rmSync(userFolder, { recursive: true, force: true });
	}
}
