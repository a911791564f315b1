/**
 * Merge and wait inside a real n8n under `n8n start`: the execution pauses at the VideoSDK node,
 * the fake API calls the execution's resume URL with signed events, and the workflow goes on.
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

const SCENARIOS: Record<string, { options: Record<string, unknown>; onError?: string; report?: () => WorkflowNode }> = {
	timesOut: { options: { maxWait: 1 } },
	completes: { options: {} },
	withFile: {
		options: { downloadFile: true },
		report: () => postBinaryTo(collector.url, 'data', 'sessionId={{ $json.data.sessionId }}&fileName={{ $binary.data.fileName }}'),
	},
	stops: { options: {} },
	continues: { options: {}, onError: 'continueRegularOutput' },
};

beforeAll(async () => {
	// VideoSDK takes seconds to merge; its callback must come after n8n has saved the paused execution.
	n8n = await E2eInstance.create({ mergeCompletionDelayMs: 2_000 });
	collector = await startCollector();
	for (const [path, { options, onError, report }] of Object.entries(SCENARIOS)) {
		const nodes = mergeAndWaitWorkflow(path, options, onError, report?.() ?? postTo(collector.url));
		workflows[path] = await n8n.importWorkflow(`e2e merge and wait: ${path}`, nodes);
		await n8n.publish(workflows[path]);
	}
	await n8n.start();
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
		expect(webhookUrl).toMatch(new RegExp(`^${n8n.url}/webhook-waiting/${paused.id}\\?signature=`));

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

	it('stops the workflow with VideoSDK\'s message when the merge fails', async () => {
		n8n.api.failMerges('fail-stop');
		await start('stops', ['fail-stop']);

		const [execution] = await n8n.waitForExecutions(workflows.stops, 1, ['error']);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error?.message).toBe(
			'VideoSDK could not merge the recordings: Recording of a participant could not be found [item 0]',
		);
		expect(reportsOf('fail-stop')).toEqual([]);
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

	it('fails with a clear error when VideoSDK never calls back within Max Wait', async () => {
		// Started in beforeAll; n8n ends the wait up to a minute after Max Wait.
		const [execution] = await n8n.waitForExecutions(workflows.timesOut, 1, ['error'], 150_000);
		expect(execution.status).toBe('error');
		expect(execution.data.resultData.error?.message).toBe('VideoSDK did not report the end of the merge within 1 minute (Max Wait)');
		expect(mergeOf('silent-1').status).toBe('running');
	});
});
