import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { MergeRecordingRequest, MergeRecordingResponse, MergeType } from '../../api';
import { API_PATHS } from '../../api';
import type { ExecutionFacts, PrepareStep } from '../operation';
import { jsonItems } from '../operation';
import type { ChannelName } from './channels';
import { CHANNEL_NAMES, CHANNELS, typedChannels } from './channels';
import {
	CHANNEL_2_CHOSEN_SPEAKERS,
	CHANNEL_2_EVERYONE_ELSE,
	notRecordedIds,
	recordingsOfSession,
	sessionOf,
	SPEAKERS_OF_THE_SESSION,
	chosenSpeakers,
	speakerChannels,
} from './speakers';
import type { SessionLookup } from './speakers';
import { mergedFileOptionFields, optionsCollection, optionsOf, simplifyOption } from '../../descriptions/fields';
import { byVersion, sessionLocator } from '../../descriptions/locators';
import { LOAD_OPTIONS } from '../../descriptions/methodNames';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../../validation';
import { optionalHttpUrl, requiredId } from '../../validation';

export { mergeAndWait as pause } from './mergeAndWait';

/** "Using Fields Below": one channel's participants, typed one by one. */
const participantFields = (channel: ChannelName): INodeProperties => ({
	displayName: CHANNELS[channel].label,
	name: channel,
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Participant',
	default: {},
	description: `Participants heard on the ${CHANNELS[channel].side} channel of the stereo file`,
	displayOptions: { show: { specifyChannels: ['fields'] } },
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
					value: SPEAKERS_OF_THE_SESSION,
					description: "Pick the session's speakers from lists",
				},
				{ name: 'Using Fields Below', value: 'fields', description: 'Type participant and recording IDs' },
				{ name: 'Using JSON', value: 'json', description: 'Pass lists, typically from a previous node' },
			],
			default: SPEAKERS_OF_THE_SESSION,
			description: 'How to say who is heard on each channel',
		},
	),
	{
		displayName: `${CHANNELS.channel1.label} Names or IDs`,
		name: 'channel1Speakers',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: LOAD_OPTIONS.sessionSpeakers, loadOptionsDependsOn: ['sessionId.value'] },
		required: true,
		default: [],
		description:
			'Who is heard on the left channel: participant names or IDs of the session, separated by commas in an expression (e.g. Ana, Ben). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { specifyChannels: [SPEAKERS_OF_THE_SESSION] } },
	},
	{
		displayName: CHANNELS.channel2.label,
		name: 'channel2Mode',
		type: 'options',
		options: [
			{
				name: 'Everyone Else',
				value: CHANNEL_2_EVERYONE_ELSE,
				description: 'Every other recorded participant of the session',
			},
			{ name: 'Chosen Speakers', value: CHANNEL_2_CHOSEN_SPEAKERS, description: 'Pick them from a list' },
		],
		default: CHANNEL_2_EVERYONE_ELSE,
		description: 'Who is heard on the right channel',
		displayOptions: { show: { specifyChannels: [SPEAKERS_OF_THE_SESSION] } },
	},
	{
		displayName: `${CHANNELS.channel2.label} Names or IDs`,
		name: 'channel2Speakers',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: LOAD_OPTIONS.sessionSpeakers, loadOptionsDependsOn: ['sessionId.value'] },
		required: true,
		default: [],
		description:
			'Who is heard on the right channel: participant names or IDs of the session, separated by commas in an expression (e.g. Ana, Ben). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { specifyChannels: [SPEAKERS_OF_THE_SESSION], channel2Mode: [CHANNEL_2_CHOSEN_SPEAKERS] } },
	},
	...CHANNEL_NAMES.map(participantFields),
	...CHANNEL_NAMES.map(
		(name): INodeProperties => ({
			displayName: `${CHANNELS[name].label} JSON`,
			name: `${name}Json`,
			type: 'json',
			required: true,
			default: EXAMPLE_CHANNEL_JSON,
			hint: 'An array of {"participantId", "recordingId"} objects, or of participant ID strings',
			description: `Participants heard on the ${CHANNELS[name].side} channel. Use an expression to take the list from a previous node.`,
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
			'Whether to pause the workflow until the merge has ended, then output the finished job (by VideoSDK\'s callback, or by asking VideoSDK: see Wait Mode)',
	},
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: "Wait for VideoSDK's Callback",
				value: 'callback',
				description: "VideoSDK calls this execution's resume URL: this n8n must be reachable from the internet",
			},
			{
				name: 'Ask VideoSDK',
				value: 'ask',
				description:
					'The node asks VideoSDK every Poll Interval: no public URL needed, but the execution (a worker in queue mode) stays busy until the merges end',
			},
		],
		default: 'callback',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3_600 },
		default: 30,
		description:
			'How often to ask VideoSDK about the merges still running. Each round costs one request per session with running merges.',
		displayOptions: { show: { waitForCompletion: [true], waitMode: ['ask'] } },
	},
	{
		displayName:
			"The workflow pauses here until VideoSDK reports that every item's merge has ended, then goes on with the finished jobs. In this mode VideoSDK calls this execution's resume URL, so this n8n must be reachable from the internet; a callback that is lost (n8n restarting, network down) is not sent again, and the node fails at Max Wait. Where VideoSDK cannot reach this n8n, choose Ask VideoSDK. If a merge fails or Max Wait runs out, n8n 2.x fails this node; n8n 1.x cannot fail a resumed node, so there it outputs one item per input item carrying an 'error' field: check it with an IF node.",
		name: 'waitNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: [true], waitMode: ['callback'] } },
	},
	{
		displayName:
			"The node asks VideoSDK every Poll Interval until every item's merge has ended, then goes on with the finished jobs. This mode needs no public URL: VideoSDK never calls this n8n. The execution stays running meanwhile (in queue mode it holds a worker's slot) for up to Max Wait. If a merge fails or Max Wait runs out, the node fails, on n8n 1.x too.",
		name: 'askNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: [true], waitMode: ['ask'] } },
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
			typeOptions: { minValue: 1, maxValue: 43_200 },
			default: 60,
			description:
				'How long to wait for the end of the merges before the node fails (waiting for the callback on n8n 1.x: outputs items carrying an error). Waiting for the callback, n8n checks waiting executions once a minute, so the end can come up to a minute later.',
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
		simplifyOption(),
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mergeRecording'], operation: ['create'] } },
	properties,
);

