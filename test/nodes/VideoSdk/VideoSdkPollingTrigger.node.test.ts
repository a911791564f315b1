import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { MergeJob } from '../../../nodes/VideoSdk/api';
import { API_PATHS } from '../../../nodes/VideoSdk/api';
import { LATE_LISTING_GRACE_MS } from '../../../nodes/VideoSdk/actions/mergeRecording/endedJobs';
import { VideoSdkPollingTrigger } from '../../../nodes/VideoSdk/VideoSdkPollingTrigger.node';
import { silentMp3 } from '../../../scripts/fake-videosdk/mp3';
import type { PollRun } from '../../../scripts/harness';
import { runPoll } from '../../../scripts/harness';
import { useFakeApi } from '../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const BOTH = { events: ['merge-recording-completed', 'merge-recording-failed'] };
const HOUR = 3_600_000;

/** Merge jobs still running, as VideoSDK lists them before they end. */
const runningJobs = (count: number): MergeJob[] =>
	fake.api.seedMerges(count, { status: 'running' });

const endAgo = (job: MergeJob, ms: number, status: 'completed' | 'failed' = 'completed') =>
	fake.api.endMerge(job.id, { status, end: new Date(Date.now() - ms) });

/** Ends a job `ms` after now: a poll a moment ago came before it, whatever the machine's speed. */
const endIn = (job: MergeJob, ms: number, status: 'completed' | 'failed' = 'completed') => endAgo(job, -ms, status);

/** One poll in mode `trigger`, with the static data n8n saved after the poll before. */
const poll = async (staticData: IDataObject | undefined, parameters: INodeParameters = BOTH, mode?: 'manual') =>
	await runPoll({ parameters, credentials: fake.credentials, staticData, mode });

/** The merge job IDs of the runs a poll started, in order. */
const runIds = (run: PollRun) =>
	run.emitted.map((data) => {
		expect(data).toHaveLength(1);
		expect(data[0]).toHaveLength(1);
		return ((data[0][0].json.data as IDataObject).id as string);
	});

const listRequests = () => fake.api.requests.filter((request) => request.path === API_PATHS.merge);

