import type {
	ExecutionError,
	IExecuteData,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	IWebhookDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { version as hostWorkflowVersion } from 'n8n-workflow/package.json';
import { randomUUID } from 'node:crypto';

import { answer } from '../webhooks/receive';

/**
 * The adapter to n8n's wait-and-resume mechanics (reading fields is parameters.ts): each reliance
 * on n8n internals is marked "n8n internal" with the n8n versions it is proven on (the e2e suite
 * runs them in a real n8n 1.123.81 and 2.41.1). An execution pauses at the node after handing n8n's
 * resume URL to VideoSDK; each callback reaches the node's restart webhook, which answers without
 * resuming (more jobs to come) or resumes the execution with the node's output.
 *
 * n8n resumes a paused node in two ways, and both would pass the node's input through unless told
 * otherwise: its restart webhook returns the output, or the wait time runs out. On n8n 2.x
 * `resumeError` makes the node fail instead, honouring its On Error setting. n8n 1.x cannot fail a
 * resumed node: there the node outputs one item per input item carrying `error` instead, so that a
 * failed merge or a timeout never looks like success.
 */

/** Why Wait for Completion cannot work on this n8n: said instead of a stack trace. */
export const UNSUPPORTED_N8N =
	'This n8n version is not supported for Wait for Completion: it lacks the wait-and-resume internals the node relies on (proven on n8n 1.123 and 2.41)';

/**
 * The node's restart webhook, n8n's way to reach a paused execution: it answers at the resume URL
 * (without a path suffix) and needs no registration anywhere, unlike a trigger's webhook.
 */
export const resumeWebhooks: IWebhookDescription[] = [
	{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true },
];

/** This execution's resume URL, with the token n8n checks before it hands a call to the node. */
export const resumeUrlOf = (context: IExecuteFunctions) =>
	String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));

/** Same as n8n's continueOnFail(), which webhook contexts lack. */
export function continuesOnFail(node: INode): boolean {
	if (node.onError === undefined) return node.continueOnFail === true;
	return node.onError === 'continueRegularOutput' || node.onError === 'continueErrorOutput';
}

/** One output item of the paused node: what it started, or why it failed (Continue On Fail). */
export interface PausedItem {
	/** The input item it came from. */
	item: number;
	id?: string;
	error?: string;
}

export interface PausedState {
	items: PausedItem[];
	/** This pause of this execution: a node in a loop may pause the same execution again. */
	pauseId?: string;
}

/**
 * Whether this n8n fails a resumed node with `resumeError`: n8n-core 2.x does, 1.x always passes
 * the node's input through. The host's n8n-workflow says which major runs this package (community
 * packages load n8n's own copy, whose package.json both majors export). Undefined when its version
 * does not say: then both ways are taken, and the n8n that knows `resumeError` honours it while one
 * that does not uses the error items.
 */
export function failsResumedNodes(version: unknown = hostWorkflowVersion): boolean | undefined {
	const major = Number(String(version).split('.')[0]);
	return Number.isInteger(major) && major > 0 ? major >= 2 : undefined;
}

/** Each item with `error` (its own if it has one), as 1.x outputs a failed or timed-out node. */
export const withError = (items: INodeExecutionData[], message: string): INodeExecutionData[] =>
	items.map((item) => ({ ...item, json: { ...item.json, error: item.json.error ?? message } }));

// The node's context of this execution is saved with the paused execution and readable from the
// restart webhook (unlike the node's output, which n8n drops before it calls the webhook).
const PAUSED_STATE_KEY = 'videoSdkPausedState';

/**
 * Pauses the execution until `waitTill`, keeping `state` for the callbacks. If no callback resumes
 * it by then, the node fails with `timeoutError` (an item under Continue On Fail) on n8n 2.x, and
 * outputs `timeoutItems`, each carrying the error, on n8n 1.x.
 */
export async function pauseUntilCallback(
	context: IExecuteFunctions,
	state: PausedState,
	waitTill: Date,
	timeoutError: ExecutionError,
	timeoutItems: INodeExecutionData[],
): Promise<void> {
	if (typeof context.getExecuteData !== 'function' || typeof context.putExecutionToWait !== 'function') {
		throw new NodeOperationError(context.getNode(), UNSUPPORTED_N8N);
	}
	context.getContext('node')[PAUSED_STATE_KEY] = { ...state, pauseId: randomUUID() };
	const executeData = context.getExecuteData();
	const fails = failsResumedNodes();
	if (fails !== false) {
		// n8n internal (proven on 2.41.1): IExecuteData.metadata.resumeError, which n8n-core throws
		// as the node's error when it resumes a parked node, here when the wait time runs out.
		executeData.metadata = { ...executeData.metadata, resumeError: timeoutError };
	}
	if (fails !== true) {
		// n8n internal (proven on 1.123.81): the parked entry is this IExecuteData, and when the wait
		// time runs out 1.x runs the node disabled, which outputs the entry's input as it is.
		executeData.data = { ...executeData.data, main: [withError(timeoutItems, timeoutError.message)] };
	}
	await context.putExecutionToWait(waitTill);
}

