/**
 * The VideoSDK Polling Trigger in a published workflow under `n8n start`, with a fake API that never
 * calls back: runs start only because n8n asked. Activation polls at once (n8n's minimum Poll Time
 * is a minute), so the test makes n8n poll by publishing the workflow again and by restarting n8n.
 */
import type { MergeJob } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { loadExample } from '../../scripts/examples';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import { E2eInstance, ENDED_STATUSES, GOOD_CREDENTIAL, polledJobIds, videoSdkPollingTrigger } from './instance';

let n8n: E2eInstance;
let workflowId: string;

beforeAll(async () => {
	n8n = await E2eInstance.create({ autoWebhooks: false });
	workflowId = await n8n.importWorkflow('e2e polling trigger', [videoSdkPollingTrigger()]);
	await n8n.start();
});
afterAll(async () => await n8n?.dispose());

const running = (count: number): MergeJob[] =>
	n8n.api.seedMerges(count, { status: 'running' });

const listRequests = () => n8n.api.requests.filter((request) => request.path === API_PATHS.merge).length;

/** The jobs of the workflow's runs once `count` have ended, after room for any that should not exist. */
async function runsAfter(count: number, workflow = workflowId) {
	await n8n.waitForExecutions(workflow, count, ENDED_STATUSES, 120_000);
	await new Promise((resolve) => setTimeout(resolve, 3_000));
	const executions = await n8n.executions(workflow);
	expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
	return executions;
}

/** Waits until n8n has asked for the list of merge jobs more than `before` times. */
async function polledSince(before: number, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (listRequests() <= before) {
		if (Date.now() > deadline) throw new Error(`n8n did not poll within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Unpublishes and publishes the workflow: n8n polls once on activation. */
async function pollNow(workflow = workflowId) {
	const before = listRequests();
	await n8n.unpublish(workflow);
	await n8n.publish(workflow);
	await polledSince(before);
}

describe('VideoSDK Polling Trigger in a published workflow', () => {
	it('is loaded by n8n as a polling trigger, with its codex', () => {
		const types = n8n.loadedTypes();
		const polling = types.nodeTypes.find(({ name }) => name === 'n8n-nodes-videosdk.videoSdkPollingTrigger');
		expect(polling).toMatchObject({ polling: true, group: ['trigger'] });
		expect(polling?.codex?.alias).toEqual(expect.arrayContaining(['poll', 'merge']));
	});

	it('starts one run per job that ends, none for jobs ended before publishing, and exactly the jobs that ended while n8n was stopped after it restarts', async () => {
		const endedBefore = running(2);
		for (const job of endedBefore) n8n.api.endMerge(job.id, { end: new Date(Date.now() - 60_000) });
		const jobs = running(8);
		await n8n.publish(workflowId);
		await polledSince(0);

		// Five end; unpublishing and publishing again keeps the place (static data).
		for (const [index, job] of jobs.slice(0, 5).entries()) {
			n8n.api.endMerge(job.id, { status: index === 1 ? 'failed' : 'completed' });
		}
		await pollNow();
		const firstFive = polledJobIds(await runsAfter(5));
		expect([...firstFive].sort()).toEqual(jobs.slice(0, 5).map((job) => job.id).sort());

		// n8n stops; three more end meanwhile; n8n starts again and polls on activation.
		await n8n.server!.stop();
		for (const job of jobs.slice(5)) n8n.api.endMerge(job.id);
		await n8n.start();
		const all = polledJobIds(await runsAfter(8));
		expect(all.slice(0, 5)).toEqual(firstFive);
		expect([...all.slice(5)].sort()).toEqual(jobs.slice(5).map((job) => job.id).sort());

		// Another poll finds nothing new.
		await pollNow();
		expect(polledJobIds(await runsAfter(8))).toEqual(all);
	});

	it('runs examples/merge-ended-polling.json as a user imports it: a run per ended job, the mp3 with the completed one', async () => {
		const jobs = running(2);
		const exampleId = await n8n.importWorkflowJson(loadExample('merge-ended-polling.json', GOOD_CREDENTIAL));
		const before = listRequests();
		await n8n.publish(exampleId);
		await polledSince(before);
		n8n.api.endMerge(jobs[0].id);
		n8n.api.endMerge(jobs[1].id, { status: 'failed' });
		await pollNow(exampleId);

		const executions = await runsAfter(2, exampleId);
		const outputs = executions.map((execution) => execution.data.resultData.runData['What ended'][0].data!.main[0][0].json);
		expect(outputs).toHaveLength(2);
		expect(outputs).toEqual(
			expect.arrayContaining([
				{ jobId: jobs[0].id, status: 'completed', durationSeconds: 1 },
				{ jobId: jobs[1].id, status: 'failed', durationSeconds: 0 },
			]),
		);
		const [completed] = executions[outputs.findIndex((output) => output.status === 'completed')].data.resultData.runData[
			'Merge ended'
		][0].data!.main[0];
		expect(completed.binary?.data).toMatchObject({ fileName: `${jobs[0].id}.mp3`, mimeType: 'audio/mpeg' });
		expect((await n8n.binaryData(completed.binary!.data)).equals(silentMp3())).toBe(true);
	});

	it("shows the newest ended job as the editor's test event, started by hand", async () => {
		// Unpublished, so that no Poll Time starts a run of its own meanwhile.
		await n8n.unpublish(workflowId);
		const [newest] = running(1);
		n8n.api.endMerge(newest.id, { end: new Date(Date.now() + 60_000) });
		const before = (await n8n.executions(workflowId)).length;
		const executionId = await n8n.runManually(workflowId, 'VideoSDK Polling Trigger');
		const executions = await n8n.waitForExecutions(workflowId, before + 1, ENDED_STATUSES);
		const execution = executions.find((stored) => stored.id === executionId);
		expect(execution).toMatchObject({ mode: 'manual', status: 'success' });
		expect(polledJobIds([execution!])).toEqual([newest.id]);
	});
});
