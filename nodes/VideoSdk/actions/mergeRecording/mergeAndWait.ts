import type {
	ExecutionError,
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MergeJob, MergeWebhookData, MergeWebhookPayload, MergeWebhookType } from '../../api';
import { isMergeWebhookType } from '../../api';
import type { MergedFileOptions } from '../../transport/mergedFile';
import { getMergeJob, mergedFileBinary } from '../../transport/mergedFile';
import { optionsOf } from '../../descriptions/fields';
import { checkedNumber } from '../../validation/numbers';
import { answer, receiveWebhook } from '../../webhooks/receive';
import { asItemError } from '../itemErrors';
import type { Pause } from '../pause';
import { retryPolicyOf } from '../requestOptions';
import type { PausedItem, PausedState } from '../../n8n/waitAndResume';
import { continuesOnFail, oneCallbackAtATime, pausedState, resumeFailing, resumeWith } from '../../n8n/waitAndResume';

/**
 * "Merge and wait": the node pauses until VideoSDK has reported every job it started. Every job
 * reports to the same resume URL; a callback resumes the execution once every job has ended, which
 * VideoSDK itself tells (a callback may arrive while the execution is still being saved, and be
 * refused by n8n).
 */

const isMergeEvent = (payload: { webhookType: string; data?: unknown }): payload is MergeWebhookPayload =>
	isMergeWebhookType(payload.webhookType) && typeof (payload.data as MergeWebhookData | undefined)?.id === 'string';

const FAILED: MergeWebhookType = 'merge-recording-failed';
const COMPLETED: MergeWebhookType = 'merge-recording-completed';

/** How a job ended: from its callback if this is the one, else from VideoSDK's record of it. */
interface EndedJob {
	item: number;
	webhookType: MergeWebhookType;
	data: MergeWebhookData;
	recording: MergeJob;
}

const webhookDataOf = (job: MergeJob): MergeWebhookData => ({
	id: job.id,
	meetingId: job.meetingId,
	sessionId: job.sessionId,
});

function failureOf(context: IWebhookFunctions, job: EndedJob): NodeApiError {
	// Only the callback says why; a job found failed by asking VideoSDK carries no reason.
	const reason = job.data.message?.trim() || 'VideoSDK gave no reason';
	return new NodeApiError(context.getNode(), { message: reason } as JsonObject, {
		message: `VideoSDK could not merge the recordings: ${reason} [item ${job.item}]`,
		description: `Merge job ${job.data.id} of session ${job.data.sessionId}`,
		itemIndex: job.item,
	});
}

function outputOf(context: IWebhookFunctions, paused: PausedItem, ended: EndedJob | undefined): INodeExecutionData {
	const pairedItem = { item: paused.item };
	if (!ended) return { json: { error: paused.error ?? 'The merge did not start' }, pairedItem };
	const json: IDataObject = {
		webhookType: ended.webhookType,
		data: ended.data as unknown as IDataObject,
		recording: ended.recording as unknown as IDataObject,
	};
	if (ended.webhookType === FAILED) json.error = failureOf(context, ended).message;
	return { json, pairedItem };
}

/** What is known of each item's job when the node fails early: how it ended, else its ID. */
function knownItemsOf(
	context: IWebhookFunctions,
	state: PausedState,
	endedJobs: Map<string, EndedJob>,
): INodeExecutionData[] {
	return state.items.map((paused) => {
		const ended = paused.id === undefined ? undefined : endedJobs.get(paused.id);
		if (paused.id === undefined || ended) return outputOf(context, paused, ended);
		return { json: { data: { id: paused.id } }, pairedItem: { item: paused.item } };
	});
}

/** Handles one callback on the node's restart webhook. */
async function onMergeCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const received = await receiveWebhook(this, { verifySignature: true });
	if (received.refusal) return answer(this, received.refusal.status, received.refusal.message);
	const { payload } = received;
	if (!isMergeEvent(payload)) return answer(this, 200, `Ignored: ${payload.webhookType} is not a merge event`);

	const state = pausedState(this);
	if (!state) return answer(this, 404, 'No merge of this execution is waiting');
	const reported = state.items.find((item) => item.id === payload.data.id);
	if (!reported) return answer(this, 200, `Ignored: merge job ${payload.data.id} is not one this execution waits for`);

	try {
		return await oneCallbackAtATime(this, state, async () => await settle(this, state, { ...reported, payload }));
	} catch (error) {
		// VideoSDK's API kept failing after the retries. Answering 5xx leaves the execution paused, so
		// VideoSDK's next delivery, or the next job's callback, settles it; Max Wait bounds the wait.
		// (A webhook that threw would make n8n restart the paused execution without its data.)
		const reason = error instanceof Error ? error.message : 'VideoSDK could not be asked about the merge';
		return answer(this, 503, `Merge job ${payload.data.id} reported, but ${reason}; still waiting`);
	}
}

