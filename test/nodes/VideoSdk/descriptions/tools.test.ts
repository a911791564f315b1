import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { TOOL_ACTIONS } from '../../../../nodes/VideoSdk/descriptions/tools';

const node = new VideoSdk().description;

/** The tool variant's description as n8n builds it: the node's, with the replacements spread over it. */
const toolVariant = (): INodeTypeDescription => {
	const { usableAsTool } = node;
	if (typeof usableAsTool !== 'object') throw new Error('usableAsTool has no replacements');
	return { ...node, ...usableAsTool.replacements } as INodeTypeDescription;
};

const operationFields = (properties: INodeProperties[]) => properties.filter((property) => property.name === 'operation');

describe('the VideoSDK Tool: what a model reads about each operation', () => {
	it('describes every operation by what it does and returns, as n8n words an automatic tool description', () => {
		const tool = toolVariant();
		for (const field of operationFields(tool.properties)) {
			const resource = String(field.displayOptions?.show?.resource?.[0]);
			for (const option of field.options as INodePropertyOptions[]) {
				const parameters = { resource, operation: option.value as string, descriptionType: 'auto' };
				const described = NodeHelpers.getToolDescriptionForNode(
					{ id: 'tool', name: 'VideoSDK', type: 'n8n-nodes-videosdk.videoSdkTool', typeVersion: 2, position: [0, 0], parameters },
					{ description: tool },
				);
				expect(described).toBe(`${TOOL_ACTIONS[resource][String(option.value)]} in VideoSDK`);
				expect(described).toMatch(/Returns /);
			}
		}
		expect(Object.values(TOOL_ACTIONS).flatMap(Object.keys)).toHaveLength(11);
	});

	it('changes only the wording: the same fields, names, values and defaults, and the editor keeps its short actions', () => {
		const tool = toolVariant();
		const shape = (properties: INodeProperties[]) =>
			JSON.stringify(properties, (key, value: unknown) => (key === 'action' ? undefined : value));
		expect(shape(tool.properties)).toBe(shape(node.properties));
		const mergeActions = operationFields(node.properties).flatMap((field) => (field.options as INodePropertyOptions[]).map((option) => option.action));
		expect(mergeActions).toContain('Merge participant recordings');
	});
});
