import type {
	IDataObject,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { MergeJob, MergeWebhookData, WebhookPayload } from './api';
import { isMergeWebhookType } from './api';

import { mergedFileOptionFields, optionsOf, optionsOnly } from './descriptions/fields';
import type { MergedFileOptions } from './transport/mergedFile';
import { mergedFileBinary } from './transport/mergedFile';
import { confirmEvent, fetchEventMergeJob } from './webhooks/confirm';
import { claimJobEnd, jobEndKey, markClaimsChanged, releaseJobEnd } from './webhooks/jobEnds';
import { answer, receiveWebhook } from './webhooks/receive';
import type { FieldError } from './validation';
import { checkedNumber } from './validation/numbers';
import { testVideoSdkCredential } from './methods/credentialTest';
import { keepMarkedUntilAnswered } from './n8n/staticData';

/** The events this trigger can start on; VideoSDK may send others to the same URL. */
const EVENTS = [
	{
		name: 'Merge Recording Completed',
		value: 'merge-recording-completed',
		description: 'The stereo file is ready; data holds the merge job ID',
	},
	{
		name: 'Merge Recording Failed',
		value: 'merge-recording-failed',
		description: 'The merge job ended without a file; data.message says why',
	},
	{
		name: 'Participant Recording Failed',
		value: 'participant-recording-failed',
		description: "A participant's recording could not be made",
	},
	{
		name: 'Participant Recording Started',
		value: 'participant-recording-started',
		description: "A participant's recording began",
	},
	{
		name: 'Participant Recording Stopped',
		value: 'participant-recording-stopped',
		description: "A participant's recording ended: a good moment to start a merge",
	},
	{
		name: 'Recording Stopped',
		value: 'recording-stopped',
		description: 'A room recording ended',
	},
	{
		name: 'Session Ended',
		value: 'session-ended',
		description: "A session (one run of a room) ended; data.sessionId names it: list its recordings and merge them",
	},
];

interface TriggerOptions extends MergedFileOptions {
	includeRecording?: boolean;
}

const includeRecordingOption: INodeProperties = {
	displayName: 'Include Merge Job',
	name: 'includeRecording',
	type: 'boolean',
	default: false,
	description:
		'Whether to fetch the merge job of a merge-recording event and add it to the output as "recording": status, channels and, once completed, file.fileUrl, size and duration. Confirm With VideoSDK adds it anyway.',
};

export class VideoSdkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'VideoSDK Trigger',
		name: 'videoSdkTrigger',
		icon: { light: 'file:videoSdk.svg', dark: 'file:videoSdk.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when VideoSDK reports a merged recording',
		defaults: { name: 'VideoSDK Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Paste this node\'s Production URL (above) into the "Webhook URL" of a VideoSDK merge, and publish this workflow so the URL answers',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: EVENTS,
				default: ['merge-recording-completed', 'merge-recording-failed'],
				description:
					'The events that start the workflow. Others are acknowledged and ignored. A room webhook can deliver all of them to this one URL.',
			},
			{
				displayName: 'Verify Signature',
				name: 'verifySignature',
				type: 'boolean',
				default: true,
				description:
					"Whether to accept only calls signed by VideoSDK (header videosdk-signature, checked with VideoSDK's public key). Turn off only to test with a tool that cannot sign.",
			},
			{
				displayName: 'Confirm With VideoSDK',
				name: 'confirmEvents',
				type: 'boolean',
				default: true,
				description:
					"Whether to start only on events VideoSDK confirms to this credential's account: a merge event's job (for other events, its session) is fetched before the run and added to it as \"recording\" (\"session\"). Turned off, anyone with a VideoSDK account can start this workflow with a signed event about their own job, and a captured event can be sent again.",
				hint: 'A merge event whose job VideoSDK reports as ended otherwise (completed vs failed) or unknown to this account starts nothing (answered 200); one whose job is still running is answered 503, so that VideoSDK can deliver it again',
			},
			optionsOnly([...mergedFileOptionFields(), includeRecordingOption]),
		],
	};

	methods = { credentialTest: { videoSdkApiTest: testVideoSdkCredential } };

	// VideoSDK takes the webhook URL with each merge request: there is nothing to register with it
	// when the workflow is published, nor to remove when it is unpublished.
	webhookMethods = {
		default: {
			checkExists: async () => true,
			create: async () => true,
			delete: async () => true,
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const verifySignature = this.getNodeParameter('verifySignature', true) as boolean;
		const received = await receiveWebhook(this, { verifySignature });
		if (received.refusal) return answer(this, received.refusal.status, received.refusal.message);
		const { payload } = received;

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(payload.webhookType)) {
			// Acknowledged so VideoSDK does not retry; this workflow just does not care about it.
			return {};
		}
		// Bad configuration is found before any request (thrown: n8n answers 500).
		const options = checkedOptions.call(this);
		const item: INodeExecutionData = {
			json: { webhookType: payload.webhookType, data: payload.data as IDataObject },
		};
		let confirmedJob: MergeJob | undefined;
		if (this.getNodeParameter('confirmEvents', true) as boolean) {
			const confirmation = await confirmEvent(this, payload);
			if (!confirmation.confirmed) {
				// The event's type and VideoSDK's verdict (IDs from a signed body), never a token.
				this.logger.debug(`VideoSDK Trigger: a ${payload.webhookType} event starts nothing: ${confirmation.reason}`);
				const message =
					confirmation.status === 503
						? 'VideoSDK cannot confirm this event now; try again later'
						: 'Acknowledged; this event starts nothing here';
				return answer(this, confirmation.status, message);
			}
			Object.assign(item.json, confirmation.reported);
			if ('recording' in confirmation.reported) confirmedJob = confirmation.reported.recording;
		}
		// Claimed only once the event is known to be genuine (signed, and confirmed unless that is
		// off): a forged or foreign call neither takes nor evicts a claim.
		const jobEnd = jobEndKey(payload, received.rawBody);
		if (!claimJobEnd(this, jobEnd)) {
			// Acknowledged so VideoSDK stops redelivering; its first delivery started the run.
			return {};
		}
		keepMarkedUntilAnswered(this, () => markClaimsChanged(this));
		let ready = false;
		try {
			await addMergeJob.call(this, payload, item, options, confirmedJob);
			ready = true;
		} finally {
			// If it threw, no run starts (n8n answers 500): VideoSDK's retry must be able to start it.
			if (!ready) releaseJobEnd(this, jobEnd);
		}
		return { workflowData: [[item]] };
	}
}

