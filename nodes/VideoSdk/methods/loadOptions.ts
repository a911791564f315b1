import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { isExpression } from 'n8n-workflow';

import { idProblem } from '../api';
import { recordingsOfSession, sessionOf, speakerLabel, speakersOf } from '../actions/mergeRecording/speakers';
import { LOAD_OPTIONS } from '../descriptions/methodNames';
import { plural } from './wording';

/**
 * The speakers of the chosen session for the merge's channel pickers: each participant by name and
 * ID, in the session's order, saying whether they were recorded (only recorded ones can be merged).
 * Participants who were recorded but are missing from the session's list still appear, by ID.
 */
async function getSessionSpeakers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// A session given by an expression comes from the input, which the editor does not have here.
	const raw = this.getNode().parameters.sessionId;
	if (isExpression(raw) || isExpression((raw as { value?: unknown } | undefined)?.value)) return [];
	const sessionId = this.getNodeParameter('sessionId', undefined, { extractValue: true });
	if (idProblem(sessionId)) return []; // no session chosen yet
	const id = String(sessionId).trim();
	// One after the other: a session VideoSDK does not know needs no second request.
	const session = await sessionOf(this, id);
	const recordings = await recordingsOfSession(this, id);
	return speakersOf(session.participants ?? [], recordings).map((speaker) => ({
		name: speakerLabel(speaker),
		value: speaker.participantId,
		description:
			speaker.recordings > 0 ? `${plural(speaker.recordings, 'recording')} in this session` : 'Not recorded in this session',
	}));
}

/** The node's loadOptions methods, under the names its fields give (descriptions/methodNames.ts). */
export const loadOptionsMethods = {
	[LOAD_OPTIONS.sessionSpeakers]: getSessionSpeakers,
};
