import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ApiErrorBody } from '../api';
import { DeadlineError, TooLargeError } from './bounded';
import type { FailedResponse } from './retry';

/**
 * How a failed call to VideoSDK becomes the node's error: VideoSDK's own words and status, nothing
 * of the request. What the API sends back is redacted first (transport does it as it reads any
 * answer): an API or a proxy may echo the request, and with it the signed token, into its body.
 */

const REDACTED = '[redacted]';
// A JWT: base64url header starting with {" , payload, signature.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
// `authorization: <value>` or `"authorization":"<value>"` in free text.
const AUTHORIZATION_IN_TEXT = /(authorization["']?\s*[:=]\s*["']?)(?:bearer\s+|basic\s+)?[^"',;\s}]+/gi;
const SENSITIVE_KEY = /^(authorization|proxy-authorization|token|access[_-]?token|secret|secret[_-]?key|x-api-key)$/i;
/** Far deeper than any VideoSDK answer; only stops a hostile answer from exhausting the stack. */
const MAX_REDACT_DEPTH = 64;
/** An error keeps this much of an API's answer: enough to read, not a whole echoed page. */
const MAX_TEXT = 2_000;
const MAX_ERROR_DEPTH = 6;

function redactText(text: string, secrets: readonly string[]): string {
	let redacted = text.replace(JWT, REDACTED).replace(AUTHORIZATION_IN_TEXT, `$1${REDACTED}`);
	for (const secret of secrets) if (secret.length >= 4) redacted = redacted.split(secret).join(REDACTED);
	return redacted;
}

/**
 * `value` with every token, authorization value and given secret replaced, in values and in object
 * keys, as deep as it goes. Every answer transport reads goes through it, successful or not; an
 * answer without any of these comes back equal.
 */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
	if (typeof value === 'string') return redactText(value, secrets);
	if (!value || typeof value !== 'object') return value;
	if (depth >= MAX_REDACT_DEPTH) return REDACTED;
	if (Array.isArray(value)) return value.map((entry) => redact(entry, secrets, depth + 1));
	const copy: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) {
		copy[redactText(key, secrets)] = SENSITIVE_KEY.test(key) ? REDACTED : redact(entry, secrets, depth + 1);
	}
	return copy;
}

/** An (already redacted) answer cut down to what an error should carry. */
export function trimmed(value: unknown, depth = 0): unknown {
	if (typeof value === 'string') return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
	if (!value || typeof value !== 'object') return value;
	if (depth >= MAX_ERROR_DEPTH) return '…';
	if (Array.isArray(value)) return value.slice(0, 50).map((entry) => trimmed(entry, depth + 1));
	return Object.fromEntries(Object.entries(value).slice(0, 100).map(([key, entry]) => [key, trimmed(entry, depth + 1)]));
}

/** VideoSDK's own words for an error: the official SDK reads `message`, else `error`, else `msg`. */
export function apiErrorMessage(body: unknown): string | undefined {
	if (typeof body === 'string') return body.trim() || undefined;
	if (!body || typeof body !== 'object') return undefined;
	const { message, error, msg } = body as ApiErrorBody;
	return [message, error, msg].find((text) => typeof text === 'string' && text.trim() !== '');
}

const NETWORK_FAILURES: Record<string, string> = {
	ECONNREFUSED: 'the server refused the connection',
	ECONNRESET: 'the connection was reset',
	ENOTFOUND: 'the host name does not resolve',
	EAI_AGAIN: 'the host name does not resolve right now',
	ECONNABORTED: 'no answer in time',
	ETIMEDOUT: 'no answer in time',
};

/** The first network error code in an error or its causes (n8n wraps the HTTP layer's error). */
function networkCodeOf(error: unknown): string | undefined {
	for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^E[A-Z_]+$/.test(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

/** Why a call got no answer, in words that carry nothing of the request. */
export function unansweredReason(error: unknown): string {
	if (error instanceof DeadlineError || error instanceof TooLargeError) return error.message;
	const code = networkCodeOf(error);
	if (!code) return 'no answer';
	return NETWORK_FAILURES[code] ?? `no answer (${code})`;
}

/** A redirect is refused, not followed: the token would go with it. Its target host is named. */
export function redirectMessage(headers: FailedResponse['headers']): string {
	const location = String(headers?.location ?? headers?.Location ?? '');
	const host = URL.canParse(location) ? new URL(location).host : location ? 'a relative location' : 'nowhere';
	return `a redirect to ${host}, which requests carrying the token do not follow (check the credential's Base URL)`;
}

/**
 * A NodeApiError built only from the status and VideoSDK's answer, already redacted as transport
 * read it, so that nothing of the request, and so not its signed token, travels with it.
 */
export function toVideoSdkApiError(
	node: INode,
	failure: FailedResponse & { reason?: string },
	itemIndex?: number,
): NodeApiError {
	const { status } = failure;
	const data = trimmed(failure.data);
	const apiMessage = apiErrorMessage(data);
	const reason = failure.reason ?? apiMessage ?? (status ? `Request failed with status code ${status}` : 'no answer');
	const message = status ? `VideoSDK answered ${status}: ${reason}` : `Could not reach VideoSDK: ${reason}`;
	const errorBody: JsonObject = { message: reason };
	if (status) errorBody.httpCode = String(status);
	if (data && typeof data === 'object') errorBody.response = data as JsonObject;
	return new NodeApiError(node, errorBody, {
		message,
		description: apiMessage,
		httpCode: status ? String(status) : undefined,
		itemIndex,
	});
}
