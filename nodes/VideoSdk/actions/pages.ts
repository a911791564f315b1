import { createHash } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { newestFirst as newestFirstOrder, runsOldestFirst } from '../api/times';
import type { ApiRequest, RequestContext } from '../transport';
import { apiRequest } from '../transport';
import type { RetryPolicy } from '../transport/retry';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';

/** VideoSDK's documented default is 20 per page; larger pages mean fewer round trips. */
export const MAX_PAGE_SIZE = 100;

/**
 * The most pages one walk of a list reads (Return All, the speaker lookup, one of the editor's
 * lists), and so the most entries (a page holds at most MAX_PAGE_SIZE; checkPage refuses more).
 * 10,000 sessions, merge jobs or recordings of one filter is years of a busy account, and 100
 * requests stay within a run of a minute or so; beyond that a walk is more likely an API that never
 * ends its list than a real account.
 */
export const MAX_PAGES = 100;
export const MAX_ENTRIES = MAX_PAGES * MAX_PAGE_SIZE;

/** Where a walk of a list is: what its pages said so far, so that the next one can be checked. */
export interface PageWalkState {
	/** Pages read. */
	pages: number;
	/** Entries read. */
	entries: number;
	perPage?: number;
	lastPage?: number;
	total?: number;
	/** A short fingerprint of each page read, to see a page come again. */
	seen: string[];
}

export const newPageWalk = (): PageWalkState => ({
	pages: 0,
	entries: 0,
	seen: [],
});

/** Why the walk may not read one more page (it has read MAX_PAGES of them), if it may not. */
export const ceilingProblem = (walk: PageWalkState): string | undefined =>
	walk.pages >= MAX_PAGES
		? `the list goes on after ${MAX_PAGES} pages (${walk.entries.toLocaleString('en-US')} entries), where a walk stops`
		: undefined;

type Counter = 'currentPage' | 'perPage' | 'lastPage' | 'total';
const COUNTERS: Array<[Counter, number]> = [
	['currentPage', 1],
	['perPage', 1],
	['lastPage', 0],
	['total', 0],
];

const fingerprint = (entries: unknown[]) =>
	createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);

/** What checkPage makes of a page: the walk after it and the list's last page, or why the walk stops. */
export type CheckedPage = { walk: PageWalkState; lastPage: number } | { problem: string };

/**
 * One page of a walk checked against the pages before it: the walk after this page and the list's
 * last page (this page, when VideoSDK sends no pageInfo, as before), or the problem when the page's
 * counters do not add up or the page came before.
 */
export function checkPage(
	walk: PageWalkState,
	asked: { page: number; perPage: number },
	entries: unknown[],
	pageInfo: unknown,
): CheckedPage {
	const info = pageInfo && typeof pageInfo === 'object' ? (pageInfo as IDataObject) : {};
	const counters: Partial<Record<Counter, number>> = {};
	for (const [name, min] of COUNTERS) {
		const raw = info[name];
		if (raw === undefined || raw === null) continue;
		const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
			return {
				problem: `its pageInfo.${name} is not a whole number from ${min}: ${JSON.stringify(raw)}`,
			};
		}
		counters[name] = value;
	}
	const { currentPage, perPage, lastPage, total } = counters;

	if (currentPage !== undefined && currentPage !== asked.page) {
		return {
			problem: `VideoSDK answered page ${currentPage} when asked for page ${asked.page}`,
		};
	}
	for (const name of ['perPage', 'lastPage', 'total'] as const) {
		const [now, before] = [counters[name], walk[name]];
		if (now !== undefined && before !== undefined && now !== before) {
			return {
				problem: `its pageInfo.${name} changed from ${before} to ${now} between pages`,
			};
		}
	}
	const pageSize = Math.min(asked.perPage, perPage ?? asked.perPage);
	if (entries.length > pageSize) {
		return {
			problem: `page ${asked.page} has ${entries.length} entries, more than its ${pageSize} per page`,
		};
	}
	if (total !== undefined && perPage !== undefined && lastPage !== undefined) {
		const pagesOfTotal = Math.ceil(total / perPage);
		if (lastPage !== pagesOfTotal && lastPage !== Math.max(1, pagesOfTotal)) {
			return {
				problem: `its pageInfo.lastPage ${lastPage} does not fit ${total} entries at ${perPage} per page`,
			};
		}
	}
	const last = lastPage ?? asked.page;
	if (entries.length === 0 && asked.page < last) {
		return {
			problem: `page ${asked.page} is empty, before its last page ${last}`,
		};
	}
	const read = walk.entries + entries.length;
	if (total !== undefined && read > total) {
		return {
			problem: `it sent ${read} entries, more than its total of ${total}`,
		};
	}
	const print = fingerprint(entries);
	if (entries.length > 0 && walk.seen.includes(print)) {
		return { problem: `page ${asked.page} repeats a page it sent before` };
	}
	return {
		walk: {
			pages: walk.pages + 1,
			entries: read,
			perPage: perPage ?? walk.perPage,
			lastPage: lastPage ?? walk.lastPage,
			total: total ?? walk.total,
			seen: [...walk.seen, print],
		},
		lastPage: last,
	};
}

