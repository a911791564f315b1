import type { IDataObject } from 'n8n-workflow';

import type { PageInfo } from '../api';
import type { ApiRequest, RequestContext } from '../transport';
import { apiRequest } from '../transport';
import type { RetryPolicy } from '../transport/retry';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';

/** VideoSDK's documented default is 20 per page; larger pages mean fewer round trips. */
export const MAX_PAGE_SIZE = 100;

export interface PageWalk {
	/** Stop once this many entries are in (default: all of them). */
	limit?: number;
	itemIndex?: number;
	policy?: RetryPolicy;
}

/**
 * The entries of a VideoSDK list, page by page (page/perPage in, pageInfo out) until `limit` or
 * the last page: for Get Many, for the speakers of a session and for the editor's lists.
 */
export async function walkPages(
	context: RequestContext,
	request: ApiRequest,
	itemsKey: string,
	{ limit = Infinity, itemIndex, policy = DEFAULT_RETRY_POLICY }: PageWalk = {},
): Promise<IDataObject[]> {
	// One page size for the whole walk: page N covers entries (N-1)·perPage … N·perPage.
	const perPage = Math.min(MAX_PAGE_SIZE, limit);
	const entries: IDataObject[] = [];
	for (let page = 1; entries.length < limit; page++) {
		const pageRequest = { ...request, qs: { ...request.qs, page, perPage } };
		const response = (await apiRequest.call(context, pageRequest, itemIndex, policy)) as IDataObject & {
			pageInfo?: PageInfo;
		};
		const pageEntries = response[itemsKey];
		if (!Array.isArray(pageEntries) || pageEntries.length === 0) break;
		entries.push(...(pageEntries as IDataObject[]));
		const lastPage = Number(response.pageInfo?.lastPage ?? page);
		if (page >= lastPage) break;
	}
	return entries.slice(0, limit);
}
