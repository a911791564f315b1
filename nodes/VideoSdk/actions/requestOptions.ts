import { optionsOf } from '../descriptions/fields';
import type { RetryPolicy } from '../transport/retry';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import type { OperationParameters } from '../validation';

/** The request options every operation's "Options" collection carries (descriptions/fields.ts). */
interface RequestOptions {
	batching?: { batch?: { batchSize?: number; batchInterval?: number } };
	maxRetries?: number;
	timeout?: number;
}

/** How often and how long an item's requests are tried: Max Retries and Timeout, else the defaults. */
export function retryPolicyOf(parameters: OperationParameters): RetryPolicy {
	const { maxRetries, timeout } = optionsOf<RequestOptions>(parameters.options);
	return {
		maxRetries: maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
		timeoutMs: timeout ?? DEFAULT_RETRY_POLICY.timeoutMs,
	};
}

/** Items sent at once and the pause between such batches: one at a time unless asked. */
export function batchingOf(options: unknown) {
	const batch = optionsOf<RequestOptions>(options).batching?.batch;
	return {
		size: Math.max(1, Math.floor(batch?.batchSize ?? 1)),
		intervalMs: Math.max(0, batch?.batchInterval ?? 0),
	};
}
