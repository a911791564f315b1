/**
 * The VideoSDK Polling Trigger in a published workflow under `n8n start`, with a fake API that never
 * calls back: runs start only because n8n asked. Activation polls at once (n8n's minimum Poll Time
 * is a minute), so the test makes n8n poll by publishing the workflow again and by restarting n8n.
 */
import type { MergeJob } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { E2eInstance, ENDED_STATUSES, polledJobIds, videoSdkPollingTrigger } from './instance';

let n8n: E2eInstance;
let workflowId: string;

beforeAll(async () => {
	n8n = await E2eInstance.create({ autoWebhooks: false });
	workflowId = await n8n.importWorkflow('e2e polling trigger', [videoSdkPollingTrigger()]);
	await n8n.start();
});
afterAll(async () => await n8n?.dispose());

const running = (count: number): MergeJob[] =>
	n8n.api.seedMerges(count, { status: 'running', end: undefined, file: undefined });

const listRequests = () => n8n.api.requests.filter((request) => request.path === API_PATHS.merge).length;

/** The jobs of the workflow's runs once `count` have ended, after room for any that should not exist. */
async function runsAfter(count: number): Promise<string[]> {
	await n8n.waitForExecutions(workflowId, count, ENDED_STATUSES, 120_000);
	await new Promise((resolve) => setTimeout(resolve, 3_000));
	const executions = await n8n.executions(workflowId);
	expect(executions.map((execution) => execution.status)).toEqual(executions.map(() => 'success'));
	return polledJobIds(executions);
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
async function pollNow() {
	const before = listRequests();
	await n8n.unpublish(workflowId);
	await n8n.publish(workflowId);
	await polledSince(before);
}

describe('VideoSDK Polling Trigger in a published workflow', () => {
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
		const firstFive = await runsAfter(5);
		expect([...firstFive].sort()).toEqual(jobs.slice(0, 5).map((job) => job.id).sort());

		// n8n stops; three more end meanwhile; n8n starts again and polls on activation.
		await n8n.server!.stop();
		for (const job of jobs.slice(5)) n8n.api.endMerge(job.id);
		await n8n.start();
		const all = await runsAfter(8);
		expect(all.slice(0, 5)).toEqual(firstFive);
		expect([...all.slice(5)].sort()).toEqual(jobs.slice(5).map((job) => job.id).sort());

		// Another poll finds nothing new.
		await pollNow();
		expect(await runsAfter(8)).toEqual(all);
	});
});
