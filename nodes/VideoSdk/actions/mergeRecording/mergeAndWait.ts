import type {
	ExecutionError,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MergeJob, MergeWebhookData, MergeWebhookPayload, MergeWebhookType } from '../../api';
import { API_PATHS, isMergeWebhookType } from '../../api';
import type { ApiRequest, NodeContext } from '../../transport';
import type { RetryPolicy } from '../../transport/retry';
import type { MergedFileOptions } from '../../transport/mergedFile';
import { getMergeJob, mergedFileBinary } from '../../transport/mergedFile';
import { optionsOf } from '../../descriptions/fields';
import { checkedNumber } from '../../validation/numbers';
import { answer, receiveWebhook } from '../../webhooks/receive';
import { asItemError } from '../itemErrors';
import { walkPages } from '../pages';
import type { Asking, AskingSetup, Pause } from '../pause';
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

function failureOf(context: NodeContext, job: EndedJob): NodeApiError {
	// Only the callback says why; a job found failed by asking VideoSDK carries no reason.
	const reason = job.data.message?.trim() || 'VideoSDK gave no reason';
	return new NodeApiError(context.getNode(), { message: reason } as JsonObject, {
		message: `VideoSDK could not merge the recordings: ${reason} [item ${job.item}]`,
		description: `Merge job ${job.data.id} of session ${job.data.sessionId}`,
		itemIndex: job.item,
	});
}

/** How a job VideoSDK lists as no longer running ended; undefined while it runs. */
function endedJobOf(item: number, recording: MergeJob): EndedJob | undefined {
	if (recording.status === 'running') return undefined;
	const webhookType = recording.status === 'failed' ? FAILED : COMPLETED;
	return { item, webhookType, data: webhookDataOf(recording), recording };
}

function outputOf(context: NodeContext, paused: PausedItem, ended: EndedJob | undefined): INodeExecutionData {
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
	context: NodeContext,
	items: PausedItem[],
	endedJobs: Map<string, EndedJob>,
): INodeExecutionData[] {
	return items.map((paused) => {
		const ended = paused.id === undefined ? undefined : endedJobs.get(paused.id);
		if (paused.id === undefined || ended) return outputOf(context, paused, ended);
		return { json: { data: { id: paused.id } }, pairedItem: { item: paused.item } };
	});
}

/** How the wait ends once every job has ended: the outputs, or the error that fails the node. */
type Outcome = { items: INodeExecutionData[] } | { error: ExecutionError };

/** The jobs of one wait, how they ended so far, and how the node reports them (shared by both modes). */
class MergeWait {
	readonly endedJobs = new Map<string, EndedJob>();
	readonly options: MergedFileOptions;
	readonly policy: RetryPolicy;
	readonly stopOnFailure: boolean;

	constructor(
		readonly context: NodeContext,
		readonly items: PausedItem[],
		options: unknown,
	) {
		this.options = optionsOf<MergedFileOptions>(options);
		this.policy = retryPolicyOf({ options: this.options });
		this.stopOnFailure = !continuesOnFail(context.getNode());
	}

	async fetchJob(id: string, item: number): Promise<MergeJob> {
		return await getMergeJob.call(this.context, id, item, this.policy);
	}

	/** Keeps how a job ended; the error that fails the node if it failed and nothing continues on fail. */
	ended(job: EndedJob): ExecutionError | undefined {
		this.endedJobs.set(job.data.id, job);
		return job.webhookType === FAILED && this.stopOnFailure ? failureOf(this.context, job) : undefined;
	}

	knownItems(): INodeExecutionData[] {
		return knownItemsOf(this.context, this.items, this.endedJobs);
	}

	/** The node's output once every job has ended, with each finished file if asked for. */
	async outcome(): Promise<Outcome> {
		const { context, options, policy } = this;
		const items: INodeExecutionData[] = [];
		for (const paused of this.items) {
			const ended = paused.id === undefined ? undefined : this.endedJobs.get(paused.id);
			const item = outputOf(context, paused, ended);
			if (ended?.webhookType === COMPLETED && options.downloadFile === true) {
				try {
					// A listed job may lack its file's details: VideoSDK's record of the job has them.
					const recording = ended.recording.file?.fileUrl ? ended.recording : await this.fetchJob(ended.data.id, ended.item);
					item.binary = await mergedFileBinary.call(context, recording, options, ended.item, policy);
				} catch (error) {
					if (this.stopOnFailure) return { error: asItemError(context.getNode(), error, ended.item) };
					item.json.error = (error as Error).message;
				}
			}
			items.push(item);
		}
		return { items };
	}
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
	const wait = new MergeWait(context, state.items, context.getNodeParameter('options', {}));
	const fail = (error: ExecutionError) => resumeFailing(context, state, error, wait.knownItems());

	const { payload } = reported;
	const thisJob: EndedJob = {
		item: reported.item,
		webhookType: payload.webhookType,
		data: payload.data,
		recording: await wait.fetchJob(payload.data.id, reported.item),
	};
	const thisFailure = wait.ended(thisJob);
	if (thisFailure) return fail(thisFailure);

