import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import type { ApiErrorBody } from '../helpers/interfaces';
import { DEFAULT_BASE_URL } from '../helpers/interfaces';
import type { FailedResponse, RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry';

export const CREDENTIAL_TYPE = 'videoSdkApi';

/** What an operation asks of the API: everything but authentication and the base URL. */
export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

type RequestContext = IExecuteFunctions | IWebhookFunctions;

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

/** VideoSDK's own words for an error: the official SDK reads `message`, else `error`, else `msg`. */
export function apiErrorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const { message, error, msg } = body as ApiErrorBody;
	return [message, error, msg].find((text) => typeof text === 'string' && text.trim() !== '');
}

/** What a failed call got back. n8n may wrap the HTTP error in its own, which keeps it as `cause`. */
export function failedResponseOf(error: unknown): FailedResponse {
	for (let current = error as Record<string, unknown> | undefined; current; ) {
		const response = current.response as FailedResponse | undefined;
		if (response && typeof response === 'object' && typeof response.status === 'number') {
			return { status: response.status, data: response.data, headers: response.headers };
		}
		current = current.cause as Record<string, unknown> | undefined;
	}
	const httpCode = Number((error as { httpCode?: unknown })?.httpCode);
	return { status: Number.isFinite(httpCode) && httpCode > 0 ? httpCode : undefined };
}

/**
 * A NodeApiError built only from the status and VideoSDK's answer, so that nothing of the request,
 * and so not its signed token, can travel with it, whatever the HTTP layer attaches to its errors.
 */
export function toVideoSdkApiError(
	context: RequestContext,
	error: unknown,
	itemIndex?: number,
): NodeApiError {
	const { status, data } = failedResponseOf(error);
	const apiMessage = apiErrorMessage(data);
	const fallback = (error as Error)?.message ?? 'Unknown error';
	const reason = apiMessage ?? (status ? `Request failed with status code ${status}` : fallback);
	const message = status ? `VideoSDK answered ${status}: ${reason}` : `Could not reach VideoSDK: ${reason}`;
	const errorBody: JsonObject = { message: reason };
	if (status) errorBody.httpCode = String(status);
	if (data && typeof data === 'object') errorBody.response = data as JsonObject;
	return new NodeApiError(context.getNode(), errorBody, {
		message,
		description: apiMessage ?? undefined,
		httpCode: status ? String(status) : undefined,
		itemIndex,
	});
}

/**
 * One authenticated call (the credential signs the token), retried as RetryPolicy allows:
 * rate limits always, other failures only where sending twice is harmless.
 */
export async function apiRequest<T = unknown>(
	this: RequestContext,
	request: ApiRequest,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
	const { baseUrl, decrypted } = await credentialsOf(this);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: `${baseUrl}${request.path}`,
		json: true,
		timeout: policy.timeoutMs,
	};
	if (request.qs && Object.keys(request.qs).length > 0) options.qs = request.qs;
	if (request.body) options.body = request.body;
	for (let retries = 0; ; retries++) {
		let failure: unknown;
		try {
			return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options, {
				credentialsDecrypted: decrypted,
			})) as T;
		} catch (error) {
			failure = error;
		}
		const delayMs = retryDelayMs(request.method, failedResponseOf(failure), retries, policy);
		if (delayMs === undefined) throw toVideoSdkApiError(this, failure, itemIndex);
		await sleep(delayMs);
	}
}
