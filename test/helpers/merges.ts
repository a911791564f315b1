import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';

/** A merge of channels given as JSON, one per input item: the session comes from the item. */
export const jsonMerge = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: '={{ $json.sessionId }}',
	specifyChannels: 'json',
	channel1Json: '["a"]',
	channel2Json: '["b"]',
	options,
});

/** `count` input items, each naming a session: s-0, s-1, … */
export const sessionItems = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: { sessionId: `s-${index}` } }));

/** The merge requests the fake API received, in the order they arrived. */
export const mergeRequestsTo = (api: FakeVideoSdkApi) => api.requests.filter((request) => request.path.endsWith('/merge'));
