import type { MergeRecordingRequest } from '../../nodes/VideoSdk/api';

const MERGE_KEYS = new Set<keyof MergeRecordingRequest>([
	'sessionId',
	'channel1',
	'channel2',
	'webhookUrl',
	'type',
	'dirPath',
]);
const TYPES = new Set(['participant', 'track']);

const isNonEmptyString = (value: unknown): value is string =>
	typeof value === 'string' && value.trim() !== '';

const isHttpUrl = (value: unknown) =>
	typeof value === 'string' && /^https?:\/\/[^\s]+$/.test(value) && URL.canParse(value);

function channelProblem(name: string, channel: unknown): string | undefined {
	if (!Array.isArray(channel) || channel.length === 0) return `${name} must be a non-empty array`;
	for (const [index, entry] of channel.entries()) {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			return `${name}[${index}] must be an object`;
		}
		const { participantId, recordingId, type, ...rest } = entry as Record<string, unknown>;
		if (!isNonEmptyString(participantId)) return `${name}[${index}].participantId is required`;
		if (recordingId !== undefined && !isNonEmptyString(recordingId)) {
			return `${name}[${index}].recordingId must be a non-empty string`;
		}
		if (type !== undefined && !TYPES.has(String(type))) return `${name}[${index}].type is invalid`;
		const unknown = Object.keys(rest);
		if (unknown.length > 0) return `${name}[${index}] has unknown field ${unknown[0]}`;
	}
	return undefined;
}

/** The documented rules of POST /v2/recordings/participant/merge; a message for the first broken one. */
export function validateMergeRequest(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Body must be a JSON object';
	const request = body as Record<string, unknown>;
	const unknown = Object.keys(request).find((key) => !MERGE_KEYS.has(key as keyof MergeRecordingRequest));
	if (unknown) return `Unknown field ${unknown}`;
	if (!isNonEmptyString(request.sessionId)) return 'sessionId is required';
	const channelIssue =
		channelProblem('channel1', request.channel1) ?? channelProblem('channel2', request.channel2);
	if (channelIssue) return channelIssue;
	if (request.webhookUrl !== undefined) {
		if (!isHttpUrl(request.webhookUrl)) return 'webhookUrl must be an http(s) URL';
	}
	if (request.type !== undefined && !TYPES.has(String(request.type))) return 'type is invalid';
	if (request.dirPath !== undefined && !isNonEmptyString(request.dirPath)) {
		return 'dirPath must be a non-empty string';
	}
	return undefined;
}

/** POST /v2/recordings/participant/start and /stop. */
export function validateParticipantRecordingRequest(body: unknown, starting: boolean): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return 'Body must be a JSON object';
	const { roomId, participantId, fileFormat, webhookUrl, bucketDirPath, ...rest } = body as Record<string, unknown>;
	const unknown = Object.keys(rest);
	if (unknown.length > 0) return `Unknown field ${unknown[0]}`;
	if (!isNonEmptyString(roomId)) return 'roomId is required';
	if (!isNonEmptyString(participantId)) return 'participantId is required';
	if (!starting && (fileFormat ?? webhookUrl ?? bucketDirPath) !== undefined) return 'Only roomId and participantId are allowed';
	if (fileFormat !== undefined && fileFormat !== 'webm') return 'fileFormat must be webm';
	if (webhookUrl !== undefined && !isHttpUrl(webhookUrl)) return 'webhookUrl must be an http(s) URL';
	if (bucketDirPath !== undefined && !isNonEmptyString(bucketDirPath)) return 'bucketDirPath must be a non-empty string';
	return undefined;
}
