import type { IDataObject, INodeParameters, IWebhookFunctions } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import type { MergeWebhookPayload } from '../../../../nodes/VideoSdk/api';
import { SIGNATURE_HEADER } from '../../../../nodes/VideoSdk/api';
import {
	JOB_END_MEMORY_MS,
	JOB_ENDS_FIELD,
	JOB_ENDS_KEPT,
	claimJobEnd,
	forgetClaimsInMemory,
	jobEndKey,
	markClaimsChanged,
} from '../../../../nodes/VideoSdk/webhooks/jobEnds';
import { clearPublicKeyCache } from '../../../../nodes/VideoSdk/webhooks/signature';
import { callWebhook } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });
beforeEach(() => {
	clearPublicKeyCache();
	forgetClaimsInMemory();
});

const completed = (id: string): MergeWebhookPayload => ({
	webhookType: 'merge-recording-completed',
	data: { id, meetingId: 'abc-defg-hij', sessionId: 'session-1' },
});
const failed = (id: string): MergeWebhookPayload => ({
	webhookType: 'merge-recording-failed',
	data: { id, meetingId: 'abc-defg-hij', sessionId: 'session-1', message: 'No audio' },
});

/** The workflow's static data as n8n loads it from its database for each request: a copy. */
const loaded = (saved: IDataObject = {}): IDataObject => JSON.parse(JSON.stringify(saved)) as IDataObject;

interface Delivery {
	staticData?: IDataObject;
	workflowId?: string;
	signature?: 'valid' | string;
	rawBody?: string;
	options?: IDataObject;
	events?: string[];
	/** Confirm With VideoSDK: off here, where the claim is under test, unless a test turns it on. */
	confirm?: boolean;
}

async function deliver(payload: unknown, { staticData = {}, workflowId, signature = 'valid', rawBody = JSON.stringify(payload), options, events, confirm = false }: Delivery = {}) {
	const headers = { [SIGNATURE_HEADER]: signature === 'valid' ? fake.api.signBody(rawBody) : signature };
	const parameters = {
		events: events ?? ['merge-recording-completed', 'merge-recording-failed', 'participant-recording-stopped'],
		verifySignature: true,
		confirmEvents: confirm,
		...(options ? { options } : {}),
	} as INodeParameters;
	const { result, response } = await callWebhook({ parameters, credentials: fake.credentials, rawBody, headers, staticData, workflowId });
	return { started: result.workflowData !== undefined, result, response, staticData };
}

const claimsIn = (staticData: IDataObject) => (staticData['node:Node Under Test'] as IDataObject | undefined)?.[JOB_ENDS_FIELD];

describe('one run per job end (the trigger)', () => {
	it('starts the first delivery of a job end only; later ones, with the same or other bytes, are acknowledged with 200', async () => {
		const staticData = {};
		const first = await deliver(completed('job-1'), { staticData });
		const again = await deliver(completed('job-1'), { staticData });
		const respaced = await deliver(completed('job-1'), { staticData, rawBody: JSON.stringify(completed('job-1'), null, 2) });

		expect([first.started, again.started, respaced.started]).toEqual([true, false, false]);
		expect(again.result).toEqual({});
		expect(again.response.ended).toBe(false); // n8n answers 200 itself
	});

	it("the job's other end, another job, and the same job in another workflow each start their own run", async () => {
		const staticData = {};
		expect((await deliver(completed('job-1'), { staticData })).started).toBe(true);
		expect((await deliver(failed('job-1'), { staticData })).started).toBe(true);
		expect((await deliver(completed('job-2'), { staticData })).started).toBe(true);
		expect((await deliver(completed('job-1'), { workflowId: 'another-workflow' })).started).toBe(true);
	});

	it('keeps the claim in the static data n8n saves: a restarted n8n, or another process, loading it starts nothing', async () => {
		const first = (await deliver(completed('job-1'), { staticData: loaded() })).staticData;
		// n8n saves static data only when it sees the change, as JSON.
		expect((first as { __dataChanged?: boolean }).__dataChanged).toBe(true);
		const saved = loaded(first);
		expect(claimsIn(saved)).toEqual([[expect.any(String), expect.any(Number)]]);

		forgetClaimsInMemory(); // a new process
		const replayed = await deliver(completed('job-1'), { staticData: loaded(saved) });
		expect(replayed.started).toBe(false);
		// A refused delivery changes nothing that n8n would have to save.
		expect((replayed.staticData as { __dataChanged?: boolean }).__dataChanged).toBe(false);
		expect((await deliver(completed('job-2'), { staticData: loaded(saved) })).started).toBe(true);
	});

	it("marks the static data changed again after n8n cleared the mark, and what n8n saves then holds every claim", async () => {
		const staticData = loaded();
		expect((await deliver(completed('job-1'), { staticData })).started).toBe(true);
		// n8n 2.x regular mode builds the run's workflow on the same static data: the mark is cleared.
		const run = new Workflow({ id: 'test-workflow', nodes: [], connections: {}, active: true, staticData, nodeTypes: {} as never });
		expect(run.staticData.__dataChanged).toBe(false);
		const node = run.getStaticData('node', { name: 'Node Under Test' } as never);
		markClaimsChanged({ getWorkflowStaticData: () => node, getWorkflow: () => ({ id: 'test-workflow' }), getNode: () => ({ name: 'Node Under Test' }) } as unknown as IWebhookFunctions);
		expect(run.staticData.__dataChanged).toBe(true);
		expect((await deliver(completed('job-2'), { staticData: loaded() })).started).toBe(true);
		// Saved after job-2 was claimed in this process: it carries both.
		expect(claimsIn(loaded(staticData))).toHaveLength(2);
	});

	it('deliveries arriving together, each with the static data loaded before any claim was saved, start one run', async () => {
		const deliveries = await Promise.all(Array.from({ length: 8 }, async () => await deliver(completed('job-1'), { staticData: loaded() })));
		expect(deliveries.filter((delivery) => delivery.started)).toHaveLength(1);
	});

	it("each save carries every claim this process knows, so a concurrent request's save cannot drop one", async () => {
		const [first, second] = await Promise.all([deliver(completed('job-1'), { staticData: loaded() }), deliver(completed('job-2'), { staticData: loaded() })]);
		expect([first.started, second.started]).toEqual([true, true]);
		// Whichever of the two n8n saves last (as JSON) holds both claims.
		const saved = [first, second].map(({ staticData }) => claimsIn(loaded(staticData)) as unknown[]);
		expect(saved.map((claims) => claims.length)).toEqual([2, 2]);
	});

	it('a forged, unsigned, unconfirmed or unselected delivery takes no claim: the genuine one still starts', async () => {
		const staticData = {};
		expect((await deliver(completed('job-1'), { staticData, signature: 'Zm9yZ2Vk' })).response.status).toBe(401);
		// Signed, but about a job this account's VideoSDK does not know (404): answered 200, no claim.
		const foreign = await deliver(completed('job-1'), { staticData, confirm: true });
		expect([foreign.started, foreign.response.status]).toEqual([false, 200]);
		expect((await deliver(completed('job-1'), { staticData, events: ['merge-recording-failed'] })).started).toBe(false);
		expect(claimsIn(staticData)).toBeUndefined();
		expect((await deliver(completed('job-1'), { staticData })).started).toBe(true);
	});

	it('gives the claim back when the run cannot start, so that VideoSDK can retry', async () => {
		const staticData = {};
		const options = { includeRecording: true };
		// VideoSDK does not know the job yet (404): n8n answers 500 and VideoSDK retries.
		await expect(deliver(completed('job-later'), { staticData, options })).rejects.toThrow(/404/);
		expect(claimsIn(staticData)).toEqual([]);
		const [job] = fake.api.seedMerges(1);
		await expect(deliver(completed(job.id), { staticData, options })).resolves.toMatchObject({ started: true });
		await expect(deliver(completed('job-later'), { staticData, options })).rejects.toThrow(/404/);
	});

	it('events that name no job start once per exact body', async () => {
		const staticData = {};
		const stopped = { webhookType: 'participant-recording-stopped', data: { participantId: 'p1', sessionId: 's1' } };
		const other = { ...stopped, data: { ...stopped.data, participantId: 'p2' } };
		expect((await deliver(stopped, { staticData })).started).toBe(true);
		expect((await deliver(stopped, { staticData })).started).toBe(false);
		expect((await deliver(other, { staticData })).started).toBe(true);
	});
});

