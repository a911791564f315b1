import type { ChannelParticipant, ParticipantRecording } from '../../api';
import { API_PATHS } from '../../api';
import { earliestFirst } from '../../api/times';
import type { RequestContext } from '../../transport';
import type { RetryPolicy } from '../../transport/retry';
import type { OperationParameters } from '../../validation';
import { FieldError } from '../../validation';
import { walkPages } from '../pages';
import type { MergeChannels } from './channels';
import { CHANNELS } from './channels';

/**
 * "Speakers of the Session": the merge's channels from the speakers picked in the editor. Which
 * recording each speaker is heard from is decided here, from the session's participant recordings:
 * the speaker's earliest recording that VideoSDK lists as audio (`kind: "audio"`); if none is
 * marked audio, recordingId is left out and VideoSDK takes the speaker's first available audio
 * recording itself. A speaker without any recording in the session stops the merge before it
 * starts, and "Everyone Else" means everyone else who was recorded.
 */

/** Specify Channels: "Speakers of the Session", version 2's way (and its default). */
export const SPEAKERS_OF_THE_SESSION = 'speakers';

/** Channel 2 (Right): every other recorded participant, or speakers chosen from a list. */
export const CHANNEL_2_EVERYONE_ELSE = 'everyoneElse';
export const CHANNEL_2_CHOSEN_SPEAKERS = 'speakers';

/** The session's participant recordings, all pages of them. */
export async function recordingsOfSession(
	context: RequestContext,
	sessionId: string,
	{ itemIndex, policy }: { itemIndex?: number; policy?: RetryPolicy } = {},
): Promise<ParticipantRecording[]> {
	const request = { method: 'GET' as const, path: API_PATHS.participantRecordings, qs: { sessionId } };
	return (await walkPages(context, request, 'data', { itemIndex, policy })) as unknown as ParticipantRecording[];
}

/** Each recorded participant's recordings, earliest first, in the order they were first recorded. */
export function recordingsBySpeaker(recordings: ParticipantRecording[]): Map<string, ParticipantRecording[]> {
	const bySpeaker = new Map<string, ParticipantRecording[]>();
	for (const recording of [...recordings].sort(earliestFirst)) {
		const own = bySpeaker.get(recording.participantId) ?? [];
		own.push(recording);
		bySpeaker.set(recording.participantId, own);
	}
	return bySpeaker;
}

/** A multi-select's value, or what an expression gave instead: a list, or IDs separated by commas. */
export function speakerIds(value: unknown): string[] {
	const entries = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
	const ids = entries
		.map((entry) => (typeof entry === 'number' ? String(entry) : typeof entry === 'string' ? entry.trim() : ''))
		.filter((id) => id !== '');
	return [...new Set(ids)];
}

/** A channel's speaker picker: its field, and the channel's label for messages. */
interface SpeakerPicker {
	field: string;
	label: string;
}

const CHANNEL_1: SpeakerPicker = { field: 'channel1Speakers', label: CHANNELS.channel1.label };
const CHANNEL_2: SpeakerPicker = { field: 'channel2Speakers', label: CHANNELS.channel2.label };

const noSpeakers = ({ field, label }: SpeakerPicker) =>
	new FieldError(field, `${label} has no participants`, 'Choose at least one speaker of the session');

/**
 * The speakers picked for each channel (`right` only when Channel 2 is chosen from the list), or a
 * FieldError: a channel without speakers, or a speaker in both. Needs no lookup, so prepare checks
 * it before asking VideoSDK for the session's recordings.
 */
export function chosenSpeakers(parameters: OperationParameters): { left: string[]; right?: string[] } {
	const left = speakerIds(parameters[CHANNEL_1.field]);
	if (left.length === 0) throw noSpeakers(CHANNEL_1);
	if (parameters.channel2Mode !== CHANNEL_2_CHOSEN_SPEAKERS) return { left };
	const right = speakerIds(parameters[CHANNEL_2.field]);
	if (right.length === 0) throw noSpeakers(CHANNEL_2);
	const both = right.find((id) => left.includes(id));
	if (both) throw new FieldError(CHANNEL_2.field, `Speaker "${both}" is in both channels`);
	return { left, right };
}

/** Both channels, or a FieldError naming the field; pure: the recordings come from prepare. */
export function speakerChannels(
	parameters: OperationParameters,
	sessionId: string,
	recordings: ParticipantRecording[],
): MergeChannels {
	const recorded = recordingsBySpeaker(recordings);
	const channelOf = (ids: string[], { field, label }: SpeakerPicker): ChannelParticipant[] =>
		ids.map((participantId) => {
			const own = recorded.get(participantId);
			if (!own) {
				throw new FieldError(
					field,
					`${label}: speaker "${participantId}" has no recording in session ${sessionId}`,
					'Only recorded participants can be merged; the list of speakers says who was recorded',
				);
			}
			const audio = own.find((recording) => recording.kind === 'audio');
			return audio ? { participantId, recordingId: audio.id } : { participantId };
		});

	const { left, right } = chosenSpeakers(parameters);
	const channel1 = channelOf(left, CHANNEL_1);
	if (right) return { channel1, channel2: channelOf(right, CHANNEL_2) };
	const everyoneElse = [...recorded.keys()].filter((id) => !left.includes(id));
	if (everyoneElse.length === 0) {
		throw new FieldError(
			'channel2Mode',
			`${CHANNEL_2.label} has no participants: nobody else was recorded in session ${sessionId}`,
		);
	}
	return { channel1, channel2: channelOf(everyoneElse, CHANNEL_2) };
}
