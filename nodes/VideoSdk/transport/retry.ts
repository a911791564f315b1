import type { IHttpRequestMethods } from 'n8n-workflow';

/** What an HTTP failure tells us: no status means the request never got an answer. */
export interface FailedResponse {
	status?: number;
	data?: unknown;
	headers?: Record<string, unknown>;
}

export interface RetryPolicy {
	/** How often one request may be sent again. */
	maxRetries: number;
	timeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 3, timeoutMs: 30_000 };

// VideoSDK's own server SDK backs off 1 s · 2^n, capped at 8 s.
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 8_000;
// A Retry-After beyond this is more likely a misconfiguration than a plan worth waiting for.
const RETRY_AFTER_CAP_MS = 60_000;

export const backoffMs = (retries: number) =>
	Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retries);

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(headers: FailedResponse['headers'], now = Date.now()) {
	const value = headers?.['retry-after'] ?? headers?.['Retry-After'];
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(String(value)) - now;
	return Number.isFinite(ms) ? Math.min(RETRY_AFTER_CAP_MS, Math.max(0, ms)) : undefined;
}

/**
 * How long to wait before sending a failed request again, or undefined to give up.
 * A 429 was refused before any work, so any method may be resent. A 5xx, timeout or broken
 * connection may come after the server acted: only a GET is resent then, so a merge is never
 * started twice.
 */
export function retryDelayMs(
	method: IHttpRequestMethods,
	failure: FailedResponse,
	retries: number,
	policy: RetryPolicy,
): number | undefined {
	if (retries >= policy.maxRetries) return undefined;
	if (failure.status === 429) return retryAfterMs(failure.headers) ?? backoffMs(retries);
	const mayHaveActed = failure.status === undefined || failure.status >= 500;
	if (mayHaveActed && method === 'GET') return backoffMs(retries);
	return undefined;
}
