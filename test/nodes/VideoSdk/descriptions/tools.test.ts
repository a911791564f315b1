import type { INode, INodeParameters, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { TOOL_DESCRIPTIONS } from '../../../../nodes/VideoSdk/descriptions/tools';

const node = new VideoSdk().description;

/** The node as n8n offers it to an AI Agent: the same fields under the "…Tool" name. */
const asTool: INodeTypeDescription = { ...node, name: 'videoSdkTool' };

/** The node's parameters as n8n's Workflow fills them in: defaults of the fields shown. */
function filled(description: INodeTypeDescription, parameters: INodeParameters): INode {
	const base: INode = { id: 'n', name: 'VideoSDK', type: `n8n-nodes-videosdk.${description.name}`, typeVersion: 2, position: [0, 0], parameters };
	return { ...base, parameters: NodeHelpers.getNodeParameters(description.properties, parameters, true, false, base, description)! };
}

const operations = () =>
	node.properties
		.filter((property) => property.name === 'operation')
		.flatMap((field) =>
			(field.options as INodePropertyOptions[]).map((option) => ({
				resource: String(field.displayOptions?.show?.resource?.[0]),
				operation: String(option.value),
			})),
		);

describe('the VideoSDK Tool: what a model reads about each operation', () => {
	it("describes every operation by what it does and returns, as n8n's tool description", () => {
		expect(operations()).toHaveLength(11);
		for (const { resource, operation } of operations()) {
			const tool = filled(asTool, { resource, operation });
			const described = NodeHelpers.getToolDescriptionForNode(tool, { description: asTool });
			expect({ resource, operation, described }).toEqual({ resource, operation, described: TOOL_DESCRIPTIONS[resource][operation] });
			expect(described).toMatch(/\. Returns |^\w.* Returns /);
		}
		// Having its own, the node gets no "Description" field from n8n (convertNodeToAiTool adds one only when absent).
		expect(node.properties.some((property) => property.name === 'toolDescription')).toBe(true);
	});

	it('keeps the description the user wrote, and adds nothing to the workflow node', () => {
		const written = filled(asTool, { resource: 'session', operation: 'getAll', toolDescription: 'Sessions of our rooms' });
		expect(NodeHelpers.getToolDescriptionForNode(written, { description: asTool })).toBe('Sessions of our rooms');
		const inWorkflow = filled(node, { resource: 'session', operation: 'getAll' });
		expect(inWorkflow.parameters).not.toHaveProperty('toolDescription');
	});
});