	// Newest first: jobs mostly end in the order they started, so a callback that is not the last
	// finds a running job at its first lookup (oldest first, the n-th callback would ask about n jobs).
	for (const { id, item } of [...state.items].reverse()) {
		if (id === undefined || wait.endedJobs.has(id)) continue;
		const ended = endedJobOf(item, await wait.fetchJob(id, item));
		// One job still running is enough to know this callback is not the last: stop asking.
		if (!ended) return answer(context, 200, `Merge job ${thisJob.data.id} reported; waiting for the others`);
		const failure = wait.ended(ended);
		if (failure) return fail(failure);
	}

	const outcome = await wait.outcome();
	return 'error' in outcome ? fail(outcome.error) : resumeWith(context, state, outcome.items);
}

/** An item of an asking wait: its job's session lets one list request cover the session's jobs. */
interface AskedItem extends PausedItem {
	sessionId?: string;
}

/**
 * Asks VideoSDK about the jobs still running. Jobs of one session are listed together (GET …/merge
 * filtered by sessionId, paged), so a round costs one request per session with running jobs, and
 * one GET for a session's last running job; VideoSDK's list filters by one session or one ID only.
 */
class MergeAsking extends MergeWait implements Asking {
	private readonly checkStopped: () => void;

	constructor(
		context: IExecuteFunctions,
		readonly asked: AskedItem[],
		{ options, checkStopped }: AskingSetup,
	) {
		super(context, asked, options);
		this.checkStopped = checkStopped;
	}

	private running(): AskedItem[] {
		return this.asked.filter((item) => item.id !== undefined && !this.endedJobs.has(item.id));
	}

	waitingFor(): number {
		return this.running().length;
	}

	private async listed(sessionId: string, jobs: AskedItem[]): Promise<Map<string, MergeJob>> {
		const request: ApiRequest = { method: 'GET', path: API_PATHS.merge, qs: { sessionId } };
		const listed = (await walkPages(this.context, request, 'recordings', { itemIndex: jobs[0].item, policy: this.policy })) as unknown as MergeJob[];
		return new Map(listed.map((job) => [job.id, job]));
	}

	/** VideoSDK's record of each job of one session, by ID; a job the list lacks is asked for alone. */
	private async recordsOf(sessionId: string | undefined, jobs: AskedItem[]): Promise<Array<[AskedItem, MergeJob]>> {
		this.checkStopped();
		const listed = sessionId !== undefined && jobs.length > 1 ? await this.listed(sessionId, jobs) : new Map<string, MergeJob>();
		const records: Array<[AskedItem, MergeJob]> = [];
		for (const job of jobs) {
			let record = listed.get(job.id as string);
			if (!record) {
				this.checkStopped();
				record = await this.fetchJob(job.id as string, job.item);
			}
			records.push([job, record]);
		}
		return records;
	}

	private lastProblem?: string;

	problem(): string | undefined {
		return this.lastProblem;
	}

	/** VideoSDK's records of a session's jobs; undefined (remembered) when its API kept failing. */
	private async triedRecordsOf(sessionId: string | undefined, jobs: AskedItem[]) {
		try {
			return await this.recordsOf(sessionId, jobs);
		} catch (error) {
			this.checkStopped();
			// As a callback answered 503: the jobs are asked about again next round, until Max Wait.
			this.lastProblem = (error as Error).message;
			return undefined;
		}
	}

	async round(): Promise<INodeExecutionData[] | undefined> {
		const bySession = new Map<string | undefined, AskedItem[]>();
		for (const job of this.running()) bySession.set(job.sessionId, [...(bySession.get(job.sessionId) ?? []), job]);
		for (const [sessionId, jobs] of bySession) {
			for (const [job, record] of (await this.triedRecordsOf(sessionId, jobs)) ?? []) {
				const ended = endedJobOf(job.item, record);
				const failure = ended && this.ended(ended);
				if (failure) throw failure;
			}
		}
		if (this.running().length > 0) return undefined;
		const outcome = await this.outcome();
		if ('error' in outcome) throw outcome.error;
		return outcome.items;
	}
}

function startAsking(context: IExecuteFunctions, outputs: INodeExecutionData[], setup: AskingSetup): Asking | undefined {
	const items: AskedItem[] = outputs.map(({ json, pairedItem }) => {
		const item = (pairedItem as { item: number }).item;
		if (typeof json.error === 'string') return { item, error: json.error };
		return { item, id: String(json.id), sessionId: typeof json.sessionId === 'string' ? json.sessionId : undefined };
	});
	return items.some((item) => item.id !== undefined) ? new MergeAsking(context, items, setup) : undefined;
}

/** Max Wait, in the merge's Options. */
interface WaitOptions {
	maxWait?: unknown;
}

const MINUTE_MS = 60_000;
const DEFAULT_MAX_WAIT_MINUTES = 60;
const minutes = (count: number) => (count === 1 ? '1 minute' : `${count} minutes`);

/** Poll Interval: how often asking VideoSDK looks at the jobs still running. */
const DEFAULT_POLL_INTERVAL_SECONDS = 30;
/** Wait Mode's value for asking VideoSDK (the other, `callback`, is the default). */
const ASK = 'ask';

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
	asks: (field) => field('waitMode') === ASK,
	pollIntervalMs: (parameters) =>
		(checkedNumber(parameters.pollInterval, 'pollInterval') ?? DEFAULT_POLL_INTERVAL_SECONDS) * 1_000,
	startAsking,
};
