import type { IDataObject } from 'n8n-workflow';

import { idProblem, kindOfValue } from '../api';

/**
 * What a value must be: checks of the user's field values, before any request. A failed check is
 * a FieldError naming the field; the executor turns it into a NodeOperationError naming the item.
 */

/** The values of an operation's top-level fields for one item, read by the executor. */
export type OperationParameters = Readonly<Record<string, unknown>>;

/** Bad input, found before any request. Its message names the field; the executor adds the item. */
export class FieldError extends Error {
	constructor(
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'FieldError';
	}
}

/**
 * A required ID field's trimmed value, ready for the path (API_PATHS builds the segment); anything
 * that is not one (empty, `.`/`..`, an object, too long) is a FieldError saying what it got.
 */
export function requiredId(parameters: OperationParameters, name: string, displayName: string): string {
	const value = parameters[name];
	const problem = idProblem(value);
	if (problem) throw new FieldError(name, `${displayName} ${problem}`);
	return String(value).trim();
}

/** A collection's entries that hold a value (n8n keeps emptied fields as ""). */
export function presentValues(collection: unknown): IDataObject {
	const present: IDataObject = {};
	for (const [key, value] of Object.entries((collection ?? {}) as IDataObject)) {
		if (value === undefined || value === null) continue;
		if (typeof value === 'string' && value.trim() === '') continue;
		present[key] = typeof value === 'string' ? value.trim() : value;
	}
	return present;
}

/** A Filters collection's fields: what the query names them, and what the user sees. */
export type FilterFields = ReadonlyArray<{ name: string; displayName: string }>;

/**
 * A Filters collection's values for the query: text and numbers only. An object or a list (from an
 * expression) would be sent as something else than one value, so it is a FieldError naming the filter.
 */
export function filterValues(collection: unknown, fields: FilterFields): IDataObject {
	const present = presentValues(collection);
	for (const [name, value] of Object.entries(present)) {
		if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) continue;
		const displayName = fields.find((field) => field.name === name)?.displayName ?? name;
		const got = typeof value === 'number' ? String(value) : kindOfValue(value);
		throw new FieldError(`filters.${name}`, `${displayName} must be text or a number, but got ${got}`);
	}
	return present;
}

/** An optional http(s) URL field's value; anything else is a FieldError naming the field. */
export function optionalHttpUrl(value: unknown, name: string, displayName: string): string | undefined {
	const url = typeof value === 'string' ? value.trim() : '';
	if (!url) return undefined;
	const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
	if (protocol !== 'http:' && protocol !== 'https:') {
		throw new FieldError(
			name,
			`${displayName} "${url}" is not an http(s) URL`,
			"Paste a VideoSDK Trigger node's Production URL, or leave the field empty",
		);
	}
	return url;
}

export const DEFAULT_BINARY_PROPERTY = 'data';

/** The binary field to fill; an emptied field falls back to the default rather than to "". */
export const binaryPropertyNameOf = (options: { binaryPropertyName?: string }): string =>
	options.binaryPropertyName?.trim() || DEFAULT_BINARY_PROPERTY;
