import type { MergeJob } from '../../../../../nodes/VideoSdk/api';
import {
	LATE_LISTING_GRACE_MS,
	MAX_REMEMBERED,
	advancedCursor,
	cursorOf,
	endedJobsOf,
	firstCursor,
	unreported,
} from '../../../../../nodes/VideoSdk/actions/mergeRecording/endedJobs';

const job = (id: string, status: MergeJob['status'], end?: string): MergeJob => ({
	id,
	status,
	end,
	start: '2026-12-01T10:00:00.000Z',
	channel1: [],
	channel2: [],
	meetingId: 'abc-defg-hij',
	sessionId: 'session',
});

describe('the ended merge jobs cursor', () => {
	it('takes ended jobs of the chosen statuses once each, oldest end first, and skips running ones', () => {
		const jobs = [
			job('b', 'completed', '2026-12-01T10:02:00.000Z'),
			job('r', 'running'),
			job('a', 'failed', '2026-12-01T10:01:00.000Z'),
			job('b', 'completed', '2026-12-01T10:02:00.000Z'),
			job('c', 'completed', 'not a time'),
		];
		expect(endedJobsOf(jobs, ['completed', 'failed']).map(({ job: { id } }) => id)).toEqual(['c', 'a', 'b']);
		expect(endedJobsOf(jobs, ['failed']).map(({ job: { id } }) => id)).toEqual(['a']);
	});

	it('reports what ended at or after endedSince and is not remembered', () => {
		const ended = endedJobsOf(
			[job('old', 'completed', '2026-12-01T09:00:00.000Z'), job('seen', 'completed', '2026-12-01T11:00:00.000Z'), job('new', 'failed', '2026-12-01T11:00:00.000Z')],
			['completed', 'failed'],
		);
		const cursor = { endedSince: Date.parse('2026-12-01T10:00:00.000Z'), reported: { seen: 1 } };
		expect(unreported(ended, cursor).map(({ job: { id } }) => id)).toEqual(['new']);
	});

	it('forgets what ended more than the grace before the poll, and keeps what a held-back job needs', () => {
		const polledAt = Date.parse('2026-12-01T12:00:00.000Z');
		const cursor = { endedSince: polledAt - 5 * LATE_LISTING_GRACE_MS, reported: { old: polledAt - 2 * LATE_LISTING_GRACE_MS } };
		const recent = { job: job('recent', 'completed'), end: polledAt - 1 };
		const next = advancedCursor(cursor, [recent], polledAt);
		expect(next).toEqual({ endedSince: polledAt - LATE_LISTING_GRACE_MS, reported: { recent: polledAt - 1 } });
		const heldBack = polledAt - 3 * LATE_LISTING_GRACE_MS;
		expect(advancedCursor(cursor, [], polledAt, heldBack).endedSince).toBe(heldBack);
	});

	it(`remembers at most ${MAX_REMEMBERED} IDs, moving endedSince past those it forgets`, () => {
		const polledAt = 10_000_000;
		const reported = Array.from({ length: MAX_REMEMBERED + 5 }, (_, index) => ({ job: job(`j${index}`, 'completed'), end: polledAt - index }));
		const next = advancedCursor(firstCursor(polledAt - 100_000), reported, polledAt);
		expect(Object.keys(next.reported)).toHaveLength(MAX_REMEMBERED);
		expect(next.endedSince).toBe(polledAt - MAX_REMEMBERED + 1);
		expect(unreported(reported, next)).toEqual([]);
	});

	it('reads only a cursor it wrote, and starts a first one from now or the lookback', () => {
		expect(cursorOf({})).toBeUndefined();
		expect(cursorOf({ endedSince: 'yesterday', reported: {} })).toBeUndefined();
		expect(cursorOf({ endedSince: 5, reported: { a: 1 } })).toEqual({ endedSince: 5, reported: { a: 1 } });
		expect(firstCursor(10_000_000, 2)).toEqual({ endedSince: 10_000_000 - 7_200_000, reported: {} });
	});
});
