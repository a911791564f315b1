/**
 * Every walk of a VideoSDK list is bounded: Return All and Limit, the speakers of a session (in the
 * node and in the editor) and the editor's lists stop at MAX_PAGES, and where the pages' counters do
 * not add up, with an error that says why.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { MAX_ENTRIES, MAX_PAGE_SIZE, MAX_PAGES } from '../../../../nodes/VideoSdk/actions/pages';
import { API_PATHS } from '../../../../nodes/VideoSdk/api';
import { LIST_SEARCH, LOAD_OPTIONS } from '../../../../nodes/VideoSdk/descriptions/methodNames';
import { LIST_PAGE_SIZE } from '../../../../nodes/VideoSdk/methods/listSearch';
import { listSearch, loadOptions, runNode, runPoll } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

interface Page {
	entries: IDataObject[];
	pageInfo: IDataObject;
}

/** Distinct entries for a page; the same `page` always gives the same entries. */
const entriesOf = (page: number, count: number): IDataObject[] =>
	Array.from({ length: count }, (_, index) => ({
		id: `entry-${page}-${index}`,
		participantId: `speaker-${page}-${index}`,
		start: '2026-01-01T10:00:00.000Z',
	}));

/** A consistent page of a list of `lastPage` full pages. */
const fullPage = (page: number, perPage: number, lastPage: number): Page => ({
	entries: entriesOf(page, perPage),
	pageInfo: { currentPage: page, perPage, lastPage, total: lastPage * perPage },
});

/** Every request for the list at `path` is answered with `pageOf(page, perPage)`. */
function answerPages(path: string, itemsKey: string, pageOf: (page: number, perPage: number) => Page) {
	fake.api.failNext((request) => request.method === 'GET' && request.path === path, {
		status: 200,
		times: 10_000,
		bodyOf: (request) => {
			const { entries, pageInfo } = pageOf(Number(request.query.page), Number(request.query.perPage));
			return { pageInfo, [itemsKey]: entries };
		},
	});
}

const requestsTo = (path: string) =>
	fake.api.requests.filter((request) => request.method === 'GET' && request.path === path);

const getManyJobs = (options: INodeParameters = { returnAll: true }) =>
	runNode({
		type: 'videoSdk',
		parameters: {
			resource: 'mergeRecording',
			operation: 'getAll',
			filters: {},
			...options,
		},
		credentials: fake.credentials,
		continueOnFail: true,
	});

const stoppedAt = (path: string, why: string) => `Stopped reading VideoSDK's list ${path}: ${why}`;

describe('Return All and Limit stop at the ceiling', () => {
	it('the ceiling is 100 pages of 100, 10,000 entries', () => {
		expect([MAX_PAGES, MAX_PAGE_SIZE, MAX_ENTRIES]).toEqual([100, 100, 10_000]);
	});

	it(`reads ${MAX_PAGES} pages of a longer list, then fails the item saying why`, async () => {
		answerPages(API_PATHS.merge, 'recordings', (page, perPage) => fullPage(page, perPage, 1_000));

		const { items } = await getManyJobs();

		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe(
			`${stoppedAt(API_PATHS.merge, 'the list goes on after 100 pages (10,000 entries), where a walk stops')} [item 0]`,
		);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(requestsTo(API_PATHS.merge)).toHaveLength(MAX_PAGES);
	});

	it('a Limit up to the ceiling is met; a Limit above it fails on a longer list as Return All does', async () => {
		answerPages(API_PATHS.merge, 'recordings', (page, perPage) => fullPage(page, perPage, 1_000));

		const atCeiling = await getManyJobs({
			returnAll: false,
			limit: MAX_ENTRIES,
		});
		expect(atCeiling.items).toHaveLength(MAX_ENTRIES);
		expect(atCeiling.items[MAX_ENTRIES - 1].json.id).toBe('entry-100-99');

		const above = await getManyJobs({
			returnAll: false,
			limit: MAX_ENTRIES + 1,
		});
		expect(above.items).toHaveLength(1);
		expect(String(above.items[0].json.error)).toContain('the list goes on after 100 pages (10,000 entries)');
	});

	it('a list of exactly 100 pages is read whole', async () => {
		answerPages(API_PATHS.merge, 'recordings', (page, perPage) => fullPage(page, perPage, MAX_PAGES));

		const { items } = await getManyJobs();

		expect(items).toHaveLength(MAX_ENTRIES);
		expect(items.some((item) => item.json.error)).toBe(false);
	});
});

