/**
 * What the fake VideoSDK holds (merge jobs, recordings, sessions, the requests it received) and how
 * a test steers it: seeding, injected failures, merges that fail, go silent or hold their callbacks.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';

import type {
	MergeJob,
	MergeRecordingRequest,
	ParticipantRecording,
	Session,
	WebhookPayload,
} from '../../nodes/VideoSdk/api';
import { SIGNATURE_HEADER } from '../../nodes/VideoSdk/api';
import { postOnce } from './http';
import { silentMp3 } from './mp3';
import type {
	FakeVideoSdkApi,
	InjectedFailure,
	RecordedRequest,
	RequestMatcher,
	SendWebhookOptions,
	SessionSeed,
	WebhookDelivery,
} from './types';
import { emptyWebm } from './webm';

export const hexId = (bytes = 12) => randomBytes(bytes).toString('hex');
const meetingIdFor = (sessionId: string) => {
	const letters = Buffer.from(sessionId).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
	const padded = (letters + 'meetingroom').slice(0, 11);
	return `${padded.slice(0, 3)}-${padded.slice(3, 7)}-${padded.slice(7, 10)}`;
};

function newKeyPair() {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

type StoredSession = Session & { customRoomId?: string };

/** A session as VideoSDK answers it: customRoomId is only a filter of the session list. */
export const publicSession = ({ customRoomId: _customRoomId, ...session }: StoredSession): Session => session;

export interface FakeVideoSdkSettings {
	apiKey: string;
	secretKey: string;
	mergeCompletionDelayMs: number;
	autoWebhooks: boolean;
	beforeCallback?: (webhookUrl: string) => Promise<void>;
	closeServer(): Promise<void>;
}

export class FakeVideoSdk implements FakeVideoSdkApi {
	url = '';
	apiKey: string;
	secretKey: string;
	requests: RecordedRequest[] = [];
	fileRequests: RecordedRequest[] = [];
	fileDelayMs = 0;
	merges = new Map<string, MergeJob>();
	participantRecordings = new Map<string, ParticipantRecording>();
	sessions = new Map<string, StoredSession>();
	activeRecordings = new Set<string>();
	webhookDeliveries: WebhookDelivery[] = [];
	publicKeyEndpoint: FakeVideoSdkApi['publicKeyEndpoint'] = { mode: 'ok', delayMs: 10_000 };
	sessionOrder: FakeVideoSdkApi['sessionOrder'] = 'newestFirst';
	mergeOrder: FakeVideoSdkApi['mergeOrder'] = 'oldestFirst';
	responseDelayMs = 0;
	peakInFlight = 0;

	private keys = newKeyPair();
	private failures: Array<{ match: RequestMatcher; failure: InjectedFailure; left: number }> = [];
	private readonly failingSessions = new Map<string, string>();
	private readonly silentSessions = new Set<string>();
	private readonly holdingSessions = new Set<string>();
	private readonly uncalledSessions = new Set<string>();
	private readonly sessionDurations = new Map<string, number>();
	private readonly heldCallbacks: Array<() => Promise<number>> = [];
	private readonly pending = new Set<Promise<void>>();
	private readonly completionTimers = new Set<NodeJS.Timeout>();

	constructor(private readonly settings: FakeVideoSdkSettings) {
		this.apiKey = settings.apiKey;
		this.secretKey = settings.secretKey;
	}

	async close() {
		for (const timer of this.completionTimers) clearTimeout(timer);
		this.completionTimers.clear();
		await this.settings.closeServer();
	}

	reset() {
		this.requests.length = 0;
		this.fileRequests.length = 0;
		this.fileDelayMs = 0;
		this.merges.clear();
		this.participantRecordings.clear();
		this.sessions.clear();
		this.activeRecordings.clear();
		this.webhookDeliveries.length = 0;
		this.publicKeyEndpoint = { mode: 'ok', delayMs: 10_000 };
		this.sessionOrder = 'newestFirst';
		this.mergeOrder = 'oldestFirst';
		this.responseDelayMs = 0;
		this.peakInFlight = 0;
		this.failures = [];
		this.failingSessions.clear();
		this.silentSessions.clear();
		this.holdingSessions.clear();
		this.uncalledSessions.clear();
		this.sessionDurations.clear();
		this.heldCallbacks.length = 0;
	}

	failNext(match: RequestMatcher, failure: InjectedFailure) {
		this.failures.push({ match, failure, left: failure.times ?? 1 });
	}

	/** The injected failure this request meets, if any, counted as used. */
	takeFailure(request: RecordedRequest): InjectedFailure | undefined {
		const injected = this.failures.find(({ match }) =>
			typeof match === 'string' ? request.path === match : match(request),
		);
		if (!injected) return undefined;
		injected.left -= 1;
		if (injected.left <= 0) this.failures = this.failures.filter((entry) => entry !== injected);
		return injected.failure;
	}

	failMerges(sessionId: string, reason = 'Recording of a participant could not be found') {
		this.failingSessions.set(sessionId, reason);
	}

