import type { INodeExecutionData } from 'n8n-workflow';

import type { FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';

export { jsonMerge } from '../../scripts/harness/merges';

/** `count` input items, each naming a session: s-0, s-1, … */
export const sessionItems = (count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: { sessionId: `s-${index}` } }));

/** The merge requests the fake API received, in the order they arrived. */
export const mergeRequestsTo = (api: FakeVideoSdkApi) => api.requests.filter((request) => request.path.endsWith('/merge'));