describe('Return All stops where the pages do not add up', () => {
	const cases: Array<[string, (page: number, perPage: number) => Page, string]> = [
		[
			'a page sent again',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				entries: entriesOf(1, perPage),
			}),
			'page 2 repeats a page it sent before',
		],
		[
			'currentPage not the page asked for',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				pageInfo: { ...fullPage(page, perPage, 3).pageInfo, currentPage: 1 },
			}),
			'VideoSDK answered page 1 when asked for page 2',
		],
		[
			'lastPage changing between pages',
			(page, perPage) => fullPage(page, perPage, page + 1),
			'its pageInfo.lastPage changed from 2 to 3 between pages',
		],
		[
			'more entries than perPage',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				entries: entriesOf(page, perPage + 50),
			}),
			'page 1 has 150 entries, more than its 100 per page',
		],
		[
			'a lastPage that does not fit the total',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				pageInfo: { currentPage: page, perPage, lastPage: 3, total: 1 },
			}),
			'its pageInfo.lastPage 3 does not fit 1 entries at 100 per page',
		],
		[
			'more entries than the total',
			(page, perPage) => ({
				...fullPage(page, perPage, 2),
				pageInfo: { currentPage: page, perPage, lastPage: 2, total: 150 },
			}),
			'it sent 200 entries, more than its total of 150',
		],
		[
			'an empty page before the last',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				entries: page === 2 ? [] : entriesOf(page, perPage),
			}),
			'page 2 is empty, before its last page 3',
		],
		[
			'a counter that is not a number',
			(page, perPage) => ({
				...fullPage(page, perPage, 3),
				pageInfo: { currentPage: page, perPage, lastPage: 'many' },
			}),
			'its pageInfo.lastPage is not a whole number from 0: "many"',
		],
	];

	it.each(cases)('%s', async (_name, pageOf, why) => {
		answerPages(API_PATHS.merge, 'recordings', pageOf);

		const { items } = await getManyJobs();

		expect(items).toHaveLength(1);
		expect(items[0].json.error).toBe(`${stoppedAt(API_PATHS.merge, why)} [item 0]`);
	});

	it('without Continue On Fail, the node fails naming the item', async () => {
		answerPages(API_PATHS.sessions, 'data', (page, perPage) => ({
			...fullPage(page, perPage, 3),
			entries: entriesOf(1, perPage),
		}));

		const { error } = await runNode({
			type: 'videoSdk',
			parameters: {
				resource: 'session',
				operation: 'getAll',
				returnAll: true,
				filters: {},
			},
			credentials: fake.credentials,
		});

		expect(error?.message).toBe(`${stoppedAt(API_PATHS.sessions, 'page 2 repeats a page it sent before')} [item 0]`);
	});
});

