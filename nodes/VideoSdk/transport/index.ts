import type {
	ICredentialsDecrypted,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { CREDENTIAL_TYPE, DEFAULT_BASE_URL } from '../api';
import { failedResponseOf, toVideoSdkApiError } from './errors';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY, retryDelayMs } from './retry';

/** What an operation asks of the API: everything but authentication and the base URL. */
export interface ApiRequest {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

// ILoadOptionsFunctions: the editor's lists (methods/) call VideoSDK as the node does.
export type RequestContext = IExecuteFunctions | IWebhookFunctions | ILoadOptionsFunctions;

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
