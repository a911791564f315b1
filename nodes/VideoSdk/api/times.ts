/** When VideoSDK says a listed entry (a session, a recording, a merge job) started: its ISO `start`. */

interface Started {
	start?: unknown;
}

/** The entry's start in ms since the epoch, or undefined when `start` is missing or unreadable. */
export function startOf(entry: Started): number | undefined {
	const time = Date.parse(String(entry.start));
	return Number.isFinite(time) ? time : undefined;
}

const byStart =
	(direction: 1 | -1) =>
	(a: Started, b: Started): number => {
		const startA = startOf(a);
		const startB = startOf(b);
		if (startA === undefined || startB === undefined) {
			return Number(startA === undefined) - Number(startB === undefined);
		}
		return direction * (startA - startB);
	};

/** Sort orders by start. Entries without a readable start come last in either. */
export const earliestFirst = byStart(1);
export const newestFirst = byStart(-1);

/** Whether a page runs from oldest to newest: its first entry sorts after its last, newest first. */
export const runsOldestFirst = (entries: Started[]) =>
	entries.length > 1 && newestFirst(entries[0], entries[entries.length - 1]) > 0;
