import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { SIGNATURE_HEADER } from '../../../../nodes/VideoSdk/api';
import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { VideoSdkPollingTrigger } from '../../../../nodes/VideoSdk/VideoSdkPollingTrigger.node';
import { VideoSdkTrigger } from '../../../../nodes/VideoSdk/VideoSdkTrigger.node';
import type { NumberField } from '../../../../nodes/VideoSdk/validation/numbers';
import { NUMBER_RULES, checkNumbers, checkedNumber } from '../../../../nodes/VideoSdk/validation/numbers';
import { clearPublicKeyCache } from '../../../../nodes/VideoSdk/webhooks/signature';
import { callWebhook, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { fieldErrorOf } from '../../../helpers/fieldErrors';
import { jsonMerge, mergeRequestsTo, sessionItems } from '../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false });
beforeEach(() => clearPublicKeyCache());

/** Every number field of a node's description, wherever it sits (Options, Batching). */
function numberFieldsOf(properties: readonly unknown[]): INodeProperties[] {
	return properties.flatMap((property) => {
		const field = property as INodeProperties & { values?: unknown[] };
		const nested = [...((field.options as unknown[] | undefined) ?? []), ...(field.values ?? [])];
		return [...(field.type === 'number' ? [field] : []), ...numberFieldsOf(nested)];
	});
}

const numberFields = [
	...numberFieldsOf(new VideoSdk().description.properties),
	...numberFieldsOf(new VideoSdkTrigger().description.properties),
	...numberFieldsOf(new VideoSdkPollingTrigger().description.properties),
];

describe('the numbers of both nodes', () => {
	it('each have a rule that the editor shows: name, bounds, and a valid default', () => {
		expect(new Set(numberFields.map((field) => field.name))).toEqual(new Set(Object.keys(NUMBER_RULES)));
		for (const field of numberFields) {
			const rule = NUMBER_RULES[field.name as NumberField];
			expect({ name: field.name, displayName: field.displayName }).toEqual({ name: field.name, displayName: rule.displayName });
			expect({ name: field.name, min: field.typeOptions?.minValue }).toEqual({ name: field.name, min: rule.min });
			// n8n's lint forbids a maxValue on Limit: there only the check holds the bound.
			const shownMax = field.name === 'limit' ? rule.max : field.typeOptions?.maxValue;
			expect({ name: field.name, max: shownMax }).toEqual({ name: field.name, max: rule.max });
			expect(checkedNumber(field.default, field.name as NumberField)).toBe(field.default);
		}
	});

	it('take a number within bounds, also typed as text; unset is undefined', () => {
		expect(checkedNumber(10, 'maxRetries')).toBe(10);
		expect(checkedNumber(0, 'maxRetries')).toBe(0);
		expect(checkedNumber(' 50 ', 'limit')).toBe(50);
		expect(checkedNumber('1.5', 'maxFileSize')).toBe(1.5);
		expect(checkedNumber(undefined, 'limit')).toBeUndefined();
		expect(checkedNumber(null, 'timeout')).toBeUndefined();
	});

	it.each<[NumberField, unknown, string]>([
		['maxFileSize', 'lots', 'Max File Size (MB) must be a number from 1 to 100000, not "lots"'],
		['maxFileSize', 0, 'Max File Size (MB) must be a number from 1 to 100000, not 0'],
		['limit', 'ten', 'Limit must be a whole number from 1 to 1000000, not "ten"'],
		['limit', 2.5, 'Limit must be a whole number from 1 to 1000000, not 2.5'],
		['limit', '', 'Limit must be a whole number from 1 to 1000000, not ""'],
		['maxRetries', 'many', 'Max Retries must be a whole number from 0 to 10, not "many"'],
		['maxRetries', Infinity, 'Max Retries must be a whole number from 0 to 10, not Infinity'],
		['maxRetries', 11, 'Max Retries must be a whole number from 0 to 10, not 11'],
		['timeout', NaN, 'Timeout must be a number from 1 to 3600000, not NaN'],
		['timeout', '0x10', 'Timeout must be a number from 1 to 3600000, not "0x10"'],
		['batchSize', { size: 2 }, 'Items per Batch must be a whole number from 1 to 1000, not an object'],
		['batchInterval', -1, 'Batch Interval (Ms) must be a number from 0 to 3600000, not -1'],
		['maxWait', [5], 'Max Wait (Minutes) must be a number from 1 to 43200, not a list of 1'],
		['maxWait', true, 'Max Wait (Minutes) must be a number from 1 to 43200, not true'],
	])('refuse %s %p, saying what would be valid', (field, value, message) => {
		const error = fieldErrorOf(() => checkedNumber(value, field), {});
		expect(error.message).toBe(message);
		expect(error.field).toBe(field);
	});

	it('are all checked for an item, also in Batching; hidden ones are not', () => {
		const batching = (batch: object) => ({ options: { batching: { batch } } });
		expect(fieldErrorOf(checkNumbers, batching({ batchSize: 'x' })).field).toBe('batchSize');
		expect(fieldErrorOf(checkNumbers, batching({ batchInterval: 'x' })).field).toBe('batchInterval');
		expect(fieldErrorOf(checkNumbers, { options: { timeout: 'x' } }).field).toBe('timeout');
		expect(fieldErrorOf(checkNumbers, { waitForCompletion: true, options: { maxWait: 'x' } }).field).toBe('maxWait');
		expect(() => checkNumbers({ returnAll: true, limit: 'x' })).not.toThrow();
		expect(() => checkNumbers({ options: { downloadFile: false, maxFileSize: 'x' } })).not.toThrow();
		expect(() => checkNumbers({ waitForCompletion: false, options: { maxWait: 'x' } })).not.toThrow();
		expect(fieldErrorOf(checkNumbers, { waitForCompletion: true, waitMode: 'ask', pollInterval: 0 }).field).toBe('pollInterval');
		expect(() => checkNumbers({ waitForCompletion: true, waitMode: 'callback', pollInterval: 0 })).not.toThrow();
	});
});

describe('a number from an expression fails closed, before any request', () => {
	const run = (parameters: INodeParameters, items = sessionItems(2)) =>
		runNode({ type: 'videoSdk', parameters, items, credentials: fake.credentials });
	const apiRequests = () => fake.api.requests.filter((request) => request.path !== '/v2/public/rsa-public-key');

	it('Max File Size: no download without a limit', async () => {
		const [job] = fake.api.seedMerges(1);
		const { error } = await run({
			resource: 'mergeRecording',
			operation: 'get',
			mergeId: job.id,
			options: { downloadFile: true, maxFileSize: '={{ "no limit" }}' },
		});

		expect(error?.message).toBe('Max File Size (MB) must be a number from 1 to 100000, not "no limit" [item 0]');
		expect(apiRequests()).toHaveLength(0);
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('Limit: an error, not an empty success', async () => {
		fake.api.seedSession(['host']);
		const { error } = await run({ resource: 'session', operation: 'getAll', limit: '={{ "all" }}' });

		expect(error?.message).toBe('Limit must be a whole number from 1 to 1000000, not "all" [item 0]');
		expect(apiRequests()).toHaveLength(0);
	});

	it('Max Retries: an error, not retries without end; Continue On Fail keeps each item in its place', async () => {
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters: jsonMerge({ maxRetries: '={{ $json.sessionId === "s-1" ? "forever" : 2 }}' }),
			items: sessionItems(2),
			credentials: fake.credentials,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items[0].json.sessionId).toBe('s-0');
		expect(items[1]).toEqual({
			json: { error: 'Max Retries must be a whole number from 0 to 10, not "forever" [item 1]' },
			pairedItem: { item: 1 },
		});
		expect(mergeRequestsTo(fake.api)).toHaveLength(1);
	});

	it('Items per Batch: the node fails on its first item', async () => {
		const { error } = await run(jsonMerge({ batching: { batch: { batchSize: '={{ "all at once" }}' } } }));

		expect(error?.message).toBe('Items per Batch must be a whole number from 1 to 1000, not "all at once" [item 0]');
		expect(apiRequests()).toHaveLength(0);
	});

	it('Max Wait: nothing is merged that could not be waited for', async () => {
		const { error } = await run({
			...jsonMerge({ maxWait: '={{ "a while" }}' }),
			waitForCompletion: true,
		});

		expect(error?.message).toBe('Max Wait (Minutes) must be a number from 1 to 43200, not "a while" [item 0]');
		expect(apiRequests()).toHaveLength(0);
	});

	it('Max File Size of the trigger: it throws before fetching the job, as for other bad configuration', async () => {
		const [job] = fake.api.seedMerges(1);
		const rawBody = JSON.stringify({
			webhookType: 'merge-recording-completed',
			data: { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId },
		});

		await expect(
			callWebhook({
				parameters: {
					events: ['merge-recording-completed'],
					verifySignature: true,
					options: { downloadFile: true, maxFileSize: '={{ "unlimited" }}' },
				},
				credentials: fake.credentials,
				rawBody,
				headers: { [SIGNATURE_HEADER]: fake.api.signBody(rawBody) },
			}),
		).rejects.toThrow('Max File Size (MB) must be a number from 1 to 100000, not "unlimited"');
		expect(apiRequests()).toHaveLength(0);
		expect(fake.api.fileRequests).toHaveLength(0);
	});
});
