/**
 * The trigger under load and attack, in a published workflow under `n8n start`: bursts of signed
 * events, forgeries mixed in, fuzzed requests, and an outage of VideoSDK's public-key endpoint.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';

import { API_PATHS, SIGNATURE_HEADER } from '../../nodes/VideoSdk/api';
import type { FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import type { Collector } from './collector';
import { postTo, startCollector } from './collector';
import { E2eInstance, GOOD_CREDENTIAL, MERGE_EVENTS, videoSdkTrigger } from './instance';

const LOAD = 'e2e-load';
const KEY_OUTAGE = 'e2e-key-outage';
const KEY_OUTAGE_CREDENTIAL = { id: 'e2eKeyOutageCred', name: 'VideoSDK (second fake API)' };
const BURST = 200;

let n8n: E2eInstance;
let collector: Collector;
let secondApi: FakeVideoSdkApi;

const triggerWorkflow = (webhookId: string, credential: { id: string; name: string }) => [
	videoSdkTrigger(webhookId, MERGE_EVENTS, undefined, credential),
	postTo(`${collector.url}?workflow=${webhookId}`),
];

beforeAll(async () => {
	// A second fake API behind its own credential: its public key is not cached by earlier calls.
	secondApi = await startFakeVideoSdkApi({ apiKey: 'second-api-key' });
	n8n = await E2eInstance.create({}, undefined, [
		{ ...KEY_OUTAGE_CREDENTIAL, data: { apiKey: secondApi.apiKey, secretKey: secondApi.secretKey, baseUrl: secondApi.url } },
	]);
	collector = await startCollector();
	await n8n.start();
	await n8n.publish(await n8n.importWorkflow('e2e load', triggerWorkflow(LOAD, GOOD_CREDENTIAL)));
	await n8n.publish(await n8n.importWorkflow('e2e key outage', triggerWorkflow(KEY_OUTAGE, KEY_OUTAGE_CREDENTIAL)));
	await n8n.waitForWebhooks([LOAD, KEY_OUTAGE]);
});
afterAll(async () => {
	await n8n?.dispose();
	await collector?.close();
	await secondApi?.close();
});
beforeEach(() => {
	collector.received.length = 0;
});

/** A completed event about job `id`, which the fake API then knows: the trigger confirms it. */
const completed = (id: string) => {
	const data = { id, meetingId: 'abc-defg-hij', sessionId: `session-${id}` };
	for (const api of [n8n.api, secondApi]) api.seedMerges(1, data);
	return { webhookType: 'merge-recording-completed', data };
};

async function settle(expectedRuns: number, timeoutMs = 120_000) {
	await collector.waitFor(expectedRuns, timeoutMs);
	await new Promise((resolve) => setTimeout(resolve, 2000));
	return [...collector.received];
}

async function n8nIsAlive() {
	return (await fetch(`${n8n.url}/healthz/readiness`)).status === 200;
}

/** A raw POST on its own connection; a connection n8n closes without answering counts as 0. */
function postRaw(url: string, headers: Record<string, string>, body: Buffer) {
	return new Promise<number>((resolve) => {
		const request = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
			response.resume();
			response.on('end', () => resolve(response.statusCode ?? 0));
		});
		request.on('error', () => resolve(0));
		request.end(body);
	});
}

/** A small deterministic generator, so a failing fuzz case can be replayed. */
function prng(seed: number) {
	let state = seed;
	return () => {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		return state / 2 ** 31;
	};
}

