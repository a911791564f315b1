import { testVideoSdkCredential } from '../../../../nodes/VideoSdk/methods/credentialTest';
import type { TestCredentials } from '../../../../scripts/harness';
import { getFreePort } from '../../../../scripts/localN8n';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const credentialOf = (data: TestCredentials) => ({ id: 'c1', name: 'VideoSDK', type: 'videoSdkApi', data: { ...data } });
const tokensSent = () => fake.api.requests.map((request) => request.authorization).filter((token): token is string => !!token);

describe("the credential's Test", () => {
	it('succeeds with a valid key and secret, sending a bare token', async () => {
		await expect(testVideoSdkCredential.call({} as never, credentialOf(fake.credentials))).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful',
		});
		expect(tokensSent()).toHaveLength(1);
		expect(fake.api.requests[0].tokenClaims?.apikey).toBe(fake.api.apiKey);
	});

	it("shows VideoSDK's own message for a wrong secret", async () => {
		const result = await testVideoSdkCredential.call({} as never, credentialOf({ ...fake.credentials, secretKey: 'wrong-secret-1' }));
		expect(result).toEqual({ status: 'Error', message: 'VideoSDK answered 401: Token is invalid' });
	});

	it('names an unreachable API without hanging', async () => {
		const closed = `http://127.0.0.1:${await getFreePort()}`;
		const result = await testVideoSdkCredential.call({} as never, credentialOf({ ...fake.credentials, baseUrl: closed }));
		expect(result).toEqual({ status: 'Error', message: `Could not reach VideoSDK at ${closed}: the server refused the connection` });
	});
});
