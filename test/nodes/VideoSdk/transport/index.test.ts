import type { IExecuteFunctions } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { jsonMerge, sessionItems } from '../../../helpers/merges';

const fake = useFakeApi({ autoWebhooks: false });

describe('apiRequest', () => {
	it('reads the credential at most once per execution and hands it to n8n with every request', async () => {
		let credentialReads = 0;
		const videoSdk = new VideoSdk();
		registerNodeType('videoSdkCountingCredentials', {
			description: videoSdk.description,
			async execute(this: IExecuteFunctions) {
				const getCredentials = this.getCredentials.bind(this);
				this.getCredentials = (async (...args: Parameters<IExecuteFunctions['getCredentials']>) => {
					credentialReads += 1;
					return await getCredentials(...args);
				}) as IExecuteFunctions['getCredentials'];
				return await videoSdk.execute.call(this);
			},
		});

		const { items, error } = await runNode({
			type: 'videoSdkCountingCredentials',
			parameters: jsonMerge(),
			items: sessionItems(3),
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(fake.api.requests.filter((request) => request.tokenClaims?.apikey === fake.api.apiKey)).toHaveLength(3);
		expect(credentialReads).toBeLessThanOrEqual(1);
	});
});

describe('apiRequest on n8n 1.x', () => {
	/** The VideoSDK node, with n8n's HTTP errors as n8n-workflow 1.x builds them: without `cause`. */
	function registerWithCauselessErrors(name: string) {
		const videoSdk = new VideoSdk();
		registerNodeType(name, {
			description: videoSdk.description,
			async execute(this: IExecuteFunctions) {
				const request = this.helpers.httpRequestWithAuthentication.bind(this);
				this.helpers.httpRequestWithAuthentication = (async (...args: Parameters<typeof request>) => {
					try {
						return await request(...args);
					} catch (error) {
						delete (error as { cause?: unknown }).cause;
						throw error;
					}
				}) as typeof request;
				return await videoSdk.execute.call(this);
			},
		});
	}

	it('keeps VideoSDK\'s own message and status when n8n\'s error no longer carries the response', async () => {
		registerWithCauselessErrors('videoSdkCauselessErrors');
		fake.api.failNext((request) => request.path.endsWith('/merge'), {
			status: 403,
			body: { message: 'Merge is not allowed for this API key' },
		});

		const { error } = await runNode({
			type: 'videoSdkCauselessErrors',
			parameters: { resource: 'mergeRecording', operation: 'create', sessionId: 's', specifyChannels: 'json', channel1Json: '["a"]', channel2Json: '["b"]' },
			credentials: fake.credentials,
		});

		expect(error?.name).toBe('NodeApiError');
		expect(error?.message).toBe('VideoSDK answered 403: Merge is not allowed for this API key');
		expect(String((error as { httpCode?: unknown }).httpCode)).toBe('403');
		const token = fake.api.requests.at(-1)!.authorization!;
		expect(JSON.stringify(error)).not.toContain(token);
	});
});
