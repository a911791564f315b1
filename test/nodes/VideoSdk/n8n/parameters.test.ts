import type { IExecuteFunctions, INodeTypeDescription } from 'n8n-workflow';

import { executeOperation } from '../../../../nodes/VideoSdk/actions/executor';
import type { Operation } from '../../../../nodes/VideoSdk/actions/operation';
import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { jsonMerge, mergeRequestsTo, sessionItems } from '../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false });

const mergeRequests = () => mergeRequestsTo(fake.api);

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

describe('reading parameters', () => {
	const videoSdk = new VideoSdk();
	const reads = recordingReads('videoSdkReads', videoSdk.description, videoSdk.execute);
	beforeEach(() => (reads.length = 0));

	// The performance promise: n8n's expression engine is the cost of a read, so a value without an
	// expression is read at most once per execution and a hidden field never.
	it('reads an expression for every item, a value without one at most once, and no hidden field', async () => {
		const { items, error } = await runNode({
			type: 'videoSdkReads',
			parameters: jsonMerge(),
			items: sessionItems(3),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => item.json.sessionId)).toEqual(['s-0', 's-1', 's-2']);
		const perField = itemsReadPerField(reads);
		expect(perField.sessionId).toEqual([0, 1, 2]);
		expect((perField.channel1Json ?? []).length).toBeLessThanOrEqual(1);
		expect((perField.channel2Json ?? []).length).toBeLessThanOrEqual(1);
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

		const { error } = await runNode({ type: 'videoSdkReads', parameters: jsonMerge(), items: sessionItems(5), credentials: fake.credentials });

		expect(error).toBeUndefined();
		expect(mergeRequests()).toHaveLength(5);
		expect(itemsReadPerField(reads).sessionId).toEqual([0, 1, 2, 3, 4]);
		expect(readsBeforeFirstRequest).toBe(reads.length);
	});

	it('evaluates an expression inside a collection for each item', async () => {
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: jsonMerge({ dirPath: '={{ $json.sessionId }}/merged' }),
			items: sessionItems(2),
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
			items: sessionItems(2),
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