/** The node's error for a walk that stopped: the list, why, and the item it was for. */
export function pagingErrorOf(
	context: RequestContext,
	path: string,
	problem: string,
	itemIndex?: number,
): NodeOperationError {
	const item = itemIndex === undefined ? '' : ` [item ${itemIndex}]`;
	return new NodeOperationError(context.getNode(), `Stopped reading VideoSDK's list ${path}: ${problem}${item}`, {
		itemIndex,
		description: `Return All, the speakers of a session and the editor's lists read at most ${MAX_PAGES} pages (${MAX_ENTRIES.toLocaleString('en-US')} entries), and stop where VideoSDK's pages do not add up. Narrow the list with filters, or set a Limit.`,
	});
}

export interface PageWalk {
	/** Stop once this many entries are in (default: all of them, up to MAX_ENTRIES). */
	limit?: number;
	itemIndex?: number;
	policy?: RetryPolicy;
	/**
	 * The list may grow while it is read (merge jobs start and end during a poll): its total and
	 * last page may change between pages, so each page is checked on its own, and the walk ends at
	 * the last page the newest page names. An entry may then come twice (the caller drops repeats)
	 * or be passed over until the next walk; MAX_PAGES still bounds the walk.
	 */
	growing?: boolean;
	/**
	 * The newest `limit` entries are wanted, whatever order VideoSDK lists in: where its first page
	 * runs oldest first, the walk goes from the last page back (as the editor's lists do).
	 */
	newestFirst?: boolean;
}

/** One page of a list as read: its entries, the last page it names, and the walk so far. */
export interface ReadPage {
	entries: IDataObject[];
	lastPage: number;
	walk: PageWalkState;
}

/**
 * Reads one page of a VideoSDK list (page/perPage in, pageInfo out) and checks it against the
 * pages before it (`walk`): for walkPages and for the editor's lists, which n8n asks for a page at a
 * time. Stops with an error at MAX_PAGES, and at a page whose counters do not add up (checkPage).
 */
export async function readPage(
	context: RequestContext,
	request: ApiRequest,
	itemsKey: string,
	{ page, perPage }: { page: number; perPage: number },
	walk: PageWalkState,
	{ itemIndex, policy = DEFAULT_RETRY_POLICY, growing = false }: Pick<PageWalk, 'itemIndex' | 'policy' | 'growing'> = {},
): Promise<ReadPage> {
	const stopped = (problem: string) => pagingErrorOf(context, request.path, problem, itemIndex);
	const ceiling = ceilingProblem(walk);
	if (ceiling) throw stopped(ceiling);
	const pageRequest = { ...request, qs: { ...request.qs, page, perPage } };
	const response = (await apiRequest.call(context, pageRequest, itemIndex, policy)) as IDataObject;
	const entries = Array.isArray(response[itemsKey]) ? (response[itemsKey] as IDataObject[]) : [];
	const before = growing ? { ...newPageWalk(), pages: walk.pages } : walk;
	const checked = checkPage(before, { page, perPage }, entries, response.pageInfo);
	if ('problem' in checked) throw stopped(checked.problem);
	const after = growing ? { ...checked.walk, entries: walk.entries + entries.length } : checked.walk;
	return { entries, lastPage: checked.lastPage, walk: after };
}

/**
 * The entries of a VideoSDK list, page by page (readPage) until `limit` or the last page: for Get
 * Many, for the speakers of a session and for the polling trigger. With `newestFirst`, sorted
 * newest first.
 */
export async function walkPages(
	context: RequestContext,
	request: ApiRequest,
	itemsKey: string,
	{ limit = Infinity, newestFirst: wantsNewest = false, ...reading }: PageWalk = {},
): Promise<IDataObject[]> {
	// One page size for the whole walk: page N covers entries (N-1)·perPage … N·perPage.
	const perPage = Math.min(MAX_PAGE_SIZE, limit);
	const read = async (page: number, walk: PageWalkState) =>
		await readPage(context, request, itemsKey, { page, perPage }, walk, reading);

	const first = await read(1, newPageWalk());
	if (wantsNewest && limit < Infinity && first.lastPage > 1 && runsOldestFirst(first.entries)) {
		// The walk back reads page 1 again if it gets there: it counts pages and entries anew.
		const newest: IDataObject[] = [];
		let walk = newPageWalk();
		for (let page = first.lastPage; page >= 1 && newest.length < limit; page--) {
			const pageRead = await read(page, walk);
			walk = pageRead.walk;
			newest.push(...pageRead.entries);
		}
		return newest.sort(newestFirstOrder).slice(0, limit);
	}
	const entries = [...first.entries];
	let { walk, lastPage } = first;
	for (let page = 2; entries.length < limit && first.entries.length > 0 && page <= lastPage; page++) {
		const pageRead = await read(page, walk);
		({ walk, lastPage } = pageRead);
		entries.push(...pageRead.entries);
		if (pageRead.entries.length === 0) break;
	}
	const wanted = entries.slice(0, limit);
	return wantsNewest ? wanted.sort(newestFirstOrder) : wanted;
}
