import type { INode } from 'n8n-workflow';

/**
 * n8n internal (proven on 2.41.1, where the AI Agent e2e runs): a node an AI Agent calls as a tool
 * runs as its "… Tool" variant, whose type n8n names by appending "Tool" to the node's
 * (convertNodeToAiTool), e.g. `n8n-nodes-videosdk.videoSdkTool`.
 */
export const isToolNode = (node: INode): boolean => node.type.endsWith('Tool');

/**
 * Why a tool cannot wait: said before any request, instead of a pause that would stop the caller.
 */
export const CANNOT_WAIT_IN_THIS_TOOL_CALL =
	"Wait for Completion cannot pause this tool call for VideoSDK's callback: only an AI Agent of version 3 or newer can wait for a tool, so set Wait Mode to Ask VideoSDK, or turn Wait for Completion off and get the merge job until its status is completed";

/**
 * Whether the node, run as a tool, may pause the execution and hand its resumed output to the agent.
 * n8n internal (proven on 1.123.81 and 2.41.1): an AI Agent of version 3 has n8n run each tool call as
 * a step of the execution (an "engine request"), marking the tool node `rewireOutputLogTo: 'ai_tool'`;
 * that step can wait like any node, and the agent gets its output when it resumes. Other callers
 * (earlier AI Agents, chains, an MCP Server Trigger) run the tool inside their own step, where a
 * pause would only make the whole execution wait after the agent had answered without the result.
 */
export const canPauseAsTool = (node: INode): boolean => !isToolNode(node) || node.rewireOutputLogTo === 'ai_tool';
