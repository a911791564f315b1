/**
 * Merge and wait by asking VideoSDK (Wait Mode "Ask VideoSDK"): the fake API never calls back, its
 * jobs end after chosen durations, and the node, run by n8n-core's engine, asks every Poll Interval.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import * as create from '../../../../../nodes/VideoSdk/actions/mergeRecording/create.operation';
import { mergeAndWait } from '../../../../../nodes/VideoSdk/actions/mergeRecording/mergeAndWait';
import { executeOperation } from '../../../../../nodes/VideoSdk/actions/executor';
import { VideoSdk } from '../../../../../nodes/VideoSdk/VideoSdk.node';
import { silentMp3 } from '../../../../../scripts/fake-videosdk/mp3';
import type { RecordedRequest } from '../../../../../scripts/fake-videosdk/types';
import { registerNodeType, runNode, startNode } from '../../../../../scripts/harness';
import { useFakeApi } from '../../../../helpers/fakeApi';
import { jsonMerge } from '../../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false, mergeCompletionDelayMs: 60_000 });

const POLL_SECONDS = 1;

const askingMerge = (options: INodeParameters = {}): INodeParameters => ({
	...jsonMerge(options),
	waitForCompletion: true,
	waitMode: 'ask',
	pollInterval: POLL_SECONDS,
});

const sessions = (...ids: string[]): INodeExecutionData[] => ids.map((sessionId) => ({ json: { sessionId } }));

const ask = (items: INodeExecutionData[], options: INodeParameters = {}, continueOnFail = false, type = 'videoSdk') =>
	runNode({ type, parameters: askingMerge(options), items, credentials: fake.credentials, continueOnFail });

const isMergeList = (request: RecordedRequest) => request.method === 'GET' && request.path === '/v2/recordings/participant/merge';
const isJobLookup = (request: RecordedRequest) => request.method === 'GET' && request.path.startsWith('/v2/recordings/participant/merge/');
const asks = () => fake.api.requests.filter((request) => isMergeList(request) || isJobLookup(request));

/** The requests of each round: rounds are a Poll Interval apart, a round's requests are not. */
function rounds(requests: RecordedRequest[]): RecordedRequest[][] {
	const grouped: RecordedRequest[][] = [];
	for (const request of requests) {
		const last = grouped.at(-1);
		if (last && request.receivedAt - last[0].receivedAt < (POLL_SECONDS * 1_000) / 2) last.push(request);
		else grouped.push([request]);
	}
	return grouped;
}

const jobOf = (sessionId: string) => [...fake.api.merges.values()].find((job) => job.sessionId === sessionId)!;

