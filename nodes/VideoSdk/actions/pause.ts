import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ParameterReader } from '../n8n/parameters';
import type { PausedItem } from '../n8n/waitAndResume';
import { pauseUntilCallback } from '../n8n/waitAndResume';
import type { OperationParameters } from '../validation';

/**
 * An operation that can pause the execution until VideoSDK reports that what it started has ended.
 * The executor pauses after all items ran; the node's restart webhook hands each callback to
 * `onCallback`, which resumes the execution once it has the outputs.
 */
export interface Pause {
	/** Whether the node's fields ask to wait; `field` reads a field's value (of the first item). */
	wanted(field: (name: string) => unknown): boolean;
	/** How long to wait at most, from the parameters of the first item (read before any request). */
	maxWaitMs(parameters: OperationParameters): number;
	/** Why the node fails when that time is up with `waitingFor` jobs unreported. */
	timeoutMessage(waitingFor: number, maxWaitMs: number): string;
	/** What is known of a job that was started when that time is up (n8n 1.x adds `error` and outputs it). */
	timedOutItem(started: IDataObject): IDataObject;
	onCallback(this: IWebhookFunctions): Promise<IWebhookResponseData>;
}

/** The pause the node's fields ask for, read once: waiting is per node, not per item. */
export function pauseWanted(pause: Pause | undefined, reader: ParameterReader): Pause | undefined {
	return pause?.wanted((name) => reader.field(name, 0)) ? pause : undefined;
}

/**
 * Pauses after the items ran, keeping what each output item started (its `id`) or why it failed,
 * so that the callbacks can be matched to items. Nothing started: nothing to wait for.
 */
export async function pauseForCallbacks(
	context: IExecuteFunctions,
	pause: Pause,
	maxWaitMs: number,
	outputs: INodeExecutionData[],
) {
	const items: PausedItem[] = outputs.map(({ json, pairedItem }) => {
		const item = (pairedItem as { item: number }).item;
		return typeof json.error === 'string' ? { item, error: json.error } : { item, id: String(json.id) };
	});
	const waitingFor = items.filter((item) => item.id !== undefined).length;
	if (waitingFor === 0) return;
	const timeout = new NodeOperationError(context.getNode(), pause.timeoutMessage(waitingFor, maxWaitMs));
	const timeoutItems = outputs.map(({ json, pairedItem }) => ({
		json: typeof json.error === 'string' ? { error: json.error } : pause.timedOutItem(json),
		pairedItem,
	}));
	await pauseUntilCallback(context, { items }, new Date(Date.now() + maxWaitMs), timeout, timeoutItems);
}
