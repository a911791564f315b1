/**
 * The package in n8n queue mode: Redis, Postgres, a main process, two `n8n worker`s and two
 * `n8n webhook` processes (A, `webhook`, and B, `webhook-2`, as behind a load balancer), each with
 * its own user folder and the package. VideoSDK's calls go to the webhook processes (A unless a
 * test says B); workers run the executions. Which process did what is read from their logs, the
 * only place n8n says it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { MergeJob } from '../../nodes/VideoSdk/api';
import { REPO_ROOT, waitForWebhook } from '../../scripts/localN8n';
import { QueueCluster } from '../../scripts/queueN8n';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import type { FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import type { Collector } from './collector';
import { postBinaryTo, postTo, startCollector } from './collector';
import type { StoredExecution, WorkflowNode } from './instance';
import { E2eInstance, ENDED_STATUSES, mergeAndWaitWorkflow, polledJobIds, videoSdkPollingTrigger, videoSdkTrigger } from './instance';

const TRIGGER = 'queue-trigger';
const SLOW_TRIGGER = 'queue-slow-trigger';
const MERGE = 'queue-merge';
const POLL = 'queue-poll';
/**
 * Merges go to a second fake API that never calls back by itself: the test delivers VideoSDK's
 * signed callbacks once every run is seen paused. (A callback that reaches n8n before the worker
 * has saved the paused run is refused with 409 "The execution N is running already", and a fake
 * that finishes merges in seconds makes that race on a loaded machine.)
 */
const LATER_CREDENTIAL = { id: 'queueLaterCreden', name: 'VideoSDK (callbacks by hand)' };
const FAILURE_REASON = 'Recording of a participant could not be found';
const MERGE_FAILED_MESSAGE = `VideoSDK could not merge the recordings: ${FAILURE_REASON} [item 0]`;

const baseDir = mkdtempSync(join(tmpdir(), 'n8n-videosdk-queue-'));
let cluster: QueueCluster;
let n8n: E2eInstance;
let laterApi: FakeVideoSdkApi;
let collector: Collector;
const workflows: Record<string, string> = {};

const waitNode = (seconds: number): WorkflowNode => ({
	name: 'Wait',
	type: 'n8n-nodes-base.wait',
	typeVersion: 1.1,
	parameters: { resume: 'timeInterval', amount: seconds, unit: 'seconds' },
});
const uploadReport = () => postBinaryTo(collector.url, 'data', 'sessionId={{ $json.data.sessionId }}&jobId={{ $json.recording.id }}');

beforeAll(async () => {
	cluster = await QueueCluster.create({ baseDir, webhookProcesses: 2 });
	laterApi = await startFakeVideoSdkApi({ apiKey: 'queue-later-key', autoWebhooks: false });
	n8n = await E2eInstance.create({}, cluster.main, [
		{ ...LATER_CREDENTIAL, data: { apiKey: laterApi.apiKey, secretKey: laterApi.secretKey, baseUrl: laterApi.url } },
	]);
	collector = await startCollector();

	const definitions: Record<string, WorkflowNode[]> = {
		[TRIGGER]: [videoSdkTrigger(TRIGGER), postTo(`${collector.url}?workflow=${TRIGGER}`)],
		// Each run holds a worker's slot for 3 s, so a burst leaves jobs waiting in the queue.
		[SLOW_TRIGGER]: [videoSdkTrigger(SLOW_TRIGGER), waitNode(3), postTo(`${collector.url}?workflow=${SLOW_TRIGGER}`)],
		[MERGE]: mergeAndWaitWorkflow(MERGE, { downloadFile: true }, undefined, uploadReport(), LATER_CREDENTIAL),
		[POLL]: [videoSdkPollingTrigger()],
	};
	const ids = await n8n.importWorkflows(Object.entries(definitions).map(([path, nodes]) => ({ name: `queue ${path}`, nodes })));
	await cluster.start();
	// Published on main as the editor does; the webhook process finds them in the database.
	for (const [index, path] of Object.keys(definitions).entries()) {
		workflows[path] = ids[index];
		await n8n.publish(ids[index]);
	}
	for (const path of [TRIGGER, SLOW_TRIGGER]) await waitForWebhook(triggerUrl(path));
	await waitForWebhook(`${cluster.url('webhook')}/webhook/${MERGE}`);
});
afterAll(async () => {
	await cluster?.stop();
	await n8n?.dispose();
	await laterApi?.close();
	await collector?.close();
	if (!process.env.E2E_KEEP) rmSync(baseDir, { recursive: true, force: true });
});
beforeEach(() => {
	collector.received.length = 0;
	collector.raw.length = 0;
});

