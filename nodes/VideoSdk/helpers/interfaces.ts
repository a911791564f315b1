/**
 * The VideoSDK REST shapes this package speaks, defined once: the nodes, the fake API used by
 * tests and demos, and the tests themselves all import these.
 * Source: docs.videosdk.live API reference and @videosdk.live/server-sdk (see README).
 */

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

/** Claims VideoSDK expects in the token of a server-side (v2, "crawler") REST call. */
export interface VideoSdkTokenClaims {
	apikey: string;
	permissions: Array<'allow_join' | 'ask_join' | 'allow_mod'>;
	version: 2;
	roles: Array<'crawler' | 'rtc'>;
}

export const REST_TOKEN_CLAIMS: Omit<VideoSdkTokenClaims, 'apikey'> = {
	permissions: ['allow_join', 'allow_mod'],
	version: 2,
	roles: ['crawler'],
};

export type MergeType = 'participant' | 'track';

/** One entry of a merge channel: without recordingId VideoSDK takes the participant's first audio recording. */
export interface ChannelParticipant {
	participantId: string;
	recordingId?: string;
	type?: MergeType;
}

/** Body of POST /v2/recordings/participant/merge. */
export interface MergeRecordingRequest {
	sessionId: string;
	channel1: ChannelParticipant[];
	channel2: ChannelParticipant[];
	webhookUrl?: string;
	type?: MergeType;
	dirPath?: string;
}

export type MergeStatus = 'running' | 'completed' | 'failed';

export interface ResolvedChannelParticipant {
	recordingId: string;
	participantId: string;
}

export interface MergedFile {
	id: string;
	fileUrl: string;
	filePath: string;
	type: string;
	size: number;
	meta: { format: string; duration: number };
}

/** A merge job as VideoSDK returns it. `end` and `file` appear once it has finished. */
export interface MergeJob {
	id: string;
	channel1: ResolvedChannelParticipant[];
	channel2: ResolvedChannelParticipant[];
	start: string;
	end?: string;
	status: MergeStatus;
	meetingId: string;
	sessionId: string;
	file?: MergedFile;
}

export interface MergeRecordingResponse {
	message: string;
	recording: MergeJob;
}

export interface PageInfo {
	currentPage: number;
	perPage: number;
	lastPage: number;
	total: number;
}

/** GET /v2/recordings/participant/merge lists its jobs under `recordings`. */
export interface MergeJobList {
	pageInfo: PageInfo;
	recordings: MergeJob[];
}

/** Filters of GET /v2/recordings/participant/merge. */
export interface MergeJobFilters {
	roomId?: string;
	sessionId?: string;
	status?: Exclude<MergeStatus, 'running'>;
	id?: string;
}

export interface PublicKeyResponse {
	publicKey: string;
}

/** Header in which VideoSDK sends the base64 RSA-SHA256 signature of the raw webhook body. */
export const SIGNATURE_HEADER = 'videosdk-signature';

export const MERGE_WEBHOOK_TYPES = ['merge-recording-completed', 'merge-recording-failed'] as const;
export type MergeWebhookType = (typeof MERGE_WEBHOOK_TYPES)[number];

export const isMergeWebhookType = (type: string): type is MergeWebhookType =>
	(MERGE_WEBHOOK_TYPES as readonly string[]).includes(type);

export interface MergeWebhookData {
	id: string;
	meetingId: string;
	sessionId: string;
	/** Only on merge-recording-failed. */
	message?: string;
}

/** Every webhook VideoSDK sends: the event name and its data. */
export interface WebhookPayload<T extends string = string, D = Record<string, unknown>> {
	webhookType: T;
	data: D;
}

export type MergeWebhookPayload = WebhookPayload<MergeWebhookType, MergeWebhookData>;

/** How VideoSDK reports an error; the official SDK reads `message`, else `error`, else `msg`. */
export interface ApiErrorBody {
	message?: string;
	error?: string;
	msg?: string;
}

export interface RecordingFile {
	fileUrl: string;
	filePath: string;
	type: string;
	size: number;
	meta?: Record<string, unknown>;
}

/** One participant's recording, as GET /v2/recordings/participant lists it. */
export interface ParticipantRecording {
	id: string;
	sessionId: string;
	participantId: string;
	roomId: string;
	kind?: string;
	fileFormat?: string;
	start: string;
	end?: string;
	files: RecordingFile[];
}

export interface ParticipantRecordingList {
	pageInfo: PageInfo;
	data: ParticipantRecording[];
}

/** Body of POST /v2/recordings/participant/start. */
export interface StartParticipantRecordingRequest {
	roomId: string;
	participantId: string;
	fileFormat?: 'webm';
	webhookUrl?: string;
	bucketDirPath?: string;
}

/** Body of POST /v2/recordings/participant/stop. */
export interface StopParticipantRecordingRequest {
	roomId: string;
	participantId: string;
}

export interface SessionParticipant {
	participantId: string;
	name: string;
	timelog: Array<{ start: string; end?: string }>;
}

/** One run of a room (meeting), as GET /v2/sessions/ lists it. */
export interface Session {
	id: string;
	roomId: string;
	start: string;
	end?: string;
	participants: SessionParticipant[];
}

export interface SessionList {
	pageInfo: PageInfo;
	data: Session[];
}

export interface SessionParticipantList {
	pageInfo: PageInfo;
	data: SessionParticipant[];
}