/** Resumes once every job has ended; otherwise answers VideoSDK and keeps waiting. */
async function settle(
	context: IWebhookFunctions,
	state: PausedState,
	reported: PausedItem & { payload: MergeWebhookPayload },
): Promise<IWebhookResponseData> {
	const options = optionsOf<MergedFileOptions>(context.getNodeParameter('options', {}));
	const policy = retryPolicyOf({ options });
	const fetchJob = async (id: string, item: number) => await getMergeJob.call(context, id, item, policy);
	const stopOnFailure = !continuesOnFail(context.getNode());

	const endedJobs = new Map<string, EndedJob>();
	const fail = (error: ExecutionError) => resumeFailing(context, state, error, knownItemsOf(context, state, endedJobs));

	const { payload } = reported;
	const thisJob: EndedJob = {
		item: reported.item,
		webhookType: payload.webhookType,
		data: payload.data,
		recording: await fetchJob(payload.data.id, reported.item),
	};
	endedJobs.set(thisJob.data.id, thisJob);
	if (thisJob.webhookType === FAILED && stopOnFailure) return fail(failureOf(context, thisJob));

	// Newest first: jobs mostly end in the order they started, so a callback that is not the last
	// finds a running job at its first lookup (oldest first, the n-th callback would ask about n jobs).
	for (const { id, item } of [...state.items].reverse()) {
		if (id === undefined || endedJobs.has(id)) continue;
		const recording = await fetchJob(id, item);
		// One job still running is enough to know this callback is not the last: stop asking.
		if (recording.status === 'running') {
			return answer(context, 200, `Merge job ${thisJob.data.id} reported; waiting for the others`);
		}
		const webhookType = recording.status === 'failed' ? FAILED : COMPLETED;
		const ended: EndedJob = { item, webhookType, data: webhookDataOf(recording), recording };
		endedJobs.set(id, ended);
		if (webhookType === FAILED && stopOnFailure) return fail(failureOf(context, ended));
	}

	const items: INodeExecutionData[] = [];
	for (const paused of state.items) {
		const ended = paused.id === undefined ? undefined : endedJobs.get(paused.id);
		const item = outputOf(context, paused, ended);
		if (ended?.webhookType === COMPLETED && options.downloadFile === true) {
			try {
				item.binary = await mergedFileBinary.call(context, ended.recording, options, ended.item, policy);
			} catch (error) {
				if (stopOnFailure) return fail(asItemError(context.getNode(), error, ended.item));
				item.json.error = (error as Error).message;
			}
		}
		items.push(item);
	}
	return resumeWith(context, state, items);
}

/** Max Wait, in the merge's Options. */
interface WaitOptions {
	maxWait?: unknown;
}

const MINUTE_MS = 60_000;
const DEFAULT_MAX_WAIT_MINUTES = 60;
const minutes = (count: number) => (count === 1 ? '1 minute' : `${count} minutes`);

/** The merge operation's pause, asked for by Wait for Completion. */
export const mergeAndWait: Pause = {
	wanted: (field) => field('waitForCompletion') === true,
	maxWaitMs: (parameters) =>
		(checkedNumber(optionsOf<WaitOptions>(parameters.options).maxWait, 'maxWait') ?? DEFAULT_MAX_WAIT_MINUTES) *
		MINUTE_MS,
	timeoutMessage: (waitingFor, maxWaitMs) =>
		`VideoSDK did not report the end of ${waitingFor === 1 ? 'the merge' : `all ${waitingFor} merges`} within ${minutes(maxWaitMs / MINUTE_MS)} (Max Wait)`,
	timedOutItem: (started) => {
		const job = started as unknown as MergeJob;
		return { data: webhookDataOf(job) as unknown as IDataObject, recording: started };
	},
	onCallback: onMergeCallback,
};
