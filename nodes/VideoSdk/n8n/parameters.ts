import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { isExpression } from 'n8n-workflow';

import type { OperationParameters } from '../validation';

/**
 * Reading an operation's fields through getNodeParameter, as n8n means them to be read, without
 * the calls that cannot change the result: n8n's expression engine is most of what a read costs.
 *
 * n8n internal (proven on 1.123.81 and 2.41.1, where the e2e suite runs every operation): n8n's
 * Workflow fills node.parameters with defaults and drops what displayOptions hide, so a field
 * absent from it is "not set" (null) and is never read.
 */

// Fields that only explain the form hold no value to read.
const VALUELESS_FIELD_TYPES = new Set(['notice', 'callout', 'button']);

const containsExpression = (value: unknown): boolean =>
	isExpression(value) ||
	(typeof value === 'object' && value !== null && Object.values(value).some(containsExpression));

/** Reads an operation's fields for an item: one at a time, or all that are shown. */
export interface ParameterReader {
	field(name: string, itemIndex: number): unknown;
	item(itemIndex: number): OperationParameters;
}

/**
 * A value with no expression anywhere in it is the same for every item, so it is read once per
 * execution; a read that throws is not kept, so each item still fails with its own index.
 */
export function parameterReaderFor(context: IExecuteFunctions, fields: INodeProperties[]): ParameterReader {
	const nodeParameters = context.getNode().parameters;
	const fieldNames = new Set(
		fields
			.filter((field) => !VALUELESS_FIELD_TYPES.has(field.type) && field.name in nodeParameters)
			.map((field) => field.name),
	);
	// A resource locator's value is its ID (or what its mode extracts), as for a field of version 1.
	const locatorNames = new Set(fields.filter((field) => field.type === 'resourceLocator').map((field) => field.name));
	const constants = new Map<string, unknown>();
	const field = (name: string, itemIndex: number) => {
		if (!fieldNames.has(name)) return null;
		if (constants.has(name)) return constants.get(name);
		const value = context.getNodeParameter(name, itemIndex, null, { extractValue: locatorNames.has(name) });
		if (!containsExpression(nodeParameters[name])) constants.set(name, value);
		return value;
	};
	return {
		field,
		item(itemIndex) {
			const parameters: Record<string, unknown> = {};
			for (const name of fieldNames) {
				const value = field(name, itemIndex);
				if (value !== null) parameters[name] = value;
			}
			return parameters;
		},
	};
}

/** An item's fields as read, or why reading them failed (the item fails with it in its turn). */
export type ReadItem = { parameters: OperationParameters } | { error: unknown };

/**
 * Every item's fields, read one item after another before the first request: done back to back,
 * n8n's expression engine runs them about twice as fast as between HTTP calls (README, Benchmark).
 */
export const readAllItems = (reader: ParameterReader, itemCount: number): ReadItem[] =>
	Array.from({ length: itemCount }, (_, itemIndex) => {
		try {
			return { parameters: reader.item(itemIndex) };
		} catch (error) {
			return { error };
		}
	});
