/**
 * The names the node's fields give their list methods (typeOptions), defined once for the fields
 * (descriptions/) and the methods themselves (methods/), which n8n looks up by these names.
 */
export const LIST_SEARCH = {
	sessions: 'searchSessions',
	mergeJobs: 'searchMergeJobs',
	participantRecordings: 'searchParticipantRecordings',
} as const;

export const LOAD_OPTIONS = {
	sessionSpeakers: 'getSessionSpeakers',
} as const;
