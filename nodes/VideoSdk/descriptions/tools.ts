import type { INodeProperties } from 'n8n-workflow';

/**
 * What an AI Agent's model reads about each operation of the "VideoSDK Tool": what it does, what
 * to give it and what it returns. n8n gives a tool node a "Description" field (toolDescription)
 * unless the node has its own: ours is one per operation, shown only on the tool ('@tool', as n8n's
 * HTTP Request does), its default the operation's text below, which the user may rewrite. The
 * workflow's node keeps its fields as they are.
 */
export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
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

/** The tool's "Description" field, one per operation, each holding that operation's text. */
export const toolDescriptionFields = (): INodeProperties[] =>
	Object.entries(TOOL_DESCRIPTIONS).flatMap(([resource, operations]) =>
		Object.entries(operations).map(([operation, text]) => ({
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string' as const,
			default: text,
			required: true,
			typeOptions: { rows: 3 },
			description:
				'Explain to the model what this tool does, what to give it and what it returns. A specific description makes the model use it right more often.',
			displayOptions: { show: { '@tool': [true], resource: [resource], operation: [operation] } },
		})),
	);
