/**
 * The VideoSDK Trigger in a published workflow under `n8n start`, and the whole loop: a merge whose
 * webhookUrl is the trigger's production URL starts the trigger's workflow for that job.
 */
import type { MergeWebhookPayload } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import type { Collector } from './collector';
import { postBinaryTo, postTo, startCollector } from './collector';
import type { StoredExecution } from './instance';
import { E2eInstance, ENDED_STATUSES, manualTrigger, videoSdkNode, videoSdkTrigger } from './instance';

const BOTH_EVENTS = 'e2e-both-events';
const COMPLETED_ONLY = 'e2e-completed-only';
const WITH_FILE = 'e2e-with-file';

let n8n: E2eInstance;
let collector: Collector;
let withFileWorkflowId: string;

beforeAll(async () => {
	n8n = await E2eInstance.create();
	collector = await startCollector();
	await n8n.start();
	for (const [webhookId, events] of [
		[BOTH_EVENTS, ['merge-recording-completed', 'merge-recording-failed']],
		[COMPLETED_ONLY, ['merge-recording-completed']],
	] as const) {
		const id = await n8n.importWorkflow(`e2e trigger ${webhookId}`, [
			videoSdkTrigger(webhookId, [...events]),
			{ ...postTo(`${collector.url}?workflow=${webhookId}`) },
		]);
		await n8n.publish(id);
	}
	// The file goes on as an upload node would send it; the URL carries what the output's JSON says.
	withFileWorkflowId = await n8n.importWorkflow('e2e trigger with the merged file', [
		videoSdkTrigger(WITH_FILE, ['merge-recording-completed', 'merge-recording-failed'], {
			includeRecording: true,
			downloadFile: true,
		}),
		postBinaryTo(
			collector.url,
			'data',
			'fileUrl={{ encodeURIComponent($json.recording.file.fileUrl) }}&fileName={{ encodeURIComponent($binary.data.fileName) }}',
		),
	]);
	await n8n.publish(withFileWorkflowId);
	await n8n.waitForWebhooks([BOTH_EVENTS, COMPLETED_ONLY, WITH_FILE]);
});
afterAll(async () => {
	await n8n?.dispose();
	await collector?.close();
});
beforeEach(() => {
	collector.received.length = 0;
	collector.raw.length = 0;
});

const completed = (id: string): MergeWebhookPayload => ({
	webhookType: 'merge-recording-completed',
	data: { id, meetingId: 'abc-defg-hij', sessionId: 'session-e2e' },
});
const failed = (id: string): MergeWebhookPayload => ({
	webhookType: 'merge-recording-failed',
	data: { id, meetingId: 'abc-defg-hij', sessionId: 'session-e2e', message: 'No audio track' },
});

/** Runs started by the calls so far, once n8n had time to start any it would. */
async function runsAfter(expected: number) {
	await collector.waitFor(expected, 20_000);
	await new Promise((resolve) => setTimeout(resolve, 1500)); // room for a run that should not exist
	return [...collector.received];
}

describe('VideoSDK Trigger in a published workflow', () => {
	it('starts exactly one run per confirmed event, carrying webhookType, data and the job as VideoSDK reports it', async () => {
		const [done] = n8n.api.seedMerges(1);
		const [broken] = n8n.api.seedMerges(1, { status: 'failed', file: undefined });
		const url = n8n.webhookUrl(BOTH_EVENTS);
		expect((await n8n.api.sendWebhook(url, completed(done.id))).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, failed(broken.id))).status).toBe(200);

		const runs = await runsAfter(2);
		expect(runs).toHaveLength(2);
		expect(runs).toEqual(
			expect.arrayContaining([
				{ ...completed(done.id), recording: { ...done } },
				{ ...failed(broken.id), recording: { ...broken } },
			]),
		);
	});

	it("answers 200 and starts nothing for a signed event about a job the credential's account cannot see", async () => {
		const before = await n8n.executions();
		const url = n8n.webhookUrl(BOTH_EVENTS);

		const response = await n8n.api.sendWebhook(url, completed('job-of-another-account'));

		expect(response.status).toBe(200);
		expect(n8n.api.requests.filter((request) => request.path === API_PATHS.mergeJob('job-of-another-account'))).toHaveLength(1);
		expect(await runsAfter(0)).toHaveLength(0);
		expect(await n8n.executions()).toHaveLength(before.length);
	});

	it('acknowledges an unselected event and starts nothing', async () => {
		const response = await n8n.api.sendWebhook(n8n.webhookUrl(COMPLETED_ONLY), failed('job-ignored'));
		expect(response.status).toBe(200);
		expect(await runsAfter(0)).toHaveLength(0);
	});

	it('refuses bad and missing signatures with 401 and starts nothing', async () => {
		const url = n8n.webhookUrl(BOTH_EVENTS);
		const forged = await n8n.api.sendWebhook(url, completed('job-forged'), { signature: 'invalid' });
		const unsigned = await n8n.api.sendWebhook(url, completed('job-unsigned'), { signature: 'none' });
		expect([forged.status, unsigned.status]).toEqual([401, 401]);
		expect(await runsAfter(0)).toHaveLength(0);
	});

	it('refuses malformed bodies with a 4xx and starts nothing', async () => {
		const url = n8n.webhookUrl(BOTH_EVENTS);
		// Broken JSON never reaches the node: n8n's body parser answers 422 itself.
		const broken = await n8n.api.sendWebhook(url, completed('x'), { rawBody: '{"webhookType": ' });
		const untyped = await n8n.api.sendWebhook(url, completed('x'), { rawBody: '{"data":{"id":"x"}}' });
		expect([broken.status, untyped.status]).toEqual([422, 400]);
		expect(await runsAfter(0)).toHaveLength(0);
	});

	it('starts one run per job end: the same signed body again, a redelivery of it, and after an n8n restart start nothing', async () => {
		const [job] = n8n.api.seedMerges(1);
		const [other] = n8n.api.seedMerges(1, { status: 'failed', file: undefined });
		const [later] = n8n.api.seedMerges(1);
		const runOf = (payload: MergeWebhookPayload, recording: object) => ({ ...payload, recording: { ...recording } });
		const url = n8n.webhookUrl(BOTH_EVENTS);
		const body = JSON.stringify(completed(job.id));
		// VideoSDK's redelivery is the same event; its bytes may differ (here, spacing).
		const redelivery = JSON.stringify(completed(job.id), null, 1);
		expect((await n8n.api.sendWebhook(url, completed('x'), { rawBody: body })).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, completed('x'), { rawBody: body })).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, completed('x'), { rawBody: redelivery })).status).toBe(200);
		// Another job's end is another event: it starts its own run.
		expect((await n8n.api.sendWebhook(url, failed(other.id))).status).toBe(200);
		const runs = await runsAfter(2);
		expect(runs).toHaveLength(2);
		expect(runs).toEqual(expect.arrayContaining([runOf(completed(job.id), job), runOf(failed(other.id), other)]));

		// What is claimed is kept with the workflow, not only in the process: a restarted n8n knows it.
		collector.received.length = 0;
		await n8n.server!.stop();
		await n8n.start([BOTH_EVENTS, COMPLETED_ONLY, WITH_FILE]);
		expect((await n8n.api.sendWebhook(url, completed('x'), { rawBody: body })).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, failed(other.id))).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, completed(later.id))).status).toBe(200);
		expect(await runsAfter(1)).toEqual([runOf(completed(later.id), later)]);
	});

	it('closes the loop: a merge sent to the trigger\'s URL starts its workflow for that job', async () => {
		const id = await n8n.importWorkflow('e2e full loop', [
			manualTrigger,
			videoSdkNode('Merge', {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: 'session-loop',
				specifyChannels: 'json',
				channel1Json: '["host"]',
				channel2Json: '["guest"]',
				webhookUrl: n8n.webhookUrl(BOTH_EVENTS),
			}),
		]);
		const result = await n8n.execute(id);
		expect(result.successful).toBe(true);
		const jobId = result.run?.data.resultData.runData.Merge[0].data?.main[0][0].json.id;

		const runs = await runsAfter(1);
		expect(runs).toEqual([
			{
				webhookType: 'merge-recording-completed',
				data: { id: jobId, meetingId: expect.any(String), sessionId: 'session-loop' },
				recording: expect.objectContaining({ id: jobId, status: 'completed' }),
			},
		]);
		expect(n8n.api.webhookDeliveries.map((delivery) => delivery.status)).toEqual([200]);
	});
});

