import type { INode, INodeParameters } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { CANNOT_WAIT_IN_THIS_TOOL_CALL, canPauseAsTool } from '../../../../nodes/VideoSdk/n8n/toolMode';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

// What n8n does for an AI Agent: the same node, run under its "…Tool" type name.
registerNodeType('videoSdkTool', () => new VideoSdk());

const node = (type: string, rewireOutputLogTo?: INode['rewireOutputLogTo']): INode => ({
	id: 'n',
	name: 'n',
	type,
	typeVersion: 2,
	position: [0, 0],
	parameters: {},
	...(rewireOutputLogTo ? { rewireOutputLogTo } : {}),
});

const mergeAndWait: INodeParameters = {
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: 'session-1',
	specifyChannels: 'json',
	channel1Json: '["alice"]',
	channel2Json: '["bob"]',
	waitForCompletion: true,
};

const mergeRequests = () => fake.api.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/merge'));

describe('waiting inside a tool call', () => {
	it('can pause in a workflow, and as a tool only as a step an AI Agent (version 3) has n8n run', () => {
		expect(canPauseAsTool(node('n8n-nodes-videosdk.videoSdk'))).toBe(true);
		expect(canPauseAsTool(node('n8n-nodes-videosdk.videoSdkTool', 'ai_tool'))).toBe(true);
		expect(canPauseAsTool(node('n8n-nodes-videosdk.videoSdkTool'))).toBe(false);
	});

	it('pauses as a tool step of an AI Agent (version 3), after starting the merge', async () => {
		const run = await runNode({ type: 'videoSdkTool', parameters: mergeAndWait, credentials: fake.credentials, rewireOutputLogTo: 'ai_tool' });
		expect(run.error).toBeUndefined();
		expect(run.waitTill).toBeInstanceOf(Date);
		expect(mergeRequests()).toHaveLength(1);
	});

	it('asks VideoSDK inside any tool call: Wait Mode → Ask VideoSDK needs no pause', async () => {
		fake.api.finishMergesAfter('session-1', 0);
		const asking = { ...mergeAndWait, waitMode: 'ask', pollInterval: 1 };
		const run = await runNode({ type: 'videoSdkTool', parameters: asking, credentials: fake.credentials });
		expect(run.error).toBeUndefined();
		expect(run.waitTill).toBeUndefined();
		expect(mergeRequests()).toHaveLength(1);
		expect(run.items.map((item) => (item.json.recording as { status?: string }).status)).toEqual(['completed']);
	});

	it('called as a tool any other way, fails in one sentence before any merge instead of pausing', async () => {
		const run = await runNode({ type: 'videoSdkTool', parameters: mergeAndWait, credentials: fake.credentials });
		expect(run.error?.message).toBe(CANNOT_WAIT_IN_THIS_TOOL_CALL);
		expect(CANNOT_WAIT_IN_THIS_TOOL_CALL).toMatch(/^Wait for Completion .*[^.]$/);
		expect(run.waitTill).toBeUndefined();
		expect(mergeRequests()).toEqual([]);
	});
});
