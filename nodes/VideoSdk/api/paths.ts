/** Where VideoSDK's REST API answers. */

export const DEFAULT_BASE_URL = 'https://api.videosdk.live';

export const API_PATHS = {
	merge: '/v2/recordings/participant/merge',
	mergeJob: (mergeId: string) => `/v2/recordings/participant/merge/${encodeURIComponent(mergeId)}`,
	/** Serves VideoSDK's RSA public key, which verifies webhook signatures. */
	signatureVerification: '/v2/public/rsa-public-key',
	participantRecordings: '/v2/recordings/participant',
	participantRecording: (recordingId: string) =>
		`/v2/recordings/participant/${encodeURIComponent(recordingId)}`,
	participantRecordingStart: '/v2/recordings/participant/start',
	participantRecordingStop: '/v2/recordings/participant/stop',
	sessions: '/v2/sessions/',
	session: (sessionId: string) => `/v2/sessions/${encodeURIComponent(sessionId)}`,
	sessionParticipants: (sessionId: string) =>
		`/v2/sessions/${encodeURIComponent(sessionId)}/participants`,
} as const;
