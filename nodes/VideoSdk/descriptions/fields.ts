import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_BINARY_PROPERTY } from '../validation';
import { byVersion, participantRecordingLocator, sessionLocator } from './locators';

/** What the user sees: fields that several operations share. */

/** "Return All" and "Limit", the n8n way, for an operation that lists. */
export const listFields = (): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 }, // n8n's lint forbids a maxValue on Limit
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/** Options every operation has: how its requests are paced, timed out and retried. */
const requestOptions: INodeProperties[] = [
	{
		displayName: 'Batching',
		name: 'batching',
		placeholder: 'Add Batching',
		type: 'fixedCollection',
		typeOptions: { multipleValues: false },
		default: { batch: {} },
		options: [
			{
				displayName: 'Batching',
				name: 'batch',
				values: [
					{
						displayName: 'Items per Batch',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1_000 },
						default: 10,
						description:
							'How many items to send at the same time. Results keep the order of the input items.',
					},
					{
						displayName: 'Batch Interval (Ms)',
						name: 'batchInterval',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 3_600_000 },
						default: 0,
						description: 'Time (in milliseconds) to wait between batches. 0 for no pause.',
					},
				],
			},
		],
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 3, // literal for n8n's UI tooling; a test holds it equal to DEFAULT_RETRY_POLICY
		description:
			"How often to resend a request that VideoSDK rate-limited (429), after its Retry-After or a backoff of 1 s doubling up to 8 s. Reads are also resent after a server error or lost connection; a merge never is, so it can't start twice.",
	},
	{
		displayName: 'Timeout',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 3_600_000 },
		default: 30_000, // likewise
		description: 'Time in ms to wait for VideoSDK to answer before giving up on a request',
	},
];

/**
 * "Simplify", for an operation whose output a model reads (actions/compact.ts). Left unset, the
 * output is simplified when an AI Agent calls the node as a tool and whole in a workflow.
 */
export const simplifyOption = (): INodeProperties => ({
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return only IDs, names, times, status and the file URL instead of the whole VideoSDK object. Without this option: simplified when an AI agent uses the node as a tool, whole in a workflow.',
});

/** The "Options" collection of an operation: its own options, then the request options. */
export const optionsCollection = (ownOptions: INodeProperties[] = []): INodeProperties =>
	optionsOnly([...ownOptions, ...requestOptions]);

/** The values of an "Options" collection (optionsCollection, optionsOnly), as the node's code reads them. */
export const optionsOf = <T extends object>(value: unknown): T => (value ?? {}) as T;

/** An "Options" collection of exactly these options, alphabetical as n8n's lint rule and nodes keep them. */
export const optionsOnly = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
});

/**
 * "Download File" and "Put Output File in Field", for a node's Options collection. Inside a
 * collection, displayOptions may name a sibling option, as n8n's Webhook node does with
 * binaryData and binaryPropertyName.
 */
export const mergedFileOptionFields = (): INodeProperties[] => [
	{
		displayName: 'Download File',
		name: 'downloadFile',
		type: 'boolean',
		default: false,
		description:
			'Whether to download the merged stereo mp3 into a binary field of the output item, ready for a node that uploads or transcribes files',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: DEFAULT_BINARY_PROPERTY,
		displayOptions: { show: { downloadFile: [true] } },
		hint: 'The name of the output binary field to put the file in',
		description: 'The binary field of the output item that receives the mp3',
	},
	{
		displayName: 'Max File Size (MB)',
		name: 'maxFileSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 100_000 },
		default: 500, // literal for n8n's UI tooling; a test holds it equal to DEFAULT_MAX_FILE_SIZE_MB
		displayOptions: { show: { downloadFile: [true] } },
		description:
			'The largest merged file to download; a larger one fails the item instead of filling memory or disk. Files are also refused when far larger than the size VideoSDK reported for them.',
	},
];

/** A "Filters" collection of text filters. */
export const filtersCollection = (
	filters: Array<{ name: string; displayName: string; description: string }>,
): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options: filters.map((filter) => ({ ...filter, type: 'string' as const, default: '' })),
});

const RECORDING_DESCRIPTION = "A participant's recording, as Get Many lists it";

/** Recording ID (version 1) or the Participant Recording picker (version 2). */
export const recordingIdFields = (): INodeProperties[] =>
	byVersion(
		{
			displayName: 'Recording ID',
			name: 'recordingId',
			type: 'string',
			required: true,
			default: '',
			description: RECORDING_DESCRIPTION,
		},
		participantRecordingLocator(RECORDING_DESCRIPTION),
	);

const SESSION_DESCRIPTION = 'The session (one run of a room)';

/** Session ID (version 1) or the Session picker (version 2). */
export const sessionIdFields = (): INodeProperties[] =>
	byVersion(
		{
			displayName: 'Session ID',
			name: 'sessionId',
			type: 'string',
			required: true,
			default: '',
			description: SESSION_DESCRIPTION,
		},
		sessionLocator(SESSION_DESCRIPTION),
	);

export const roomAndParticipantFields = (purpose: string): INodeProperties[] => [
	{
		displayName: 'Room ID',
		name: 'roomId',
		type: 'string',
		required: true,
		default: '',
		description: 'The room (meeting) the participant is in',
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		required: true,
		default: '',
		description: purpose,
	},
];