	silent(sessionId: string) {
		this.silentSessions.add(sessionId);
	}

	neverCallBack(sessionId: string) {
		this.uncalledSessions.add(sessionId);
	}

	finishMergesAfter(sessionId: string, durationMs: number) {
		this.sessionDurations.set(sessionId, durationMs);
	}

	holdCallbacks(sessionId: string) {
		this.holdingSessions.add(sessionId);
	}

	async releaseCallbacks(count: number, timeoutMs = 30_000) {
		const deadline = Date.now() + timeoutMs;
		while (this.heldCallbacks.length < count) {
			if (Date.now() > deadline) throw new Error(`${this.heldCallbacks.length} of ${count} callbacks were held`);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		return await Promise.all(this.heldCallbacks.splice(0).map(async (send) => await send()));
	}

	/** Merge jobs, completed (or failed, in a failing session) unless `overrides` says `status: 'running'`. */
	seedMerges(count: number, overrides: Partial<MergeJob> = {}) {
		return Array.from({ length: count }, (_, index) => {
			const seeded: MergeJob = {
				id: hexId(),
				channel1: [{ participantId: `participant-a-${index}`, recordingId: hexId() }],
				channel2: [{ participantId: `participant-b-${index}`, recordingId: hexId() }],
				start: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
				status: 'running',
				sessionId: `session-${index}`,
				meetingId: meetingIdFor(`session-${index}`),
				...overrides,
			};
			// A running job has neither end nor file yet.
			const job = overrides.status === 'running' ? seeded : this.completedJob(seeded);
			const stored = { ...job, ...overrides };
			this.merges.set(stored.id, stored);
			return stored;
		});
	}

	endMerge(id: string, { status = 'completed', end = new Date() }: { status?: 'completed' | 'failed'; end?: Date } = {}) {
		const job = this.merges.get(id);
		if (!job || job.status !== 'running') throw new Error(`No running merge job ${id}`);
		const ended = { ...this.completedJob(job, status === 'failed'), end: end.toISOString() };
		this.merges.set(id, ended);
		return ended;
	}

	/** The merge jobs as GET …/participant/merge lists them, in mergeOrder (creation order, a Map's order). */
	listedMerges(): MergeJob[] {
		const created = [...this.merges.values()];
		return this.mergeOrder === 'newestFirst' ? created.reverse() : created;
	}

	seedSession(participantIds = ['host', 'guest'], seed: SessionSeed = {}) {
		const { names = {}, unrecorded = [], ...overrides } = seed;
		const start = new Date(Date.UTC(2026, 0, 1, 10) + this.sessions.size * 3_600_000);
		const end = new Date(start.getTime() + 1_800_000);
		const session = {
			id: hexId(),
			roomId: overrides.roomId ?? 'abc-defg-hij',
			start: start.toISOString(),
			end: end.toISOString(),
			participants: [...participantIds, ...unrecorded].map((participantId) => ({
				participantId,
				name: names[participantId] ?? `Name of ${participantId}`,
				timelog: [{ start: start.toISOString(), end: end.toISOString() }],
			})),
			...overrides,
		};
		this.sessions.set(session.id, session);
		const recordings = participantIds.map((participantId) => {
			const id = hexId();
			const recording: ParticipantRecording = {
				id,
				sessionId: session.id,
				participantId,
				roomId: session.roomId,
				kind: 'audio',
				fileFormat: 'webm',
				start: session.start,
				end: session.end,
				files: [
					{
						fileUrl: `${this.url}/files/${id}.webm`,
						// VideoSDK's documented layout: sessionId/participantId/file.
						filePath: `${session.id}/${participantId}/${id}.webm`,
						type: 'audio',
						size: emptyWebm().length,
					},
				],
			};
			this.participantRecordings.set(recording.id, recording);
			return recording;
		});
		return { session: publicSession(session), recordings };
	}

	signBody(rawBody: string | Buffer) {
		return createSign('sha256').update(rawBody).sign(this.keys.privateKey, 'base64');
	}

	publicKeyPem() {
		return this.keys.publicKeyPem;
	}

	async sendWebhook(url: string, payload: WebhookPayload<string, unknown>, sendOptions: SendWebhookOptions = {}) {
		const rawBody = sendOptions.rawBody ?? JSON.stringify(payload);
		const headers: Record<string, string> = {
			'content-type': 'application/json',
			...sendOptions.headers,
		};
		const signature = sendOptions.signature ?? 'valid';
		if (signature === 'valid') headers[SIGNATURE_HEADER] = this.signBody(rawBody);
		if (signature === 'invalid') {
			headers[SIGNATURE_HEADER] = createSign('sha256')
				.update(rawBody)
				.sign(newKeyPair().privateKey, 'base64');
		}
		if (typeof signature === 'object') headers[SIGNATURE_HEADER] = signature.header;
		else if (!['valid', 'invalid', 'none'].includes(signature)) headers[SIGNATURE_HEADER] = signature;
		return await postOnce(url, headers, rawBody);
	}

	rotateKey() {
		this.keys = newKeyPair();
	}

	async settled() {
		while (this.pending.size > 0) await Promise.all([...this.pending]);
	}

	/** Starts a merge job as VideoSDK does: running now, finished (and called back) after the delay. */
	startMerge(request: MergeRecordingRequest): MergeJob {
		// Without recordingId VideoSDK takes the participant's (audio first) recording of that session.
		const resolve = (channel: MergeRecordingRequest['channel1']) =>
			channel.map(({ participantId, recordingId }) => ({
				recordingId: recordingId ?? this.recordingOf(request.sessionId, participantId)?.id ?? hexId(),
				participantId,
			}));
		const job: MergeJob = {
			id: hexId(),
			channel1: resolve(request.channel1),
			channel2: resolve(request.channel2),
			start: new Date().toISOString(),
			status: 'running',
			meetingId: this.sessions.get(request.sessionId)?.roomId ?? meetingIdFor(request.sessionId),
			sessionId: request.sessionId,
		};
		this.merges.set(job.id, job);
		this.scheduleCompletion(job.id, request.webhookUrl, this.sessionDurations.get(job.sessionId));
		return job;
	}

	/** The bytes behind a file URL the fake handed out, or undefined for any other path. */
	fileAt(path: string): { bytes: Buffer; contentType: string } | undefined {
		const mergeId = /^\/files\/([^/]+)\.mp3$/.exec(path)?.[1];
		if (mergeId && this.merges.get(decodeURIComponent(mergeId))?.file) {
			return { bytes: silentMp3(), contentType: 'audio/mpeg' };
		}
		const url = `${this.url}${path}`;
		const recorded = [...this.participantRecordings.values()].some((recording) =>
			recording.files.some((file) => file.fileUrl === url),
		);
		return recorded ? { bytes: emptyWebm(), contentType: 'video/webm' } : undefined;
	}

	private recordingOf(sessionId: string, participantId: string): ParticipantRecording | undefined {
		const candidates = [...this.participantRecordings.values()].filter(
			(recording) => recording.sessionId === sessionId && recording.participantId === participantId,
		);
		return candidates.find((recording) => recording.kind === 'audio') ?? candidates[0];
	}

	private completedJob(job: MergeJob, fails = this.failingSessions.has(job.sessionId)): MergeJob {
		const end = new Date(Date.parse(job.start) + 90_000).toISOString();
		if (fails) return { ...job, status: 'failed', end };
		return {
			...job,
			status: 'completed',
			end,
			file: {
				id: hexId(),
				fileUrl: `${this.url}/files/${job.id}.mp3`,
				filePath: `merged/${job.id}.mp3`,
				type: 'audio',
				size: silentMp3().length,
				meta: { format: 'mp3', duration: 1 },
			},
		};
	}

	private scheduleCompletion(jobId: string, webhookUrl?: string, durationMs = this.settings.mergeCompletionDelayMs) {
		const done = (async () => {
			await this.completionDelay(durationMs);
			const job = this.merges.get(jobId);
			// A job VideoSDK never finishes (nor reports), for tests of waiting in vain.
			if (!job || this.silentSessions.has(job.sessionId)) return;
			const finished = this.completedJob(job);
			this.merges.set(jobId, finished);
			if (!webhookUrl || !this.settings.autoWebhooks || this.uncalledSessions.has(job.sessionId)) return;
			await this.callBack(webhookUrl, finished);
		})();
		this.pending.add(done);
		void done.finally(() => this.pending.delete(done));
	}

	/** Tracked so close() can cancel it: a job still running must not keep the process alive. */
	private completionDelay(durationMs: number) {
		return new Promise<void>((resolve) => {
			const timer = setTimeout(() => {
				this.completionTimers.delete(timer);
				resolve();
			}, durationMs);
			this.completionTimers.add(timer);
		});
	}

	/** The webhook of a finished job, sent now or, for a holding session, when released. */
	private async callBack(webhookUrl: string, finished: MergeJob) {
		const data: Record<string, unknown> = {
			id: finished.id,
			meetingId: finished.meetingId,
			sessionId: finished.sessionId,
		};
		if (finished.status === 'failed') data.message = this.failingSessions.get(finished.sessionId);
		const webhookType = finished.status === 'failed' ? 'merge-recording-failed' : 'merge-recording-completed';
		const delivery: WebhookDelivery = { url: webhookUrl, payload: { webhookType, data } };
		this.webhookDeliveries.push(delivery);
		const send = async (ready?: () => Promise<void>) => {
			try {
				await ready?.();
				delivery.status = (await this.sendWebhook(webhookUrl, delivery.payload)).status;
			} catch (error) {
				delivery.error = (error as Error).message;
			}
			return delivery.status ?? 0;
		};
		// A held callback goes when the test releases it, all at once: the test has seen the pause.
		if (this.holdingSessions.has(finished.sessionId)) this.heldCallbacks.push(send);
		else await send(async () => await this.settings.beforeCallback?.(webhookUrl));
	}
}
