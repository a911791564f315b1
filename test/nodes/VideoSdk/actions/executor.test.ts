import { runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { jsonMerge, mergeRequestsTo, sessionItems } from '../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false });

const mergeRequests = () => mergeRequestsTo(fake.api);

describe('executor: batching', () => {
	it('sends one item at a time unless batching is set', async () => {
		fake.api.responseDelayMs = 30;
		const { items } = await runNode({ type: 'videoSdk', parameters: jsonMerge(), items: sessionItems(4), credentials: fake.credentials });

		expect(items).toHaveLength(4);
		expect(fake.api.peakInFlight).toBe(1);
	});

	it('sends a batch concurrently and keeps output order and pairing', async () => {
		fake.api.responseDelayMs = 30;
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters: jsonMerge({ batching: { batch: { batchSize: 4, batchInterval: 0 } } }),
			items: sessionItems(10),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(fake.api.peakInFlight).toBe(4);
		expect(items.map((item) => [item.json.sessionId, item.pairedItem])).toEqual(
			sessionItems(10).map((item, index) => [item.json.sessionId, { item: index }]),
		);
	});

	it('pauses between batches', async () => {
		await runNode({
			type: 'videoSdk',
			parameters: jsonMerge({ batching: { batch: { batchSize: 2, batchInterval: 150 } } }),
			items: sessionItems(4),
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
			parameters: jsonMerge({ batching: { batch: { batchSize: 3, batchInterval: 0 } } }),
			items: sessionItems(3),
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
