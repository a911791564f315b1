import type { INodeParameters } from 'n8n-workflow';

import { API_PATHS } from '../../../../nodes/VideoSdk/api';
import { LIST_PAGE_SIZE } from '../../../../nodes/VideoSdk/methods/listSearch';
import { LIST_SEARCH } from '../../../../nodes/VideoSdk/descriptions/methodNames';
import { listSearch } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const search = (method: string, filter?: string, token?: string, parameters: INodeParameters = {}) =>
	listSearch({ parameters: { resource: 'session', operation: 'get', ...parameters }, credentials: fake.credentials }, method, filter, token);

const requestsTo = (path: string) => fake.api.requests.filter((request) => request.path === path);

/** Sessions an hour apart, the first one oldest. */
const seedSessions = (count: number, roomId = 'abc-defg-hij') =>
	Array.from({ length: count }, (_, index) => fake.api.seedSession([`p${index}`], { roomId }).session);

describe('list search: sessions', () => {
	it('names each session by room, start time and participant count, newest first', async () => {
		const older = fake.api.seedSession(['host', 'guest', 'co-host'], { roomId: 'weekly-room' }).session;
		const newer = fake.api.seedSession(['solo'], { roomId: 'standup-room', unrecorded: ['listener'] }).session;

		const { results, paginationToken } = await search(LIST_SEARCH.sessions);

		expect(results).toEqual([
			{ name: 'standup-room · 2026-01-01 11:00 UTC · 2 participants', value: newer.id },
			{ name: 'weekly-room · 2026-01-01 10:00 UTC · 3 participants', value: older.id },
		]);
		expect(paginationToken).toBeUndefined();
	});

	it('pages lazily: one VideoSDK page per list page, the next only when n8n asks with the token', async () => {
		const sessions = seedSessions(LIST_PAGE_SIZE + 10);
		const newestFirst = [...sessions].reverse().map((session) => session.id);

		const first = await search(LIST_SEARCH.sessions);
		expect(first.results.map((result) => result.value)).toEqual(newestFirst.slice(0, LIST_PAGE_SIZE));
		expect(requestsTo(API_PATHS.sessions).map((request) => request.query)).toEqual([
			{ page: '1', perPage: String(LIST_PAGE_SIZE) },
		]);

		const second = await search(LIST_SEARCH.sessions, undefined, first.paginationToken);
		expect(second.results.map((result) => result.value)).toEqual(newestFirst.slice(LIST_PAGE_SIZE));
		expect(second.paginationToken).toBeUndefined();
		expect(requestsTo(API_PATHS.sessions).map((request) => request.query.page)).toEqual(['1', '2']);
	});

	it('still lists newest first when VideoSDK lists oldest first: from its last page back', async () => {
		fake.api.sessionOrder = 'oldestFirst';
		const sessions = seedSessions(LIST_PAGE_SIZE + 10);
		const newestFirst = [...sessions].reverse().map((session) => session.id);

		const first = await search(LIST_SEARCH.sessions);
		expect(first.results.map((result) => result.value)).toEqual(newestFirst.slice(0, 10));
		const second = await search(LIST_SEARCH.sessions, undefined, first.paginationToken);
		expect(second.results.map((result) => result.value)).toEqual(newestFirst.slice(10));
		expect(second.paginationToken).toBeUndefined();
		// The first page tells the order; the walk then goes 2, 1.
		expect(requestsTo(API_PATHS.sessions).map((request) => request.query.page)).toEqual(['1', '2', '1']);
	});

	it('searches by room ID, then by custom room ID, keeping the key while paging', async () => {
		const weekly = fake.api.seedSession(['a'], { roomId: 'room-weekly', customRoomId: 'weekly-sync' }).session;
		seedSessions(3, 'other-room');
		const inRoom = seedSessions(LIST_PAGE_SIZE + 1, 'busy-room');

		const byCustomId = await search(LIST_SEARCH.sessions, ' weekly-sync ');
		expect(byCustomId.results.map((result) => result.value)).toEqual([weekly.id]);
		expect(requestsTo(API_PATHS.sessions).map((request) => request.query)).toEqual([
			{ page: '1', perPage: String(LIST_PAGE_SIZE), roomId: 'weekly-sync' },
			{ page: '1', perPage: String(LIST_PAGE_SIZE), customRoomId: 'weekly-sync' },
		]);

		fake.api.requests.length = 0;
		const byRoom = await search(LIST_SEARCH.sessions, 'busy-room');
		const next = await search(LIST_SEARCH.sessions, 'busy-room', byRoom.paginationToken);
		expect([...byRoom.results, ...next.results].map((result) => result.value)).toEqual(
			[...inRoom].reverse().map((session) => session.id),
		);
		expect(requestsTo(API_PATHS.sessions).every((request) => request.query.roomId === 'busy-room')).toBe(true);

		const nothing = await search(LIST_SEARCH.sessions, 'no-such-room');
		expect(nothing).toEqual({ results: [], paginationToken: undefined });
	});

	it("fails with VideoSDK's own words when the credential is refused", async () => {
		const refused = listSearch(
			{ parameters: {}, credentials: { ...fake.credentials, secretKey: 'not-the-secret' } },
			LIST_SEARCH.sessions,
		);
		await expect(refused).rejects.toThrow('VideoSDK answered 401: Token is invalid');
	});
});

describe('list search: merge jobs and participant recordings', () => {
	it('lists merge jobs newest first by room, start and status, searchable by session ID', async () => {
		// Seeded jobs start a minute apart, oldest first: the order VideoSDK might use.
		const jobs = fake.api.seedMerges(3);
		const { results } = await search(LIST_SEARCH.mergeJobs);
		expect(results.map((result) => result.value)).toEqual([jobs[2].id, jobs[1].id, jobs[0].id]);
		expect(results[0].name).toBe(`${jobs[2].meetingId} · 2026-01-01 00:02 UTC · completed`);

		const bySession = await search(LIST_SEARCH.mergeJobs, 'session-1');
		expect(bySession.results.map((result) => result.value)).toEqual([jobs[1].id]);
		const byId = await search(LIST_SEARCH.mergeJobs, jobs[0].id);
		expect(byId.results.map((result) => result.value)).toEqual([jobs[0].id]);
	});

	it('lists participant recordings by participant, room and start, searchable by session or participant', async () => {
		const first = fake.api.seedSession(['host', 'guest'], { roomId: 'room-a' });
		const second = fake.api.seedSession(['host'], { roomId: 'room-b' });

		const all = await search(LIST_SEARCH.participantRecordings);
		expect(all.results.map((result) => result.name)).toEqual([
			'host · room-b · 2026-01-01 11:00 UTC · audio',
			'host · room-a · 2026-01-01 10:00 UTC · audio',
			'guest · room-a · 2026-01-01 10:00 UTC · audio',
		]);

		const ofSession = await search(LIST_SEARCH.participantRecordings, first.session.id);
		expect(ofSession.results.map((result) => result.value)).toEqual(first.recordings.map((recording) => recording.id));
		const ofHost = await search(LIST_SEARCH.participantRecordings, 'host');
		expect(ofHost.results.map((result) => result.value)).toEqual([second.recordings[0].id, first.recordings[0].id]);
	});
});
