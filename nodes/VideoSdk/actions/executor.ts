import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { isExpression, NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import type { PausedItem } from '../n8n/waitAndResume';
import { pauseUntilCallback, resumeUrlOf } from '../n8n/waitAndResume';
import type { ApiRequest } from '../transport';
import { apiRequest } from '../transport';
import { walkPages } from './pages';
import type { RetryPolicy } from '../transport/retry';
import { DEFAULT_RETRY_POLICY } from '../transport/retry';
import type { OperationParameters } from '../validation';
import { FieldError } from '../validation';

/** What the executor tells an operation about the execution, beside the item's parameters. */
export interface ExecutionFacts {
	/** Set when the node will pause until VideoSDK calls this URL back. */
	resumeUrl?: string;
}

/**
 * An operation that can pause the execution until VideoSDK reports that what it started has ended.
 * The executor pauses after all items ran; the node's restart webhook hands each callback to
 * `onCallback`, which resumes the execution once it has the outputs.
 */
export interface Pause {
	/** Whether the node's fields ask to wait; `field` reads a field's value (of the first item). */
	wanted(field: (name: string) => unknown): boolean;
	/** How long to wait at most, from the parameters of the first item. */
	maxWaitMs(parameters: OperationParameters): number;
	/** Why the node fails when that time is up with `waitingFor` jobs unreported. */
	timeoutMessage(waitingFor: number, maxWaitMs: number): string;
	/** What is known of a job that was started when that time is up (n8n 1.x adds `error` and outputs it). */
	timedOutItem(started: IDataObject): IDataObject;
	onCallback(this: IWebhookFunctions): Promise<IWebhookResponseData>;
}

/** What an operation's output step may use beside the response. */
export interface OutputStep {
	context: IExecuteFunctions;
	parameters: OperationParameters;
	itemIndex: number;
	/** The item's retry policy, for any further call the step makes (a file download). */
	policy: RetryPolicy;
}

/** What an operation's prepare step may use to look things up before its request. */
export interface PrepareStep {
	context: IExecuteFunctions;
	itemIndex: number;
	policy: RetryPolicy;
}

/**
 * What every operation module exports: its fields and a pure function from their values to a
 * request. The executor does everything else, the same way for every operation.
 */
export interface Operation {
	description: INodeProperties[];
	/** Must leave `parameters` as they are: values without an expression are shared by all items. */
	request(parameters: OperationParameters, facts: ExecutionFacts): ApiRequest;
	/**
	 * Looks up at VideoSDK what the request needs beyond the fields (the recordings of the chosen
	 * speakers), per item and before `request`, which stays pure: returns the parameters with what
	 * it found added. A FieldError it throws names the field and the item, as request's do.
	 */
	prepare?(parameters: OperationParameters, step: PrepareStep): Promise<OperationParameters>;
	/** The output items of one response; without it the response itself is the one output item. */
	output?(response: unknown, step: OutputStep): INodeExecutionData[] | Promise<INodeExecutionData[]>;
	/** List endpoints name the key of a page's entries; the executor pages through them. */
	list?: { itemsKey: string };
	pause?: Pause;
}

/** Output items that are just JSON, for output steps that only reshape the response. */
export const jsonItems = (json: IDataObject | IDataObject[]): INodeExecutionData[] =>
	(Array.isArray(json) ? json : [json]).map((entry) => ({ json: entry }));

// Fields that only explain the form hold no value to read.
const VALUELESS_FIELD_TYPES = new Set(['notice', 'callout', 'button']);

const containsExpression = (value: unknown): boolean =>
	isExpression(value) ||
	(typeof value === 'object' && value !== null && Object.values(value).some(containsExpression));

/** Reads an operation's fields for an item: one at a time, or all that are shown. */
interface ParameterReader {
	field(name: string, itemIndex: number): unknown;
	item(itemIndex: number): OperationParameters;
}

/**
 * Reads fields through getNodeParameter, as n8n means them to be read, without the calls that
 * cannot change the result. n8n's Workflow fills node.parameters with defaults and drops what
 * displayOptions hide, so a field absent from it is "not set" (null). A value with no expression
 * anywhere in it is the same for every item, so it is read once per execution; a read that throws
 * is not kept, so each item still fails with its own index.
 */
function parameterReaderFor(context: IExecuteFunctions, operation: Operation): ParameterReader {
	const nodeParameters = context.getNode().parameters;
	const fieldNames = new Set(
		operation.description
			.filter((field) => !VALUELESS_FIELD_TYPES.has(field.type) && field.name in nodeParameters)
			.map((field) => field.name),
	);
	// A resource locator's value is its ID (or what its mode extracts), as for a field of version 1.
	const locatorNames = new Set(
		operation.description.filter((field) => field.type === 'resourceLocator').map((field) => field.name),
	);
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

function buildRequest(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	facts: ExecutionFacts,
	itemIndex: number,
): ApiRequest {
	try {
		return operation.request(parameters, facts);
	} catch (error) {
		if (error instanceof FieldError) throw fieldErrorOfItem(context, error, itemIndex);
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}

const fieldErrorOfItem = (context: IExecuteFunctions, error: FieldError, itemIndex: number) =>
	new NodeOperationError(context.getNode(), `${error.message} [item ${itemIndex}]`, {
		itemIndex,
		description: error.hint,
	});

/** The request options every operation's "Options" collection carries (descriptions/fields.ts). */
interface RequestOptions {
	batching?: { batch?: { batchSize?: number; batchInterval?: number } };
	maxRetries?: number;
	timeout?: number;
}

const requestOptionsOf = (parameters: OperationParameters) =>
	(parameters.options ?? {}) as RequestOptions;

export function retryPolicyOf(parameters: OperationParameters): RetryPolicy {
	const { maxRetries, timeout } = requestOptionsOf(parameters);
	return {
		maxRetries: maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
		timeoutMs: timeout ?? DEFAULT_RETRY_POLICY.timeoutMs,
	};
}

async function fetchList(
	context: IExecuteFunctions,
	request: ApiRequest,
	itemsKey: string,
	parameters: OperationParameters,
	itemIndex: number,
): Promise<IDataObject[]> {
	const limit = parameters.returnAll === true ? Infinity : Math.max(1, Number(parameters.limit ?? 50));
	return await walkPages(context, request, itemsKey, { limit, itemIndex, policy: retryPolicyOf(parameters) });
}

/**
 * The item's parameters as the operation's request needs them: read, then completed by its
 * prepare step if it has one (lookups at VideoSDK), with its field errors naming the item.
 */
async function preparedParameters(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	itemIndex: number,
): Promise<OperationParameters> {
	if (!operation.prepare) return parameters;
	try {
		return await operation.prepare(parameters, { context, itemIndex, policy: retryPolicyOf(parameters) });
	} catch (error) {
		throw error instanceof FieldError ? fieldErrorOfItem(context, error, itemIndex) : asItemError(context, error, itemIndex);
	}
}

/** An item's fields as read, or why reading them failed (the item fails with it in its turn). */
type ReadItem = { parameters: OperationParameters } | { error: unknown };

/**
 * Reads every item's fields before the first request. The same reads, one item after another; done
 * back to back, n8n's expression engine runs them about twice as fast as between HTTP calls (see
 * README, Benchmark). An item whose fields cannot be read still fails in its turn, as before.
 */
const readAllItems = (reader: ParameterReader, itemCount: number): ReadItem[] =>
	Array.from({ length: itemCount }, (_, itemIndex) => {
		try {
			return { parameters: reader.item(itemIndex) };
		} catch (error) {
			return { error };
		}
	});

async function runItem(
	context: IExecuteFunctions,
	operation: Operation,
	read: ReadItem,
	facts: ExecutionFacts,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	if ('error' in read) throw read.error;
	const parameters = await preparedParameters(context, operation, read.parameters, itemIndex);
	const request = buildRequest(context, operation, parameters, facts, itemIndex);
	const policy = retryPolicyOf(parameters);
	if (operation.list) {
		const entries = await fetchList(context, request, operation.list.itemsKey, parameters, itemIndex);
		return entries.map((json) => ({ json }));
	}
	const response = await apiRequest.call(context, request, itemIndex, policy);
	if (!operation.output) return jsonItems(response as IDataObject);
	return await operation.output(response, { context, parameters, itemIndex, policy });
}

function asItemError(context: IExecuteFunctions, error: unknown, itemIndex: number) {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/** Items sent at once and the pause between such batches: one at a time unless asked. */
function batchingOf(reader: ParameterReader) {
	const options = (reader.field('options', 0) ?? {}) as RequestOptions;
	const batch = options.batching?.batch;
	return {
		size: Math.max(1, Math.floor(batch?.batchSize ?? 1)),
		intervalMs: Math.max(0, batch?.batchInterval ?? 0),
	};
}

/** The pause an operation's parameters ask for, read once: waiting is per node, not per item. */
function pauseWanted(reader: ParameterReader, operation: Operation): Pause | undefined {
	const { pause } = operation;
	return pause?.wanted((name) => reader.field(name, 0)) ? pause : undefined;
}

/**
 * Pauses after the items ran, keeping what each output item started (its `id`) or why it failed,
 * so that the callbacks can be matched to items. Nothing started: nothing to wait for.
 */
async function pauseForCallbacks(
	context: IExecuteFunctions,
	reader: ParameterReader,
	pause: Pause,
	outputs: INodeExecutionData[],
) {
	const items: PausedItem[] = outputs.map(({ json, pairedItem }) => {
		const item = (pairedItem as { item: number }).item;
		return typeof json.error === 'string' ? { item, error: json.error } : { item, id: String(json.id) };
	});
	const waitingFor = items.filter((item) => item.id !== undefined).length;
	if (waitingFor === 0) return;
	const maxWaitMs = pause.maxWaitMs(reader.item(0));
	const timeout = new NodeOperationError(context.getNode(), pause.timeoutMessage(waitingFor, maxWaitMs));
	const timeoutItems = outputs.map(({ json, pairedItem }) => ({
		json: typeof json.error === 'string' ? { error: json.error } : pause.timedOutItem(json),
		pairedItem,
	}));
	await pauseUntilCallback(context, { items }, new Date(Date.now() + maxWaitMs), timeout, timeoutItems);
}

/**
 * The one per-item loop of the node: validation, requests, paging, batching, continueOnFail and
 * pairedItem. A batch's items run concurrently; their results are kept in input order.
 */
export async function executeOperation(
	this: IExecuteFunctions,
	operation: Operation,
): Promise<INodeExecutionData[][]> {
	const itemCount = this.getInputData().length;
	const reader = parameterReaderFor(this, operation);
	const batching = batchingOf(reader);
	const pause = pauseWanted(reader, operation);
	const facts: ExecutionFacts = pause ? { resumeUrl: resumeUrlOf(this) } : {};
	const readItems = readAllItems(reader, itemCount);
	const returnData: INodeExecutionData[] = [];
	for (let batchStart = 0; batchStart < itemCount; batchStart += batching.size) {
		if (batchStart > 0 && batching.intervalMs > 0) await sleep(batching.intervalMs);
		const batchIndexes = Array.from(
			{ length: Math.min(batching.size, itemCount - batchStart) },
			(_, offset) => batchStart + offset,
		);
		const settled = await Promise.allSettled(
			batchIndexes.map(async (itemIndex) => await runItem(this, operation, readItems[itemIndex], facts, itemIndex)),
		);
		settled.forEach((result, offset) => {
			const itemIndex = batchIndexes[offset];
			const pairedItem = { item: itemIndex };
			if (result.status === 'fulfilled') {
				returnData.push(...result.value.map((item) => ({ ...item, pairedItem })));
				return;
			}
			const error = asItemError(this, result.reason, itemIndex);
			if (!this.continueOnFail()) throw error;
			returnData.push({ json: { error: error.message }, pairedItem });
		});
	}
	if (pause) await pauseForCallbacks(this, reader, pause, returnData);
	return [returnData];
}
