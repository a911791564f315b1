import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL, videoSdkAuthorization } from '../nodes/VideoSdk/api';

/**
 * The dialog's Test button is the nodes' `videoSdkApiTest` (testedBy), not a test request: it shows
 * VideoSDK's own message on a refusal and never follows a redirect with the token.
 */
export class VideoSdkApi implements ICredentialType {
	name = 'videoSdkApi';

	displayName = 'VideoSDK API';

	// One copy of the icon, the nodes': n8n resolves the path from this file and serves it from the package.
	icon = { light: 'file:../nodes/VideoSdk/videoSdk.svg', dark: 'file:../nodes/VideoSdk/videoSdk.dark.svg' } as const;

	documentationUrl = 'https://docs.videosdk.live/api-reference/realtime-communication/intro';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The API key from the VideoSDK dashboard (API Keys page)',
		},
		{
			displayName: 'Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The secret shown beside the API key. It only signs short-lived tokens on this n8n instance and is never sent to VideoSDK.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description: 'Change only to reach a proxy or a test server',
		},
	];

	// Every request gets a fresh-enough HS256 token, as VideoSDK wants it: the bare JWT, no "Bearer".
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, ...videoSdkAuthorization(credentials) },
		};
	}
}
