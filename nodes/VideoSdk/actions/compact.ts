import type { IDataObject } from 'n8n-workflow';

import type { MergeJob, ResolvedChannelParticipant, Session, SessionParticipant } from '../api';
import { mergedFileName } from '../transport/mergedFile';

/**
 * "Simplify": what a model (or a reader) needs of a VideoSDK object, namely IDs, names, times,
 * status and the file, instead of the whole object. Keys VideoSDK left out stay out.
 */

const present = (entries: IDataObject): IDataObject =>
	Object.fromEntries(Object.entries(entries).filter(([, value]) => value !== undefined && value !== null));

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const compactParticipant = (entry: IDataObject): IDataObject => {
	const { participantId, name, timelog } = entry as unknown as SessionParticipant;
	const times = list<{ start?: string; end?: string }>(timelog);
	return present({ participantId, name, joined: times[0]?.start, left: times[times.length - 1]?.end });
};

export const compactSession = (entry: IDataObject): IDataObject => {
	const { id, roomId, start, end, participants } = entry as unknown as Session;
	return present({
		id,
		roomId,
		start,
		end,
		participants: list<SessionParticipant>(participants).map(({ participantId, name }) => present({ participantId, name })),
	});
};

const participantIds = (channel: unknown) =>
	list<ResolvedChannelParticipant>(channel).map(({ participantId }) => participantId);

export const compactMergeJob = (entry: IDataObject): IDataObject => {
	const job = entry as unknown as MergeJob;
	return present({
		id: job.id,
		sessionId: job.sessionId,
		status: job.status,
		start: job.start,
		end: job.end,
		channel1: participantIds(job.channel1),
		channel2: participantIds(job.channel2),
		fileUrl: job.file?.fileUrl,
		fileName: job.file ? mergedFileName(job) : undefined,
	});
};