describe('the speakers of a session are looked up within the same bounds', () => {
	const repeatedRecordings = () =>
		answerPages(API_PATHS.participantRecordings, 'data', (page, perPage) => ({
			...fullPage(page, perPage, 2),
			entries: entriesOf(1, perPage),
		}));

	it('in the node: the merge fails, naming the item, and starts nothing', async () => {
		const { session } = fake.api.seedSession(['interviewer', 'candidate']);
		repeatedRecordings();

		const { items } = await runNode({
			type: 'videoSdk',
			typeVersion: 2,
			parameters: {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: { __rl: true, mode: 'list', value: session.id },
				channel1Speakers: ['interviewer'],
			},
			credentials: fake.credentials,
			continueOnFail: true,
		});

		expect(items[0].json.error).toBe(
			`${stoppedAt(API_PATHS.participantRecordings, 'page 2 repeats a page it sent before')} [item 0]`,
		);
		expect(fake.api.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
	});

	it("in the editor's list of speakers", async () => {
		const { session } = fake.api.seedSession(['interviewer', 'candidate']);
		repeatedRecordings();

		await expect(
			loadOptions(
				{
					parameters: {
						resource: 'mergeRecording',
						operation: 'create',
						sessionId: session.id,
						specifyChannels: 'speakers',
					},
					credentials: fake.credentials,
				},
				LOAD_OPTIONS.sessionSpeakers,
			),
		).rejects.toThrow(stoppedAt(API_PATHS.participantRecordings, 'page 2 repeats a page it sent before'));
	});
});

describe("the editor's lists stop within the same bounds", () => {
	const search = (token?: string) =>
		listSearch(
			{
				parameters: { resource: 'session', operation: 'get' },
				credentials: fake.credentials,
			},
			LIST_SEARCH.sessions,
			undefined,
			token,
		);

	it(`hands out ${MAX_PAGES} pages of a longer list, then an error saying why`, async () => {
		answerPages(API_PATHS.sessions, 'data', (page, perPage) => fullPage(page, perPage, 1_000));

		let token: string | undefined;
		for (let page = 1; page <= MAX_PAGES; page++) {
			const result = await search(token);
			expect(result.results).toHaveLength(LIST_PAGE_SIZE);
			token = result.paginationToken;
		}

		await expect(search(token)).rejects.toThrow(
			stoppedAt(API_PATHS.sessions, 'the list goes on after 100 pages (5,000 entries), where a walk stops'),
		);
		expect(requestsTo(API_PATHS.sessions)).toHaveLength(MAX_PAGES);
	});

	it('fails when the next page of the list repeats the one before', async () => {
		answerPages(API_PATHS.sessions, 'data', (page, perPage) => ({
			...fullPage(page, perPage, 3),
			entries: entriesOf(1, perPage),
		}));

		const first = await search();

		await expect(search(first.paginationToken)).rejects.toThrow(
			stoppedAt(API_PATHS.sessions, 'page 2 repeats a page it sent before'),
		);
	});

	it("fails when the list's lastPage changes as the editor scrolls", async () => {
		answerPages(API_PATHS.sessions, 'data', (page, perPage) => fullPage(page, perPage, page + 1));

		const first = await search();

		await expect(search(first.paginationToken)).rejects.toThrow(
			stoppedAt(API_PATHS.sessions, 'its pageInfo.lastPage changed from 2 to 3 between pages'),
		);
	});
});

describe("the polling trigger's walk of a list that grows while it reads", () => {
	const poll = () =>
		runPoll({ parameters: { events: ['merge-recording-completed', 'merge-recording-failed'] }, credentials: fake.credentials });

	it('takes a total that grows between pages, where Return All stops', async () => {
		// A job starts between page 1 and page 2: the total is one more on page 2.
		answerPages(API_PATHS.merge, 'recordings', (page, perPage) => ({
			entries: entriesOf(page, page === 1 ? perPage : 50),
			pageInfo: { currentPage: page, perPage, lastPage: 2, total: page === 1 ? 149 : 150 },
		}));
		const run = await poll();
		expect(run.error).toBeUndefined();
		expect(requestsTo(API_PATHS.merge).map((request) => request.query.page)).toEqual(['1', '2']);

		const getMany = await getManyJobs();
		expect(getMany.items[0].json.error).toContain('its pageInfo.total changed from 149 to 150 between pages');
	});

	it(`still stops after ${MAX_PAGES} pages, saying why`, async () => {
		answerPages(API_PATHS.merge, 'recordings', (page, perPage) => fullPage(page, perPage, MAX_PAGES + 5));
		const run = await poll();
		expect(run.error?.message).toBe(
			stoppedAt(API_PATHS.merge, `the list goes on after ${MAX_PAGES} pages (${MAX_ENTRIES.toLocaleString('en-US')} entries), where a walk stops`),
		);
		expect(requestsTo(API_PATHS.merge)).toHaveLength(MAX_PAGES);
	});
});

describe('Get Many of sessions with a Limit gives the newest, whatever order VideoSDK lists in', () => {
	// 250 sessions, one a minute; VideoSDK lists them oldest or newest first, 50 a page for Limit 50.
	const TOTAL = 250;
	const startOfSession = (index: number) => new Date(Date.UTC(2026, 0, 1, 10, index)).toISOString();
	const sessionAt = (index: number): IDataObject => ({ id: `session-${index}`, roomId: 'abc-defg-hij', start: startOfSession(index) });
	const listed = (oldestFirst: boolean) => (page: number, perPage: number): Page => {
		const order = Array.from({ length: TOTAL }, (_, index) => (oldestFirst ? index : TOTAL - 1 - index));
		const entries = order.slice((page - 1) * perPage, page * perPage).map(sessionAt);
		return { entries, pageInfo: { currentPage: page, perPage, lastPage: Math.ceil(TOTAL / perPage), total: TOTAL } };
	};
	const getSessions = (limit: number) =>
		runNode({ type: 'videoSdk', parameters: { resource: 'session', operation: 'getAll', limit, filters: {} }, credentials: fake.credentials });

	it.each([
		{ order: 'oldest first', oldestFirst: true, lastPage: 5 },
		{ order: 'newest first', oldestFirst: false, lastPage: 5 },
	])('listed $order: Limit 60 gives the 60 newest sessions, newest first', async ({ oldestFirst, lastPage }) => {
		answerPages(API_PATHS.sessions, 'data', listed(oldestFirst));
		const run = await getSessions(60);

		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.json.id)).toEqual(Array.from({ length: 60 }, (_, index) => `session-${TOTAL - 1 - index}`));
		// Oldest first: page 1 shows the order, then the walk reads back from the last page (5, 4).
		const pages = requestsTo(API_PATHS.sessions).map((request) => Number(request.query.page));
		expect(pages).toEqual(oldestFirst ? [1, lastPage, lastPage - 1] : [1]);
	});
});
