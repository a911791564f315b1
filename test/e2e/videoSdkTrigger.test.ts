/**
 * The VideoSDK Trigger in a published workflow under `n8n start`, and the whole loop: a merge whose
 * webhookUrl is the trigger's production URL starts the trigger's workflow for that job.
 */
import type { MergeWebhookPayload } from '../../nodes/VideoSdk/helpers/interfaces';
import type { Collector } from './collector';
import { postTo, startCollector } from './collector';
import { E2eInstance, GOOD_CREDENTIAL, manualTrigger, videoSdkNode } from './instance';

const BOTH_EVENTS = 'e2e-both-events';
const COMPLETED_ONLY = 'e2e-completed-only';

let n8n: E2eInstance;
let collector: Collector;

const trigger = (webhookId: string, events: string[]) => ({
	name: 'VideoSDK Trigger',
	type: 'n8n-nodes-videosdk.videoSdkTrigger',
	typeVersion: 1,
	webhookId,
	parameters: { events, verifySignature: true },
	credentials: { videoSdkApi: GOOD_CREDENTIAL },
});

beforeAll(async () => {
	n8n = await E2eInstance.create();
	collector = await startCollector();
	for (const [webhookId, events] of [
		[BOTH_EVENTS, ['merge-recording-completed', 'merge-recording-failed']],
		[COMPLETED_ONLY, ['merge-recording-completed']],
	] as const) {
		const id = await n8n.importWorkflow(`e2e trigger ${webhookId}`, [
			trigger(webhookId, [...events]),
			{ ...postTo(`${collector.url}?workflow=${webhookId}`) },
		]);
		await n8n.publish(id);
	}
	await n8n.start([BOTH_EVENTS, COMPLETED_ONLY]);
});
afterAll(async () => {
	await n8n?.dispose();
	await collector?.close();
});
beforeEach(() => {
	collector.received.length = 0;
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
	it('starts exactly one run per signed event, carrying webhookType and data', async () => {
		const url = n8n.webhookUrl(BOTH_EVENTS);
		expect((await n8n.api.sendWebhook(url, completed('job-completed'))).status).toBe(200);
		expect((await n8n.api.sendWebhook(url, failed('job-failed'))).status).toBe(200);

		const runs = await runsAfter(2);
		expect(runs).toHaveLength(2);
		expect(runs).toEqual(expect.arrayContaining([completed('job-completed'), failed('job-failed')]));
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
			},
		]);
		expect(n8n.api.webhookDeliveries.map((delivery) => delivery.status)).toEqual([200]);
	});
});
