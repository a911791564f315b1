import type { FakeVideoSdkApi } from './server';

/**
 * The finished session that `npm run demo` holds and examples/merge-session-and-wait.json merges:
 * the example names this ID, so it must stay fixed. The participants are those of
 * examples/merge-recordings.json.
 */
export const DEMO_SESSION_ID = '6847c231fbaa8b416bc87014';

/** The demo room: its sessions are what the editor's session list shows first. */
export const DEMO_ROOM_ID = 'abc-defg-hij';

export const DEMO_SPEAKERS = { interviewer: 'Ana Ruiz', candidate: 'Bo Chen' };

export const seedDemoSession = (api: FakeVideoSdkApi) =>
	api.seedSession(Object.keys(DEMO_SPEAKERS), { id: DEMO_SESSION_ID, roomId: DEMO_ROOM_ID, names: DEMO_SPEAKERS });

/**
 * The demo session and, after it, a few later sessions of other rooms, so the editor's session
 * list has something to search: the demo session is found by its room ID.
 */
export function seedDemoSessions(api: FakeVideoSdkApi) {
	const demo = seedDemoSession(api);
	api.seedSession(['host', 'guest', 'co-host'], { roomId: 'weekly-sync-room', customRoomId: 'weekly-sync' });
	api.seedSession(['presenter'], { roomId: 'town-hall-room', unrecorded: ['listener-1', 'listener-2'] });
	return demo;
}
