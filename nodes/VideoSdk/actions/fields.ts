import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { OperationParameters } from './executor';
import { FieldError } from './executor';

/** Fields and checks that several operations share. */

/** "Return All" and "Limit", the n8n way, for an operation that lists. */
export const listFields = (): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** A required text field's trimmed value; empty is a FieldError naming the field. */
export function requiredText(
	parameters: OperationParameters,
	name: string,
	displayName: string,
): string {
	const value = parameters[name];
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!text) throw new FieldError(name, `${displayName} is empty`);
	return text;
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
