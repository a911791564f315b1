import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/**
 * What an AI Agent's model reads about each operation of the "VideoSDK Tool". With its Tool
 * Description left on "Set Automatically", n8n describes the tool as "<the operation's action> in
 * VideoSDK"; these actions replace the editor's short ones in the tool's copy of the fields only,
 * so a model learns what the operation does, what to give it and what it returns. Names and values
 * of the fields stay the same, so saved workflows read the same.
 */
export const TOOL_ACTIONS: Record<string, Record<string, string>> = {
	session: {
		getAll:
			'Find the sessions (meetings held) of a room, newest first, given the room ID (e.g. abc-defg-hij). Returns for each session its ID, room ID, start and end times and its participants (participantId and name)',
		get: 'Get one session by its session ID. Returns its ID, room ID, start and end times and its participants (participantId and name)',
		getParticipants:
			'List who took part in a session, given its session ID. Returns for each participant their participantId, name, and when they joined and left',
	},
	mergeRecording: {
		create:
			'Merge recordings of a session into one stereo file: the left channel and the right channel each take participant names or IDs of the session (e.g. Ana). Returns the merge job: its ID, status (running until VideoSDK has merged), the participant IDs of each channel, and once completed the file URL and file name',
		get: 'Get a merge job by its merge ID. Returns its status (running, completed or failed), start and end times, and once completed the merged file URL and file name',
		getAll:
			'List merge jobs, optionally only those of a room, a session or a status. Returns for each job its ID, session ID, status, times and, once completed, the file URL and file name',
	},
	participantRecording: {
		delete: "Delete one participant recording by its recording ID. Returns VideoSDK's confirmation",
		get: 'Get one participant recording by its recording ID. Returns its session, participant, kind, times and files',
		getAll:
			'List participant recordings, optionally of a room, session or participant. Returns for each recording its ID, session, participant, kind and times',
		start: "Start recording one participant's audio and video in a room, given the room ID and participant ID. Returns VideoSDK's confirmation",
		stop: "Stop recording one participant in a room, given the room ID and participant ID. Returns VideoSDK's confirmation",
	},
};

const resourceOf = (property: INodeProperties): string | undefined =>
	property.displayOptions?.show?.resource?.map(String)[0];

/** The node's fields for its tool variant: each operation's action says what it does and returns. */
export function toolProperties(properties: INodeProperties[]): INodeProperties[] {
	return properties.map((property) => {
		const actions = property.name === 'operation' ? TOOL_ACTIONS[resourceOf(property) ?? ''] : undefined;
		if (!actions) return property;
		const options = (property.options as INodePropertyOptions[]).map((option) => {
			const action = actions[String(option.value)];
			return action ? { ...option, action } : option;
		});
		return { ...property, options };
	});
}