describe('claimJobEnd bounds', () => {
	/** A webhook context of a trigger node, with n8n-workflow's own static data. */
	function contextOf(staticData: IDataObject = {}) {
		const node = { id: 'n', name: 'Trigger', type: 'x', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };
		const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, staticData, nodeTypes: { getByName: () => undefined, getByNameAndVersion: () => ({ description: { properties: [] } }), getKnownTypes: () => ({}) } as never });
		return {
			getWorkflowStaticData: (type: 'node' | 'global') => workflow.getStaticData(type, node),
			getWorkflow: () => ({ id: 'wf', active: true }),
			getNode: () => node,
		} as unknown as IWebhookFunctions;
	}

	it(`keeps the newest ${JOB_ENDS_KEPT} claims: the oldest beyond them may start again`, () => {
		const staticData: IDataObject = {};
		const context = contextOf(staticData);
		const start = Date.now();
		for (let index = 0; index <= JOB_ENDS_KEPT; index++) expect(claimJobEnd(context, `key-${index}`, start + index)).toBe(true);
		const stored = (staticData['node:Trigger'] as IDataObject)[JOB_ENDS_FIELD] as unknown[];
		expect(stored).toHaveLength(JOB_ENDS_KEPT);
		forgetClaimsInMemory();
		expect(claimJobEnd(contextOf(loaded(staticData)), 'key-1', start + JOB_ENDS_KEPT + 1)).toBe(false);
		expect(claimJobEnd(contextOf(loaded(staticData)), 'key-0', start + JOB_ENDS_KEPT + 1)).toBe(true);
	});

	it(`forgets claims after ${JOB_END_MEMORY_MS / 86_400_000} days, in memory and stored`, () => {
		const staticData: IDataObject = {};
		const start = Date.now();
		expect(claimJobEnd(contextOf(staticData), 'old', start)).toBe(true);
		expect(claimJobEnd(contextOf(staticData), 'old', start + JOB_END_MEMORY_MS - 1)).toBe(false);
		expect(claimJobEnd(contextOf(staticData), 'old', start + JOB_END_MEMORY_MS)).toBe(true);
	});

	it('keys a merge event by its job and type, hashed to one size; other events by their bytes', () => {
		const body = Buffer.from('{}');
		const key = jobEndKey(completed('job-1'), body);
		expect(key).toHaveLength(32);
		expect(key).not.toContain('job-1');
		expect(jobEndKey(completed('job-1'), Buffer.from('other bytes'))).toBe(key);
		expect(jobEndKey(failed('job-1'), body)).not.toBe(key);
		const stopped = { webhookType: 'participant-recording-stopped', data: {} };
		expect(jobEndKey(stopped, Buffer.from('a'))).not.toBe(jobEndKey(stopped, Buffer.from('b')));
	});
});
