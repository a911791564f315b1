import { createSign, generateKeyPairSync } from 'node:crypto';

import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { MergeWebhookPayload } from '../../../../../nodes/VideoSdk/api';
import { SIGNATURE_HEADER } from '../../../../../nodes/VideoSdk/api';
import { mergeAndWait as mergePause } from '../../../../../nodes/VideoSdk/actions/mergeRecording/mergeAndWait';
import { clearPublicKeyCache } from '../../../../../nodes/VideoSdk/webhooks/signature';
import type { NodeRun } from '../../../../../scripts/harness';
import { callPausedWebhook, resumeAfterWaitTill, runNode } from '../../../../../scripts/harness';
import { silentMp3 } from '../../../../../scripts/fake-videosdk/mp3';
import { useFakeApi } from '../../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false, mergeCompletionDelayMs: 10 });
beforeEach(() => clearPublicKeyCache());

const mergeAndWait = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: '={{ $json.sessionId }}',
	specifyChannels: 'json',
	channel1Json: '["alice"]',
	channel2Json: '["bob"]',
	waitForCompletion: true,
	options,
});

const sessions = (...ids: string[]): INodeExecutionData[] => ids.map((sessionId) => ({ json: { sessionId } }));

const pause = (items: INodeExecutionData[], options: INodeParameters = {}, continueOnFail = false) =>
	runNode({ type: 'videoSdk', parameters: mergeAndWait(options), items, credentials: fake.credentials, continueOnFail });

const mergeRequests = () => fake.api.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/merge'));

/** The callback VideoSDK sends for a job once the fake API has finished it. */
async function callbackFor(jobId: string): Promise<MergeWebhookPayload> {
	await fake.api.settled();
	const job = fake.api.merges.get(jobId)!;
	const data = { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId };
	return job.status === 'failed'
		? { webhookType: 'merge-recording-failed', data: { ...data, message: 'No audio in channel 2' } }
		: { webhookType: 'merge-recording-completed', data };
}

function report(paused: NodeRun, payload: unknown, signed = true) {
	const rawBody = JSON.stringify(payload);
	const headers: Record<string, string> = signed ? { [SIGNATURE_HEADER]: fake.api.signBody(rawBody) } : {};
	return callPausedWebhook(paused, { rawBody, headers });
}

const startedJobIds = () => [...fake.api.merges.keys()];

/** How often VideoSDK was asked about a merge job. */
const lookups = () => fake.api.requests.filter((request) => request.method === 'GET' && request.path.includes('/merge/')).length;

describe('merge and wait: pausing', () => {
	it('waits Max Wait minutes, an hour by default', () => {
		expect(mergePause.maxWaitMs({ options: { maxWait: 5 } })).toBe(5 * 60_000);
		expect(mergePause.maxWaitMs({})).toBe(60 * 60_000);
		expect(mergePause.timeoutMessage(1, 60_000)).toBe('VideoSDK did not report the end of the merge within 1 minute (Max Wait)');
		expect(mergePause.timeoutMessage(3, 120 * 60_000)).toBe(
			'VideoSDK did not report the end of all 3 merges within 120 minutes (Max Wait)',
		);
	});

	it('sends the resume URL of this execution as webhookUrl and pauses until Max Wait', async () => {
		const before = Date.now();
		const paused = await pause(sessions('s-1'), { maxWait: 5 });

		expect(paused.error).toBeUndefined();
		expect(paused.run.status).toBe('waiting');
		const [request] = mergeRequests();
		const webhookUrl = new URL((request.body as { webhookUrl: string }).webhookUrl);
		expect(`${webhookUrl.origin}${webhookUrl.pathname}`).toBe('http://127.0.0.1:5678/webhook-waiting/test-execution');
		expect(webhookUrl.searchParams.get('signature')).toBe(paused.run.data.resumeToken);
		expect(paused.waitTill!.getTime()).toBeGreaterThanOrEqual(before + 5 * 60_000);
		expect(paused.waitTill!.getTime()).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
	});

	it('does not pause when no merge started (Continue On Fail)', async () => {
		const run = await pause(sessions(''), {}, true);

		expect(run.waitTill).toBeUndefined();
		expect(run.items).toEqual([{ json: { error: 'Session ID is empty [item 0]' }, pairedItem: { item: 0 } }]);
	});

	it('without the option, sends the Webhook URL field and does not pause', async () => {
		const run = await runNode({
			type: 'videoSdk',
			parameters: { ...mergeAndWait(), waitForCompletion: false, webhookUrl: 'https://hooks.example.com/x' },
			items: sessions('s-1'),
			credentials: fake.credentials,
		});

		expect(run.waitTill).toBeUndefined();
		expect((mergeRequests()[0].body as { webhookUrl: string }).webhookUrl).toBe('https://hooks.example.com/x');
	});
});

