import type { IExecuteFunctions } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

describe('apiRequest', () => {
	it('reads the credential once per execution and hands it to n8n with every request', async () => {
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
			parameters: {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: '={{ $json.sessionId }}',
				specifyChannels: 'json',
				channel1Json: '["a"]',
				channel2Json: '["b"]',
			},
			items: [{ json: { sessionId: 's-0' } }, { json: { sessionId: 's-1' } }, { json: { sessionId: 's-2' } }],
			credentials: fake.credentials,
		});

		expect(error).toBeUndefined();
		expect(items).toHaveLength(3);
		expect(fake.api.requests.filter((request) => request.tokenClaims?.apikey === fake.api.apiKey)).toHaveLength(3);
		expect(credentialReads).toBe(1);
	});
});
