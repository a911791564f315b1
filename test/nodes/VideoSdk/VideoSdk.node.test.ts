import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { getVideoSdkToken, type MergeRecordingRequest } from '../../../nodes/VideoSdk/api';
import { silentMp3 } from '../../../scripts/fake-videosdk/mp3';
import { useFakeApi } from '../../helpers/fakeApi';
import { containsAnywhere } from '../../helpers/secrets';
import { runNode } from '../../../scripts/harness';

const fake = useFakeApi({ autoWebhooks: false });

const mergeFields: INodeParameters = {
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: 'session-1',
	specifyChannels: 'fields',
	channel1: {
		participants: [
			{ participantId: 'alice', recordingId: 'rec-alice' },
			{ participantId: 'carol', recordingId: '' },
		],
	},
	channel2: { participants: [{ participantId: 'bob' }] },
	webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
};

const mergeJson = (channel1Json: string, channel2Json: string): INodeParameters => ({
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: '={{ $json.sessionId }}',
	specifyChannels: 'json',
	channel1Json,
	channel2Json,
});

const merge = (parameters: INodeParameters, items?: INodeExecutionData[], continueOnFail = false) =>
	runNode({ type: 'videoSdk', parameters, items, credentials: fake.credentials, continueOnFail });

const mergeRequests = () =>
	fake.api.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/merge'));

describe('VideoSdk node: merge participant recordings', () => {
	it('sends the documented body from fields and outputs the started job', async () => {
		const { items, error } = await merge(mergeFields);

		expect(error).toBeUndefined();
		expect(mergeRequests()).toHaveLength(1);
		const body: MergeRecordingRequest = {
			sessionId: 'session-1',
			channel1: [{ participantId: 'alice', recordingId: 'rec-alice' }, { participantId: 'carol' }],
			channel2: [{ participantId: 'bob' }],
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
		};
		expect(mergeRequests()[0].body).toEqual(body);
		expect(items).toHaveLength(1);
		const job = fake.api.merges.get(String(items[0].json.id));
		expect(job).toBeDefined();
		expect(items[0].json).toMatchObject({ sessionId: 'session-1', status: 'running' });
		expect(items[0].json.channel1).toEqual(job!.channel1);
		expect(items[0].pairedItem).toEqual({ item: 0 });
	});

	it('takes channels from expressions, one job per input item, paired in order', async () => {
		const items = [
			{ json: { sessionId: 's-1', left: [{ participantId: 'a1' }], right: ['b1'] } },
			{ json: { sessionId: 's-2', left: ['a2', 'c2'], right: [{ participantId: 'b2', recordingId: 'r' }] } },
		];
		const run = await merge(mergeJson('={{ $json.left }}', '={{ JSON.stringify($json.right) }}'), items);

		expect(run.error).toBeUndefined();
		expect(mergeRequests().map((request) => request.body)).toEqual([
			{ sessionId: 's-1', channel1: [{ participantId: 'a1' }], channel2: [{ participantId: 'b1' }] },
			{
				sessionId: 's-2',
				channel1: [{ participantId: 'a2' }, { participantId: 'c2' }],
				channel2: [{ participantId: 'b2', recordingId: 'r' }],
			},
		]);
		expect(run.items.map((item) => [item.json.sessionId, item.pairedItem])).toEqual([
			['s-1', { item: 0 }],
			['s-2', { item: 1 }],
		]);
	});

	it('stops before any request on bad input, naming the field and the item', async () => {
		const items = [{ json: { sessionId: 's-1' } }, { json: { sessionId: '' } }];
		const { error, items: output } = await merge(mergeJson('["a"]', '["b"]'), items);

		expect(output).toHaveLength(0);
		expect(error?.message).toBe('Session ID is empty [item 1]');
		expect(error?.name).toBe('NodeOperationError');
		// Item 0 was sent before item 1 failed; nothing after it.
		expect(mergeRequests()).toHaveLength(1);
	});

	it('with Continue On Fail, yields { error } for the bad item and runs the others', async () => {
		const items = [
			{ json: { sessionId: 's-1', right: '["b"]' } },
			{ json: { sessionId: 's-2', right: 'not json' } },
			{ json: { sessionId: 's-3', right: '[]' } },
			{ json: { sessionId: 's-4', right: '["d"]' } },
		];
		const { items: output, error } = await merge(mergeJson('["a"]', '={{ $json.right }}'), items, true);

		expect(error).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(output[0].json.sessionId).toBe('s-1');
		expect(output[1].json).toEqual({ error: 'Channel 2 (Right) JSON is not valid JSON [item 1]' });
		expect(output[2].json).toEqual({ error: 'Channel 2 (Right) has no participants [item 2]' });
		expect(output[3].json.sessionId).toBe('s-4');
		expect(mergeRequests().map((request) => (request.body as MergeRecordingRequest).sessionId)).toEqual([
			's-1',
			's-4',
		]);
	});

	it.each([
		[400, { message: 'sessionId is not valid' }, 'sessionId is not valid'],
		[401, { error: 'Token is invalid' }, 'Token is invalid'],
		[500, { msg: 'Internal failure' }, 'Internal failure'],
	])('turns a %i answer into a NodeApiError with VideoSDK\'s message', async (status, body, text) => {
		fake.api.failNext((request) => request.path.endsWith('/merge'), { status, body });
		const { error } = await merge(mergeFields);

		// The answer is read as a response, so n8n's own resend after a 401 (an error) never happens.
		expect(mergeRequests()).toHaveLength(1);
		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe(`VideoSDK answered ${status}: ${text}`);
		expect(String((error as { httpCode?: unknown }).httpCode)).toBe(String(status));
		expect(error?.description).toBe(text);
	});

	it('reports the API message for a wrong secret and never reveals the secret or the token', async () => {
		const wrong = { ...fake.credentials, secretKey: 'a-wrong-secret-7f3a9c' };
		const run = await runNode({ type: 'videoSdk', parameters: mergeFields, credentials: wrong });

		expect(run.error?.message).toBe('VideoSDK answered 401: Token is invalid');
		const sentToken = fake.api.requests.at(-1)!.authorization!;
		expect(sentToken.split('.')).toHaveLength(3);
		for (const secret of ['a-wrong-secret-7f3a9c', sentToken]) {
			expect(containsAnywhere(run.error, secret)).toBe(false);
			expect(containsAnywhere(run.run, secret)).toBe(false);
		}
	});

	it('reports an unreachable API without leaking the token', async () => {
		const closed = { ...fake.credentials, baseUrl: 'http://127.0.0.1:9' };
		const run = await runNode({ type: 'videoSdk', parameters: mergeFields, credentials: closed });

		expect(run.error?.name).toBe('NodeApiError');
		expect(run.error?.message).toMatch(/^Could not reach VideoSDK: .*refused the connection/);
		// Nothing reached a server to record it: the token is the one the credential signs (and caches).
		const token = getVideoSdkToken(closed.apiKey, closed.secretKey);
		for (const secret of [token, closed.secretKey]) {
			expect(containsAnywhere(run.run, secret)).toBe(false);
			expect(containsAnywhere(run.error, secret)).toBe(false);
		}
	});
});

