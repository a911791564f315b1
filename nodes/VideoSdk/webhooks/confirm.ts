import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MergeJob, MergeWebhookType, Session, WebhookPayload } from '../api';
import { API_PATHS, idProblem, isMergeWebhookType } from '../api';
import { apiRequest } from '../transport';
import { getMergeJob } from '../transport/mergedFile';
import type { RetryPolicy } from '../transport/retry';

/**
 * Asking VideoSDK, with the trigger's own credential, whether an event is about something of this
 * account. VideoSDK signs every account's events with one key and signs only the body, so a valid
 * signature proves the event came from VideoSDK, not that it concerns this account.
 *
 * - Merge events: the merge job named by data.id must exist for this account and have ended as the
 *   event says. The run then carries the job as `recording`.
 * - Other events (participant-recording-*, recording-stopped, session-ended): their documented data
 *   names the session (data.sessionId), and the API looks sessions up by ID, so the session must
 *   exist for this account. The run carries it as `session`. The participant recording or room
 *   recording itself is not confirmed: VideoSDK documents no recording ID in those events.
 */

/** What the run carries beside the event once VideoSDK confirmed it. */
export type Confirmation =
	| { confirmed: true; reported: { recording: MergeJob } | { session: Session } }
	/** Nothing starts; the call is answered with `status` (2xx: do not send again; 503: try later). */
	| { confirmed: false; status: 200 | 503; reason: string };

/**
 * A webhook must answer soon (VideoSDK's patience is not documented), and a 503 lets VideoSDK
 * deliver it again: one retry, each within 10 s.
 */
export const CONFIRMATION_POLICY: RetryPolicy = { maxRetries: 1, timeoutMs: 10_000 };

/** The final status each merge event reports. */
const ENDED_AS: Record<MergeWebhookType, MergeJob['status']> = {
	'merge-recording-completed': 'completed',
	'merge-recording-failed': 'failed',
};

const ignored = (reason: string): Confirmation => ({ confirmed: false, status: 200, reason });

/**
 * VideoSDK's answer to a lookup, as a confirmation: a 404 means this account does not have it (2xx:
 * sending it again changes nothing); a rate limit, 5xx or no answer means VideoSDK could not say now
 * (503, so that a redelivery can succeed). Any other refusal (401, 403: the credential is wrong) is
 * thrown: n8n answers 500 and records the failed execution where its owner sees it.
 */
async function lookUp<T>(what: string, request: () => Promise<T>): Promise<{ found: T } | Confirmation> {
	const outcome = await request().then(
		(found) => ({ found }),
		(error: unknown) => ({ error }),
	);
	if ('found' in outcome) return outcome;
	const status = outcome.error instanceof NodeApiError ? Number(outcome.error.httpCode) : NaN;
	if (status === 404) return ignored(`VideoSDK does not know ${what} for this credential's account (404)`);
	if (outcome.error instanceof NodeApiError && (!status || status === 429 || status >= 500)) {
		return { confirmed: false, status: 503, reason: `VideoSDK could not confirm ${what} now: ${outcome.error.message}` };
	}
	// Already a NodeApiError with VideoSDK's message, or a NodeOperationError about the event's ID.
	throw outcome.error;
}

/** The merge job a merge event names (its data.id), as VideoSDK reports it; a bad ID is named as the event's. */
export async function fetchEventMergeJob(
	context: IWebhookFunctions,
	webhookType: MergeWebhookType,
	mergeId: unknown,
	policy?: RetryPolicy,
): Promise<MergeJob> {
	return await getMergeJob.call(context, mergeId, undefined, policy, {
		idName: `The ${webhookType} event's data.id (the merge job ID)`,
	});
}

async function confirmMergeEvent(
	context: IWebhookFunctions,
	webhookType: MergeWebhookType,
	data: Record<string, unknown>,
): Promise<Confirmation> {
	const mergeId = data.id;
	const what = `merge job ${String(mergeId)}`;
	const looked = await lookUp(what, async () => await fetchEventMergeJob(context, webhookType, mergeId, CONFIRMATION_POLICY));
	if (!('found' in looked)) return looked;
	const job = looked.found;
	if (String(job.id) !== String(mergeId).trim()) return ignored(`VideoSDK answered for ${what} with job ${String(job.id)}`);
	const expected = ENDED_AS[webhookType];
	if (job.status === expected) return { confirmed: true, reported: { recording: job } };
	// VideoSDK may report the end before its API shows it: a redelivery can confirm it then.
	if (job.status === 'running') return { confirmed: false, status: 503, reason: `VideoSDK still reports ${what} as running` };
	// Ended otherwise than the event says: the job's own status is the truth, and it is not this event's.
	return ignored(`VideoSDK reports ${what} as "${String(job.status)}", not "${expected}"`);
}

async function confirmSessionEvent(context: IWebhookFunctions, data: Record<string, unknown>): Promise<Confirmation> {
	const { sessionId } = data;
	const problem = idProblem(sessionId);
	if (problem) return ignored(`its data.sessionId ${problem}, so VideoSDK cannot confirm it`);
	const what = `session ${String(sessionId)}`;
	const looked = await lookUp(what, async () =>
		(await apiRequest.call(
			context,
			{ method: 'GET', path: API_PATHS.session(String(sessionId)) },
			undefined,
			CONFIRMATION_POLICY,
		)) as Session,
	);
	if (!('found' in looked)) return looked;
	return { confirmed: true, reported: { session: looked.found } };
}

/**
 * Whether VideoSDK confirms the event to this trigger's credential, and what it reports. Called
 * right before a run would start; nothing of the event is trusted beyond the IDs it is looked up by.
 */
export async function confirmEvent(context: IWebhookFunctions, payload: WebhookPayload): Promise<Confirmation> {
	const data: IDataObject =
		payload.data && typeof payload.data === 'object' && !Array.isArray(payload.data) ? (payload.data as IDataObject) : {};
	if (isMergeWebhookType(payload.webhookType)) return await confirmMergeEvent(context, payload.webhookType, data);
	return await confirmSessionEvent(context, data);
}
