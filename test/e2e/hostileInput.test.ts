/**
 * Hostile input inside a real n8n: IDs that would leave their path segment, an API that redirects or
 * echoes the token, the credential dialog's Test against a redirect, and a large merged file that
 * must not fill n8n's memory.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { API_PATHS, SIGNATURE_HEADER } from '../../nodes/VideoSdk/api';
import { getFreePort } from '../../scripts/localN8n';
import type { Collector } from './collector';
import { startCollector } from './collector';
import { E2eInstance, GOOD_CREDENTIAL, manualTrigger, nodeOutput, videoSdkNode } from './instance';

let n8n: E2eInstance;
let elsewhere: Collector;
const TRIGGER = 'e2e-hostile-file';
let triggerWorkflowId: string;

beforeAll(async () => {
	// Binary data on disk, as the issue of bounded downloads is about (n8n 2.x's default; 1.x keeps
	// binary data in memory unless told so).
	n8n = await E2eInstance.create({}, {
		userFolder: mkdtempSync(join(tmpdir(), 'n8n-videosdk-e2e-')),
		port: await getFreePort(),
		brokerPort: await getFreePort(),
		env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' },
	});
	elsewhere = await startCollector();
	await n8n.start();
	triggerWorkflowId = await n8n.importWorkflow('e2e large file', [
		{
			name: 'VideoSDK Trigger',
			type: 'n8n-nodes-videosdk.videoSdkTrigger',
			typeVersion: 1,
			webhookId: TRIGGER,
			parameters: { events: ['merge-recording-completed'], options: { downloadFile: true } },
			credentials: { videoSdkApi: GOOD_CREDENTIAL },
		},
	]);
	await n8n.publish(triggerWorkflowId);
	await n8n.waitForWebhooks([TRIGGER]);
});
afterAll(async () => {
	await n8n?.dispose();
	await elsewhere?.close();
});

const withContinue = (node: ReturnType<typeof videoSdkNode>) => ({ ...node, onError: 'continueRegularOutput' });

describe('IDs and answers that attack the request, in a run from the editor', () => {
	it('refuses ./.. IDs, refuses a redirect with the token and redacts an echoed token', async () => {
		const redirected = 'redirected-job';
		const echoed = 'echoed-job';
		n8n.api.failNext(API_PATHS.mergeJob(redirected), { status: 302, headers: { location: `${elsewhere.url}/steal` } });
		n8n.api.failNext(API_PATHS.mergeJob(echoed), {
			status: 500,
			bodyOf: (request) => `Proxy error; request was: Authorization: ${request.authorization}; headers ${JSON.stringify(request.headers)}`,
		});
		const id = await n8n.importWorkflow('e2e hostile ids', [
			manualTrigger,
			withContinue(videoSdkNode('Delete dots', { resource: 'participantRecording', operation: 'delete', recordingId: '..' })),
			withContinue(videoSdkNode('Get dot', { resource: 'mergeRecording', operation: 'get', mergeId: ' . ' })),
			withContinue(videoSdkNode('Session dots', { resource: 'session', operation: 'get', sessionId: '..' })),
			withContinue(videoSdkNode('Redirected', { resource: 'mergeRecording', operation: 'get', mergeId: redirected })),
			withContinue(
				videoSdkNode('Echoed', { resource: 'mergeRecording', operation: 'get', mergeId: echoed, options: { maxRetries: 0 } }),
			),
		]);

		const result = await n8n.execute(id);

		expect(nodeOutput(result, 'Delete dots')[0].json).toEqual({ error: 'Recording ID ".." is not an ID [item 0]' });
		expect(nodeOutput(result, 'Get dot')[0].json).toEqual({ error: 'Merge ID "." is not an ID [item 0]' });
		expect(nodeOutput(result, 'Session dots')[0].json).toEqual({ error: 'Session ID ".." is not an ID [item 0]' });
		expect(nodeOutput(result, 'Redirected')[0].json.error).toBe(
			`VideoSDK answered 302: a redirect to ${new URL(elsewhere.url).host}, which requests carrying the token do not follow (check the credential's Base URL)`,
		);
		expect(nodeOutput(result, 'Echoed')[0].json.error).toMatch(/^VideoSDK answered 500: Proxy error; request was: Authorization: \[redacted\]/);
		// Only the two real requests reached the API; nothing reached the redirect's target.
		expect(n8n.api.requests.map((request) => request.path)).toEqual([API_PATHS.mergeJob(redirected), API_PATHS.mergeJob(echoed)]);
		expect(elsewhere.raw).toHaveLength(0);
		const tokens = n8n.api.requests.map((request) => request.authorization!);
		for (const secret of [...tokens, n8n.api.secretKey]) {
			expect(JSON.stringify(result.run).includes(secret)).toBe(false);
			expect(n8n.storedText().includes(secret)).toBe(false);
		}
	});
});

describe('numbers given by expression as words, in a run from the editor', () => {
	it('fail with an error naming the field, before any request to VideoSDK', async () => {
		const requestsBefore = n8n.api.requests.length;
		const id = await n8n.importWorkflow('e2e numbers as words', [
			manualTrigger,
			withContinue(
				videoSdkNode('Max File Size', {
					resource: 'mergeRecording',
					operation: 'get',
					mergeId: 'any-job',
					options: { downloadFile: true, maxFileSize: '={{ "lots" }}' },
				}),
			),
			withContinue(videoSdkNode('Limit', { resource: 'mergeRecording', operation: 'getAll', returnAll: false, limit: '={{ "many" }}' })),
			withContinue(
				videoSdkNode('Max Retries', { resource: 'mergeRecording', operation: 'get', mergeId: 'any-job', options: { maxRetries: '={{ "forever" }}' } }),
			),
		]);

		const result = await n8n.execute(id);

		expect(nodeOutput(result, 'Max File Size')[0].json.error).toMatch(/^Max File Size \(MB\) must be a number from 1 to 100000, not "lots"/);
		expect(nodeOutput(result, 'Limit')[0].json.error).toMatch(/^Limit must be a whole number from 1 to 1000000, not "many"/);
		expect(nodeOutput(result, 'Max Retries')[0].json.error).toMatch(/^Max Retries must be a whole number from 0 to 10, not "forever"/);
		expect(n8n.api.requests.slice(requestsBefore)).toEqual([]);
	});
});

describe('in a running n8n', () => {
	it("the credential dialog's Test refuses a redirect and shows VideoSDK's own message", async () => {
		const data = { apiKey: n8n.api.apiKey, secretKey: n8n.api.secretKey, baseUrl: n8n.api.url };
		await expect(n8n.testCredential(data)).resolves.toEqual({ status: 'OK', message: 'Connection successful' });
		await expect(n8n.testCredential({ ...data, secretKey: 'not-the-secret' })).resolves.toEqual({
			status: 'Error',
			message: 'VideoSDK answered 401: Token is invalid',
		});

		n8n.api.failNext(API_PATHS.merge, { status: 302, headers: { location: `${elsewhere.url}/steal` } });
		const redirected = await n8n.testCredential(data);
		expect(redirected.status).toBe('Error');
		expect(redirected.message).toContain(`a redirect to ${new URL(elsewhere.url).host}`);
		expect(elsewhere.raw).toHaveLength(0);
	});

	it('streams a 300 MB merged file to disk: n8n grows far less than the file', async () => {
		const FILE_BYTES = 300 * 1024 * 1024;
		const [job] = n8n.api.seedMerges(1);
		job.file!.size = FILE_BYTES;
		n8n.api.failNext(new URL(job.file!.fileUrl).pathname, {
			status: 200,
			headers: { 'content-length': String(FILE_BYTES) },
			streamed: { bytes: FILE_BYTES, chunkBytes: 1024 * 1024 },
		});
		const pid = n8n.server!.process.pid!;
		const residentMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
		const before = residentMb();
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, residentMb())), 100);
		try {
			const body = JSON.stringify({ webhookType: 'merge-recording-completed', data: { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId } });
			const answer = await fetch(n8n.webhookUrl(TRIGGER), {
				method: 'POST',
				headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: n8n.api.signBody(body) },
				body,
			});
			expect(answer.status).toBe(200);
			const [execution] = await n8n.waitForExecutions(triggerWorkflowId, 1, ['success', 'error'], 120_000);
			expect(execution.status).toBe('success');
			const binary = execution.data.resultData.runData['VideoSDK Trigger'][0].data!.main[0][0].binary!.data;
			expect(binary).toMatchObject({ mimeType: 'audio/mpeg' });
			// n8n 2.x records the size in bytes; 1.x only as text ("315 MB").
			expect(binary.bytes ?? binary.fileSize).toBe(binary.bytes === undefined ? '315 MB' : FILE_BYTES);
		} finally {
			clearInterval(sampler);
		}
		console.log(`n8n resident memory: ${before.toFixed(0)} MB before, ${peak.toFixed(0)} MB at most while a ${FILE_BYTES / 1024 / 1024} MB file arrived`);
		expect(peak - before).toBeLessThan(150);
	});
});
