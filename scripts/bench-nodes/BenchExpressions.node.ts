/**
 * For `npm run bench` only (loaded from the bench n8n's custom folder, never shipped): reads the
 * merge fields of each item through getNodeParameter and sends nothing, so that the time n8n's
 * expression engine takes for them can be set against the VideoSDK node's in the same n8n.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

export const BENCH_FIELDS = ['sessionId', 'channel1Json', 'channel2Json'] as const;

export class BenchExpressions implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench: Read Expressions',
		name: 'benchExpressions',
		group: ['transform'],
		version: 1,
		description: 'Reads the merge fields of each item and sends nothing',
		defaults: { name: 'Read Expressions' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{
				displayName: 'Read',
				name: 'read',
				type: 'options',
				options: [
					{ name: 'Each Field', value: 'eachField' },
					{ name: 'One Collection', value: 'oneCollection' },
				],
				default: 'eachField',
			},
			...BENCH_FIELDS.map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
			{
				displayName: 'Fields',
				name: 'fields',
				type: 'collection',
				default: {},
				options: BENCH_FIELDS.map((name) => ({ displayName: name, name, type: 'string' as const, default: '' })),
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const oneCollection = this.getNodeParameter('read', 0) === 'oneCollection';
		return [
			this.getInputData().map((_, itemIndex) => ({
				json: oneCollection
					? (this.getNodeParameter('fields', itemIndex) as Record<string, string>)
					: Object.fromEntries(BENCH_FIELDS.map((name) => [name, this.getNodeParameter(name, itemIndex)])),
				pairedItem: { item: itemIndex },
			})),
		];
	}
}
