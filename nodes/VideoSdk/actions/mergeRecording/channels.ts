import type { IDataObject } from 'n8n-workflow';

import type { ChannelParticipant } from '../../api';
import { idProblem } from '../../api';
import type { OperationParameters } from '../../validation';
import { FieldError } from '../../validation';

/**
 * The merge's two channels, and the participants on each as "Using Fields Below" and "Using JSON"
 * give them ("Speakers of the Session" is speakers.ts).
 */

/** Each channel's field name, what the editor calls it, and the side of the stereo file it is heard on. */
export const CHANNELS = {
	channel1: { label: 'Channel 1 (Left)', side: 'left' },
	channel2: { label: 'Channel 2 (Right)', side: 'right' },
} as const;

export type ChannelName = keyof typeof CHANNELS;

export const CHANNEL_NAMES = Object.keys(CHANNELS) as ChannelName[];

/** The merge body's channels. */
export interface MergeChannels {
	channel1: ChannelParticipant[];
	channel2: ChannelParticipant[];
}

/** More than this in one channel is a mistake (a whole list pasted into one side), not a meeting. */
export const MAX_PARTICIPANTS_PER_CHANNEL = 100;

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function toParticipant(entry: unknown, channel: ChannelName, position: number): ChannelParticipant {
	const where = `${CHANNELS[channel].label}, participant ${position + 1}`;
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
	const field = `${CHANNELS[channel].label} JSON`;
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

function participantsOf(parameters: OperationParameters, channel: ChannelName): ChannelParticipant[] {
	const entries = channelEntries(parameters, channel);
	const { label } = CHANNELS[channel];
	if (entries.length > MAX_PARTICIPANTS_PER_CHANNEL) {
		throw new FieldError(
			channel,
			`${label} has ${entries.length} participants; one channel takes at most ${MAX_PARTICIPANTS_PER_CHANNEL}`,
		);
	}
	const participants = entries.map((entry, position) => toParticipant(entry, channel, position));
	if (participants.length === 0) {
		throw new FieldError(channel, `${label} has no participants`, 'Each channel needs at least one participant');
	}
	return participants;
}

/** Both channels as typed in the fields or passed as JSON, or a FieldError naming the field. */
export const typedChannels = (parameters: OperationParameters): MergeChannels => ({
	channel1: participantsOf(parameters, 'channel1'),
	channel2: participantsOf(parameters, 'channel2'),
});
