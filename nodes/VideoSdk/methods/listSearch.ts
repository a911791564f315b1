import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import type { PageWalkState } from '../actions/pages';
import { newPageWalk, readPage } from '../actions/pages';
import type { MergeJob, ParticipantRecording, Session } from '../api';
import { API_PATHS } from '../api';
import { newestFirst, runsOldestFirst } from '../api/times';
import type { ApiRequest } from '../transport';
import { LIST_SEARCH } from '../descriptions/methodNames';
import { plural, startTime } from './wording';

/**
 * The editor's "From List" of sessions, merge jobs and participant recordings. n8n asks for one
 * page at a time as the list scrolls (handing back our paginationToken) and asks again for each
 * search text. VideoSDK filters by exact IDs only, so a search text is tried as each ID a list can
 * be filtered by, in order, and the first that finds anything is kept.
 *
 * Newest first: VideoSDK does not document its order. Each page is sorted by start; if the first
 * page runs oldest to newest, the walk starts at the last page and goes back, so the newest
 * entries come first either way (one extra request, on the first page only).
 */

export const LIST_PAGE_SIZE = 50;

interface PageToken {
	/** The query key the search text was found under; absent without search text. */
	key?: string;
	page: number;
	/** 'back' when VideoSDK lists oldest first and the walk goes from its last page to its first. */
	direction: 'forward' | 'back';
	/** The walk so far, so that each page n8n asks for is checked against those before it. */
	walk: PageWalkState;
}

interface ListSource<T> {
	path: string;
	itemsKey: string;
	/** Query keys a search text is tried as, in order. */
	searchKeys: string[];
	toItem(entry: T): INodeListSearchItems;
}

function parseToken(token: string | undefined): PageToken | undefined {
	if (!token) return undefined;
	try {
		const parsed = JSON.parse(token) as PageToken;
		const { walk } = parsed;
		const walkValid = Number.isInteger(walk?.pages) && Number.isInteger(walk?.entries) && Array.isArray(walk?.seen);
		return Number.isInteger(parsed.page) && parsed.page >= 1 && walkValid ? parsed : undefined;
	} catch {
		return undefined;
	}
}

async function listSearch<T>(
	context: ILoadOptionsFunctions,
	source: ListSource<T>,
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const search = filter?.trim() ?? '';
	const fetchPage = async (page: number, key: string | undefined, walk: PageWalkState) => {
		const request: ApiRequest = { method: 'GET', path: source.path, qs: key ? { [key]: search } : {} };
		const read = await readPage(context, request, source.itemsKey, { page, perPage: LIST_PAGE_SIZE }, walk);
		return { ...read, lastPage: Math.max(1, read.lastPage) };
	};
	const resultOf = (entries: IDataObject[], next: PageToken | undefined): INodeListSearchResult => ({
		results: [...entries].sort(newestFirst).map((entry) => source.toItem(entry as T)),
		paginationToken: next ? JSON.stringify(next) : undefined,
	});

	const token = parseToken(paginationToken);
	if (token) {
		const { entries, lastPage, walk } = await fetchPage(token.page, token.key, token.walk);
		const nextPage = token.direction === 'back' ? token.page - 1 : token.page + 1;
		const more = nextPage >= 1 && nextPage <= lastPage;
		return resultOf(entries, more ? { ...token, page: nextPage, walk } : undefined);
	}

	let key: string | undefined;
	const notFetched = { entries: [] as IDataObject[], lastPage: 1, walk: newPageWalk() };
	let first = search ? notFetched : await fetchPage(1, undefined, newPageWalk());
	if (search) {
		for (const searchKey of source.searchKeys) {
			first = await fetchPage(1, searchKey, newPageWalk());
			key = searchKey;
			if (first.entries.length > 0) break;
		}
	}
	if (first.lastPage > 1 && runsOldestFirst(first.entries)) {
		// The walk back reads page 1 again at its end: it counts pages, entries and pages seen anew.
		const last = await fetchPage(first.lastPage, key, { ...first.walk, pages: 0, entries: 0, seen: [] });
		return resultOf(last.entries, { key, page: first.lastPage - 1, direction: 'back', walk: last.walk });
	}
	return resultOf(first.entries, first.lastPage > 1 ? { key, page: 2, direction: 'forward', walk: first.walk } : undefined);
}

const distinctParticipants = (session: Session) =>
	new Set((session.participants ?? []).map(({ participantId }) => participantId)).size;

const sessions: ListSource<Session> = {
	path: API_PATHS.sessions,
	itemsKey: 'data',
	searchKeys: ['roomId', 'customRoomId'],
	toItem: (session) => ({
		name: `${session.roomId} · ${startTime(session.start)} · ${plural(distinctParticipants(session), 'participant')}`,
		value: session.id,
	}),
};

const mergeJobs: ListSource<MergeJob> = {
	path: API_PATHS.merge,
	itemsKey: 'recordings',
	searchKeys: ['sessionId', 'roomId', 'id'],
	toItem: (job) => ({
		name: `${job.meetingId} · ${startTime(job.start)} · ${job.status}`,
		value: job.id,
	}),
};

const participantRecordings: ListSource<ParticipantRecording> = {
	path: API_PATHS.participantRecordings,
	itemsKey: 'data',
	searchKeys: ['sessionId', 'participantId', 'roomId'],
	toItem: (recording) => ({
		name: `${recording.participantId} · ${recording.roomId} · ${startTime(recording.start)}${recording.kind ? ` · ${recording.kind}` : ''}`,
		value: recording.id,
	}),
};

type ListSearchMethod = (
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
) => Promise<INodeListSearchResult>;

const searchOf =
	<T>(source: ListSource<T>): ListSearchMethod =>
	async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await listSearch(this, source, filter, paginationToken);
	};

/** The node's listSearch methods, under the names its fields give (descriptions/methodNames.ts). */
export const listSearchMethods: Record<string, ListSearchMethod> = {
	[LIST_SEARCH.sessions]: searchOf(sessions),
	[LIST_SEARCH.mergeJobs]: searchOf(mergeJobs),
	[LIST_SEARCH.participantRecordings]: searchOf(participantRecordings),
};