describe('merge and wait by asking VideoSDK', () => {
	it('asks every Poll Interval until each job has ended, then outputs them in input order, with no callback URL sent', async () => {
		// Half a Poll Interval from any round: each job is seen ended at a known round.
		fake.api.finishMergesAfter('quick', 500);
		fake.api.finishMergesAfter('middle', 1_500);
		fake.api.finishMergesAfter('slow', 2_500);
		const started = Date.now();

		const run = await ask(sessions('slow', 'quick', 'middle'));

		expect(run.error).toBeUndefined();
		expect(run.waitTill).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(2_500);
		expect(run.items).toEqual(
			['slow', 'quick', 'middle'].map((sessionId, item) => ({
				json: {
					webhookType: 'merge-recording-completed',
					data: { id: jobOf(sessionId).id, meetingId: jobOf(sessionId).meetingId, sessionId },
					recording: jobOf(sessionId),
				},
				pairedItem: { item },
			})),
		);
		const merges = fake.api.requests.filter((request) => request.method === 'POST');
		expect(merges.map((request) => (request.body as { webhookUrl?: string }).webhookUrl)).toEqual([undefined, undefined, undefined]);
		// About [3, 3, 2, 1]: rounds a Poll Interval apart, each asking only about the jobs not yet
		// seen ended, and none once every job has ended (how many ended per round depends on timing).
		const perRound = rounds(asks());
		const sizes = perRound.map((round) => round.length);
		expect(sizes[0]).toBe(3);
		expect(sizes.length).toBeGreaterThanOrEqual(3);
		expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
		expect(sizes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(9);
		perRound.slice(1).forEach((round, index) => {
			expect(round[0].receivedAt - perRound[index][0].receivedAt).toBeGreaterThanOrEqual(POLL_SECONDS * 1_000 - 50);
		});
	});

	it('costs one list request per session per round, not one GET per item: 100 items of 4 sessions', async () => {
		const sessionIds = ['s-a', 's-b', 's-c', 's-d'];
		for (const sessionId of sessionIds) fake.api.finishMergesAfter(sessionId, 1_500);
		const items = sessions(...Array.from({ length: 100 }, (_, index) => sessionIds[index % 4]));

		const run = await ask(items);

		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(100);
		expect(run.items.every((item) => item.json.webhookType === 'merge-recording-completed')).toBe(true);
		expect(run.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const perRound = rounds(asks());
		expect(perRound.length).toBeGreaterThanOrEqual(2);
		for (const round of perRound) {
			expect(round.every(isMergeList)).toBe(true);
			expect(round.map((request) => request.query.sessionId).sort()).toEqual(sessionIds);
		}
	});

	it('fails with the failed merge, at once, and asks no more', async () => {
		fake.api.failMerges('broken');
		fake.api.finishMergesAfter('broken', 500);
		fake.api.silent('forever');

		const run = await ask(sessions('forever', 'broken'));

		expect(run.error?.message).toBe('VideoSDK could not merge the recordings: VideoSDK gave no reason [item 1]');
		// Round 2 finds it failed; the other job runs on, but is asked about no more.
		expect(rounds(asks())).toHaveLength(2);
	});

	it('under Continue On Fail, outputs a failed merge as an error item and waits for the others', async () => {
		fake.api.failMerges('broken');
		fake.api.finishMergesAfter('broken', 100);
		fake.api.finishMergesAfter('fine', 1_200);

		const run = await ask(sessions('', 'broken', 'fine'), {}, true);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => [item.json.error, item.json.webhookType, item.pairedItem])).toEqual([
			['Session ID is empty [item 0]', undefined, { item: 0 }],
			['VideoSDK could not merge the recordings: VideoSDK gave no reason [item 1]', 'merge-recording-failed', { item: 1 }],
			[undefined, 'merge-recording-completed', { item: 2 }],
		]);
	});

	it('downloads the mp3 of each finished job into the binary field asked for', async () => {
		fake.api.finishMergesAfter('s-1', 100);

		const run = await ask(sessions('s-1'), { downloadFile: true, binaryPropertyName: 'stereo' });

		const [item] = run.items;
		expect(item.binary?.stereo).toMatchObject({ mimeType: 'audio/mpeg', fileName: `${jobOf('s-1').id}.mp3` });
		expect(Buffer.from(item.binary!.stereo.data, 'base64').equals(silentMp3())).toBe(true);
	});

	it('asks again next round when VideoSDK\'s API fails, so a hiccup loses no finished merge', async () => {
		fake.api.finishMergesAfter('s-1', 1_500);
		fake.api.failNext((request) => isJobLookup(request), { status: 503, body: { message: 'Service unavailable' }, times: 1 });

		const run = await ask(sessions('s-1'), { maxRetries: 0 });

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.webhookType)).toEqual(['merge-recording-completed']);
		expect(asks().length).toBeGreaterThanOrEqual(2);
	});

	it('refuses a Poll Interval below its minimum before any request', async () => {
		const run = await runNode({
			type: 'videoSdk',
			parameters: { ...askingMerge(), pollInterval: 0.5 },
			items: sessions('s-1'),
			credentials: fake.credentials,
		});

		expect(run.error?.message).toBe('Poll Interval (Seconds) must be a number from 1 to 3600, not 0.5 [item 0]');
		expect(fake.api.requests).toEqual([]);
	});

	it('stops asking at once when the execution is stopped: no request after the stop', async () => {
		fake.api.silent('forever');
		const running = startNode({ type: 'videoSdk', parameters: askingMerge(), items: sessions('forever'), credentials: fake.credentials });
		const deadline = Date.now() + 10_000;
		while (asks().length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
		expect(asks()).toHaveLength(2);

		const stoppedAt = Date.now();
		running.stop();
		await running.done;

		// Mid-sleep: the node ends without waiting out its Poll Interval.
		expect(Date.now() - stoppedAt).toBeLessThan(500);
		await new Promise((resolve) => setTimeout(resolve, 2.5 * POLL_SECONDS * 1_000));
		expect(fake.api.requests.filter((request) => request.receivedAt >= stoppedAt)).toEqual([]);
	});
});

describe('merge and wait by asking: Max Wait', () => {
	// Max Wait counts minutes: this node type is the same operation with a Max Wait of 1.5 seconds.
	beforeAll(() =>
		registerNodeType('videoSdkShortMaxWait', () => {
			const node = new VideoSdk();
			const operation = { ...create, pause: { ...mergeAndWait, maxWaitMs: () => 1_500 } };
			node.execute = async function (this: IExecuteFunctions) {
				return await executeOperation.call(this, operation);
			};
			return node;
		}),
	);

	it('fails when Max Wait runs out, after a last round', async () => {
		fake.api.silent('forever-1');
		fake.api.silent('forever-2');

		const run = await ask(sessions('forever-1', 'forever-2'), {}, false, 'videoSdkShortMaxWait');

		expect(run.error?.message).toBe('VideoSDK did not report the end of all 2 merges within 0.025 minutes (Max Wait)');
		// Rounds at 0 s, 1 s and 1.5 s (Max Wait), each asking about both jobs.
		expect(asks()).toHaveLength(6);
	});

	it('says why asking failed when VideoSDK\'s API kept failing until Max Wait', async () => {
		fake.api.finishMergesAfter('s-1', 100);
		fake.api.failNext((request) => isJobLookup(request), { status: 503, body: { message: 'Service unavailable' }, times: 10 });

		const run = await ask(sessions('s-1'), { maxRetries: 0 }, false, 'videoSdkShortMaxWait');

		expect(run.error?.message).toBe(
			'VideoSDK did not report the end of the merge within 0.025 minutes (Max Wait); asking VideoSDK last failed: VideoSDK answered 503: Service unavailable',
		);
	});

	it('under Continue On Fail, outputs what is known of each item, each carrying the error', async () => {
		fake.api.finishMergesAfter('done', 100);
		fake.api.silent('forever');

		const run = await ask(sessions('done', 'forever'), {}, true, 'videoSdkShortMaxWait');

		const message = 'VideoSDK did not report the end of the merge within 0.025 minutes (Max Wait)';
		expect(run.error).toBeUndefined();
		expect(run.items).toEqual([
			{ json: expect.objectContaining({ webhookType: 'merge-recording-completed', error: message }), pairedItem: { item: 0 } },
			{ json: { data: { id: jobOf('forever').id }, error: message }, pairedItem: { item: 1 } },
		]);
	});
});