describe('VideoSdkPollingTrigger', () => {
	it('is a polling trigger of its own, registered in the package with a codex', () => {
		const { description } = new VideoSdkPollingTrigger();
		expect(description.name).toBe('videoSdkPollingTrigger');
		expect(description.polling).toBe(true);
		expect(description.webhooks).toBeUndefined();
		expect(description.credentials).toEqual([{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }]);
		const root = join(__dirname, '../../..');
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
		expect(pkg.n8n.nodes).toContain('dist/nodes/VideoSdk/VideoSdkPollingTrigger.node.js');
		const codex = JSON.parse(readFileSync(join(root, 'nodes/VideoSdk/VideoSdkPollingTrigger.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-videosdk.videoSdkPollingTrigger');
	});

	it('starts from now on its first activation, then one run per job that ends, each once', async () => {
		const jobs = runningJobs(4);
		endAgo(jobs[0], 60_000);
		const first = await poll(undefined);
		expect(first.emitted).toEqual([]);
		expect(first.returned).toBeNull();
		expect(first.staticData).toEqual({
			'node:Node Under Test': { endedSince: expect.any(Number), reported: {} },
		});

		endAgo(jobs[2], 0, 'failed');
		endAgo(jobs[1], 0);
		const second = await poll(first.staticData);
		expect(runIds(second).sort()).toEqual([jobs[1].id, jobs[2].id].sort());
		const failedItem = second.emitted.flat(2).find((item) => item.json.webhookType === 'merge-recording-failed');
		expect(failedItem?.json).toMatchObject({
			data: { id: jobs[2].id, meetingId: jobs[2].meetingId, sessionId: jobs[2].sessionId },
			recording: { id: jobs[2].id, status: 'failed' },
		});

		const third = await poll(second.staticData);
		expect(third.emitted).toEqual([]);
	});

	it('keeps its place across a restart: jobs that ended while n8n was down start once after it', async () => {
		const jobs = runningJobs(3);
		const before = await poll(undefined);
		// n8n stopped: its static data is what it saved; three jobs end meanwhile.
		const saved = JSON.parse(JSON.stringify(before.staticData)) as IDataObject;
		jobs.forEach((job, index) => endIn(job, index));
		const afterRestart = await poll(saved);
		expect(runIds(afterRestart).sort()).toEqual(jobs.map((job) => job.id).sort());
		expect(runIds(await poll(afterRestart.staticData))).toEqual([]);
	});

	it('starts a job that VideoSDK lists as ended only after a poll that came after its end', async () => {
		const jobs = runningJobs(2);
		// Published two hours ago.
		const first = await poll({ 'node:Node Under Test': { endedSince: Date.now() - 2 * HOUR, reported: {} } });
		const second = await poll(first.staticData);
		// Its end is before both polls (the list lagged, or VideoSDK's clock runs behind n8n's).
		endAgo(jobs[0], LATE_LISTING_GRACE_MS / 2);
		expect(runIds(await poll(second.staticData))).toEqual([jobs[0].id]);
	});

	it('reads every page, in either order VideoSDK lists, and starts each job once, oldest end first', async () => {
		for (const order of ['oldestFirst', 'newestFirst'] as const) {
			fake.api.reset();
			fake.api.mergeOrder = order;
			const jobs = runningJobs(250);
			const start = await poll(undefined);
			// Ends in the reverse of creation order, so neither list order is the order of ending.
			const now = Date.now();
			jobs.forEach((job, index) => fake.api.endMerge(job.id, { end: new Date(now + jobs.length - index) }));
			fake.api.requests.length = 0;
			const run = await poll(start.staticData);
			expect(listRequests().map((request) => request.query.page)).toEqual(['1', '2', '3']);
			expect(listRequests().every((request) => request.query.perPage === '100')).toBe(true);
			expect(runIds(run)).toEqual(jobs.map((job) => job.id).reverse());
		}
	});

	it('misses no job and repeats none when jobs end and start while a poll reads the pages', async () => {
		fake.api.mergeOrder = 'newestFirst';
		const jobs = runningJobs(150);
		const start = await poll(undefined);
		endAgo(jobs[149], 0);
		let during: MergeJob | undefined;
		// Between page 1 and page 2: a job listed on page 1 as running ends, and a new one starts
		// and ends (newest first, it shifts every job one place later: page 2 repeats page 1's last).
		fake.api.failNext(
			(request) => {
				if (request.path === API_PATHS.merge && request.query.page === '2' && !during) {
					endAgo(jobs[120], 0);
					during = runningJobs(1)[0];
					endAgo(during, 0, 'failed');
				}
				return false;
			},
			{ status: 500 },
		);
		const first = await poll(start.staticData);
		const second = await poll(first.staticData);
		const third = await poll(second.staticData);
		const all = [...runIds(first), ...runIds(second), ...runIds(third)];
		expect(all.sort()).toEqual([jobs[149].id, jobs[120].id, during!.id].sort());
		expect(runIds(first)).toContain(jobs[149].id);
	});

	it('includes jobs that ended in the last N hours on its first poll, and checks N', async () => {
		const jobs = runningJobs(3);
		endAgo(jobs[0], 3 * HOUR);
		endAgo(jobs[1], HOUR);
		endAgo(jobs[2], 60_000);
		const run = await poll(undefined, { ...BOTH, options: { lookbackHours: 2 } });
		expect(runIds(run)).toEqual([jobs[1].id, jobs[2].id]);
		// The option counts only before the first poll: the cursor is kept after it.
		const again = await poll(run.staticData, { ...BOTH, options: { lookbackHours: 168 } });
		expect(runIds(again)).toEqual([]);

		for (const lookbackHours of [169, -1, 'soon']) {
			fake.api.requests.length = 0;
			expect((await poll(undefined, { ...BOTH, options: { lookbackHours } })).error?.message).toMatch(
				/Include Jobs Ended in the Last \(Hours\) must be a number from 0 to 168/,
			);
			expect(fake.api.requests).toHaveLength(0);
		}
	});

	it('asks only for the status chosen, and starts runs only for it', async () => {
		const jobs = runningJobs(2);
		const start = await poll(undefined);
		endAgo(jobs[0], 0, 'failed');
		endAgo(jobs[1], 0);
		fake.api.requests.length = 0;
		const run = await poll(start.staticData, { events: ['merge-recording-failed'] });
		expect(listRequests().map((request) => request.query.status)).toEqual(['failed']);
		expect(runIds(run)).toEqual([jobs[0].id]);
		expect((await poll(undefined, { events: [] })).error?.message).toBe('Choose at least one of the Events');
	});

	it("shows the newest ended job as the editor's test event, and keeps no state for it", async () => {
		const jobs = runningJobs(3);
		endAgo(jobs[0], 2 * HOUR);
		endAgo(jobs[1], 60_000, 'failed');
		endAgo(jobs[2], 30 * HOUR);
		const run = await poll(undefined, BOTH, 'manual');
		expect(run.emitted).toEqual([]);
		expect(run.returned).toHaveLength(1);
		expect(run.returned![0]).toHaveLength(1);
		expect(run.returned![0][0].json).toMatchObject({ webhookType: 'merge-recording-failed', data: { id: jobs[1].id } });
		expect(run.staticData).toEqual({});
		expect(fake.api.requests.filter((request) => request.path === API_PATHS.merge)).toHaveLength(1);
		expect((await poll(undefined, { events: ['merge-recording-completed'] }, 'manual')).returned![0][0].json).toMatchObject({
			data: { id: jobs[0].id },
		});
	});

	it('downloads the mp3 of completed jobs as the webhook trigger does; a failing download waits for the next poll', async () => {
		const jobs = runningJobs(3);
		const options = { downloadFile: true, binaryPropertyName: 'audio' };
		const parameters = { ...BOTH, options };
		const start = await poll(undefined, parameters);
		endIn(jobs[0], 1);
		endIn(jobs[1], 2, 'failed');
		endIn(jobs[2], 3);
		fake.api.failNext(`/files/${jobs[2].id}.mp3`, { status: 404, body: { message: 'gone' }, times: 2 });
		const failing = await poll(start.staticData, parameters);
		expect(failing.error?.message).toMatch(/Could not download the merged file of job/);
		// The runs before the failing job started; it stays new.
		expect(runIds(failing)).toEqual([jobs[0].id, jobs[1].id]);
		const [completed, failed] = failing.emitted.map((data) => data[0][0]);
		expect(completed.binary?.audio).toMatchObject({ mimeType: 'audio/mpeg', fileName: `${jobs[0].id}.mp3` });
		expect(Buffer.from(completed.binary!.audio.data, 'base64')).toEqual(silentMp3());
		expect(failed.binary).toBeUndefined();

		const retried = await poll(failing.staticData, parameters);
		expect(retried.error?.message).toMatch(/Could not download/);
		expect(retried.emitted).toEqual([]);
		const recovered = await poll(retried.staticData, parameters);
		expect(recovered.error).toBeUndefined();
		expect(runIds(recovered)).toEqual([jobs[2].id]);
	});
});