/** A trigger's production URL on a webhook process (main serves no production webhooks here). */
const triggerUrl = (webhookId: string, process = 'webhook') => `${cluster.url(process)}/webhook/${webhookId}/webhook`;
const PROCESS_B = 'webhook-2';

/** A completed event about job `id`, which the fake API then knows: the trigger confirms it. */
const completed = (id: string) => {
	const data = { id, meetingId: 'abc-defg-hij', sessionId: `session-${id}` };
	n8n.api.seedMerges(1, data);
	return { webhookType: 'merge-recording-completed', data };
};

/** Which worker started each execution, from their logs: an execution that paused is started twice. */
function startsByWorker(): Map<string, string[]> {
	const starts = new Map<string, string[]>();
	for (const worker of cluster.names('worker')) {
		for (const [, executionId] of cluster.logText(worker).matchAll(/Worker started execution (\d+) \(job/g)) {
			starts.set(executionId, [...(starts.get(executionId) ?? []), worker]);
		}
	}
	return starts;
}

const enqueuedByWebhookProcess = () =>
	new Set(
		cluster
			.names('webhook')
			.flatMap((process) => [...cluster.logText(process).matchAll(/Enqueued execution (\d+) \(job/g)].map(([, executionId]) => executionId)),
	);

/** Executions of a workflow once `count` of them have ended, after room for any that should not exist. */
async function settledExecutions(workflow: string, count: number, timeoutMs = 240_000): Promise<StoredExecution[]> {
	await n8n.waitForExecutions(workflows[workflow], count, ENDED_STATUSES, timeoutMs);
	await new Promise((resolve) => setTimeout(resolve, 3_000));
	return await n8n.executions(workflows[workflow]);
}

const sessionOf = (execution: StoredExecution) =>
	String(execution.data.resultData.runData.Sessions?.[0]?.data?.main[0][0]?.json.sessionId);

async function startMerges(path: string, sessions: string[]) {
	const statuses = await Promise.all(
		sessions.map(async (sessionId) => {
			const response = await fetch(`${cluster.url('webhook')}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ sessions: [sessionId] }),
			});
			return response.status;
		}),
	);
	expect(statuses).toEqual(sessions.map(() => 200));
}

/** The uploads of the merged file that runs made, by session: bytes and the job named in the URL. */
function uploadsBySession() {
	const uploads = new Map<string, Array<{ jobId: string | null; isTheMp3: boolean }>>();
	for (const request of collector.raw) {
		const query = new URL(request.url, 'http://127.0.0.1').searchParams;
		const sessionId = String(query.get('sessionId'));
		uploads.set(sessionId, [...(uploads.get(sessionId) ?? []), { jobId: query.get('jobId'), isTheMp3: request.body.equals(silentMp3()) }]);
	}
	return uploads;
}

const mergeOf = (sessionId: string) => [...laterApi.merges.values()].find((job) => job.sessionId === sessionId) as MergeJob;
const resumeUrlOf = (sessionId: string) =>
	String((laterApi.requests.find((request) => (request.body as { sessionId?: string })?.sessionId === sessionId)?.body as { webhookUrl?: string })?.webhookUrl);

/**
 * VideoSDK's signed callback for a session's merge, as the fake finished it, to the run's resume URL
 * on a webhook process (the one the worker named, A, unless told).
 */
async function callBack(sessionId: string, process = 'webhook') {
	// VideoSDK calls back once a job has ended: the fake ends each one after its delay, which a run
	// can outpace (seen in CI: a failing session's job still running, called back as completed).
	await laterApi.settled();
	const job = mergeOf(sessionId);
	const failed = job.status === 'failed';
	const data = { id: job.id, meetingId: job.meetingId, sessionId, ...(failed ? { message: FAILURE_REASON } : {}) };
	const payload = { webhookType: failed ? 'merge-recording-failed' : 'merge-recording-completed', data };
	const url = resumeUrlOf(sessionId).replace(cluster.url('webhook'), cluster.url(process));
	return (await laterApi.sendWebhook(url, payload)).status;
}

/** Starts one run per session at once; resolves when every one of them is paused. */
async function startPausedMerges(sessions: string[]) {
	const before = (await n8n.executions(workflows[MERGE])).length;
	await startMerges(MERGE, sessions);
	// Earlier runs of the workflow have ended: every waiting one is new.
	const executions = await n8n.waitForExecutions(workflows[MERGE], sessions.length, ['waiting'], 240_000);
	expect(executions.slice(before).map((execution) => execution.status)).toEqual(sessions.map(() => 'waiting'));
	return before;
}

describe('VideoSDK Trigger in queue mode', () => {
	it('runs 100 concurrent signed webhooks on the workers, each exactly once, and nothing for 20 forged ones', async () => {
		const url = triggerUrl(TRIGGER);
		const signed = Array.from({ length: 100 }, async (_, index) => (await n8n.api.sendWebhook(url, completed(`burst-${index}`))).status);
		const forged = Array.from(
			{ length: 20 },
			async (_, index) => (await n8n.api.sendWebhook(url, completed(`forged-${index}`), { signature: 'invalid' })).status,
		);
		const [signedStatuses, forgedStatuses] = await Promise.all([Promise.all(signed), Promise.all(forged)]);
		expect(signedStatuses).toEqual(Array(100).fill(200));
		expect(forgedStatuses).toEqual(Array(20).fill(401));

		const executions = await settledExecutions(TRIGGER, 100);
		expect(executions.map((execution) => execution.status)).toEqual(Array(100).fill('success'));
		await collector.waitFor(100);
		const ids = collector.received.map((run) => (run.data as { id: string }).id).sort();
		expect(ids).toEqual(Array.from({ length: 100 }, (_, index) => `burst-${index}`).sort());

		// The webhook process enqueued every one; the workers ran them, each exactly once, both some.
		const enqueued = enqueuedByWebhookProcess();
		const starts = startsByWorker();
		expect(executions.filter((execution) => !enqueued.has(execution.id))).toEqual([]);
		expect(executions.filter((execution) => starts.get(execution.id)?.length !== 1)).toEqual([]);
		const perWorker = cluster.names('worker').map((worker) => executions.filter((execution) => starts.get(execution.id)?.[0] === worker).length);
		expect(perWorker.every((count) => count > 0)).toBe(true);
		expect(perWorker.reduce((sum, count) => sum + count, 0)).toBe(100);
	});
});

describe('one run per job end across webhook processes', () => {
	it('the same signed body to webhook process A, then to B, then to A again starts one run', async () => {
		const before = (await n8n.executions(workflows[TRIGGER])).length;
		const event = completed('across-processes');
		expect((await n8n.api.sendWebhook(triggerUrl(TRIGGER), event)).status).toBe(200);
		// A saved the claim with the workflow before it answered; B reads the workflow per call.
		expect((await n8n.api.sendWebhook(triggerUrl(TRIGGER, PROCESS_B), event)).status).toBe(200);
		expect((await n8n.api.sendWebhook(triggerUrl(TRIGGER), event)).status).toBe(200);
		// B does start the runs of other job ends.
		expect((await n8n.api.sendWebhook(triggerUrl(TRIGGER, PROCESS_B), completed('on-b'))).status).toBe(200);

		const executions = (await settledExecutions(TRIGGER, before + 2)).slice(before);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success']);
		await collector.waitFor(2);
		expect(collector.received.map((run) => (run.data as { id: string }).id).sort()).toEqual(['across-processes', 'on-b']);
		expect([...cluster.logText(PROCESS_B).matchAll(/Enqueued execution (\d+) \(job/g)]).toHaveLength(1);
	});

	it('deliveries of one job end arriving together start at most one run per webhook process (README: the window)', async () => {
		const before = (await n8n.executions(workflows[TRIGGER])).length;
		const event = completed('together-on-a-and-b');
		const deliveries = ['webhook', 'webhook', 'webhook', PROCESS_B, PROCESS_B, PROCESS_B].map(async (process) => (await n8n.api.sendWebhook(triggerUrl(TRIGGER, process), event)).status);
		expect(await Promise.all(deliveries)).toEqual(Array(6).fill(200));
		const executions = (await settledExecutions(TRIGGER, before + 1)).slice(before);
		// Measured on this machine: 2 (each process claims once; neither sees the other's claim in time).
		expect(executions.length).toBeGreaterThanOrEqual(1);
		expect(executions.length).toBeLessThanOrEqual(2);
	});
});

describe('merge and wait in queue mode', () => {
	it('20 runs started at once each pause on a worker and resume once through the webhook process; a failed merge fails only its own run', async () => {
		const sessions = [...Array.from({ length: 19 }, (_, index) => `queue-ok-${index}`), 'queue-failing'];
		laterApi.failMerges('queue-failing', FAILURE_REASON);
		const before = await startPausedMerges(sessions);
		// Each run gave VideoSDK a resume URL on the webhook process (built from the worker's WEBHOOK_URL).
		for (const sessionId of sessions) expect(resumeUrlOf(sessionId)).toMatch(new RegExp(`^${cluster.url('webhook')}/webhook-waiting/\\d+\\?signature=`));

		const statuses = await Promise.all(sessions.map((sessionId) => callBack(sessionId)));
		expect(statuses).toEqual(sessions.map(() => 200));
		const executions = (await settledExecutions(MERGE, before + 20)).slice(before);
		expect(executions).toHaveLength(20);
		const bySession = new Map(executions.map((execution) => [sessionOf(execution), execution]));
		expect([...bySession.keys()].sort()).toEqual([...sessions].sort());

		// Each ran on a worker twice (up to the pause, then resumed as a job the webhook process enqueued).
		const starts = startsByWorker();
		const enqueued = enqueuedByWebhookProcess();
		for (const sessionId of sessions) {
			const execution = bySession.get(sessionId)!;
			expect(resumeUrlOf(sessionId)).toContain(`/webhook-waiting/${execution.id}?`);
			expect(starts.get(execution.id)).toHaveLength(2);
			expect(enqueued.has(execution.id)).toBe(true);
		}

		const failed = bySession.get('queue-failing')!;
		expect(failed.status).toBe('error');
		expect(failed.data.resultData.error?.message).toBe(MERGE_FAILED_MESSAGE);
		const succeeded = sessions.filter((sessionId) => sessionId !== 'queue-failing');
		expect(succeeded.filter((sessionId) => bySession.get(sessionId)!.status !== 'success')).toEqual([]);
		const uploads = uploadsBySession();
		expect([...uploads.keys()].sort()).toEqual([...succeeded].sort());
		for (const sessionId of succeeded) expect(uploads.get(sessionId)).toEqual([{ jobId: mergeOf(sessionId).id, isTheMp3: true }]);
	});

	it('resumes once when the final callbacks reach both webhook processes at once', async () => {
		const sessions = ['both-1', 'both-2'];
		const before = (await n8n.executions(workflows[MERGE])).length;
		// One run merging both sessions: it waits for both jobs.
		const response = await fetch(`${cluster.url('webhook')}/webhook/${MERGE}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ sessions }),
		});
		expect(response.status).toBe(200);
		// Earlier runs of the workflow have ended: the waiting one is new.
		const [paused] = (await n8n.waitForExecutions(workflows[MERGE], 1, ['waiting'], 240_000)).slice(before);
		expect(paused.status).toBe('waiting');

		// Both jobs have ended; each callback reaches A and B at the same moment.
		const statuses = await Promise.all(sessions.flatMap((sessionId) => [callBack(sessionId), callBack(sessionId, PROCESS_B)]));
		const executions = (await settledExecutions(MERGE, before + 1)).slice(before);
		expect(executions).toHaveLength(1);
		const [execution] = executions;
		expect(execution.status).toBe('success');
		// The node after the merge ran once, with both items, and uploaded each file once.
		expect(execution.data.resultData.runData['Upload file']).toHaveLength(1);
		const uploads = uploadsBySession();
		for (const sessionId of sessions) expect(uploads.get(sessionId)).toEqual([{ jobId: mergeOf(sessionId).id, isTheMp3: true }]);
		// Started on a worker twice: up to the pause, and the one resume.
		expect(startsByWorker().get(execution.id)).toHaveLength(2);
		// n8n answers the callbacks that lost: 200 from our node (this process resumed it already),
		// or n8n's own refusal (another process did).
		expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
		expect(statuses.filter((status) => status !== 200 && status !== 409 && status !== 500)).toEqual([]);
	});

	it('runs paused while the webhook process restarts resume on callbacks that come after the restart', async () => {
		const sessions = ['later-1', 'later-2', 'later-3'];
		const before = await startPausedMerges(sessions);

		await cluster.stopProcess('webhook');
		// While it is down, VideoSDK's callback cannot be delivered at all.
		await expect(callBack('later-1')).rejects.toThrow();
		await cluster.start(['webhook']);

		expect(await Promise.all(sessions.map((sessionId) => callBack(sessionId)))).toEqual([200, 200, 200]);
		const executions = (await settledExecutions(MERGE, before + 3)).slice(before);
		expect(executions.map((execution) => execution.status)).toEqual(['success', 'success', 'success']);
		const uploads = uploadsBySession();
		for (const sessionId of sessions) expect(uploads.get(sessionId)).toEqual([{ jobId: mergeOf(sessionId).id, isTheMp3: true }]);
	});
});

