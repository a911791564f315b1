import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL, videoSdkAuthorization } from '../api';
import { readAll, withinDeadline } from './bounded';
import { redact, redirectMessage, toVideoSdkApiError, unansweredReason } from './errors';
import type { FailedResponse, RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry';

/** What an operation asks of the API: everything but authentication and the base URL. */
export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/** A node running: it calls VideoSDK and may keep what it fetches as binary data. */
export type NodeContext = IExecuteFunctions | IWebhookFunctions | IPollFunctions;

/** Whatever calls VideoSDK: a node, or the editor asking for its lists (methods/), as the node does. */
export type RequestContext = NodeContext | ILoadOptionsFunctions;

export const trimBaseUrl = (baseUrl: unknown) =>
	(typeof baseUrl === 'string' && baseUrl.trim() !== '' ? baseUrl.trim() : DEFAULT_BASE_URL).replace(
		/\/+$/,
		'',
	);

interface ContextCredentials {
	baseUrl: string;
	/** Handed to n8n with each request, which otherwise loads and decrypts them every time. */
	decrypted: ICredentialsDecrypted;
}

// A node's credential is the same for all its items: read it once per execution, not per request.
const credentialsOfContext = new WeakMap<RequestContext, Promise<ContextCredentials>>();

async function readCredentials(context: RequestContext): Promise<ContextCredentials> {
	const data = await context.getCredentials(CREDENTIAL_TYPE);
	const { id, name } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
	return {
		baseUrl: trimBaseUrl(data.baseUrl),
		decrypted: { id: id ?? '', name: name ?? '', type: CREDENTIAL_TYPE, data },
	};
}

function credentialsOf(context: RequestContext): Promise<ContextCredentials> {
	let credentials = credentialsOfContext.get(context);
	if (!credentials) {
		credentials = readCredentials(context);
		credentialsOfContext.set(context, credentials);
		credentials.catch(() => credentialsOfContext.delete(context));
	}
	return credentials;
}

export async function getBaseUrl(this: RequestContext): Promise<string> {
	return (await credentialsOf(this)).baseUrl;
}

/** VideoSDK answers with small JSON documents; anything far larger is not an answer to read whole. */
export const MAX_API_RESPONSE_BYTES = 8 * 1024 * 1024;

/** An answer as read: its status, headers and body (parsed when it is JSON). */
export interface ReadResponse {
	status: number;
	headers: Record<string, unknown>;
	data: unknown;
}

interface StreamedResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

const parseBody = (bytes: Buffer): unknown => {
	const text = bytes.toString('utf8');
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
};

/**
 * Sends a request through `send` and reads its whole answer within `timeoutMs` and `maxBytes`.
 * `send` must resolve with the status of any answer, its body as a stream (streamedRequest), and
 * abort the request when the signal does, so that its connection closes at the deadline. Should an
 * answer still come after the deadline, the race has rejected and its body is destroyed unread.
 */
export async function readResponse(
	timeoutMs: number,
	send: (signal: AbortSignal) => Promise<StreamedResponse>,
	maxBytes = MAX_API_RESPONSE_BYTES,
): Promise<ReadResponse> {
	return await withinDeadline(timeoutMs, async (signal) => {
		const response = await send(signal);
		const bytes = await readAll(response.body, maxBytes, signal);
		return { status: response.statusCode, headers: response.headers ?? {}, data: parseBody(bytes) };
	});
}

/**
 * n8n request options under which readResponse reads an answer: its body as a stream, any status
 * resolved rather than thrown, no redirect followed (unless `followRedirects`, for calls without a
 * token), and the deadline's signal.
 */
export function streamedRequest(
	method: IHttpRequestMethods,
	url: string,
	signal: AbortSignal,
	timeoutMs: number,
	{ followRedirects = false, accept = 'application/json' } = {},
): IHttpRequestOptions {
	return {
		method,
		url,
		headers: { Accept: accept },
		encoding: 'stream',
		json: false,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: !followRedirects,
		abortSignal: signal,
		timeout: timeoutMs,
	};
}

/** The outcome of one attempt: an answer, or a failure that may be retried. */
type Attempt = { ok: true; data: unknown } | { ok: false; failure: FailedResponse & { reason?: string }; final?: boolean };

function judge(response: ReadResponse): Attempt {
	const { status, headers, data } = response;
	if (status >= 200 && status < 300) return { ok: true, data };
	if (status >= 300 && status < 400) {
		return { ok: false, failure: { status, headers, reason: redirectMessage(headers) }, final: true };
	}
	return { ok: false, failure: { status, headers, data } };
}

/**
 * One authenticated call (the credential signs the token), retried as RetryPolicy allows: rate
 * limits always, other failures only where sending twice is harmless. The token never follows a
 * redirect, each attempt has a total deadline, and its answer is read within a size limit; errors
 * carry VideoSDK's own message and status, read from the answer itself (the same on every n8n).
 */
export async function apiRequest<T = unknown>(
	this: RequestContext,
	request: ApiRequest,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const { baseUrl, decrypted } = await credentialsOf(this);
	const secrets = [String(decrypted.data?.secretKey ?? '')];
	// n8n's authenticated helper replaces a request's signal with the execution's cancel signal in
	// the action node, so a deadline could not close its connection there. The plain helper keeps the
	// signal: the credential's token is added here (as its authenticate() does), the request goes only
	// to the Base URL and follows no redirect, and a cancelled execution still aborts it.
	const cancelled = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	const send = async (deadline: AbortSignal) => {
		const signal = cancelled ? AbortSignal.any([deadline, cancelled]) : deadline;
		const options = streamedRequest(request.method, `${baseUrl}${request.path}`, signal, policy.timeoutMs);
		options.headers = { ...options.headers, ...videoSdkAuthorization(decrypted.data) };
		if (request.qs && Object.keys(request.qs).length > 0) options.qs = request.qs;
		if (request.body) options.body = request.body;
		return (await this.helpers.httpRequest(options)) as StreamedResponse;
	};
	for (let retries = 0; ; retries++) {
		let attempt: Attempt;
		try {
			// Redacted where it is read, answers of any status: an echoed token or secret reaches no item,
			// list, error or log.
			const response = await readResponse(policy.timeoutMs, send);
			attempt = judge({ ...response, data: redact(response.data, secrets) });
		} catch (error) {
			attempt = { ok: false, failure: { reason: unansweredReason(error) } };
		}
		if (attempt.ok) return attempt.data as T;
		// A stopped execution sends nothing more: its request is not tried again.
		const stopped = cancelled?.aborted === true;
		const delayMs = attempt.final || stopped ? undefined : retryDelayMs(request.method, attempt.failure, retries, policy);
		if (delayMs === undefined) throw toVideoSdkApiError(this.getNode(), attempt.failure, itemIndex);
		await sleep(delayMs);
	}
}
