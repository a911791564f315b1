import type { IDataObject, IExecuteFunctions, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { ParameterReader } from '../n8n/parameters';
import type { PausedItem } from '../n8n/waitAndResume';
import { continuesOnFail, pauseUntilCallback, withError } from '../n8n/waitAndResume';
import type { OperationParameters } from '../validation';

/** Asking VideoSDK about the jobs the items started, one round at a time. */
export interface Asking {
	/** How many jobs have not been seen ended yet. */
	waitingFor(): number;
	/** Asks about the jobs still running; the node's output once every one has ended. */
	round(): Promise<INodeExecutionData[] | undefined>;
	/** What is known of each item's job when the node stops early: how it ended, else its ID. */
	knownItems(): INodeExecutionData[];
	/** Why the last request that failed (after its retries) failed: asking goes on, until Max Wait. */
	problem(): string | undefined;
}

/** What an asking round needs besides the items: the node's Options, and a check before each request. */
export interface AskingSetup {
	options: unknown;
	/** Throws once the execution has been stopped: called before every request. */
	checkStopped(): void;
}

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
	/** Whether the node's fields ask to ask VideoSDK (every Poll Interval) instead of waiting for its callback. */
	asks(field: (name: string) => unknown): boolean;
	/** How long to sleep between two rounds of asking, from the parameters of the first item. */
	pollIntervalMs(parameters: OperationParameters): number;
	/** Starts asking about what the output items started; undefined when nothing started. */
	startAsking(context: IExecuteFunctions, outputs: INodeExecutionData[], setup: AskingSetup): Asking | undefined;
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

/** How the node waits, read once from the first item's parameters before any request. */
export interface WaitPlan {
	maxWaitMs: number;
	/** The node's Options (the merged file's download, retries). */
	options: unknown;
	/** Set when the node asks VideoSDK instead of waiting for its callback. */
	pollIntervalMs?: number;
}

export function waitPlanOf(pause: Pause, reader: ParameterReader): WaitPlan {
	const field = (name: string) => reader.field(name, 0);
	const parameters = { options: field('options'), pollInterval: field('pollInterval') };
	const plan = { maxWaitMs: pause.maxWaitMs(parameters), options: parameters.options };
	return pause.asks(field) ? { ...plan, pollIntervalMs: pause.pollIntervalMs(parameters) } : plan;
}

/**
 * Sleeps `ms`, or less if the execution is stopped meanwhile. n8n-workflow's `sleep` does the
 * waiting (its sleepWithAbort is missing from some n8n versions this package runs in).
 */
async function sleepUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<void> {
	if (!signal) return await sleep(ms);
	// Stopped during the round: the abort event has fired already.
	if (signal.aborted) return;
	let onAbort = () => {};
	const stopped = new Promise<void>((resolve) => {
		onAbort = resolve;
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), stopped]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/**
 * Asks VideoSDK every Poll Interval until every job the items started has ended, then outputs what
 * the callbacks would have resumed with. The execution stays in this process all along (n8n runs a
 * paused node again only to pass its input through or fail it, never its execute()). Stopping the
 * execution ends the asking before its next request. A request that keeps failing is tried again
 * next round, as a callback answered 503 is delivered again. When Max Wait runs out, the node fails, or
 * under Continue On Fail outputs what is known of each item, each carrying the error.
 */
export async function askUntilEnded(
	context: IExecuteFunctions,
	pause: Pause,
	{ maxWaitMs, options, pollIntervalMs = maxWaitMs }: WaitPlan,
	outputs: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const signal = context.getExecutionCancelSignal?.();
	const checkStopped = () => {
		if (signal?.aborted) throw new NodeOperationError(context.getNode(), 'The execution was stopped while asking VideoSDK about the merges');
	};
	const asking = pause.startAsking(context, outputs, { options, checkStopped });
	if (!asking) return outputs;
	const deadline = Date.now() + maxWaitMs;
	for (;;) {
		checkStopped();
		const ended = await asking.round();
		if (ended) return ended;
		const left = deadline - Date.now();
		if (left <= 0) break;
		await sleepUnlessStopped(Math.min(pollIntervalMs, left), signal);
	}
	const problem = asking.problem();
	const timeout = new NodeOperationError(
		context.getNode(),
		pause.timeoutMessage(asking.waitingFor(), maxWaitMs) + (problem ? `; asking VideoSDK last failed: ${problem}` : ''),
	);
	if (!continuesOnFail(context.getNode())) throw timeout;
	return withError(asking.knownItems(), timeout.message);
}

/** Waits as the plan says: asks VideoSDK, or pauses until its callbacks. Returns the node's output. */
export async function waitForEnd(
	context: IExecuteFunctions,
	pause: Pause,
	plan: WaitPlan,
	outputs: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	if (plan.pollIntervalMs !== undefined) return await askUntilEnded(context, pause, plan, outputs);
	await pauseForCallbacks(context, pause, plan.maxWaitMs, outputs);
	return outputs;
}
