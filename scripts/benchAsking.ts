/**
 * Merge and wait by asking VideoSDK (Wait Mode "Ask VideoSDK"), 100 items, in n8n-core through the
 * harness: how many requests each round costs and how much CPU, for items spread over 1, 4 or 100
 * sessions (one list request per session with running jobs; a session's single job is one GET).
 */
import { performance } from 'node:perf_hooks';

const ITEMS = 100;
const POLL_SECONDS = 1;
// Long enough for several rounds of asking about every job.
const MERGE_MS = 5_500;

type Row = [string, string];

export async function askingCost(rows: Row[], progress: (line: string) => void) {
	const { startFakeVideoSdkApi } = await import('./fake-videosdk/server');
	const { runNode } = await import('./harness');
	const { jsonMerge } = await import('./harness/merges');
	// Set by the fake at the first GET: the asking begins (the merges have all started).
	const asking: { since?: { cpu: NodeJS.CpuUsage; at: number } } = {};
	const api = await startFakeVideoSdkApi({
		autoWebhooks: false,
		onRequest: (request) => {
			if (request.method === 'GET' && !asking.since) asking.since = { cpu: process.cpuUsage(), at: performance.now() };
		},
	});
	const credentials = { apiKey: api.apiKey, secretKey: api.secretKey, baseUrl: api.url };
	for (const sessionCount of [1, 4, ITEMS]) {
		progress(`… ${ITEMS} merges waiting by asking, ${sessionCount} session(s)`);
		api.reset();
		asking.since = undefined;
		const sessionIds = Array.from({ length: sessionCount }, (_, index) => `asked-${index}`);
		for (const sessionId of sessionIds) api.finishMergesAfter(sessionId, MERGE_MS);
		const run = await runNode({
			type: 'videoSdk',
			parameters: {
				...jsonMerge({ batching: { batch: { batchSize: 10, batchInterval: 0 } } }),
				waitForCompletion: true,
				waitMode: 'ask',
				pollInterval: POLL_SECONDS,
			},
			items: Array.from({ length: ITEMS }, (_, index) => ({ json: { sessionId: sessionIds[index % sessionCount] } })),
			credentials,
		});
		const since = asking.since as { cpu: NodeJS.CpuUsage; at: number } | undefined;
		if (!since) throw new Error('The node never asked VideoSDK');
		const cpu = process.cpuUsage(since.cpu);
		const wallMs = performance.now() - since.at;
		if (run.error || run.items.length !== ITEMS) throw new Error(`asking failed: ${run.error?.message}`);
		const asks = api.requests.filter((request) => request.method === 'GET');
		// Rounds are a Poll Interval apart; a round's requests follow each other within milliseconds.
		const perRound: number[] = [];
		asks.forEach((request, index) => {
			if (index === 0 || request.receivedAt - asks[index - 1].receivedAt > 500) perRound.push(0);
			perRound[perRound.length - 1] += 1;
		});
		const rounds = perRound.length;
		const cpuMs = (cpu.user + cpu.system) / 1_000;
		rows.push([
			`${ITEMS} merges waiting by asking, ${sessionCount} session(s): requests per round (${rounds} rounds, ${perRound.join(' ')})`,
			`at most ${Math.max(...perRound)}, ${(asks.length / rounds).toFixed(1)} on average (one GET per item: ${ITEMS})`,
		]);
		rows.push([
			`${ITEMS} merges waiting by asking, ${sessionCount} session(s): CPU while asking (node and fake API)`,
			`${cpuMs.toFixed(0)} ms in ${(wallMs / 1_000).toFixed(1)} s = ${(cpuMs / rounds).toFixed(1)} ms per round`,
		]);
	}
	await api.close();
}
