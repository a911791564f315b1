import { batchingOf, retryPolicyOf } from '../../../../nodes/VideoSdk/actions/requestOptions';
import { DEFAULT_RETRY_POLICY } from '../../../../nodes/VideoSdk/transport/retry';
import { runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { jsonMerge, mergeRequestsTo, sessionItems } from '../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false });

const mergeRequests = () => mergeRequestsTo(fake.api);

describe('request options', () => {
	it('take Max Retries and Timeout from the options, else the defaults', () => {
		expect(retryPolicyOf({})).toEqual(DEFAULT_RETRY_POLICY);
		expect(retryPolicyOf({ options: { maxRetries: 0, timeout: 500 } })).toEqual({ maxRetries: 0, timeoutMs: 500 });
	});

	it('send one item at a time without Batching, and refuse a batch that is not a whole number of items', () => {
		expect(batchingOf(undefined)).toEqual({ size: 1, intervalMs: 0 });
		expect(batchingOf({ batching: { batch: { batchSize: 2, batchInterval: 100 } } })).toEqual({ size: 2, intervalMs: 100 });
		expect(() => batchingOf({ batching: { batch: { batchSize: 2.7 } } })).toThrow('Items per Batch must be a whole number');
		expect(() => batchingOf({ batching: { batch: { batchSize: 0 } } })).toThrow('Items per Batch must be a whole number');
		expect(() => batchingOf({ batching: { batch: { batchInterval: -5 } } })).toThrow('Batch Interval (Ms) must be a number');
	});
});

describe('request options: retries and timeouts', () => {
	it('resends a rate-limited merge after Retry-After', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', {
			status: 429,
			body: { message: 'Too many requests' },
			headers: { 'retry-after': '1' },
		});
		const { items, error } = await runNode({ type: 'videoSdk', parameters: jsonMerge(), items: sessionItems(1), credentials: fake.credentials });

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
			parameters: jsonMerge({ maxRetries: 2 }),
			items: sessionItems(1),
			credentials: fake.credentials,
		});

		expect(error?.message).toBe('VideoSDK answered 429: Too many requests');
		expect(mergeRequests()).toHaveLength(3);
	});

	it('never resends a merge after a server error', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', { status: 502, body: { message: 'Bad gateway' } });
		const { error } = await runNode({ type: 'videoSdk', parameters: jsonMerge(), items: sessionItems(1), credentials: fake.credentials });

		expect(error?.message).toBe('VideoSDK answered 502: Bad gateway');
		expect(mergeRequests()).toHaveLength(1);
	});

	it('never resends a merge that timed out, since VideoSDK may have started it', async () => {
		fake.api.failNext('/v2/recordings/participant/merge', { status: 200, body: {}, delayMs: 1500 });
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: jsonMerge({ timeout: 300 }),
			items: sessionItems(1),
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
