import type { IExecuteFunctions, INodeProperties, UsableAsToolDescription } from 'n8n-workflow';

/**
 * n8n internal (proven on 2.41.1, where the AI Agent e2e runs): a node an AI Agent calls as a tool
 * runs as its "… Tool" variant, whose type n8n names by appending "Tool" to the node's
 * (convertNodeToAiTool), e.g. `n8n-nodes-videosdk.videoSdkTool`.
 */
export const runsAsTool = (context: Pick<IExecuteFunctions, 'getNode'>): boolean =>
	context.getNode().type.endsWith('Tool');

/**
 * `usableAsTool` whose tool variant has its own copy of the fields. n8n internal (the same code in
 * 1.123.81 and 2.41.1, createAiTools): the variant's description is the node's with the
 * replacements spread over it, so `properties` replaces the fields although n8n-workflow's type
 * lists only the base description's keys.
 */
export const usableAsToolWith = (properties: INodeProperties[]): UsableAsToolDescription => ({
	replacements: { properties } as UsableAsToolDescription['replacements'],
});
