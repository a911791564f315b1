/**
 * Merge and wait inside a real n8n under `n8n start`: the execution pauses at the VideoSDK node,
 * the fake API calls the execution's resume URL with signed events, and the workflow goes on; or,
 * with Wait Mode "Ask VideoSDK", the fake never calls back and the node asks it every second.
 */
import type { MergeJob } from '../../nodes/VideoSdk/api';
import { waitForWebhook } from '../../scripts/localN8n';
import type { Collector } from './collector';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import { postBinaryTo, postTo, startCollector } from './collector';
import type { WorkflowNode } from './instance';
import { E2eInstance, mergeAndWaitWorkflow } from './instance';

let n8n: E2eInstance;
let collector: Collector;
const workflows: Record<string, string> = {};

// Asking VideoSDK every second (Poll Interval's minimum), as an n8n VideoSDK cannot reach would.
const ASKING = { waitMode: 'ask', pollInterval: 1 };

const SCENARIOS: Record<
	string,
	{ options: Record<string, unknown>; onError?: string; report?: () => WorkflowNode; wait?: Record<string, unknown> }
> = {
	timesOut: { options: { maxWait: 1 } },
	completes: { options: {} },
	withFile: {
		options: { downloadFile: true },
		report: () => postBinaryTo(collector.url, 'data', 'sessionId={{ $json.data.sessionId }}&fileName={{ $binary.data.fileName }}'),
	},
	stops: { options: {} },
	continues: { options: {}, onError: 'continueRegularOutput' },
	together: { options: {} },
	asks: {
		options: { downloadFile: true },
		report: () => postBinaryTo(collector.url, 'data', 'sessionId={{ $json.data.sessionId }}&fileName={{ $binary.data.fileName }}'),
		wait: ASKING,
	},
	asksUntilStopped: { options: {}, wait: ASKING },
};

// n8n 2.x fails a resumed node (resumeError); 1.x cannot, so there the node outputs error items.
const failsResumedNodes = () => n8n.runtime.major >= 2;

beforeAll(async () => {
	// VideoSDK takes seconds to merge (the fake's callback also waits for n8n to store the pause: untilPaused).
	n8n = await E2eInstance.create({ mergeCompletionDelayMs: 2_000 });
	collector = await startCollector();
	await n8n.start();
	for (const [path, { options, onError, report, wait }] of Object.entries(SCENARIOS)) {
		const nodes = mergeAndWaitWorkflow(path, options, onError, report?.() ?? postTo(collector.url), undefined, wait);
		workflows[path] = await n8n.importWorkflow(`e2e merge and wait: ${path}`, nodes);
		await n8n.publish(workflows[path]);
	}
	for (const path of Object.keys(SCENARIOS)) await waitForWebhook(`${n8n.url}/webhook/${path}`);
	// n8n looks for executions whose wait is over once a minute: start waiting in vain right away.
	n8n.api.silent('silent-1');
	await start('timesOut', ['silent-1']);
});
afterAll(async () => {
	await n8n?.dispose();
	await collector?.close();
});

