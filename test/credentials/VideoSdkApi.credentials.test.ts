import type { IHttpRequestOptions } from 'n8n-workflow';
import { verify, type JwtPayload } from 'jsonwebtoken';

import { VideoSdkApi } from '../../credentials/VideoSdkApi.credentials';
import { testCredential } from '../../scripts/harness';
import { useFakeApi } from '../helpers/fakeApi';
import {
	clearVideoSdkTokenCache,
	getVideoSdkToken,
	TOKEN_LIFETIME_SECONDS,
} from '../../credentials/videoSdkToken';

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

	it('signs a new token shortly before the cached one expires', () => {
		const now = Date.UTC(2026, 0, 1);
		const first = getVideoSdkToken('k', 's', now);
		expect(getVideoSdkToken('k', 's', now + (TOKEN_LIFETIME_SECONDS - 120) * 1000)).toBe(first);
		const renewed = getVideoSdkToken('k', 's', now + (TOKEN_LIFETIME_SECONDS - 30) * 1000);
		expect(renewed).not.toBe(first);
	});

});

describe("VideoSDK API credential: the dialog's test (the nodes' credentialTest)", () => {
	const fake = useFakeApi({ autoWebhooks: false });

	it.each(['videoSdk', 'videoSdkTrigger'])('from %s: lists one merge job with a token VideoSDK accepts', async (type) => {
		const result = await testCredential(fake.credentials, type);
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(fake.api.requests.map(({ method, path, query, tokenClaims }) => [method, path, query, !!tokenClaims])).toEqual([
			['GET', '/v2/recordings/participant/merge', { page: '1', perPage: '1' }, true],
		]);
	});

	it("shows VideoSDK's own words for a wrong secret, and says when VideoSDK cannot be reached", async () => {
		const wrongSecret = await testCredential({ ...fake.credentials, secretKey: 'not-the-secret' });
		expect(wrongSecret).toEqual({ status: 'Error', message: 'VideoSDK answered 401: Token is invalid' });
		const unreachable = await testCredential({ ...fake.credentials, baseUrl: 'http://127.0.0.1:9' });
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).toMatch(/^Could not reach VideoSDK: .*ECONNREFUSED/);
	});
});
