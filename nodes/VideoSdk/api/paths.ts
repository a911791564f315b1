/** Where VideoSDK's REST API answers. */

export const DEFAULT_BASE_URL = 'https://api.videosdk.live';

/** VideoSDK's IDs are short (24 hex digits, UUIDs); anything far longer is a mistake or an attack. */
export const MAX_ID_LENGTH = 200;

/** What a value that is not the expected text or number is, for a message ("a list of 2"). */
export const kindOfValue = (value: unknown): string => {
	if (Array.isArray(value)) return `a list of ${value.length}`;
	if (typeof value === 'object') return 'an object';
	return `a ${typeof value}`;
};

/**
 * Why a value cannot be an ID in a URL path, or undefined when it can. `.` and `..` pass
 * encodeURIComponent unchanged, and URL normalisation would then resolve them to another endpoint.
 */
export function idProblem(id: unknown): string | undefined {
	if (typeof id === 'number') return Number.isFinite(id) ? undefined : 'is not a finite number';
	if (id === null || id === undefined) return 'is missing';
	if (typeof id !== 'string') return `must be text, but got ${kindOfValue(id)}`;
	const trimmed = id.trim();
	if (trimmed === '') return 'is empty';
	if (trimmed === '.' || trimmed === '..') return `"${trimmed}" is not an ID`;
	if (trimmed.length > MAX_ID_LENGTH) return `is ${trimmed.length} characters long; IDs have at most ${MAX_ID_LENGTH}`;
	return undefined;
}

/** The one way an ID enters a path: exactly one segment, or an error before any request. */
export function idSegment(id: string | number): string {
	const problem = idProblem(id);
	if (problem) throw new Error(`The ID ${problem}`);
	return encodeURIComponent(String(id).trim());
}

export const API_PATHS = {
	merge: '/v2/recordings/participant/merge',
	mergeJob: (mergeId: string) => `/v2/recordings/participant/merge/${idSegment(mergeId)}`,
	/** Serves VideoSDK's RSA public key, which verifies webhook signatures. */
	signatureVerification: '/v2/public/rsa-public-key',
	participantRecordings: '/v2/recordings/participant',
	participantRecording: (recordingId: string) => `/v2/recordings/participant/${idSegment(recordingId)}`,
	participantRecordingStart: '/v2/recordings/participant/start',
	participantRecordingStop: '/v2/recordings/participant/stop',
	sessions: '/v2/sessions/',
	session: (sessionId: string) => `/v2/sessions/${idSegment(sessionId)}`,
	sessionParticipants: (sessionId: string) => `/v2/sessions/${idSegment(sessionId)}/participants`,
} as const;
