/**
 * For `npm run bench` only (loaded from the bench n8n's custom folder, never shipped): the merge
 * requests of the VideoSDK node as a bare fetch loop inside the same n8n, the floor a node can reach.
 * Bodies come straight from each item's JSON, with a token signed beforehand: no expression, no
 * parameter reads per item, no n8n request helper.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

interface BenchItem {
	sessionId: string;
	left: string[];
	right: string[];
}

export class BenchFetch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench: Bare Fetch',
		name: 'benchFetch',
		group: ['transform'],
		version: 1,
		description: 'Sends the merge request of each item with fetch',
		defaults: { name: 'Bare Fetch' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'URL', name: 'url', type: 'string', default: '' },
			{ displayName: 'Token', name: 'token', type: 'string', typeOptions: { password: true }, default: '' },
			{ displayName: 'At Once', name: 'concurrency', type: 'number', default: 1 },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const url = this.getNodeParameter('url', 0) as string;
		const token = this.getNodeParameter('token', 0) as string;
		const concurrency = Math.max(1, this.getNodeParameter('concurrency', 0) as number);
		const items = this.getInputData();
		const send = async (itemIndex: number): Promise<INodeExecutionData> => {
			const { sessionId, left, right } = items[itemIndex].json as unknown as BenchItem;
			const response = await fetch(url, {
				method: 'POST',
				headers: { Authorization: token, 'Content-Type': 'application/json', Accept: 'application/json' },
				body: JSON.stringify({
					sessionId,
					channel1: left.map((participantId) => ({ participantId })),
					channel2: right.map((participantId) => ({ participantId })),
				}),
			});
			if (!response.ok) throw new Error(`VideoSDK answered ${response.status}`);
			return { json: (await response.json()) as INodeExecutionData['json'], pairedItem: { item: itemIndex } };
		};
		const output: INodeExecutionData[] = [];
		for (let start = 0; start < items.length; start += concurrency) {
			const indexes = Array.from({ length: Math.min(concurrency, items.length - start) }, (_, offset) => start + offset);
			output.push(...(await Promise.all(indexes.map(send))));
		}
		return [output];
	}
}
