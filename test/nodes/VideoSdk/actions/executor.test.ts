import type { IExecuteFunctions, INodeParameters, INodeTypeDescription } from 'n8n-workflow';

import type { Operation } from '../../../../nodes/VideoSdk/actions/executor';
import { executeOperation } from '../../../../nodes/VideoSdk/actions/executor';
import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const merge = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: '={{ $json.sessionId }}',
	specifyChannels: 'json',
	channel1Json: '["a"]',
	channel2Json: '["b"]',
	options,
});

const sessions = (count: number) =>
	Array.from({ length: count }, (_, index) => ({ json: { sessionId: `s-${index}` } }));

const mergeRequests = () => fake.api.requests.filter((request) => request.path.endsWith('/merge'));

describe('executor: batching', () => {
	it('sends one item at a time unless batching is set', async () => {
		fake.api.responseDelayMs = 30;
		const { items } = await runNode({ type: 'videoSdk', parameters: merge(), items: sessions(4), credentials: fake.credentials });

		expect(items).toHaveLength(4);
		expect(fake.api.peakInFlight).toBe(1);
	});

	it('sends a batch concurrently and keeps output order and pairing', async () => {
		fake.api.responseDelayMs = 30;
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters: merge({ batching: { batch: { batchSize: 4, batchInterval: 0 } } }),
			items: sessions(10),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(fake.api.peakInFlight).toBe(4);
		expect(items.map((item) => [item.json.sessionId, item.pairedItem])).toEqual(
			sessions(10).map((item, index) => [item.json.sessionId, { item: index }]),
		);
	});

	it('pauses between batches', async () => {
		await runNode({
			type: 'videoSdk',
			parameters: merge({ batching: { batch: { batchSize: 2, batchInterval: 150 } } }),
			items: sessions(4),
			credentials: fake.credentials,
		});

		const [first, , third] = mergeRequests().map((request) => request.receivedAt);
		expect(third - first).toBeGreaterThanOrEqual(140);
	});

	it('under Continue On Fail, a failed item in a batch keeps its place', async () => {
		fake.api.failNext((request) => (request.body as { sessionId?: string })?.sessionId === 's-1', {
			status: 400,
			body: { message: 'sessionId is not valid' },
		});
		const { items } = await runNode({
			type: 'videoSdk',
			parameters: merge({ batching: { batch: { batchSize: 3, batchInterval: 0 } } }),
			items: sessions(3),
			credentials: fake.credentials,
			continueOnFail: true,
		});

		expect(items.map((item) => [item.json.sessionId ?? item.json.error, item.pairedItem])).toEqual([
			['s-0', { item: 0 }],
			['VideoSDK answered 400: sessionId is not valid', { item: 1 }],
			['s-2', { item: 2 }],
		]);
	});
});

describe('executor: retries and timeouts', () => {
	it('resends a rate-limited merge after Retry-After', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', {
			status: 429,
			body: { message: 'Too many requests' },
			headers: { 'retry-after': '1' },
		});
		const { items, error } = await runNode({ type: 'videoSdk', parameters: merge(), items: sessions(1), credentials: fake.credentials });

		expect(error).toBeUndefined();
		expect(items[0].json.sessionId).toBe('s-0');
		const [refused, accepted] = mergeRequests();
		expect(accepted.receivedAt - refused.receivedAt).toBeGreaterThanOrEqual(950);
		expect(fake.api.merges.size).toBe(1);
	});

	it('gives up after Max Retries with the rate-limit message', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', {
			status: 429,
			body: { message: 'Too many requests' },
			headers: { 'retry-after': '0' },
			times: 5,
		});
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: merge({ maxRetries: 2 }),
			items: sessions(1),
			credentials: fake.credentials,
		});

		expect(error?.message).toBe('VideoSDK answered 429: Too many requests');
		expect(mergeRequests()).toHaveLength(3);
	});

	it('never resends a merge after a server error', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', { status: 502, body: { message: 'Bad gateway' } });
		const { error } = await runNode({ type: 'videoSdk', parameters: merge(), items: sessions(1), credentials: fake.credentials });

		expect(error?.message).toBe('VideoSDK answered 502: Bad gateway');
		expect(mergeRequests()).toHaveLength(1);
	});

	it('never resends a merge that timed out, since VideoSDK may have started it', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', { status: 200, body: {}, delayMs: 1500 });
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: merge({ timeout: 300 }),
			items: sessions(1),
			credentials: fake.credentials,
		});

		expect(error?.message).toMatch(/^Could not reach VideoSDK: /);
		expect(mergeRequests()).toHaveLength(1);
	});

	it('resends a read after a server error', async () => {
		const [job] = fake.api.seedMerges(1);
		fake.api.failNext((request) => request.path.endsWith(job.id), { status: 503, body: { message: 'Busy' } });
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'get', mergeId: job.id },
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items[0].json.id).toBe(job.id);
		expect(fake.api.requests.filter((request) => request.path.endsWith(job.id))).toHaveLength(2);
	});
});