describe('VideoSDK Trigger with Include Merge Job and Download File', () => {
	const fileDownloads = (jobId: string) => n8n.api.fileRequests.filter((request) => request.path.includes(jobId));

	/** The executions n8n stores after `since`, once it has stored `count` of them as ended. */
	async function newExecutions(since: StoredExecution[], count: number): Promise<StoredExecution[]> {
		const deadline = Date.now() + 20_000;
		for (;;) {
			const added = (await n8n.executions(withFileWorkflowId)).slice(since.length);
			const ended = added.filter((execution) => ENDED_STATUSES.includes(execution.status));
			if (ended.length >= count || Date.now() > deadline) return added;
			await new Promise((resolve) => setTimeout(resolve, 300));
		}
	}

	it('hands the job and the exact mp3 to the next node, which uploads it', async () => {
		const [job] = n8n.api.seedMerges(1);

		const response = await n8n.api.sendWebhook(n8n.webhookUrl(WITH_FILE), completed(job.id));

		expect(response.status).toBe(200);
		await collector.waitFor(1, 20_000);
		expect(collector.raw).toHaveLength(1);
		const [upload] = collector.raw;
		const query = new URL(upload.url, collector.url).searchParams;
		expect(query.get('fileUrl')).toBe(job.file!.fileUrl);
		expect(query.get('fileName')).toBe(`${job.id}.mp3`);
		expect(upload.contentType).toBe('audio/mpeg');
		expect(upload.body.equals(silentMp3())).toBe(true);
		expect(fileDownloads(job.id)).toHaveLength(1);
		expect(fileDownloads(job.id)[0].authorization).toBeUndefined();
	});

	it('answers 500 when the file cannot be fetched: no run goes on, a failed execution is stored', async () => {
		const before = await n8n.executions(withFileWorkflowId);
		const [job] = n8n.api.seedMerges(1);
		n8n.api.failNext(new URL(job.file!.fileUrl).pathname, { status: 500, body: { message: 'storage down' } });

		const response = await n8n.api.sendWebhook(n8n.webhookUrl(WITH_FILE), completed(job.id));

		// n8n answers in its own words, not the node's: nothing of the error reaches the caller.
		expect(response.status).toBe(500);
		expect(JSON.parse(response.body)).toMatchObject({
			message: 'Workflow Webhook Error: Workflow could not be started!',
		});
		expect(await runsAfter(0)).toHaveLength(0);
		expect(await newExecutions(before, 1)).toEqual([
			expect.objectContaining({ status: 'error', mode: 'webhook' }),
		]);
		const stored = n8n.storedText();
		expect(stored).toContain(`Could not download the merged file of job ${job.id} from ${new URL(job.file!.fileUrl).host}: the storage answered 500`);
		const tokens = n8n.api.requests.map((request) => request.authorization).filter((token) => !!token);
		for (const secret of [n8n.api.secretKey, ...new Set(tokens)]) {
			expect(stored).not.toContain(secret);
			expect(response.body).not.toContain(secret);
		}
	});
});
