/**
 * The queue-mode rows of `npm run bench`: a burst of signed trigger webhooks through a webhook
 * process and two workers, beside the same burst on one `n8n start` in the same run, and what each
 * process holds in memory afterwards. Both use the same Postgres, so the ratio is queue mode's alone.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startFakeVideoSdkApi } from './fake-videosdk/server';
import type { InstanceOptions } from './localN8n';
import { ensureRuntime, getFreePort, installPackage, n8nCli, packPackage, startN8n, waitForWebhook } from './localN8n';
import type { PostgresConnection } from './queueN8n';
import { QueueCluster, queryPostgres } from './queueN8n';

const EVENTS = 200;
const WARM_UP = 5;
const CREDENTIAL = { id: 'benchQueueCreden', name: 'VideoSDK (bench fake API)' };
const WORKFLOW_ID = 'benchQueueTrigger';
const WEBHOOK_ID = 'bench-queue-trigger';

type Row = [string, string];
type FakeApi = Awaited<ReturnType<typeof startFakeVideoSdkApi>>;

/** Imports the credential and a published one-node trigger workflow, as a user would before starting. */
async function prepare(instance: InstanceOptions, api: FakeApi) {
	const cli = async (args: string[]) => {
		const result = await n8nCli(instance, args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
	};
	const credentials = join(instance.userFolder, 'bench-credentials.json');
	const credentialData = { apiKey: api.apiKey, secretKey: api.secretKey, baseUrl: api.url };
	writeFileSync(credentials, JSON.stringify([{ ...CREDENTIAL, type: 'videoSdkApi', data: credentialData }]));
	await cli(['import:credentials', `--input=${credentials}`]);
	rmSync(credentials);
	const trigger = {
		id: 'node-trigger',
		name: 'VideoSDK Trigger',
		type: 'n8n-nodes-videosdk.videoSdkTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: { events: ['merge-recording-completed'], verifySignature: true },
		credentials: { videoSdkApi: CREDENTIAL },
	};
	const workflow = join(instance.userFolder, 'bench-workflow.json');
	writeFileSync(workflow, JSON.stringify({ id: WORKFLOW_ID, name: 'bench trigger', active: false, settings: { executionOrder: 'v1' }, nodes: [trigger], connections: {} }));
	await cli(['import:workflow', `--input=${workflow}`]);
	await cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
}

/**
 * Sends `count` signed events at once and waits until n8n has stored as many successful runs;
 * returns seconds from the first request to the last run's end (n8n's own stoppedAt).
 */
async function burst(api: FakeApi, webhookBase: string, database: PostgresConnection, count: number, label: string) {
	const finished = async () =>
		(await queryPostgres(database, `SELECT count(*)::int AS done, max("stoppedAt") AS last FROM execution_entity WHERE status = 'success'`))[0] as {
			done: number;
			last: Date | null;
		};
	const before = (await finished()).done;
	const url = `${webhookBase}/webhook/${WEBHOOK_ID}/webhook`;
	const started = Date.now();
	const statuses = await Promise.all(
		Array.from({ length: count }, async (_, index) => {
			const event = { webhookType: 'merge-recording-completed', data: { id: `${label}-${index}`, meetingId: 'abc-defg-hij', sessionId: 'bench' } };
			// A job the fake API knows: the trigger confirms each event with it before the run.
			api.seedMerges(1, event.data);
			return (await api.sendWebhook(url, event)).status;
		}),
	);
	const refused = statuses.filter((status) => status !== 200).length;
	if (refused > 0) throw new Error(`${label}: ${refused} of ${count} webhooks were not answered 200`);
	const deadline = Date.now() + 10 * 60_000;
	for (;;) {
		const { done, last } = await finished();
		if (done >= before + count && last) return (last.getTime() - started) / 1000;
		if (Date.now() > deadline) throw new Error(`${label}: only ${done - before} of ${count} runs ended within 10 minutes`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** Resident memory of a process group (n8n and its task runner, Postgres and its backends), in MB. */
export function groupRssMb(pgid: number | undefined): number {
	let kb = 0;
	for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			// Fields after the command name (which may hold spaces): state, ppid, pgrp, …
			const processGroup = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
			if (processGroup !== pgid) continue;
			kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
		} catch {
			// The process ended while being read.
		}
	}
	return Math.round(kb / 1024);
}

const perSecond = (seconds: number) => `${(EVENTS / seconds).toFixed(1)} runs/s (${seconds.toFixed(1)} s)`;

export async function queueThroughput(rows: Row[], progress: (line: string) => void): Promise<void> {
	await ensureRuntime(progress);
	const tarball = await packPackage(() => {});
	const baseDir = mkdtempSync(join(tmpdir(), 'n8n-videosdk-bench-queue-'));
	const api = await startFakeVideoSdkApi({ apiKey: 'bench-queue-key' });
	let cluster: QueueCluster | undefined;
	try {
		progress('… queue mode: Redis, Postgres');
		cluster = await QueueCluster.create({ baseDir });
		const admin = { ...cluster.database, database: 'postgres' };
		const single: InstanceOptions = {
			userFolder: join(baseDir, 'single'),
			port: await getFreePort(),
			brokerPort: await getFreePort(),
			env: { ...cluster.main.env, EXECUTIONS_MODE: 'regular', DB_POSTGRESDB_DATABASE: 'n8n_single', N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'false' },
		};
		single.env!.WEBHOOK_URL = `http://127.0.0.1:${single.port}/`;
		await queryPostgres(admin, 'CREATE DATABASE n8n_single');
		const singleDatabase = { ...cluster.database, database: 'n8n_single' };

		progress(`… ${EVENTS} signed trigger webhooks on one n8n start`);
		await installPackage(single.userFolder, tarball, () => {});
		await prepare(single, api);
		const alone = await startN8n(single);
		let singleSeconds: number;
		let singleMemory: number;
		try {
			await waitForWebhook(`${alone.url}/webhook/${WEBHOOK_ID}/webhook`);
			await burst(api, alone.url, singleDatabase, WARM_UP, 'warm-up');
			singleSeconds = await burst(api, alone.url, singleDatabase, EVENTS, 'single');
			singleMemory = groupRssMb(alone.process.pid);
		} finally {
			await alone.stop();
		}

		progress(`… ${EVENTS} signed trigger webhooks through a webhook process and two workers`);
		await installPackage(cluster.main.userFolder, tarball, () => {});
		await prepare(cluster.main, api);
		await cluster.start();
		const webhookBase = cluster.url('webhook');
		await waitForWebhook(`${webhookBase}/webhook/${WEBHOOK_ID}/webhook`);
		await burst(api, webhookBase, cluster.database, WARM_UP, 'warm-up');
		const queueSeconds = await burst(api, webhookBase, cluster.database, EVENTS, 'queue');
		const memory = [
			...cluster.names().map((name) => `${name} ${groupRssMb(cluster!.pid(name))}`),
			...cluster.serviceGroups().map(({ name, pid }) => `${name} ${groupRssMb(pid)}`),
		];

		rows.push([`${EVENTS} signed trigger webhooks, one n8n start (regular mode, Postgres)`, perSecond(singleSeconds)]);
		rows.push([
			`${EVENTS} signed trigger webhooks, queue mode: webhook process + 2 workers`,
			`${perSecond(queueSeconds)} = ${(singleSeconds / queueSeconds).toFixed(2)}× one n8n start`,
		]);
		rows.push(['memory after the burst (MB, RSS of each process group), one n8n start', `n8n ${singleMemory}`]);
		rows.push(['memory after the burst (MB, RSS of each process group), queue mode', memory.join(', ')]);
	} finally {
		await cluster?.stop();
		await api.close();
		rmSync(baseDir, { recursive: true, force: true });
	}
}
