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

/**
 * The adapter to n8n's wait-and-resume mechanics: every reliance of this package on n8n internals
 * lives here, each marked "n8n internal" with the n8n versions it is proven on (the e2e suite runs
 * them in a real n8n). An execution pauses at the node after handing n8n's resume URL to VideoSDK;
 * each callback reaches the node's restart webhook, which answers without resuming (more jobs to
 * come) or resumes the execution with the node's output.
 *
 * n8n resumes a paused node in two ways, and both would pass the node's input through unless told
 * otherwise: its restart webhook returns the output, or the wait time runs out. `resumeError` makes
 * the node fail instead, honouring its On Error setting.
 */

/** Why Wait for Completion cannot work on this n8n: said instead of a stack trace. */
export const UNSUPPORTED_N8N =
	'This n8n version is not supported for Wait for Completion: it lacks the wait-and-resume internals the node relies on (proven on n8n 2.41)';

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
}

// The node's context of this execution is saved with the paused execution and readable from the
// restart webhook (unlike the node's output, which n8n drops before it calls the webhook).
const PAUSED_STATE_KEY = 'videoSdkPausedState';

/**
 * Pauses the execution until `waitTill`, keeping `state` for the callbacks; if no callback resumes
 * it by then, the node fails with `timeoutError` (an item under Continue On Fail).
 */
export async function pauseUntilCallback(
	context: IExecuteFunctions,
	state: PausedState,
	waitTill: Date,
	timeoutError: ExecutionError,
): Promise<void> {
	if (typeof context.getExecuteData !== 'function' || typeof context.putExecutionToWait !== 'function') {
		throw new NodeOperationError(context.getNode(), UNSUPPORTED_N8N);
	}
	context.getContext('node')[PAUSED_STATE_KEY] = state;
	// n8n internal (proven on 2.41.1): IExecuteData.metadata.resumeError, which n8n-core throws
	// as the node's error when it resumes a parked node, here when the wait time runs out.
	const executeData = context.getExecuteData();
	executeData.metadata = { ...executeData.metadata, resumeError: timeoutError };
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

/** Resumes with this output: the wait ended in time, so the timeout error must not fire. */
export function resumeWith(context: IWebhookFunctions, items: INodeExecutionData[]): IWebhookResponseData {
	const entry = pausedEntry(context);
	if (entry.metadata) delete entry.metadata.resumeError;
	return { workflowData: [items] };
}

/** Resumes and fails the node with `error`, as if it had thrown it. */
export function resumeFailing(context: IWebhookFunctions, error: ExecutionError): IWebhookResponseData {
	const entry = pausedEntry(context);
	entry.metadata = { ...entry.metadata, resumeError: error };
	// The node fails before its output is used; n8n only needs to see that it resumes.
	return { workflowData: [[]] };
}