const optionalText = (value: unknown) =>
	typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/** The channels as the fields give them; with "Speakers of the Session", from what prepare found. */
function channelsOf(parameters: OperationParameters, sessionId: string, lookup?: SessionLookup) {
	if (parameters.specifyChannels !== SPEAKERS_OF_THE_SESSION) return typedChannels(parameters);
	if (!lookup) throw new Error('The speakers of the session were not looked up before the merge');
	return speakerChannels(parameters, sessionId, lookup);
}

/**
 * With "Speakers of the Session": the session's recordings, from which request picks the channels,
 * and its participants only when a speaker is not a recorded participant's ID (a name, most often).
 */
export async function prepare(
	parameters: OperationParameters,
	{ context, itemIndex, policy }: PrepareStep,
): Promise<SessionLookup | undefined> {
	if (parameters.specifyChannels !== SPEAKERS_OF_THE_SESSION) return undefined;
	const sessionId = requiredId(parameters, 'sessionId', 'Session ID');
	chosenSpeakers(parameters);
	const recordings = await recordingsOfSession(context, sessionId, { itemIndex, policy });
	if (notRecordedIds(parameters, recordings).length === 0) return { recordings };
	const { participants } = await sessionOf(context, sessionId, { itemIndex, policy });
	return { recordings, participants: Array.isArray(participants) ? participants : [] };
}

interface CreateOptions {
	type?: MergeType;
	dirPath?: string;
}

/**
 * The documented merge body; keys without a value are left out (VideoSDK rejects `recordingId: ""`).
 * While the node waits for completion, VideoSDK reports to this execution's resume URL.
 */
export function request(
	parameters: OperationParameters,
	{ resumeUrl }: ExecutionFacts = {},
	lookup?: SessionLookup,
): ApiRequest {
	const sessionId = requiredId(parameters, 'sessionId', 'Session ID');
	const body: MergeRecordingRequest = { sessionId, ...channelsOf(parameters, sessionId, lookup) };
	// Waiting for completion sends only the resume URL (none when asking): Webhook URL is hidden then.
	const waits = parameters.waitForCompletion === true;
	const url = waits ? resumeUrl : (resumeUrl ?? optionalHttpUrl(parameters.webhookUrl, 'webhookUrl', 'Webhook URL'));
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

export { compactMergeJob as compact } from '../compact';
