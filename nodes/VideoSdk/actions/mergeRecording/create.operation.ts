import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type {
	ChannelParticipant,
	MergeJob,
	MergeRecordingRequest,
	MergeRecordingResponse,
	MergeType,
	ParticipantRecording,
} from '../../api';
import { API_PATHS, idProblem } from '../../api';
import type { ExecutionFacts, PrepareStep } from '../operation';
import { jsonItems } from '../operation';
import type { Pause } from '../pause';
import { onMergeCallback, webhookDataOf } from './mergeAndWait';
import {
	CHANNEL_2_EVERYONE_ELSE,
	CHANNEL_2_SPEAKERS,
	recordingsOfSession,
	speakerChannels,
} from './speakers';
import { mergedFileOptionFields, optionsCollection, optionsOf } from '../../descriptions/fields';
import { byVersion, sessionLocator } from '../../descriptions/locators';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../../validation';
import { FieldError, optionalHttpUrl, requiredId } from '../../validation';

const CHANNELS = [
	{ name: 'channel1', label: 'Channel 1 (Left)' },
	{ name: 'channel2', label: 'Channel 2 (Right)' },
] as const;

type ChannelName = (typeof CHANNELS)[number]['name'];

const participantFields = (channelLabel: string): INodeProperties => ({
	displayName: channelLabel,
	name: 'placeholder',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Participant',
	default: {},
	options: [
		{
			displayName: 'Participant',
			name: 'participants',
			values: [
				{
					displayName: 'Participant ID',
					name: 'participantId',
					type: 'string',
					default: '',
					required: true,
					description: 'The ID VideoSDK gave this participant in the session',
				},
				{
					displayName: 'Recording ID',
					name: 'recordingId',
					type: 'string',
					default: '',
					description:
						"Which of the participant's recordings to use. Leave empty to use their first available audio recording.",
				},
			],
		},
	],
});

/** Version 2's way to specify channels (and its default): speakers picked from the session. */
const SPEAKERS = 'speakers';

const EXAMPLE_CHANNEL_JSON = '[\n  { "participantId": "", "recordingId": "" }\n]';

const SESSION_DESCRIPTION = 'The session (one run of a meeting) whose participant recordings to merge';

const CHANNELS_DESCRIPTION =
	'Whether to list participants one by one, or to pass lists (for example from a previous node) as JSON';