describe('VideoSdk node: get and list merge jobs', () => {
	it('gets one job by ID', async () => {
		const [job] = fake.api.seedMerges(1);
		const { items } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'get', mergeId: job.id },
			credentials: fake.credentials,
		});
		expect(items).toEqual([{ json: job, pairedItem: { item: 0 } }]);
	});

	it('downloads the finished job\'s mp3 into the binary field asked for', async () => {
		const [job] = fake.api.seedMerges(1);
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters: {
				resource: 'mergeRecording',
				operation: 'get',
				mergeId: job.id,
				options: { downloadFile: true, binaryPropertyName: 'stereo' },
			},
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items[0].json).toEqual(job);
		expect(items[0].binary?.stereo).toMatchObject({ mimeType: 'audio/mpeg', fileName: `${job.id}.mp3` });
		expect(Buffer.from(items[0].binary!.stereo.data, 'base64').equals(silentMp3())).toBe(true);
		expect(fake.api.fileRequests.map((request) => request.headers.authorization)).toEqual([undefined]);
	});

	it('names the job and its status when there is no file to download yet', async () => {
		fake.api.failMerges('fail-x');
		const [job] = fake.api.seedMerges(1, { sessionId: 'fail-x' });
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'get', mergeId: job.id, options: { downloadFile: true } },
			credentials: fake.credentials,
		});

		expect(error?.message).toBe(`Merge job ${job.id} has no file to download: its status is "failed"`);
	});

	it('reports an unknown job with VideoSDK\'s 404 message', async () => {
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'get', mergeId: 'nope' },
			credentials: fake.credentials,
		});
		expect(error?.message).toMatch(/^VideoSDK answered 404: /);
	});

	const listRequests = () =>
		fake.api.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/merge'));

	it('returns every job across several pages', async () => {
		const seeded = fake.api.seedMerges(230);
		const { items } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'getAll', returnAll: true },
			credentials: fake.credentials,
		});

		expect(items).toHaveLength(230);
		expect(new Set(items.map((item) => item.json.id))).toEqual(new Set(seeded.map((job) => job.id)));
		expect(listRequests().map((request) => request.query.page)).toEqual(['1', '2', '3']);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('stops at the limit, asking only for the pages it needs', async () => {
		fake.api.seedMerges(230);
		const { items } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'getAll', returnAll: false, limit: 130 },
			credentials: fake.credentials,
		});

		expect(items).toHaveLength(130);
		expect(listRequests().map((request) => [request.query.page, request.query.perPage])).toEqual([
			['1', '100'],
			['2', '100'],
		]);
	});

	it('sends the filters that have a value', async () => {
		fake.api.seedMerges(3, { sessionId: 'wanted', status: 'failed' });
		fake.api.seedMerges(4, { sessionId: 'other' });
		const { items } = await runNode({
			type: 'videoSdk',
			parameters: {
				resource: 'mergeRecording',
				operation: 'getAll',
				limit: 10,
				filters: { sessionId: 'wanted', roomId: '', status: 'failed' },
			},
			credentials: fake.credentials,
		});

		expect(listRequests()[0].query).toEqual({
			sessionId: 'wanted',
			status: 'failed',
			page: '1',
			perPage: '10',
		});
		expect(items.map((item) => item.json.sessionId)).toEqual(['wanted', 'wanted', 'wanted']);
	});
});