async function start(path: string, sessions: string[]) {
	const response = await fetch(`${n8n.url}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ sessions }),
	});
	expect(response.status).toBe(200);
}

const reportsOf = (sessionPrefix: string) =>
	collector.received.filter((body) => String((body.data as { sessionId?: string })?.sessionId ?? body.sessionId).startsWith(sessionPrefix));

const mergeOf = (sessionId: string) => [...n8n.api.merges.values()].find((job) => job.sessionId === sessionId) as MergeJob;

describe('merge and wait in n8n', () => {
	it('pauses, then resumes on the signed callback with the finished job', async () => {
		await start('completes', ['ok-1']);

		const [paused] = await n8n.waitForExecutions(workflows.completes, 1, ['waiting']);
		expect(paused.status).toBe('waiting');
		const mergeRequest = n8n.api.requests.find((request) => (request.body as { sessionId?: string })?.sessionId === 'ok-1');
		const webhookUrl = String((mergeRequest?.body as { webhookUrl: string }).webhookUrl);
		expect(webhookUrl).toMatch(n8n.resumeUrlPattern(paused.id));

		const [finished] = await n8n.waitForExecutions(workflows.completes, 1, ['success']);
		expect(finished.status).toBe('success');
		await collector.waitFor(1);
		const job = mergeOf('ok-1');
		expect(reportsOf('ok-1')).toEqual([
			{
				webhookType: 'merge-recording-completed',
				data: { id: job.id, meetingId: job.meetingId, sessionId: 'ok-1' },
				recording: JSON.parse(JSON.stringify(job)),
			},
		]);
		expect(n8n.api.webhookDeliveries.filter((delivery) => delivery.payload.data && (delivery.payload.data as { sessionId: string }).sessionId === 'ok-1').map((delivery) => delivery.status)).toEqual([200]);
	});

	it('with two items, resumes once, when both merges have ended', async () => {
		await start('completes', ['pair-a', 'pair-b']);

		const executions = await n8n.waitForExecutions(workflows.completes, 2, ['success']);
		expect(executions.filter((execution) => execution.status === 'success')).toHaveLength(2);
		await collector.waitFor(3);
		await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a second resumption
		expect(reportsOf('pair-').map((report) => [(report.data as { id: string }).id, report.webhookType])).toEqual([
			[mergeOf('pair-a').id, 'merge-recording-completed'],
			[mergeOf('pair-b').id, 'merge-recording-completed'],
		]);
	});

	it('never looks like success when the merge fails: 2.x stops with VideoSDK\'s message, 1.x hands on an item carrying it', async () => {
		n8n.api.failMerges('fail-stop');
		await start('stops', ['fail-stop']);

		const message = 'VideoSDK could not merge the recordings: Recording of a participant could not be found [item 0]';
		const [execution] = await n8n.waitForExecutions(workflows.stops, 1, ['error', 'success']);
		if (failsResumedNodes()) {
			expect(execution.status).toBe('error');
			expect(execution.data.resultData.error?.message).toBe(message);
			expect(reportsOf('fail-stop')).toEqual([]);
			return;
		}
		expect(execution.status).toBe('success');
		await collector.waitFor(1);
		const job = mergeOf('fail-stop');
		expect(reportsOf('fail-stop')).toEqual([
			{
				error: message,
				webhookType: 'merge-recording-failed',
				data: { id: job.id, meetingId: job.meetingId, sessionId: 'fail-stop', message: 'Recording of a participant could not be found' },
				recording: JSON.parse(JSON.stringify(job)),
			},
		]);
	});

	it('under Continue On Fail, goes on with an error item', async () => {
		n8n.api.failMerges('fail-continue');
		await start('continues', ['fail-continue']);

		await n8n.waitForExecutions(workflows.continues, 1, ['success']);
		await collector.waitFor(1);
		expect(reportsOf('fail-continue')).toEqual([
			expect.objectContaining({
				error: 'VideoSDK could not merge the recordings: Recording of a participant could not be found [item 0]',
				webhookType: 'merge-recording-failed',
			}),
		]);
	});

	it('hands the stereo file to the next node when asked to download it', async () => {
		await start('withFile', ['file-1']);

		await n8n.waitForExecutions(workflows.withFile, 1, ['success']);
		const upload = collector.raw.find((request) => request.url.includes('sessionId=file-1'));
		const job = mergeOf('file-1');
		expect(upload?.url).toBe(`/collect?sessionId=file-1&fileName=${job.id}.mp3`);
		expect(upload?.contentType).toBe('audio/mpeg');
		expect(upload?.body.equals(silentMp3())).toBe(true);
	});

	it.each([2, 5])('resumes exactly once when %i callbacks arrive at the same moment', async (count) => {
		const sessions = Array.from({ length: count }, (_, index) => `together-${count}-${index}`);
		for (const session of sessions) n8n.api.holdCallbacks(session);
		await start('together', sessions);

		// Released only once n8n has saved the paused execution and every job has ended.
		const paused = (await n8n.waitForExecutions(workflows.together, 1, ['waiting'])).find(({ status }) => status === 'waiting');
		expect(paused).toBeDefined();
		expect(await n8n.api.releaseCallbacks(count)).toEqual(sessions.map(() => 200));

		const finished = (await n8n.waitForExecutions(workflows.together, count === 2 ? 1 : 2, ['success'])).find(
			({ id }) => id === paused!.id,
		);
		expect(finished?.status).toBe('success');
		await collector.waitFor(count);
		await new Promise((resolve) => setTimeout(resolve, 2_000)); // room for a second resumption
		expect(finished!.data.resultData.runData['Report run']).toHaveLength(1);
		expect(reportsOf(`together-${count}-`).map((report) => (report.data as { sessionId: string }).sessionId)).toEqual(sessions);
	});

	it('never looks like success when VideoSDK never calls back within Max Wait: 2.x fails, 1.x hands on an item carrying the error', async () => {
		// Started in beforeAll; n8n ends the wait up to a minute after Max Wait.
		const [execution] = await n8n.waitForExecutions(workflows.timesOut, 1, ['error', 'success'], 150_000);
		const message = 'VideoSDK did not report the end of the merge within 1 minute (Max Wait)';
		const job = mergeOf('silent-1');
		expect(job.status).toBe('running');
		if (failsResumedNodes()) {
			expect(execution.status).toBe('error');
			expect(execution.data.resultData.error?.message).toBe(message);
			return;
		}
		expect(execution.status).toBe('success');
		await collector.waitFor(1);
		expect(reportsOf('silent-1')).toEqual([
			{
				error: message,
				data: { id: job.id, meetingId: job.meetingId, sessionId: 'silent-1' },
				recording: JSON.parse(JSON.stringify(job)),
			},
		]);
	});

	it('asking VideoSDK, with no callback ever sent, finishes 3 merges of different durations and hands on each mp3', async () => {
		const sessions = { 'ask-slow': 4_000, 'ask-quick': 1_000, 'ask-middle': 2_500 };
		for (const [session, durationMs] of Object.entries(sessions)) {
			n8n.api.neverCallBack(session);
			n8n.api.finishMergesAfter(session, durationMs);
		}
		await start('asks', Object.keys(sessions));

		const [execution] = await n8n.waitForExecutions(workflows.asks, 1, ['success', 'error']);
		expect(execution.status).toBe('success');
		const uploads = collector.raw.filter((request) => request.url.includes('sessionId=ask-'));
		expect(uploads.map((upload) => upload.url)).toEqual(
			Object.keys(sessions).map((session) => `/collect?sessionId=${session}&fileName=${mergeOf(session).id}.mp3`),
		);
		for (const upload of uploads) expect(upload.body.equals(silentMp3())).toBe(true);
		const asked = n8n.api.requests.filter((request) => Object.keys(sessions).some((session) => request.query.sessionId === session || request.path.endsWith(`/${mergeOf(session).id}`)));
		expect(asked.length).toBeGreaterThanOrEqual(3);
		const mergeRequests = n8n.api.requests.filter((request) => request.method === 'POST' && Object.keys(sessions).includes((request.body as { sessionId?: string })?.sessionId ?? ''));
		expect(mergeRequests.map((request) => (request.body as { webhookUrl?: string }).webhookUrl)).toEqual([undefined, undefined, undefined]);
		expect(n8n.api.webhookDeliveries.filter((delivery) => String((delivery.payload.data as { sessionId?: string })?.sessionId).startsWith('ask-'))).toEqual([]);
	});

	it('stopping an execution that asks VideoSDK ends its requests at once', async () => {
		n8n.api.silent('ask-forever');
		await start('asksUntilStopped', ['ask-forever']);
		const asksAbout = (since = 0) =>
			n8n.api.requests.filter((request) => request.receivedAt >= since && request.method === 'GET' && request.path.endsWith(`/${mergeOf('ask-forever')?.id}`));
		const deadline = Date.now() + 60_000;
		while ((!mergeOf('ask-forever') || asksAbout().length < 2) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
		expect(asksAbout().length).toBeGreaterThanOrEqual(2);
		const [running] = await n8n.waitForExecutions(workflows.asksUntilStopped, 1, ['running']);

		await n8n.stopExecution(running.id);
		const stoppedAt = Date.now();

		const executions = await n8n.waitForExecutions(workflows.asksUntilStopped, 1, ['canceled', 'error', 'crashed', 'success']);
		expect(executions.find(({ id }) => id === running.id)?.status).toBe('canceled');
		// Three Poll Intervals: an asking that went on would have asked again by now.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		expect(asksAbout(stoppedAt)).toEqual([]);
	});
});
