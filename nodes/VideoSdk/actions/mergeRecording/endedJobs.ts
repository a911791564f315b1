import type { IDataObject } from 'n8n-workflow';

import type { MergeJob, MergeWebhookType } from '../../api';
import { API_PATHS } from '../../api';
import type { RequestContext } from '../../transport';
import { MAX_ENTRIES, walkPages } from '../pages';

/**
 * Which merge jobs ended since the polling trigger last looked. VideoSDK's list of merge jobs has
 * no "ended after" filter and documents no order, so every poll reads the whole list (narrowed by
 * status when one is chosen) and remembers what it reported: a job is new when it ended at or after
 * `endedSince` and its ID is not among `reported`.
 */

/** A job's status once it has ended, and the event the webhook trigger would start on for it. */
export const ENDED_STATUS_EVENTS: Record<'completed' | 'failed', MergeWebhookType> = {
	completed: 'merge-recording-completed',
	failed: 'merge-recording-failed',
};

/**
 * How late a job may appear in the list as ended, after the end time it carries (the list may lag
 * the job, VideoSDK's clock may run ahead of n8n's): its ID is remembered this long after its end.
 */
export const LATE_LISTING_GRACE_MS = 60 * 60_000;

/** At most this many IDs are remembered: no walk lists more jobs (actions/pages.ts). */
export const MAX_REMEMBERED = MAX_ENTRIES;

/** What the trigger keeps in the workflow's static data between polls (and n8n restarts). */
export interface EndedJobsCursor {
	/** Jobs that ended before this (ms since 1970) are old. */
	endedSince: number;
	/** Jobs already reported that ended at or after endedSince: ID → end (ms). */
	reported: Record<string, number>;
}

/** The cursor of a first activation: from `now`, or `lookbackHours` before it. */
export const firstCursor = (now: number, lookbackHours = 0): EndedJobsCursor => ({
	endedSince: now - lookbackHours * 3_600_000,
	reported: {},
});

/** The cursor held in static data, if it is one this code wrote. */
export function cursorOf(staticData: IDataObject): EndedJobsCursor | undefined {
	const { endedSince, reported } = staticData as Partial<EndedJobsCursor>;
	if (typeof endedSince !== 'number' || !Number.isFinite(endedSince)) return undefined;
	if (!reported || typeof reported !== 'object') return undefined;
	return { endedSince, reported };
}

/** When a job ended (its `end`, else its `start`), or undefined when it has not or cannot tell. */
export function endOf(job: MergeJob): number | undefined {
	if (!(job.status in ENDED_STATUS_EVENTS)) return undefined;
	for (const time of [job.end, job.start]) {
		const ms = typeof time === 'string' ? Date.parse(time) : NaN;
		if (Number.isFinite(ms)) return ms;
	}
	return undefined;
}

/** The ended jobs of the chosen statuses, each once, oldest end first (ties by ID, for a stable order). */
export function endedJobsOf(jobs: MergeJob[], statuses: string[]): Array<{ job: MergeJob; end: number }> {
	const byId = new Map<string, { job: MergeJob; end: number }>();
	for (const job of jobs) {
		const end = endOf(job);
		if (end === undefined || !statuses.includes(job.status) || typeof job.id !== 'string') continue;
		byId.set(job.id, { job, end });
	}
	return [...byId.values()].sort((a, b) => a.end - b.end || (a.job.id < b.job.id ? -1 : 1));
}

/** The jobs the cursor has not reported, among ended ones (endedJobsOf), oldest end first. */
export const unreported = (ended: Array<{ job: MergeJob; end: number }>, cursor: EndedJobsCursor) =>
	ended.filter(({ job, end }) => end >= cursor.endedSince && !Object.hasOwn(cursor.reported, job.id));

/**
 * The cursor after a poll that began at `polledAt` and reported `reported` (oldest end first).
 * `heldBack`, the end of the first job it could not report, keeps that job and later ones new.
 * Forgets what ended more than LATE_LISTING_GRACE_MS before the poll, and the oldest IDs beyond
 * MAX_REMEMBERED (moving endedSince past them, so that none comes again).
 */
export function advancedCursor(
	cursor: EndedJobsCursor,
	reported: Array<{ job: MergeJob; end: number }>,
	polledAt: number,
	heldBack?: number,
): EndedJobsCursor {
	const remembered = { ...cursor.reported };
	for (const { job, end } of reported) remembered[job.id] = end;
	let endedSince = Math.max(cursor.endedSince, polledAt - LATE_LISTING_GRACE_MS);
	if (heldBack !== undefined) endedSince = Math.min(endedSince, heldBack);
	const kept = Object.entries(remembered)
		.filter(([, end]) => end >= endedSince)
		.sort(([, a], [, b]) => b - a);
	// Past the newest ID forgotten: what ended in that millisecond is old from now on.
	if (kept.length > MAX_REMEMBERED) endedSince = Math.max(endedSince, kept[MAX_REMEMBERED][1] + 1);
	return { endedSince, reported: Object.fromEntries(kept.filter(([, end]) => end >= endedSince)) };
}

/**
 * Every merge job in the account, or those of the one status chosen, page by page (bounded by
 * MAX_PAGES); the list may change while it is read.
 */
export async function listMergeJobs(context: RequestContext, statuses: string[]): Promise<MergeJob[]> {
	const qs: IDataObject = statuses.length === 1 ? { status: statuses[0] } : {};
	const entries = await walkPages(context, { method: 'GET', path: API_PATHS.merge, qs }, 'recordings', {
		growing: true,
	});
	return entries as unknown as MergeJob[];
}