const properties: INodeProperties[] = [
	...byVersion(
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 6847c231fbaa8b416bc87014',
			description: SESSION_DESCRIPTION,
		},
		sessionLocator(SESSION_DESCRIPTION),
	),
	...byVersion(
		{
			displayName: 'Specify Channels',
			name: 'specifyChannels',
			type: 'options',
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'fields',
			description: CHANNELS_DESCRIPTION,
		},
		{
			displayName: 'Specify Channels',
			name: 'specifyChannels',
			type: 'options',
			options: [
				{
					name: 'Speakers of the Session',
					value: SPEAKERS,
					description: "Pick the session's speakers from lists",
				},
				{ name: 'Using Fields Below', value: 'fields', description: 'Type participant and recording IDs' },
				{ name: 'Using JSON', value: 'json', description: 'Pass lists, typically from a previous node' },
			],
			default: SPEAKERS,
			description: 'How to say who is heard on each channel',
		},
	),
	{
		displayName: 'Channel 1 (Left) Names or IDs',
		name: 'channel1Speakers',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getSessionSpeakers', loadOptionsDependsOn: ['sessionId.value'] },
		required: true,
		default: [],
		description:
			'Who is heard on the left channel. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { specifyChannels: [SPEAKERS] } },
	},
	{
		displayName: 'Channel 2 (Right)',
		name: 'channel2Mode',
		type: 'options',
		options: [
			{
				name: 'Everyone Else',
				value: CHANNEL_2_EVERYONE_ELSE,
				description: 'Every other recorded participant of the session',
			},
			{ name: 'Chosen Speakers', value: CHANNEL_2_SPEAKERS, description: 'Pick them from a list' },
		],
		default: CHANNEL_2_EVERYONE_ELSE,
		description: 'Who is heard on the right channel',
		displayOptions: { show: { specifyChannels: [SPEAKERS] } },
	},
	{
		displayName: 'Channel 2 (Right) Names or IDs',
		name: 'channel2Speakers',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getSessionSpeakers', loadOptionsDependsOn: ['sessionId.value'] },
		required: true,
		default: [],
		description:
			'Who is heard on the right channel. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { specifyChannels: [SPEAKERS], channel2Mode: [CHANNEL_2_SPEAKERS] } },
	},
	...CHANNELS.map(({ name, label }) => ({
		...participantFields(label),
		name,
		description: `Participants heard on the ${name === 'channel1' ? 'left' : 'right'} channel of the stereo file`,
		displayOptions: { show: { specifyChannels: ['fields'] } },
	})),
	...CHANNELS.map(
		({ name, label }): INodeProperties => ({
			displayName: `${label} JSON`,
			name: `${name}Json`,
			type: 'json',
			required: true,
			default: EXAMPLE_CHANNEL_JSON,
			hint: 'An array of {"participantId", "recordingId"} objects, or of participant ID strings',
			description: `Participants heard on the ${name === 'channel1' ? 'left' : 'right'} channel. Use an expression to take the list from a previous node.`,
			displayOptions: { show: { specifyChannels: ['json'] } },
		}),
	),
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: false,
		noDataExpression: true,
		description:
			'Whether to pause the workflow until VideoSDK reports the end of the merge, then output the finished job (VideoSDK must be able to reach this n8n)',
	},
	{
		displayName:
			"The workflow pauses here until VideoSDK reports that every item's merge has ended, then goes on with the finished jobs. VideoSDK calls this execution's resume URL, so this n8n must be reachable from the internet. If a merge fails or Max Wait runs out, n8n 2.x fails this node; n8n 1.x cannot fail a resumed node, so there it outputs one item per input item carrying an 'error' field: check it with an IF node.",
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Webhook URL',
		name: 'webhookUrl',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://my-n8n.example.com/webhook/…/webhook',
		hint: 'To continue a workflow when the merge is done, paste the Production URL of a VideoSDK Trigger node',
		description:
			'VideoSDK calls this URL with merge-recording-completed or merge-recording-failed when the job ends',
		displayOptions: { show: { waitForCompletion: [false] } },
	},
	optionsCollection([
		{
			displayName: 'Max Wait (Minutes)',
			name: 'maxWait',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'How long to wait for VideoSDK to report the end of the merges before the node fails (on n8n 1.x: outputs items carrying an error). n8n checks waiting executions once a minute, so the end can come up to a minute later.',
			displayOptions: { show: { '/waitForCompletion': [true] } },
		},
		// The finished job's file, once the node has waited for it.
		...mergedFileOptionFields().map((field) => ({
			...field,
			displayOptions: { show: { ...field.displayOptions?.show, '/waitForCompletion': [true] } },
		})),
		{
			displayName: 'Folder Path',
			name: 'dirPath',
			type: 'string',
			default: '',
			placeholder: 'e.g. merged/2026',
			description: 'Folder of your storage bucket to write the merged file into',
		},
		{
			displayName: 'Source Type',
			name: 'type',
			type: 'options',
			options: [
				{
					name: 'Participant',
					value: 'participant',
					description: "Use each participant's recording",
				},
				{
					name: 'Track',
					value: 'track',
					description: "Use each participant's track recording",
				},
			],
			default: 'participant',
			description: 'Which kind of recording the IDs refer to',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mergeRecording'], operation: ['create'] } },
	properties,
);

const labelOf = (channel: ChannelName) => CHANNELS.find(({ name }) => name === channel)!.label;

const optionalText = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** More than this in one channel is a mistake (a whole list pasted into one side), not a meeting. */
export const MAX_PARTICIPANTS_PER_CHANNEL = 100;

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function toParticipant(entry: unknown, channel: ChannelName, position: number): ChannelParticipant {
	const where = `${labelOf(channel)}, participant ${position + 1}`;
	const fields = typeof entry === 'string' || typeof entry === 'number' ? { participantId: entry } : entry;
	if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
		throw new FieldError(
			channel,
			`${where} must be an object with a participantId, or a participant ID string`,
		);
	}
	const { participantId, recordingId } = fields as IDataObject;
	if (isBlank(participantId)) throw new FieldError(channel, `${where} has no Participant ID`);
	const participantProblem = idProblem(participantId);
	if (participantProblem) throw new FieldError(channel, `${where}: its Participant ID ${participantProblem}`);
	const participant: ChannelParticipant = { participantId: String(participantId).trim() };
	if (isBlank(recordingId)) return participant;
	// A recording ID that is not text is refused rather than dropped: the merge would use another recording.
	const recordingProblem = idProblem(recordingId);
	if (recordingProblem) throw new FieldError(channel, `${where}: its Recording ID ${recordingProblem}`);
	return { ...participant, recordingId: String(recordingId).trim() };
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return NOT_JSON;
	}
}

function parseChannelJson(value: unknown, channel: ChannelName): unknown[] {
	const field = `${labelOf(channel)} JSON`;
	const parsed = typeof value === 'string' ? parseJson(value) : value;
	if (parsed === NOT_JSON) {
		throw new FieldError(
			`${channel}Json`,
			`${field} is not valid JSON`,
			'Expected e.g. [{"participantId": "abcd", "recordingId": "rec1"}, "efgh"]',
		);
	}
	if (!Array.isArray(parsed)) {
		throw new FieldError(`${channel}Json`, `${field} must be an array of participants`);
	}
	return parsed;
}