/** The trigger's options, with Max File Size checked when a download may use it. */
function checkedOptions(this: IWebhookFunctions): TriggerOptions {
	const options = optionsOf<TriggerOptions>(this.getNodeParameter('options', {}));
	if (options.downloadFile === true) {
		try {
			checkedNumber(options.maxFileSize, 'maxFileSize');
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as FieldError);
		}
	}
	return options;
}

/**
 * Adds what the options ask for to a merge event's item: the job as `recording`, the mp3 as binary;
 * the job as confirmed when it was, else fetched here. A failure throws: n8n then answers 500
 * (VideoSDK may retry) and records a failed execution.
 */
async function addMergeJob(
	this: IWebhookFunctions,
	payload: WebhookPayload,
	item: INodeExecutionData,
	options: TriggerOptions,
	confirmedJob?: MergeJob,
) {
	const { webhookType } = payload;
	const download = options.downloadFile === true && webhookType === 'merge-recording-completed';
	if (!isMergeWebhookType(webhookType) || !(options.includeRecording || download)) return;

	const mergeId = (payload.data as Partial<MergeWebhookData> | null)?.id;
	const job = confirmedJob ?? (await fetchEventMergeJob(this, webhookType, mergeId));
	if (options.includeRecording) item.json.recording = job as unknown as IDataObject;
	if (download) item.binary = await mergedFileBinary.call(this, job, options);
}
