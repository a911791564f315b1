import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as mergeRecording from './actions/mergeRecording/MergeRecording.resource';
import * as participantRecording from './actions/participantRecording/ParticipantRecording.resource';
import * as session from './actions/session/Session.resource';
import { router, webhookRouter } from './actions/router';
import { listSearch, loadOptions } from './methods';
import { toolDescriptionFields } from './descriptions/tools';
import { resumeWebhooks } from './n8n/waitAndResume';
import { testVideoSdkCredential } from './methods/credentialTest';

const properties: INodeProperties[] = [
	// As a tool: what the model reads about the chosen operation.
	...toolDescriptionFields(),
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Merge Recording', value: 'mergeRecording' },
			{ name: 'Participant Recording', value: 'participantRecording' },
			{ name: 'Session', value: 'session' },
		],
		default: 'mergeRecording',
	},
	...mergeRecording.description,
	...participantRecording.description,
	...session.description,
];

export class VideoSdk implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VideoSDK',
		name: 'videoSdk',
		icon: { light: 'file:videoSdk.svg', dark: 'file:videoSdk.dark.svg' },
		group: ['transform'],
		// 2: sessions, merge jobs, recordings and speakers are picked from lists (descriptions/locators.ts).
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Merge VideoSDK participant recordings into one stereo file; find sessions and recordings',
		defaults: { name: 'VideoSDK' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }],
		webhooks: resumeWebhooks,
		properties,
	};

	methods = { credentialTest: { videoSdkApiTest: testVideoSdkCredential }, listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await webhookRouter.call(this);
	}
}
