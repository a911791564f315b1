/** How the editor's lists put counts and times into words. */

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

/** "2026-01-01 10:00 UTC": the editor shows the same time to everyone who opens the workflow. */
export function startTime(iso: unknown): string {
	const time = Date.parse(String(iso));
	if (!Number.isFinite(time)) return 'start unknown';
	return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