describe('merge and wait: resuming', () => {
	it('resumes on merge-recording-completed with the event and the finished job', async () => {
		const paused = await pause(sessions('s-1'));
		const payload = await callbackFor(startedJobIds()[0]);

		const { resumed, response } = await report(paused, payload);

		expect(response.status).toBeUndefined();
		expect(resumed?.error).toBeUndefined();
		expect(resumed?.items).toEqual([
			{
				json: { webhookType: 'merge-recording-completed', data: payload.data, recording: fake.api.merges.get(payload.data.id) },
				pairedItem: { item: 0 },
			},
		]);
		expect((resumed?.items[0].json.recording as { file: { fileUrl: string } }).file.fileUrl).toMatch(/\.mp3$/);
	});

	it('downloads the stereo file of each finished job into the binary field asked for', async () => {
		const paused = await pause(sessions('s-1'), { downloadFile: true, binaryPropertyName: 'stereo' });
		const payload = await callbackFor(startedJobIds()[0]);

		const { resumed } = await report(paused, payload);

		const [item] = resumed!.items;
		expect(item.binary?.stereo).toMatchObject({ mimeType: 'audio/mpeg', fileName: `${payload.data.id}.mp3` });
		expect(Buffer.from(item.binary!.stereo.data, 'base64').equals(silentMp3())).toBe(true);
	});

	it('fails the resumed node when the file cannot be downloaded', async () => {
		const paused = await pause(sessions('s-1'), { downloadFile: true, timeout: 1_500 });
		const payload = await callbackFor(startedJobIds()[0]);
		fake.api.fileDelayMs = 10_000;

		const { resumed } = await report(paused, payload);

		expect(resumed?.error?.message).toBe(
			`Could not download the merged file of job ${payload.data.id} from ${new URL(fake.api.url).host}: no complete answer within 1500 ms`,
		);
	});

	it('stays paused and answers 503 when the job cannot be fetched, so that the next delivery settles it', async () => {
		const paused = await pause(sessions('s-1'), { maxRetries: 1 });
		const payload = await callbackFor(startedJobIds()[0]);
		fake.api.failNext(`/v2/recordings/participant/merge/${payload.data.id}`, {
			status: 503,
			body: { message: 'Service unavailable' },
			times: 2,
		});

		const first = await report(paused, payload);

		expect(first.result.workflowData).toBeUndefined();
		expect(first.resumed).toBeUndefined();
		expect(first.response).toMatchObject({
			status: 503,
			body: { message: `Merge job ${payload.data.id} reported, but VideoSDK answered 503: Service unavailable; still waiting` },
		});

		// VideoSDK delivers again: now the API answers, and the run goes on with the job.
		const again = await report(paused, payload);
		expect(again.resumed?.error).toBeUndefined();
		expect(again.resumed?.items[0].json).toMatchObject({ webhookType: 'merge-recording-completed', recording: { id: payload.data.id } });
	});

	it('fails with VideoSDK\'s message on merge-recording-failed', async () => {
		fake.api.failMerges('fail-s-1');
		const paused = await pause(sessions('fail-s-1'));
		const { resumed } = await report(paused, await callbackFor(startedJobIds()[0]));

		expect(resumed?.error?.message).toBe('VideoSDK could not merge the recordings: No audio in channel 2 [item 0]');
		expect(resumed?.items).toEqual([]);
	});

	it('under Continue On Fail, a failed merge becomes an error item with the event', async () => {
		fake.api.failMerges('fail-s-1');
		const paused = await pause(sessions('fail-s-1'), {}, true);
		const payload = await callbackFor(startedJobIds()[0]);
		const { resumed } = await report(paused, payload);

		expect(resumed?.error).toBeUndefined();
		expect(resumed?.items).toEqual([
			{
				json: expect.objectContaining({
					error: 'VideoSDK could not merge the recordings: No audio in channel 2 [item 0]',
					webhookType: 'merge-recording-failed',
					data: payload.data,
				}),
				pairedItem: { item: 0 },
			},
		]);
	});

	it('with several items, resumes only when every job has ended, in input order', async () => {
		const paused = await pause(sessions('s-0', 's-1', 's-2'));
		const [first, second, third] = startedJobIds();
		await fake.api.settled();
		fake.api.merges.get(third)!.status = 'running';

		const early = await report(paused, await callbackFor(first));
		expect(early.resumed).toBeUndefined();
		expect(early.response).toMatchObject({ status: 200, body: { message: `Merge job ${first} reported; waiting for the others` } });

		fake.api.merges.get(third)!.status = 'completed';
		const last = await report(paused, await callbackFor(second));
		expect(last.resumed?.items.map((item) => [(item.json.data as { id: string }).id, item.pairedItem])).toEqual([
			[first, { item: 0 }],
			[second, { item: 1 }],
			[third, { item: 2 }],
		]);
	});

	it('asks VideoSDK about a few jobs per callback, not about every earlier one, when jobs end in the order they started', async () => {
		const count = 20;
		const paused = await pause(sessions(...Array.from({ length: count }, (_, index) => `s-${index}`)));
		const jobIds = startedJobIds();
		await fake.api.settled();
		for (const id of jobIds) fake.api.merges.get(id)!.status = 'running';

		let resumed: NodeRun | undefined;
		for (const id of jobIds) {
			fake.api.merges.get(id)!.status = 'completed';
			resumed = (await report(paused, await callbackFor(id))).resumed;
		}

		expect(resumed?.items).toHaveLength(count);
		// A few per callback: asking about every earlier job would be about count² / 2 lookups.
		expect(lookups()).toBeLessThanOrEqual(3 * count);
	});

	it.each([2, 5, 20])('resumes once when %i callbacks that each end the wait arrive at the same moment', async (count) => {
		const paused = await pause(sessions(...Array.from({ length: count }, (_, index) => `s-${index}`)));
		const payloads = await Promise.all(startedJobIds().map(callbackFor));

		const calls = await Promise.all(payloads.map(async (payload) => await report(paused, payload)));

		// The one that resumes needs every job's end; the others, which waited for it, need none.
		expect(lookups()).toBeLessThanOrEqual(count);

		const resumes = calls.filter((call) => call.resumed !== undefined);
		expect(resumes).toHaveLength(1);
		expect(resumes[0].resumed?.items.map((item) => item.pairedItem)).toEqual(
			Array.from({ length: count }, (_, item) => ({ item })),
		);
		expect(calls.filter((call) => call.resumed === undefined).map((call) => call.response)).toEqual(
			Array.from({ length: count - 1 }, () =>
				expect.objectContaining({ status: 200, body: { message: 'Ignored: another callback has already resumed this execution' } }),
			),
		);
	});

	it('under Continue On Fail, keeps an item whose merge never started, and an item whose file failed', async () => {
		const paused = await pause(sessions('', 's-1'), { downloadFile: true, timeout: 200 }, true);
		const payload = await callbackFor(startedJobIds()[0]);
		fake.api.fileDelayMs = 1_000;

		const { resumed } = await report(paused, payload);

		expect(resumed?.items.map((item) => [item.json.error, item.json.webhookType, item.pairedItem])).toEqual([
			['Session ID is empty [item 0]', undefined, { item: 0 }],
			[expect.stringMatching(/^Could not download the merged file of job /), 'merge-recording-completed', { item: 1 }],
		]);
	});

	it('finds what it paused with under any node name, braces and quotes included', async () => {
		const paused = await runNode({
			type: 'videoSdk',
			name: 'Merge "{{ left }}" and }} right',
			parameters: mergeAndWait(),
			items: sessions('s-1'),
			credentials: fake.credentials,
		});

		const { resumed } = await report(paused, await callbackFor(startedJobIds()[0]));

		expect(resumed?.items.map((item) => item.json.webhookType)).toEqual(['merge-recording-completed']);
	});

	it('ignores a job it did not start, and refuses unsigned or forged callbacks', async () => {
		const paused = await pause(sessions('s-1'));
		const payload = await callbackFor(startedJobIds()[0]);

		const stranger = await report(paused, { ...payload, data: { ...payload.data, id: 'not-ours' } });
		expect(stranger.resumed).toBeUndefined();
		expect(stranger.response).toMatchObject({
			status: 200,
			body: { message: 'Ignored: merge job not-ours is not one this execution waits for' },
		});
		expect(lookups()).toBe(0);

		// The job really ended: each of these calls would resume the run if it were believed.
		const unsigned = await report(paused, payload, false);
		expect(unsigned.resumed).toBeUndefined();
		expect(unsigned.response).toMatchObject({ status: 401, body: { message: `Missing ${SIGNATURE_HEADER} header` } });

		const rawBody = JSON.stringify(payload);
		const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		const forgeries = [
			createSign('sha256').update(rawBody).sign(attacker, 'base64'),
			// VideoSDK's genuine signature, of another body.
			fake.api.signBody(JSON.stringify({ ...payload, data: { ...payload.data, id: 'not-ours' } })),
		];
		for (const signature of forgeries) {
			const forged = await callPausedWebhook(paused, { rawBody, headers: { [SIGNATURE_HEADER]: signature } });
			expect(forged.resumed).toBeUndefined();
			expect(forged.response).toMatchObject({ status: 401, body: { message: 'Invalid signature' } });
		}
		expect(lookups()).toBe(0);

		const genuine = await report(paused, payload);
		expect(genuine.resumed?.items.map((item) => item.json.webhookType)).toEqual(['merge-recording-completed']);
	});

	it('fails with a clear error when Max Wait runs out', async () => {
		const paused = await pause(sessions('s-1', 's-2'), { maxWait: 2 });

		const timedOut = await resumeAfterWaitTill(paused);

		expect(timedOut.error?.message).toBe('VideoSDK did not report the end of all 2 merges within 2 minutes (Max Wait)');
	});
});