/** Registers a node type running `execute` that records each getNodeParameter call as [name, item]. */
function recordingReads(
	shortName: string,
	description: INodeTypeDescription,
	execute: (this: IExecuteFunctions) => ReturnType<typeof executeOperation>,
): Array<[string, number]> {
	const reads: Array<[string, number]> = [];
	registerNodeType(shortName, {
		description,
		async execute(this: IExecuteFunctions) {
			const read = this.getNodeParameter.bind(this);
			this.getNodeParameter = ((name: string, itemIndex: number, ...rest: never[]) => {
				reads.push([name, itemIndex]);
				return read(name, itemIndex, ...rest);
			}) as IExecuteFunctions['getNodeParameter'];
			return await execute.call(this);
		},
	});
	return reads;
}

/** The items for which each field was read, in the order of the reads. */
const itemsReadPerField = (reads: Array<[string, number]>) => {
	const perField: Record<string, number[]> = {};
	for (const [name, itemIndex] of reads) (perField[name] ??= []).push(itemIndex);
	return perField;
};

describe('executor: reading parameters', () => {
	const videoSdk = new VideoSdk();
	const reads = recordingReads('videoSdkReads', videoSdk.description, videoSdk.execute);
	beforeEach(() => (reads.length = 0));

	// The performance promise: n8n's expression engine is the cost of a read, so a value without an
	// expression is read once per execution and a hidden field never.
	it('reads an expression for every item, a value without one once, and no hidden field', async () => {
		const { items, error } = await runNode({
			type: 'videoSdkReads',
			parameters: merge(),
			items: sessions(3),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.sessionId)).toEqual(['s-0', 's-1', 's-2']);
		const perField = itemsReadPerField(reads);
		expect(perField.sessionId).toEqual([0, 1, 2]);
		expect(perField.channel1Json).toEqual([0]);
		expect(perField.channel2Json).toEqual([0]);
		// Using Fields Below's channels are hidden by Specify Channels: JSON.
		expect(perField.channel1).toBeUndefined();
		expect(perField.channel2).toBeUndefined();
	});

	// The other performance promise: n8n's expression engine runs back to back about twice as fast
	// as between HTTP calls, so every item is read before the first request goes out.
	it("reads every item's expressions before the first request", async () => {
		let readsBeforeFirstRequest: number | undefined;
		// A failure that never matches: only a hook that sees each request as it arrives.
		fake.api.failNext(
			() => {
				readsBeforeFirstRequest ??= reads.length;
				return false;
			},
			{ status: 500 },
		);

		const { error } = await runNode({ type: 'videoSdkReads', parameters: merge(), items: sessions(5), credentials: fake.credentials });

		expect(error).toBeUndefined();
		expect(mergeRequests()).toHaveLength(5);
		expect(itemsReadPerField(reads).sessionId).toEqual([0, 1, 2, 3, 4]);
		expect(readsBeforeFirstRequest).toBe(reads.length);
	});

	it('evaluates an expression inside a collection for each item', async () => {
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: merge({ dirPath: '={{ $json.sessionId }}/merged' }),
			items: sessions(2),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(mergeRequests().map((request) => (request.body as { dirPath?: string }).dirPath)).toEqual([
			's-0/merged',
			's-1/merged',
		]);
	});

	it('fails each item with its own index when n8n refuses a value', async () => {
		const operation: Operation = {
			description: [
				{
					displayName: 'Extra',
					name: 'extra',
					type: 'collection',
					default: {},
					options: [{ displayName: 'Count', name: 'count', type: 'number', validateType: 'number', default: 1 }],
				},
			],
			request: () => ({ method: 'GET', path: '/v2/sessions' }),
		};
		registerNodeType('countProbe', {
			description: { ...videoSdk.description, name: 'countProbe', properties: operation.description },
			async execute(this: IExecuteFunctions) {
				return await executeOperation.call(this, operation);
			},
		});
		const { items } = await runNode({
			type: 'countProbe',
			parameters: { extra: { count: 'not a number' } },
			items: sessions(2),
			credentials: fake.credentials,
			continueOnFail: true,
		});

		expect(items.map((item) => [item.json.error, item.pairedItem])).toEqual([
			["Invalid input for field 'Count' inside 'Extra' in [item 0]", { item: 0 }],
			["Invalid input for field 'Count' inside 'Extra' in [item 1]", { item: 1 }],
		]);
		expect(fake.api.requests).toHaveLength(0);
	});
});
