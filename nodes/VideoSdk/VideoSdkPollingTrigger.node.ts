import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { MergeJob } from './api';
import type { EndedJobsCursor } from './actions/mergeRecording/endedJobs';
import {
	ENDED_STATUS_EVENTS,
	advancedCursor,
	cursorOf,
	endedJobsOf,
	firstCursor,
	listMergeJobs,
	unreported,
} from './actions/mergeRecording/endedJobs';
import { mergedFileOptionFields, optionsOf, optionsOnly } from './descriptions/fields';
import { testVideoSdkCredential } from './methods/credentialTest';
import { startRunPerItem } from './n8n/pollRuns';
import type { MergedFileOptions } from './transport/mergedFile';
import { mergedFileBinary } from './transport/mergedFile';
import type { FieldError } from './validation';
import { checkedNumber } from './validation/numbers';

interface PollingOptions extends MergedFileOptions {
	lookbackHours?: unknown;
}

const lookbackOption: INodeProperties = {
	displayName: 'Include Jobs Ended in the Last (Hours)',
	name: 'lookbackHours',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 168 },
	default: 0,
	description:
		'On the first poll after the workflow is first published, also start a run for each job that ended this many hours before. 0 starts from the moment of publishing.',
};

/**
 * Starts a run for each VideoSDK merge job that ended since the last poll, by asking VideoSDK's
 * list of merge jobs: for an n8n that VideoSDK cannot call. A node of its own, not a mode of
 * VideoSDK Trigger: n8n tells a polling trigger (`polling: true`, Poll Times) from a webhook
 * trigger by its description, which a parameter cannot switch.
 */
export class VideoSdkPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VideoSDK Polling Trigger',
		name: 'videoSdkPollingTrigger',
		icon: { light: 'file:videoSdk.svg', dark: 'file:videoSdk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when a VideoSDK merge job ends, by asking VideoSDK (no public URL needed)',
		defaults: { name: 'VideoSDK Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }],
		properties: [
			{
				displayName:
					'Each poll reads the whole list of merge jobs (100 per request) and starts one run per job that ended since the last poll. Use VideoSDK Trigger instead when VideoSDK can reach this n8n.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Merge Recording Completed',
						value: ENDED_STATUS_EVENTS.completed,
						description: 'A merge job ended with its stereo file',
					},
					{
						name: 'Merge Recording Failed',
						value: ENDED_STATUS_EVENTS.failed,
						description: 'A merge job ended without a file',
					},
				],
				default: [ENDED_STATUS_EVENTS.completed, ENDED_STATUS_EVENTS.failed],
				description: 'The endings that start a run, one run per merge job',
			},
			optionsOnly([...mergedFileOptionFields(), lookbackOption]),
		],
	};

	methods = { credentialTest: { videoSdkApiTest: testVideoSdkCredential } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as string[];
		const statuses = Object.entries(ENDED_STATUS_EVENTS)
			.filter(([, event]) => events.includes(event))
			.map(([status]) => status);
		if (statuses.length === 0) {
			throw new NodeOperationError(this.getNode(), 'Choose at least one of the Events');
		}
		const options = optionsOf<PollingOptions>(this.getNodeParameter('options', {}));
		let lookbackHours: number | undefined;
		try {
			lookbackHours = checkedNumber(options.lookbackHours, 'lookbackHours');
			if (options.downloadFile === true) checkedNumber(options.maxFileSize, 'maxFileSize');
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as FieldError);
		}

		const polledAt = Date.now();
		const ended = endedJobsOf(await listMergeJobs(this, statuses), statuses);

		// The editor's test event: the newest ended job, whatever was reported before; no state kept.
		if (this.getMode() === 'manual') {
			const newest = ended.at(-1);
			return newest ? [[await itemOf.call(this, newest.job, options)]] : null;
		}

		const staticData = this.getWorkflowStaticData('node');
		const cursor = cursorOf(staticData) ?? firstCursor(polledAt, lookbackHours);
		const fresh = unreported(ended, cursor);
		const items: INodeExecutionData[] = [];
		let failure: unknown;
		for (const { job } of fresh) {
			try {
				items.push(await itemOf.call(this, job, options));
			} catch (error) {
				// This job and those after it stay new: the next poll tries them again.
				failure = error;
				break;
			}
		}
		const next = advancedCursor(cursor, fresh.slice(0, items.length), polledAt, fresh[items.length]?.end);
		Object.assign(staticData, next satisfies EndedJobsCursor);
		startRunPerItem(this, items);
		if (failure) throw failure;
		return null;
	}
}

/** A job's run item: shaped as VideoSDK Trigger's (webhookType, data), with the job as `recording`. */
async function itemOf(this: IPollFunctions, job: MergeJob, options: PollingOptions): Promise<INodeExecutionData> {
	const webhookType = ENDED_STATUS_EVENTS[job.status as keyof typeof ENDED_STATUS_EVENTS];
	const item: INodeExecutionData = {
		json: {
			webhookType,
			data: { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId },
			recording: job as unknown as IDataObject,
		},
	};
	if (options.downloadFile === true && job.status === 'completed') {
		item.binary = await mergedFileBinary.call(this, job, options);
	}
	return item;
}