describe('VideoSDK Polling Trigger in queue mode', () => {
	it('polls on main, whose runs execute on the workers, one per job that ended, each exactly once', async () => {
		const jobs = n8n.api.seedMerges(4, { status: 'running' });
		for (const job of jobs) n8n.api.endMerge(job.id);
		// Published again on main: it polls at once (its Poll Time is every minute).
		await n8n.unpublish(workflows[POLL]);
		await n8n.publish(workflows[POLL]);

		const executions = await settledExecutions(POLL, 4, 120_000);
		expect(executions.map((execution) => execution.status)).toEqual(Array(4).fill('success'));
		expect(polledJobIds(executions).sort()).toEqual(jobs.map((job) => job.id).sort());
		const [main] = cluster.names('main');
		const enqueuedByMain = new Set([...cluster.logText(main).matchAll(/Enqueued execution (\d+) \(job/g)].map(([, id]) => id));
		const starts = startsByWorker();
		expect(executions.filter((execution) => !enqueuedByMain.has(execution.id))).toEqual([]);
		expect(executions.filter((execution) => enqueuedByWebhookProcess().has(execution.id))).toEqual([]);
		expect(executions.filter((execution) => starts.get(execution.id)?.length !== 1)).toEqual([]);
	});
});

describe('queue mode when a process goes away', () => {
	it('when a worker is stopped while jobs wait in the queue, the other worker runs all of them', async () => {
		const url = triggerUrl(SLOW_TRIGGER);
		const statuses = await Promise.all(Array.from({ length: 60 }, async (_, index) => (await n8n.api.sendWebhook(url, completed(`slow-${index}`))).status));
		expect(statuses).toEqual(Array(60).fill(200));
		const queued = async () => (await n8n.executions(workflows[SLOW_TRIGGER])).filter((execution) => execution.status === 'new').map(({ id }) => id);
		expect((await queued()).length).toBeGreaterThan(0);

		await cluster.stopProcess('worker-1'); // SIGTERM: it finishes the runs it holds and takes no more
		const leftInQueue = await queued();
		expect(leftInQueue.length).toBeGreaterThan(0);

		const executions = await settledExecutions(SLOW_TRIGGER, 60);
		expect(executions.map((execution) => execution.status)).toEqual(Array(60).fill('success'));
		const ids = collector.received.map((run) => (run.data as { id: string }).id).sort();
		expect(ids).toEqual(Array.from({ length: 60 }, (_, index) => `slow-${index}`).sort());
		const starts = startsByWorker();
		expect(executions.filter((execution) => starts.get(execution.id)?.length !== 1)).toEqual([]);
		expect(leftInQueue.filter((id) => starts.get(id)?.[0] !== 'worker-2')).toEqual([]);
	});

	it("a worker without the package fails the run with n8n's error, which README's troubleshooting names", async () => {
		for (const worker of cluster.names('worker')) await cluster.stopProcess(worker);
		await cluster.addMember('worker', 'worker-bare', { withPackage: false });
		await cluster.start(['worker-bare']);
		const before = (await n8n.executions(workflows[TRIGGER])).length;

		// The webhook process has the package: it verifies the call and queues the run.
		expect((await n8n.api.sendWebhook(triggerUrl(TRIGGER), completed('on-bare-worker'))).status).toBe(200);
		const executions = await settledExecutions(TRIGGER, before + 1, 120_000);
		const [execution] = executions.slice(before);
		expect(execution.status).toBe('error');
		const error = 'Unrecognized node type: n8n-nodes-videosdk.videoSdkTrigger';
		expect(cluster.logText('worker-bare')).toContain(error);
		expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').includes(error)).toBe(true);
		expect(collector.received).toEqual([]);
	});

	it('the secret and the token appear in no process log and no Postgres table', async () => {
		const tokens = [...new Set([...n8n.api.requests, ...laterApi.requests].map((request) => request.authorization).filter(Boolean))] as string[];
		expect(tokens.length).toBeGreaterThan(0);
		const secrets = [n8n.api.secretKey, laterApi.secretKey, ...tokens];
		const logs = cluster.logFiles();
		expect(logs.length).toBeGreaterThanOrEqual(7); // main, webhook, 3 workers, Redis, Postgres
		const stored = [...logs.map((file) => readFileSync(file).toString('latin1')), await cluster.databaseText()].join('\n');
		// (Booleans: a failing toContain would print every log and table.)
		expect(stored.includes('burst-99')).toBe(true); // the search does reach the stored run data
		expect(secrets.filter((secret) => stored.includes(secret))).toEqual([]);
	});
});
