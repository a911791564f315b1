import type { IHttpRequestOptions } from 'n8n-workflow';
import { verify, type JwtPayload } from 'jsonwebtoken';

import { VideoSdkApi } from '../../credentials/VideoSdkApi.credentials';
import { clearVideoSdkTokenCache, TOKEN_LIFETIME_SECONDS } from '../../nodes/VideoSdk/api';
import { testVideoSdkCredential } from '../../nodes/VideoSdk/methods/credentialTest';
import { VideoSdk } from '../../nodes/VideoSdk/VideoSdk.node';
import { VideoSdkTrigger } from '../../nodes/VideoSdk/VideoSdkTrigger.node';

const credentials = { apiKey: 'key-1', secretKey: 'secret-1', baseUrl: 'http://127.0.0.1:1' };

async function authorizationOf(creds = credentials): Promise<string> {
	const request: IHttpRequestOptions = { url: '/x', headers: { Accept: 'application/json' } };
	const authenticated = await new VideoSdkApi().authenticate(creds, request);
	return String(authenticated.headers?.Authorization);
}

describe('VideoSdkApi credential', () => {
	beforeEach(() => clearVideoSdkTokenCache());

	it('is named videoSdkApi with apiKey, secretKey and baseUrl fields', () => {
		const credential = new VideoSdkApi();
		expect(credential.name).toBe('videoSdkApi');
		expect(credential.properties.map((field) => field.name)).toEqual([
			'apiKey',
			'secretKey',
			'baseUrl',
		]);
		const secret = credential.properties.find((field) => field.name === 'secretKey');
		expect(secret?.typeOptions?.password).toBe(true);
	});

	it('sends a bare HS256 JWT with the claims VideoSDK expects', async () => {
		const authorization = await authorizationOf();
		expect(authorization).not.toMatch(/^(Bearer|Basic) /);
		const claims = verify(authorization, credentials.secretKey, {
			algorithms: ['HS256'],
		}) as JwtPayload;
		expect(claims).toMatchObject({
			apikey: 'key-1',
			permissions: ['allow_join', 'allow_mod'],
			version: 2,
			roles: ['crawler'],
		});
		expect(claims.exp! - claims.iat!).toBe(TOKEN_LIFETIME_SECONDS);
		expect(claims.exp! * 1000).toBeGreaterThan(Date.now());
		expect(() => verify(authorization, 'another-secret', { algorithms: ['HS256'] })).toThrow();
	});

	it('keeps the other headers of the request', async () => {
		const request: IHttpRequestOptions = { url: '/x', headers: { Accept: 'application/json' } };
		const authenticated = await new VideoSdkApi().authenticate(credentials, request);
		expect(authenticated.headers).toMatchObject({ Accept: 'application/json' });
		expect(request.headers).not.toHaveProperty('Authorization');
	});

	it('reuses a token per key and secret, never across them', async () => {
		const first = await authorizationOf();
		expect(await authorizationOf()).toBe(first);
		expect(await authorizationOf({ ...credentials, secretKey: 'secret-2' })).not.toBe(first);
		expect(await authorizationOf({ ...credentials, apiKey: 'key-2' })).not.toBe(first);
	});

	it('is tested by both nodes, through their videoSdkApiTest method', () => {
		for (const node of [new VideoSdk(), new VideoSdkTrigger()]) {
			expect(node.description.credentials).toEqual([{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }]);
			expect(node.methods.credentialTest.videoSdkApiTest).toBe(testVideoSdkCredential);
		}
	});
});
