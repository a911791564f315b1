import { optionsOf } from '../descriptions/fields';
import type { RetryPolicy } from '../transport/retry';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import type { OperationParameters } from '../validation';
import { batchOf, checkedNumber } from '../validation/numbers';

/** The request options every operation's "Options" collection carries (descriptions/fields.ts). */
interface RequestOptions {
	maxRetries?: unknown;
	timeout?: unknown;
}

/**
 * How often and how long an item's requests are tried: Max Retries and Timeout, else the defaults.
 * A value out of bounds is a FieldError (validation/numbers).
 */
export function retryPolicyOf(parameters: OperationParameters): RetryPolicy {
	const { maxRetries, timeout } = optionsOf<RequestOptions>(parameters.options);
	return {
		maxRetries: checkedNumber(maxRetries, 'maxRetries') ?? DEFAULT_RETRY_POLICY.maxRetries,
		timeoutMs: checkedNumber(timeout, 'timeout') ?? DEFAULT_RETRY_POLICY.timeoutMs,
	};
}

/** Items sent at once and the pause between such batches: one at a time unless asked. */
export function batchingOf(options: unknown) {
	const batch = batchOf(options);
	return {
		size: checkedNumber(batch.batchSize, 'batchSize') ?? 1,
		intervalMs: checkedNumber(batch.batchInterval, 'batchInterval') ?? 0,
	};
}
