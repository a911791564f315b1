import { optionsCollection } from '../../../../nodes/VideoSdk/descriptions/fields';
import {
	backoffMs,
	DEFAULT_RETRY_POLICY,
	retryAfterMs,
	retryDelayMs,
} from '../../../../nodes/VideoSdk/transport/retry';

const policy = { maxRetries: 3, timeoutMs: 1000 };

describe('retry policy', () => {
	it('backs off 1 s doubling, capped at 8 s', () => {
		expect([0, 1, 2, 3, 4, 5].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
	});

	it('reads Retry-After as seconds or as an HTTP date', () => {
		const now = Date.parse('2026-11-24T12:00:00Z');
		expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
		expect(retryAfterMs({ 'retry-after': 'Tue, 24 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
		expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
		expect(retryAfterMs({ 'retry-after': '3600' }, now)).toBe(60_000);
		expect(retryAfterMs({}, now)).toBeUndefined();
	});

	it('retries a 429 for every method, honouring Retry-After', () => {
		const rateLimited = { status: 429, headers: { 'retry-after': '1' } };
		expect(retryDelayMs('POST', rateLimited, 0, policy)).toBe(1000);
		expect(retryDelayMs('GET', { status: 429 }, 2, policy)).toBe(4000);
		expect(retryDelayMs('POST', rateLimited, 3, policy)).toBeUndefined();
	});

	it('retries server errors and lost connections only for GET', () => {
		expect(retryDelayMs('GET', { status: 503 }, 0, policy)).toBe(1000);
		expect(retryDelayMs('GET', {}, 1, policy)).toBe(2000);
		expect(retryDelayMs('POST', { status: 503 }, 0, policy)).toBeUndefined();
		expect(retryDelayMs('POST', {}, 0, policy)).toBeUndefined();
		expect(retryDelayMs('DELETE', { status: 500 }, 0, policy)).toBeUndefined();
	});

	it('never retries a client error other than 429', () => {
		for (const status of [400, 401, 403, 404, 409]) {
			expect(retryDelayMs('GET', { status }, 0, policy)).toBeUndefined();
		}
	});

	it('offers the same defaults in the UI as it applies', () => {
		const options = optionsCollection().options as Array<{ name: string; default: unknown }>;
		const defaultOf = (name: string) => options.find((option) => option.name === name)?.default;
		expect(defaultOf('maxRetries')).toBe(DEFAULT_RETRY_POLICY.maxRetries);
		expect(defaultOf('timeout')).toBe(DEFAULT_RETRY_POLICY.timeoutMs);
	});
});
