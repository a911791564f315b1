import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { getVideoSdkToken } from '../../../credentials/videoSdkToken';
import { API_PATHS } from '../api';
import { trimBaseUrl } from '../transport';
import { apiErrorMessage, failedResponseOf } from '../transport/errors';

/** The name the nodes' credential entries give this test (testedBy). */
export const CREDENTIAL_TEST = 'videoSdkApiTest';

const TEST_TIMEOUT_MS = 30_000;

/**
 * The credential dialog's test: lists one merge job with a token signed by the key and secret.
 * A declarative `test` on the credential would show only n8n's "Unauthorized"; this one shows
 * VideoSDK's own words, e.g. "VideoSDK answered 401: Token is invalid". n8n masks the secret in
 * whatever message comes back.
 */
async function videoSdkApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	const { apiKey, secretKey, baseUrl } = credential.data ?? {};
	try {
		// The only request helper n8n gives a credential test (CredentialTestContext has no httpRequest).
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions
		await this.helpers.request({
			method: 'GET',
			uri: `${trimBaseUrl(baseUrl)}${API_PATHS.merge}`,
			qs: { page: 1, perPage: 1 },
			headers: { Authorization: getVideoSdkToken(String(apiKey ?? ''), String(secretKey ?? '')) },
			json: true,
			timeout: TEST_TIMEOUT_MS,
		});
		return { status: 'OK', message: 'Connection successful!' };
	} catch (error) {
		// n8n's legacy request errors carry the status and body as statusCode/error, or as a response.
		const failed = failedResponseOf(error);
		const status = Number((error as { statusCode?: unknown }).statusCode) || failed.status;
		const body = (error as { error?: unknown }).error ?? failed.data;
		const reason = apiErrorMessage(body) ?? (error as Error).message ?? 'no answer';
		return {
			status: 'Error',
			message: status ? `VideoSDK answered ${status}: ${reason}` : `Could not reach VideoSDK: ${reason}`,
		};
	}
}

/** The nodes' credentialTest methods. */
export const credentialTestMethods = { [CREDENTIAL_TEST]: videoSdkApiTest };
