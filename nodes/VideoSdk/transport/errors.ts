import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ApiErrorBody } from '../api';
import type { RequestContext } from './index';
import type { FailedResponse } from './retry';

/** How a failed call to VideoSDK becomes the node's error: VideoSDK's own words and status, nothing of the request. */

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
