/**
 * The VideoSDK REST shapes this package speaks, defined once: the nodes, the fake API and the tests
 * all import these. Source: docs.videosdk.live API reference and @videosdk.live/server-sdk.
 */

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
