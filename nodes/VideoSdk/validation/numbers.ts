import { kindOfValue } from '../api';
import { FieldError } from './index';

/**
 * What every numeric field of both nodes must be. A field's value may come from an expression
 * (typed by a person or an AI agent), so it is checked before any request: a value that is not a
 * finite number within its bounds fails closed, never falls back to "no limit" or "forever".
 * Each bound agrees with the field's typeOptions (a test holds them equal) and README lists them.
 */

export interface NumberRule {
	displayName: string;
	min: number;
	max: number;
	/** Counts must be whole; sizes and durations may have a fraction. */
	integer: boolean;
}

const rule = (displayName: string, min: number, max: number, integer: boolean): NumberRule => ({
	displayName,
	min,
	max,
	integer,
});

export const NUMBER_RULES = {
	limit: rule('Limit', 1, 1_000_000, true),
	batchSize: rule('Items per Batch', 1, 1_000, true),
	// One hour; longer pauses belong to a Wait node.
	batchInterval: rule('Batch Interval (Ms)', 0, 3_600_000, false),
	maxRetries: rule('Max Retries', 0, 10, true),
	// One hour; a timer above 2^31 - 1 ms would fire at once.
	timeout: rule('Timeout', 1, 3_600_000, false),
	maxFileSize: rule('Max File Size (MB)', 1, 100_000, false),
	// 30 days.
	maxWait: rule('Max Wait (Minutes)', 1, 43_200, false),
	// A week: the polling trigger's first poll lists at most MAX_ENTRIES jobs anyway.
	lookbackHours: rule('Include Jobs Ended in the Last (Hours)', 0, 168, false),
	// From 1 s (short enough for tests) to an hour; each round costs a request per session.
	pollInterval: rule('Poll Interval (Seconds)', 1, 3_600, false),
} satisfies Record<string, NumberRule>;

export type NumberField = keyof typeof NUMBER_RULES;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function describe(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
	return typeof value === 'number' || typeof value === 'boolean' ? String(value) : kindOfValue(value);
}

/**
 * The field's value as a number, or undefined when it is not set (the caller's default applies).
 * A number typed as text ("50", as an expression may give it) counts; anything else that is not
 * a finite number within the field's bounds is a FieldError saying what would be valid.
 */
export function checkedNumber(value: unknown, field: NumberField): number | undefined {
	if (value === undefined || value === null) return undefined;
	const { displayName, min, max, integer } = NUMBER_RULES[field];
	const number =
		typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value) : NaN;
	if (Number.isFinite(number) && number >= min && number <= max && (!integer || Number.isInteger(number))) {
		return number;
	}
	const kind = integer ? 'a whole number' : 'a number';
	throw new FieldError(field, `${displayName} must be ${kind} from ${min} to ${max}, not ${describe(value)}`);
}

/** Where each numeric field sits in an operation's parameters (top level, Options, Batching). */
const optionsOf = (parameters: Readonly<Record<string, unknown>>) =>
	(parameters.options ?? {}) as Record<string, unknown>;

/** The Batching option's values ("Items per Batch", "Batch Interval"). */
export const batchOf = (options: unknown) =>
	((options as { batching?: { batch?: Record<string, unknown> } } | undefined)?.batching?.batch ?? {}) as Record<
		string,
		unknown
	>;

/**
 * Checks every numeric field an item's parameters hold, so that a bad one fails the item before
 * its first request, whichever step would read it. A field the editor hides (Max File Size without
 * Download File, Max Wait without Wait for Completion) is read by nothing, so it is not checked.
 */
export function checkNumbers(parameters: Readonly<Record<string, unknown>>): void {
	const options = optionsOf(parameters);
	if (parameters.returnAll !== true) checkedNumber(parameters.limit, 'limit');
	checkedNumber(options.maxRetries, 'maxRetries');
	checkedNumber(options.timeout, 'timeout');
	const waits = parameters.waitForCompletion === true;
	if (options.downloadFile === true && (waits || parameters.waitForCompletion === undefined)) {
		checkedNumber(options.maxFileSize, 'maxFileSize');
	}
	if (waits) checkedNumber(options.maxWait, 'maxWait');
	if (waits && parameters.waitMode === 'ask') checkedNumber(parameters.pollInterval, 'pollInterval');
	const batch = batchOf(options);
	checkedNumber(batch.batchSize, 'batchSize');
	checkedNumber(batch.batchInterval, 'batchInterval');
}
