import type { FakeApiOptions, FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import type { TestCredentials } from '../../scripts/harness';

export interface FakeApiFixture {
	api: FakeVideoSdkApi;
	/** A videoSdkApi credential pointing at the fake API. */
	credentials: TestCredentials;
}

/** One fake VideoSDK API for a test file, reset before each test and closed after the file. */
export function useFakeApi(options: FakeApiOptions = {}): FakeApiFixture {
	const fixture = {} as FakeApiFixture;
	beforeAll(async () => {
		fixture.api = await startFakeVideoSdkApi(options);
		const { apiKey, secretKey, url } = fixture.api;
		fixture.credentials = { apiKey, secretKey, baseUrl: url };
	});
	afterAll(async () => await fixture.api.close());
	beforeEach(() => fixture.api.reset());
	return fixture;
}
