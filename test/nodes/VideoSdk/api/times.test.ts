import { earliestFirst, newestFirst, startOf } from '../../../../nodes/VideoSdk/api/times';

const entries = [
	{ id: 'noon', start: '2026-01-01T12:00:00Z' },
	{ id: 'unknown', start: 'not a time' },
	{ id: 'morning', start: '2026-01-01T08:00:00Z' },
	{ id: 'missing' },
	{ id: 'evening', start: '2026-01-01T20:00:00Z' },
];

const order = (compare: typeof earliestFirst) => [...entries].sort(compare).map(({ id }) => id);

describe('start times', () => {
	it('reads an ISO start, and nothing from a missing or garbled one', () => {
		expect(startOf({ start: '2026-01-01T08:00:00Z' })).toBe(Date.UTC(2026, 0, 1, 8));
		expect(startOf({ start: 'not a time' })).toBeUndefined();
		expect(startOf({})).toBeUndefined();
	});

	it('orders earliest or newest first, entries without a readable start last either way', () => {
		expect(order(earliestFirst)).toEqual(['morning', 'noon', 'evening', 'unknown', 'missing']);
		expect(order(newestFirst)).toEqual(['evening', 'noon', 'morning', 'unknown', 'missing']);
	});
});
