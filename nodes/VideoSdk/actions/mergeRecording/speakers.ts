import type { ChannelParticipant, ParticipantRecording, Session, SessionParticipant } from '../../api';
import { API_PATHS } from '../../api';
import { earliestFirst } from '../../api/times';
import type { RequestContext } from '../../transport';
import { apiRequest } from '../../transport';
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
 *
 * A speaker is given by participant ID or by name (an AI agent knows names, not IDs). A name is
 * looked up among the session's participants, case and spacing aside; a name that fits nobody, or
 * several participants, stops the merge with the list of the session's speakers.
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

/** One participant of a session as the editor's lists and the messages show them. */
export interface Speaker {
	participantId: string;
	/** The display name; the participant ID when VideoSDK has none. */
	name: string;
	recordings: number;
}

/**
 * The session's speakers: its participants in its order, then anyone recorded but missing from its
 * list (by ID), each once with how many recordings of the session they have.
 */
export function speakersOf(participants: SessionParticipant[], recordings: ParticipantRecording[]): Speaker[] {
	const recorded = recordingsBySpeaker(recordings);
	const names = new Map<string, string>();
	for (const { participantId, name } of participants) {
		if (!names.has(participantId)) names.set(participantId, name?.trim() || participantId);
	}
	for (const participantId of recorded.keys()) if (!names.has(participantId)) names.set(participantId, participantId);
	return [...names].map(([participantId, name]) => ({
		participantId,
		name,
		recordings: recorded.get(participantId)?.length ?? 0,
	}));
}

/** A speaker as a message names them: "Ana (p1)", or the ID alone when that is all there is. */
export const speakerLabel = ({ participantId, name }: Speaker) =>
	name === participantId ? participantId : `${name} (${participantId})`;

/** What prepare looked up: the session's recordings and, when a speaker was given by name, its participants. */
export interface SessionLookup {
	recordings: ParticipantRecording[];
	participants?: SessionParticipant[];
}

/** The session itself: its room, times and participants with their names. */
export async function sessionOf(
	context: RequestContext,
	sessionId: string,
	{ itemIndex, policy }: { itemIndex?: number; policy?: RetryPolicy } = {},
): Promise<Session> {
	return (await apiRequest.call(context, { method: 'GET', path: API_PATHS.session(sessionId) }, itemIndex, policy)) as Session;
}

/** The chosen speakers that are not IDs of recorded participants: names, or IDs of unrecorded ones. */
export function notRecordedIds(parameters: OperationParameters, recordings: ParticipantRecording[]): string[] {
	const recorded = new Set(recordings.map((recording) => recording.participantId));
	const { left, right = [] } = chosenSpeakers(parameters);
	return [...left, ...right].filter((entry) => !recorded.has(entry));
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

const speakerList = (speakers: Speaker[]) =>
	speakers.length === 0 ? 'it has none' : `its speakers are ${speakers.map(speakerLabel).join(', ')}`;

/** The participant ID an entry stands for: an ID of the session, else the one participant of that name. */
function resolveSpeaker(entry: string, speakers: Speaker[], sessionId: string, { field, label }: SpeakerPicker): string {
	if (speakers.some((speaker) => speaker.participantId === entry)) return entry;
	const named = speakers.filter((speaker) => nameKey(speaker.name) === nameKey(entry));
	if (named.length === 1) return named[0].participantId;
	if (named.length === 0) {
		throw new FieldError(field, `${label}: no speaker "${entry}" in session ${sessionId}; ${speakerList(speakers)}`);
	}
	throw new FieldError(
		field,
		`${label}: "${entry}" is the name of ${named.length} speakers in session ${sessionId} (${named.map(speakerLabel).join(', ')}); give a participant ID`,
	);
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
	{ recordings, participants }: SessionLookup,
): MergeChannels {
	const recorded = recordingsBySpeaker(recordings);
	const speakers = participants && speakersOf(participants, recordings);
	const resolved = (entries: string[], picker: SpeakerPicker) =>
		speakers ? [...new Set(entries.map((entry) => resolveSpeaker(entry, speakers, sessionId, picker)))] : entries;
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

	const chosen = chosenSpeakers(parameters);
	const left = resolved(chosen.left, CHANNEL_1);
	const channel1 = channelOf(left, CHANNEL_1);
	if (chosen.right) {
		const right = resolved(chosen.right, CHANNEL_2);
		// Two names (or a name and an ID) of one participant.
		const both = right.find((id) => left.includes(id));
		if (both) throw new FieldError(CHANNEL_2.field, `Speaker "${both}" is in both channels`);
		return { channel1, channel2: channelOf(right, CHANNEL_2) };
	}
	const everyoneElse = [...recorded.keys()].filter((id) => !left.includes(id));
	if (everyoneElse.length === 0) {
		throw new FieldError(
			'channel2Mode',
			`${CHANNEL_2.label} has no participants: nobody else was recorded in session ${sessionId}`,
		);
	}
	return { channel1, channel2: channelOf(everyoneElse, CHANNEL_2) };
}
