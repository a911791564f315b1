import type { INodeParameters } from 'n8n-workflow';

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
