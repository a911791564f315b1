import type { FakeVideoSdkApi } from './server';

/**
 * The finished session that `npm run demo` holds and examples/merge-session-and-wait.json merges:
 * the example names this ID, so it must stay fixed. The participants are those of
 * examples/merge-recordings.json.
 */
export const DEMO_SESSION_ID = '6847c231fbaa8b416bc87014';

export const seedDemoSession = (api: FakeVideoSdkApi) =>
	api.seedSession(['interviewer', 'candidate'], { id: DEMO_SESSION_ID });