function channelEntries(parameters: OperationParameters, channel: ChannelName): unknown[] {
	if (parameters.specifyChannels === 'json') {
		return parseChannelJson(parameters[`${channel}Json`], channel);
	}
	const collection = parameters[channel] as { participants?: unknown[] } | undefined;
	return collection?.participants ?? [];
}

function channel(parameters: OperationParameters, name: ChannelName): ChannelParticipant[] {
	const entries = channelEntries(parameters, name);
	if (entries.length > MAX_PARTICIPANTS_PER_CHANNEL) {
		throw new FieldError(
			name,
			`${labelOf(name)} has ${entries.length} participants; one channel takes at most ${MAX_PARTICIPANTS_PER_CHANNEL}`,
		);
	}
	const participants = entries.map((entry, position) => toParticipant(entry, name, position));
	if (participants.length === 0) {
		throw new FieldError(
			name,
			`${labelOf(name)} has no participants`,
			'Each channel needs at least one participant',
		);
	}
	return participants;
}

// Where prepare puts the session's participant recordings for request (never a field's name).
const SESSION_RECORDINGS = 'sessionRecordingsFound';

function channelsOf(parameters: OperationParameters, sessionId: string) {
	if (parameters.specifyChannels !== SPEAKERS) {
		return { channel1: channel(parameters, 'channel1'), channel2: channel(parameters, 'channel2') };
	}
	const recordings = parameters[SESSION_RECORDINGS];
	if (!Array.isArray(recordings)) throw new Error('The speakers of the session were not looked up before the merge');
	return speakerChannels(parameters, sessionId, recordings as ParticipantRecording[]);
}

/** With "Speakers of the Session": the session's recordings, from which request picks the channels. */
export async function prepare(
	parameters: OperationParameters,
	{ context, itemIndex, policy }: PrepareStep,
): Promise<OperationParameters> {
	if (parameters.specifyChannels !== SPEAKERS) return parameters;
	const sessionId = requiredId(parameters, 'sessionId', 'Session ID');
	const recordings = await recordingsOfSession(context, sessionId, { itemIndex, policy });
	return { ...parameters, [SESSION_RECORDINGS]: recordings };
}

interface CreateOptions {
	type?: MergeType;
	dirPath?: string;
	maxWait?: number;
}

/**
 * The documented merge body; keys without a value are left out (VideoSDK rejects `recordingId: ""`).
 * While the node waits for completion, VideoSDK reports to this execution's resume URL.
 */
export function request(parameters: OperationParameters, { resumeUrl }: ExecutionFacts = {}): ApiRequest {
	const sessionId = requiredId(parameters, 'sessionId', 'Session ID');
	const body: MergeRecordingRequest = { sessionId, ...channelsOf(parameters, sessionId) };
	const url = resumeUrl ?? optionalHttpUrl(parameters.webhookUrl, 'webhookUrl', 'Webhook URL');
	if (url) body.webhookUrl = url;
	const options = optionsOf<CreateOptions>(parameters.options);
	if (options.type) body.type = options.type;
	const dirPath = optionalText(options.dirPath);
	if (dirPath) body.dirPath = dirPath;
	return { method: 'POST', path: API_PATHS.merge, body: body as unknown as IDataObject };
}

/** The started job. */
export const output = (response: unknown) =>
	jsonItems((response as MergeRecordingResponse).recording as unknown as IDataObject);

const MINUTE_MS = 60_000;
const DEFAULT_MAX_WAIT_MINUTES = 60;
const minutes = (count: number) => (count === 1 ? '1 minute' : `${count} minutes`);

/** Merge and wait: the node pauses until VideoSDK has reported every job it started. */
export const pause: Pause = {
	wanted: (field) => field('waitForCompletion') === true,
	maxWaitMs: (parameters) => Math.max(1, optionsOf<CreateOptions>(parameters.options).maxWait ?? DEFAULT_MAX_WAIT_MINUTES) * MINUTE_MS,
	timeoutMessage: (waitingFor, maxWaitMs) =>
		`VideoSDK did not report the end of ${waitingFor === 1 ? 'the merge' : `all ${waitingFor} merges`} within ${minutes(maxWaitMs / MINUTE_MS)} (Max Wait)`,
	timedOutItem: (started) => {
		const job = started as unknown as MergeJob;
		return { data: webhookDataOf(job) as unknown as IDataObject, recording: started };
	},
	onCallback: onMergeCallback,
};
