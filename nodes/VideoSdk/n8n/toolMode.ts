import type { INode } from 'n8n-workflow';

/**
 * n8n internal (proven on 2.41.1, where the AI Agent e2e runs): a node an AI Agent calls as a tool
 * runs as its "… Tool" variant, whose type n8n names by appending "Tool" to the node's
 * (convertNodeToAiTool), e.g. `n8n-nodes-videosdk.videoSdkTool`.
 */
export const isToolNode = (node: INode): boolean => node.type.endsWith('Tool');

