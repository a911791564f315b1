import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ReadItem } from '../n8n/parameters';
import { parameterReaderFor, readAllItems } from '../n8n/parameters';
import { CANNOT_WAIT_IN_THIS_TOOL_CALL, canPauseAsTool, isToolNode } from '../n8n/toolMode';
import { resumeUrlOf } from '../n8n/waitAndResume';
import type { ApiRequest } from '../transport';
import { apiRequest } from '../transport';
import type { OperationParameters } from '../validation';
import { FieldError } from '../validation';
import { checkedNumber, checkNumbers } from '../validation/numbers';
import { asItemError, fieldErrorOfItem } from './itemErrors';
import type { ExecutionFacts, Operation } from './operation';
import { jsonItems } from './operation';
import { walkPages } from './pages';
import { optionsOf } from '../descriptions/fields';
import { pauseWanted, waitForEnd, waitPlanOf } from './pause';
import { batchingOf, retryPolicyOf } from './requestOptions';

function buildRequest(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	facts: ExecutionFacts,
	prepared: unknown,
	itemIndex: number,
): ApiRequest {
	try {
		return operation.request(parameters, facts, prepared);
	} catch (error) {
		if (error instanceof FieldError) throw fieldErrorOfItem(context.getNode(), error, itemIndex);
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
	}
}

async function fetchList(
	context: IExecuteFunctions,
	request: ApiRequest,
	{ itemsKey, newestFirst: wantsNewest }: NonNullable<Operation['list']>,
	parameters: OperationParameters,
	itemIndex: number,
): Promise<IDataObject[]> {
	const limit = parameters.returnAll === true ? Infinity : (checkedNumber(parameters.limit, 'limit') ?? 50);
	return await walkPages(context, request, itemsKey, { limit, itemIndex, policy: retryPolicyOf(parameters), newestFirst: wantsNewest });
}

/**
 * What the operation's prepare step, if it has one, looked up at VideoSDK for the item's request,
 * with its field errors naming the item.
 */
async function prepare(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	itemIndex: number,
): Promise<unknown> {
	if (!operation.prepare) return undefined;
	try {
		return await operation.prepare(parameters, { context, itemIndex, policy: retryPolicyOf(parameters) });
	} catch (error) {
		throw error instanceof FieldError
			? fieldErrorOfItem(context.getNode(), error, itemIndex)
			: asItemError(context.getNode(), error, itemIndex);
	}
}

/** `check`'s result; a FieldError it throws becomes the item's error, naming field and item. */
function checkedForItem<T>(context: IExecuteFunctions, itemIndex: number, check: () => T): T {
	try {
		return check();
	} catch (error) {
		throw error instanceof FieldError ? fieldErrorOfItem(context.getNode(), error, itemIndex) : error;
	}
}

/** Simplify when the item's options say so; left unset, when an AI Agent calls the node as a tool. */
function simplified(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	items: INodeExecutionData[],
): INodeExecutionData[] {
	const { compact } = operation;
	if (!compact || (optionsOf<{ simplify?: boolean }>(parameters.options).simplify ?? isToolNode(context.getNode())) !== true) {
		return items;
	}
	return items.map((item) => ({ ...item, json: compact(item.json) }));
}

async function outputOf(
	context: IExecuteFunctions,
	operation: Operation,
	parameters: OperationParameters,
	facts: ExecutionFacts,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	// Every number the item's fields give, before its first request, whichever step reads it.
	checkedForItem(context, itemIndex, () => checkNumbers(parameters));
	const prepared = await prepare(context, operation, parameters, itemIndex);
	const request = buildRequest(context, operation, parameters, facts, prepared, itemIndex);
	const policy = retryPolicyOf(parameters);
	if (operation.list) {
		const entries = await fetchList(context, request, operation.list, parameters, itemIndex);
		return entries.map((json) => ({ json }));
	}
	const response = await apiRequest.call(context, request, itemIndex, policy);
	if (!operation.output) return jsonItems(response as IDataObject);
	return await operation.output(response, { context, parameters, itemIndex, policy });
}

async function runItem(
	context: IExecuteFunctions,
	operation: Operation,
	read: ReadItem,
	facts: ExecutionFacts,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	if ('error' in read) throw read.error;
	const items = await outputOf(context, operation, read.parameters, facts, itemIndex);
	return simplified(context, operation, read.parameters, items);
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
	const reader = parameterReaderFor(this, operation.description);
	// Batching and Max Wait are the node's, not an item's: they are read from the first item.
	const batching = checkedForItem(this, 0, () => batchingOf(reader.field('options', 0)));
	const pause = pauseWanted(operation.pause, reader);
	const plan = pause && checkedForItem(this, 0, () => waitPlanOf(pause, reader));
	const waitsForCallback = plan !== undefined && plan.pollIntervalMs === undefined;
	// Asking runs inside this step and works in any tool call; a pause for the callback does not.
	if (waitsForCallback && !canPauseAsTool(this.getNode())) throw new NodeOperationError(this.getNode(), CANNOT_WAIT_IN_THIS_TOOL_CALL);
	// Asking needs no callback: VideoSDK is then given no URL to call.
	const facts: ExecutionFacts = waitsForCallback ? { resumeUrl: resumeUrlOf(this) } : {};
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
			const error = asItemError(this.getNode(), result.reason, itemIndex);
			if (!this.continueOnFail()) throw error;
			returnData.push({ json: { error: error.message }, pairedItem });
		});
	}
	if (pause && plan) return [await waitForEnd(this, pause, plan, returnData)];
	return [returnData];
}