describe('VideoSDK Trigger under load', () => {
	it(`starts exactly ${BURST} runs for ${BURST} concurrent signed events, none lost or doubled`, async () => {
		const url = n8n.webhookUrl(LOAD);
		const statuses = await Promise.all(
			Array.from({ length: BURST }, async (_, index) => (await n8n.api.sendWebhook(url, completed(`burst-${index}`))).status),
		);
		expect(statuses.filter((status) => status === 200)).toHaveLength(BURST);

		const runs = await settle(BURST);
		expect(runs).toHaveLength(BURST);
		const ids = runs.map((run) => (run.data as { id: string }).id).sort();
		expect(ids).toEqual(Array.from({ length: BURST }, (_, index) => `burst-${index}`).sort());
	});

	it(`starts none for ${BURST} forged, unselected or malformed calls mixed with 20 good ones`, async () => {
		const url = n8n.webhookUrl(LOAD);
		const calls = Array.from({ length: BURST }, async (_, index) => {
			switch (index % 4) {
				case 0:
					return await n8n.api.sendWebhook(url, completed(`forged-${index}`), { signature: 'invalid' });
				case 1:
					return await n8n.api.sendWebhook(url, { webhookType: 'recording-started', data: { id: `other-${index}` } });
				case 2:
					return await n8n.api.sendWebhook(url, completed(`unsigned-${index}`), { signature: 'none' });
				default:
					return await n8n.api.sendWebhook(url, completed('x'), { rawBody: `{"webhookType":"merge-recording-completed","data":{"id":"${index}"` });
			}
		});
		const good = Array.from({ length: 20 }, async (_, index) => await n8n.api.sendWebhook(url, completed(`good-${index}`)));
		const answers = await Promise.all([...calls, ...good]);

		const refused = answers.slice(0, BURST).map((answer) => answer.status);
		expect(refused.filter((status, index) => index % 4 === 1 && status === 200)).toHaveLength(BURST / 4);
		expect(refused.filter((status, index) => index % 4 !== 1 && status >= 400 && status < 500)).toHaveLength((BURST * 3) / 4);
		const runs = await settle(20);
		expect(runs.map((run) => (run.data as { id: string }).id).sort()).toEqual(
			Array.from({ length: 20 }, (_, index) => `good-${index}`).sort(),
		);
	});

	it('answers fuzzed requests with a 4xx or a 200 without a run, and keeps serving', async () => {
		const random = prng(20261124);
		const url = n8n.webhookUrl(LOAD);
		const validBody = JSON.stringify(completed('fuzz'));
		const contentTypes = ['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', ''];
		const statuses: number[] = [];
		for (let index = 0; index < 60; index++) {
			const kind = index % 6;
			let body: Buffer;
			if (kind === 0) body = randomBytes(1 + Math.floor(random() * 4096));
			else if (kind === 1) body = Buffer.from(validBody.slice(0, Math.floor(random() * validBody.length)));
			else if (kind === 2) body = Buffer.from(validBody.replace('merge', String.fromCharCode(Math.floor(random() * 0xffff))));
			else if (kind === 3) body = Buffer.from(JSON.stringify({ webhookType: 'merge-recording-completed', data: 'x'.repeat(2_000_000) }));
			else if (kind === 4) body = Buffer.from(validBody);
			else body = Buffer.from(`[${'['.repeat(5000)}`);
			const headers: Record<string, string> = {};
			const contentType = contentTypes[Math.floor(random() * contentTypes.length)];
			if (contentType) headers['content-type'] = contentType;
			// Never a valid signature: a random one, a truncated one, or none at all.
			const signatureKind = Math.floor(random() * 3);
			if (signatureKind === 0) headers[SIGNATURE_HEADER] = randomBytes(256).toString('base64');
			if (signatureKind === 1) headers[SIGNATURE_HEADER] = n8n.api.signBody(body).slice(0, 40);
			statuses.push(await postRaw(url, headers, body));
		}
		expect(statuses.filter((status) => status !== 200 && (status < 400 || status >= 500))).toEqual([]);
		expect(await settle(0)).toHaveLength(0);
		expect(await n8nIsAlive()).toBe(true);
		const good = await n8n.api.sendWebhook(url, completed('after-fuzz'));
		expect(good.status).toBe(200);
		expect(await settle(1)).toHaveLength(1);
	});
});

describe('VideoSDK Trigger when the public key cannot be had', () => {
	const signedBySecondApi = async (id: string) => ({
		status: (await secondApi.sendWebhook(n8n.webhookUrl(KEY_OUTAGE), completed(id))).status,
	});

	it('answers 503 within seconds while the key endpoint drips or fails, asks it rarely, starts nothing, and recovers', async () => {
		const keyFetches = () => secondApi.requests.filter((request) => request.path === API_PATHS.signatureVerification).length;
		// 100 bytes, one every 2 s: a per-byte timeout would hold this webhook for minutes.
		secondApi.failNext(API_PATHS.signatureVerification, { status: 200, streamed: { bytes: 100, chunkBytes: 1, intervalMs: 2_000 } });
		const started = Date.now();
		expect((await signedBySecondApi('outage-drip')).status).toBe(503);
		expect(Date.now() - started).toBeLessThan(10_000);

		secondApi.publicKeyEndpoint.mode = 'error';
		const statuses = [];
		for (let index = 0; index < 20; index++) statuses.push((await signedBySecondApi(`outage-${index}`)).status);
		expect(new Set(statuses)).toEqual(new Set([503]));
		// The failure is remembered for a while: 21 webhooks, at most a couple of key requests.
		expect(keyFetches()).toBeLessThanOrEqual(3);
		expect(await settle(0)).toHaveLength(0);

		// VideoSDK delivers again; once the failure is forgotten, the key is fetched and the event runs once.
		secondApi.publicKeyEndpoint = { mode: 'ok', delayMs: 0 };
		let status = 503;
		for (const deadline = Date.now() + 30_000; status !== 200 && Date.now() < deadline; ) {
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			status = (await signedBySecondApi('recovered')).status;
		}
		expect(status).toBe(200);
		const runs = await settle(1);
		expect(runs.map((run) => (run.data as { id: string }).id)).toEqual(['recovered']);
	});
});
