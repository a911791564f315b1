import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { API_PATHS, getVideoSdkToken } from '../api';
import { apiErrorMessage, redact, redirectMessage, trimmed, unansweredReason } from '../transport/errors';
import type { ReadResponse } from '../transport';
import { readResponse, trimBaseUrl } from '../transport';

/** The credential dialog waits for this long at most. */
export const CREDENTIAL_TEST_DEADLINE_MS = 10_000;

/**
 * The credential dialog's Test: lists one merge job with a freshly signed token, as every call does,
 * and says what VideoSDK said when it refuses (for example "Token is invalid"). The token follows
 * no redirect; the answer is read within a deadline and a size limit.
 */
export async function testVideoSdkCredential(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const data = credential.data ?? {};
	const baseUrl = trimBaseUrl(data.baseUrl);
	const secrets = [String(data.secretKey ?? '')];
	let response: ReadResponse;
	try {
		const token = getVideoSdkToken(String(data.apiKey ?? ''), String(data.secretKey ?? ''));
		// The dialog's helpers offer only n8n's deprecated `request`; fetch does what is needed here.
		response = await readResponse(CREDENTIAL_TEST_DEADLINE_MS, async (signal) => {
			const url = new URL(`${baseUrl}${API_PATHS.merge}`);
			url.search = new URLSearchParams({ page: '1', perPage: '1' }).toString();
			const answer = await fetch(url, {
				headers: { Authorization: token, Accept: 'application/json' },
				redirect: 'manual',
				signal,
			});
			return { statusCode: answer.status, headers: Object.fromEntries(answer.headers), body: answer.body };
		});
	} catch (error) {
		return { status: 'Error', message: `Could not reach VideoSDK at ${baseUrl}: ${unansweredReason(error)}` };
	}
	const { status, headers } = response;
	if (status >= 200 && status < 300) return { status: 'OK', message: 'Connection successful' };
	if (status >= 300 && status < 400) return { status: 'Error', message: `VideoSDK answered ${status}: ${redirectMessage(headers)}` };
	const reason = apiErrorMessage(trimmed(redact(response.data, secrets))) ?? `Request failed with status code ${status}`;
	return { status: 'Error', message: `VideoSDK answered ${status}: ${reason}` };
}