/** A string literal that n8n's expression template cannot mistake for the end of the expression. */
const expressionString = (text: string) => JSON.stringify(text).replace(/[{}]/g, (brace) => `\\u00${brace.charCodeAt(0).toString(16)}`);

/**
 * The state the node kept when it paused, or undefined if this execution never paused here.
 * n8n internal (proven on 2.41.1): the webhook context has no getter for a node's context, but the
 * `$(node).context` expression reads it from the paused execution's data.
 */
export function pausedState(context: IWebhookFunctions): PausedState | undefined {
	const node = expressionString(context.getNode().name);
	const state: unknown = context.evaluateExpression(
		`{{ $(${node}).context[${JSON.stringify(PAUSED_STATE_KEY)}] }}`,
	);
	return state && typeof state === 'object' && Array.isArray((state as PausedState).items)
		? (state as PausedState)
		: undefined;
}

/**
 * The paused node's entry in the execution.
 * n8n internal (proven on 2.41.1): the webhook context's private `executeData` field; unlike the
 * execute context, it offers no getter for it.
 */
function pausedEntry(context: IWebhookFunctions): IExecuteData {
	const { executeData } = context as unknown as { executeData?: IExecuteData };
	if (!executeData || typeof executeData !== 'object') throw new NodeOperationError(context.getNode(), UNSUPPORTED_N8N);
	return executeData;
}

/**
 * The pauses whose execution a callback has resumed, with when. n8n 1.x checks that an execution is
 * waiting without a lock, so callbacks arriving together would each resume it: the first claims the
 * resume, the others are answered 200 without resuming. A resumed execution no longer waits, so n8n
 * itself refuses later callbacks: an hour of memory (and a bound on its size) is plenty.
 */
const resumedPauses = new Map<string, number>();
const RESUME_MEMORY_MS = 60 * 60_000;
const RESUME_MEMORY_SIZE = 10_000;

const pauseKey = (context: IWebhookFunctions, state: PausedState) => `${context.getExecutionId()}:${state.pauseId ?? ''}`;

/** Whether this callback may resume the paused execution: true once per pause, in this process. */
export function claimResume(context: IWebhookFunctions, state: PausedState, now = Date.now()): boolean {
	for (const [key, at] of resumedPauses) {
		if (now - at < RESUME_MEMORY_MS && resumedPauses.size < RESUME_MEMORY_SIZE) break;
		resumedPauses.delete(key);
	}
	const key = pauseKey(context, state);
	if (resumedPauses.has(key)) return false;
	resumedPauses.set(key, now);
	return true;
}

const alreadyResumed = (context: IWebhookFunctions) =>
	answer(context, 200, 'Ignored: another callback has already resumed this execution');

/** The callback of each pause being handled in this process, the last one to arrive. */
const settlingPauses = new Map<string, Promise<unknown>>();

/**
 * Handles the callbacks of one pause one after another in this process, and any that comes after
 * one resumed the execution without calling `settle` at all. Callbacks arriving together once every
 * job has ended would otherwise each ask VideoSDK about every job (n × n lookups) before all but
 * one of them learn that another resumed.
 */
export async function oneCallbackAtATime(
	context: IWebhookFunctions,
	state: PausedState,
	settle: () => Promise<IWebhookResponseData>,
): Promise<IWebhookResponseData> {
	const key = pauseKey(context, state);
	const previous = settlingPauses.get(key) ?? Promise.resolve();
	const current = previous
		.catch(() => undefined)
		.then(async () => (resumedPauses.has(key) ? alreadyResumed(context) : await settle()));
	settlingPauses.set(key, current);
	try {
		return await current;
	} finally {
		if (settlingPauses.get(key) === current) settlingPauses.delete(key);
	}
}

/** Resumes with this output: the wait ended in time, so the timeout error must not fire. */
export function resumeWith(
	context: IWebhookFunctions,
	state: PausedState,
	items: INodeExecutionData[],
): IWebhookResponseData {
	const entry = pausedEntry(context);
	if (!claimResume(context, state)) return alreadyResumed(context);
	if (entry.metadata) delete entry.metadata.resumeError;
	return { workflowData: [items] };
}

/**
 * Resumes and fails the node with `error`, as if it had thrown it (n8n 2.x); on n8n 1.x, which
 * cannot fail a resumed node, outputs `knownItems` (what is known of each item's job), each
 * carrying `error`.
 */
export function resumeFailing(
	context: IWebhookFunctions,
	state: PausedState,
	error: ExecutionError,
	knownItems: INodeExecutionData[],
): IWebhookResponseData {
	const entry = pausedEntry(context);
	if (!claimResume(context, state)) return alreadyResumed(context);
	const fails = failsResumedNodes();
	if (fails !== false) entry.metadata = { ...entry.metadata, resumeError: error };
	// On 2.x the node fails before its output is used; n8n only needs to see that it resumes.
	return { workflowData: [fails === true ? [] : withError(knownItems, error.message)] };
}
