/**
 * A faithful fake of the VideoSDK REST API on 127.0.0.1, for tests, the e2e suite, the demo and the
 * benchmark. It checks tokens as strictly as VideoSDK, validates bodies as documented, answers with
 * the documented shapes (nodes/VideoSdk/api/) and sends signed webhooks.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JwtPayload } from 'jsonwebtoken';
import { verify } from 'jsonwebtoken';

import type {
	ApiErrorBody,
	MergeJob,
	MergeJobList,
	MergeRecordingResponse,
	PageInfo,
	ParticipantRecording,
	ParticipantRecordingList,
	PublicKeyResponse,
	Session,
	SessionList,
	SessionParticipantList,
	WebhookPayload,
} from '../../nodes/VideoSdk/api';
import { API_PATHS, SIGNATURE_HEADER } from '../../nodes/VideoSdk/api';
import { silentMp3 } from './mp3';
import { validateMergeRequest, validateParticipantRecordingRequest } from './validation';
import { emptyWebm } from './webm';

export interface FakeApiOptions {
	apiKey?: string;
	secretKey?: string;
	/** 0 (the default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1: the fake never listens beyond this machine unless told to. */
	host?: string;
	/** How long a merge job runs before it completes (or fails) and its webhook is sent. */
	mergeCompletionDelayMs?: number;
	/** Whether finished merges call their webhookUrl. */
	autoWebhooks?: boolean;
	/** Called for each handled request (the CLI logs them); never given the token. */
	onRequest?: (request: RecordedRequest, status: number) => void;
}

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	body: unknown;
	authorization?: string;
	/** The verified claims of the token; undefined when it was refused. */
	tokenClaims?: JwtPayload;
	receivedAt: number;
}

export interface InjectedFailure {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Answer only after this long (a request timeout can be provoked this way). */
	delayMs?: number;
	/** How many matching requests fail this way (default 1). */
	times?: number;
}

type RequestMatcher = string | ((request: RecordedRequest) => boolean);

export interface WebhookDelivery {
	url: string;
	payload: WebhookPayload<string, unknown>;
	status?: number;
	error?: string;
}

export interface SendWebhookOptions {
	/**
	 * 'valid' signs with the current key; 'invalid' sends a well-formed signature by another key;
	 * 'none' sends no header; any other string (or { header }) is sent as the header verbatim.
	 */
	signature?: 'valid' | 'invalid' | 'none' | (string & {}) | { header: string };
	rawBody?: string;
	headers?: Record<string, string>;
}

export type SessionSeed = Partial<Session> & {
	customRoomId?: string;
	names?: Record<string, string>;
	unrecorded?: string[];
};

export interface FakeVideoSdkApi {
	url: string;
	apiKey: string;
	secretKey: string;
	requests: RecordedRequest[];
	/** Downloads of files, kept apart from API calls: a test can see what headers a download carried. */
	fileRequests: RecordedRequest[];
	/** Delay every file download (to provoke a download timeout). */
	fileDelayMs: number;
	merges: Map<string, MergeJob>;
	participantRecordings: Map<string, ParticipantRecording>;
	sessions: Map<string, Session & { customRoomId?: string }>;
	/** Participants whose recording is running, as `roomId/participantId`. */
	activeRecordings: Set<string>;
	webhookDeliveries: WebhookDelivery[];
	publicKeyEndpoint: { mode: 'ok' | 'error' | 'slow'; delayMs: number };
	/**
	 * How GET /v2/sessions/ orders sessions, by start: VideoSDK does not document it, so the editor's
	 * list must cope with both (the default is newest first).
	 */
	sessionOrder: 'newestFirst' | 'oldestFirst';
	/** Delay every API answer (to observe concurrency); peakInFlight counts overlapping requests. */
	responseDelayMs: number;
	peakInFlight: number;
	close(): Promise<void>;
	reset(): void;
	failNext(match: RequestMatcher, failure: InjectedFailure): void;
	/** Merges of this session end as failed, their callback carrying `reason`, instead of completing. */
	failMerges(sessionId: string, reason?: string): void;
	/** Merges of this session never end nor call back, as if VideoSDK lost them. */
	silent(sessionId: string): void;
	seedMerges(count: number, overrides?: Partial<MergeJob>): MergeJob[];
	/**
	 * A finished session of `participantIds`, each with one audio recording, an hour after the one
	 * seeded before it; `names` gives participants their display names, `unrecorded` lists
	 * participants who took part without being recorded.
	 */
	seedSession(participantIds?: string[], overrides?: SessionSeed): {
		session: Session;
		recordings: ParticipantRecording[];
	};
	signBody(rawBody: string | Buffer): string;
	publicKeyPem(): string;
	sendWebhook(url: string, payload: WebhookPayload<string, unknown>, options?: SendWebhookOptions): Promise<{ status: number; body: string }>;
	rotateKey(): void;
	/** Resolves when every merge scheduled so far has finished and sent its webhook. */
	settled(): Promise<void>;
}

const hexId = (bytes = 12) => randomBytes(bytes).toString('hex');
const meetingIdFor = (sessionId: string) => {
	const letters = Buffer.from(sessionId).toString('hex').replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]);
	const padded = (letters + 'meetingroom').slice(0, 11);
	return `${padded.slice(0, 3)}-${padded.slice(3, 7)}-${padded.slice(7, 10)}`;
};

function newKeyPair() {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

const readBody = (request: IncomingMessage) =>
	new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});

/**
 * One POST on a connection of its own, as each VideoSDK callback is: a server that closes the
 * connection after refusing a request cannot break a pooled neighbour.
 */
function postOnce(url: string, headers: Record<string, string>, body: string) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
			);
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(body);
	});
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Paging as VideoSDK does it: page and perPage in, pageInfo out. */
function paginate<T>(entries: T[], query: Record<string, string>): { pageInfo: PageInfo; page: T[] } {
	const perPage = Math.max(1, Number(query.perPage) || 20);
	const currentPage = Math.max(1, Number(query.page) || 1);
	const lastPage = Math.max(1, Math.ceil(entries.length / perPage));
	const page = entries.slice((currentPage - 1) * perPage, currentPage * perPage);
	return { pageInfo: { currentPage, perPage, lastPage, total: entries.length }, page };
}

export async function startFakeVideoSdkApi(options: FakeApiOptions = {}): Promise<FakeVideoSdkApi> {
	const apiKey = options.apiKey ?? 'fake-api-key';
	const secretKey = options.secretKey ?? `fake-secret-${hexId(8)}`;
	const completionDelayMs = options.mergeCompletionDelayMs ?? 100;
	const autoWebhooks = options.autoWebhooks ?? true;
	const host = options.host ?? '127.0.0.1';

	let keys = newKeyPair();
	let failures: Array<{ match: RequestMatcher; failure: InjectedFailure; left: number }> = [];
	const failingSessions = new Map<string, string>();
	const silentSessions = new Set<string>();
	const pending = new Set<Promise<void>>();
	const completionTimers = new Set<NodeJS.Timeout>();
	let inFlight = 0;

	const api: FakeVideoSdkApi = {
		url: '',
		apiKey,
		secretKey,
		requests: [],
		fileRequests: [],
		fileDelayMs: 0,
		merges: new Map(),
		participantRecordings: new Map(),
		sessions: new Map(),
		activeRecordings: new Set(),
		webhookDeliveries: [],
		publicKeyEndpoint: { mode: 'ok', delayMs: 10_000 },
		sessionOrder: 'newestFirst',
		responseDelayMs: 0,
		peakInFlight: 0,
		close: async () => {
			for (const timer of completionTimers) clearTimeout(timer);
			completionTimers.clear();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
		reset: () => {
			api.requests.length = 0;
			api.fileRequests.length = 0;
			api.fileDelayMs = 0;
			api.merges.clear();
			api.participantRecordings.clear();
			api.sessions.clear();
			api.activeRecordings.clear();
			api.webhookDeliveries.length = 0;
			api.publicKeyEndpoint = { mode: 'ok', delayMs: 10_000 };
			api.sessionOrder = 'newestFirst';
			api.responseDelayMs = 0;
			api.peakInFlight = 0;
			failures = [];
			failingSessions.clear();
			silentSessions.clear();
		},
		failNext: (match, failure) => {
			failures.push({ match, failure, left: failure.times ?? 1 });
		},
		failMerges: (sessionId, reason = 'Recording of a participant could not be found') => {
			failingSessions.set(sessionId, reason);
		},
		silent: (sessionId) => {
			silentSessions.add(sessionId);
		},
		seedMerges: (count, overrides = {}) =>
			Array.from({ length: count }, (_, index) => {
				const job = completedJob({
					id: hexId(),
					channel1: [{ participantId: `participant-a-${index}`, recordingId: hexId() }],
					channel2: [{ participantId: `participant-b-${index}`, recordingId: hexId() }],
					start: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
					status: 'running',
					sessionId: `session-${index}`,
					meetingId: meetingIdFor(`session-${index}`),
					...overrides,
				});
				const stored = { ...job, ...overrides };
				api.merges.set(stored.id, stored);
				return stored;
			}),
		seedSession: (participantIds = ['host', 'guest'], seed = {}) => {
			const { names = {}, unrecorded = [], ...overrides } = seed;
			const start = new Date(Date.UTC(2026, 0, 1, 10) + api.sessions.size * 3_600_000);
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
			api.sessions.set(session.id, session);
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
							fileUrl: `${api.url}/files/${id}.webm`,
							// VideoSDK's documented layout: sessionId/participantId/file.
							filePath: `${session.id}/${participantId}/${id}.webm`,
							type: 'audio',
							size: emptyWebm().length,
						},
					],
				};
				api.participantRecordings.set(recording.id, recording);
				return recording;
			});
			const { customRoomId: _customRoomId, ...publicSession } = session;
			return { session: publicSession, recordings };
		},
		signBody: (rawBody) => createSign('sha256').update(rawBody).sign(keys.privateKey, 'base64'),
		publicKeyPem: () => keys.publicKeyPem,
		sendWebhook: async (url, payload, sendOptions = {}) => {
			const rawBody = sendOptions.rawBody ?? JSON.stringify(payload);
			const headers: Record<string, string> = {
				'content-type': 'application/json',
				...sendOptions.headers,
			};
			const signature = sendOptions.signature ?? 'valid';
			if (signature === 'valid') headers[SIGNATURE_HEADER] = api.signBody(rawBody);
			if (signature === 'invalid') {
				headers[SIGNATURE_HEADER] = createSign('sha256')
					.update(rawBody)
					.sign(newKeyPair().privateKey, 'base64');
			}
			if (typeof signature === 'object') headers[SIGNATURE_HEADER] = signature.header;
			else if (!['valid', 'invalid', 'none'].includes(signature)) headers[SIGNATURE_HEADER] = signature;
			return await postOnce(url, headers, rawBody);
		},
		rotateKey: () => {
			keys = newKeyPair();
		},
		settled: async () => {
			while (pending.size > 0) await Promise.all([...pending]);
		},
	};

	function completedJob(job: MergeJob): MergeJob {
		const end = new Date(Date.parse(job.start) + 90_000).toISOString();
		if (failingSessions.has(job.sessionId)) return { ...job, status: 'failed', end };
		return {
			...job,
			status: 'completed',
			end,
			file: {
				id: hexId(),
				fileUrl: `${api.url}/files/${job.id}.mp3`,
				filePath: `merged/${job.id}.mp3`,
				type: 'audio',
				size: silentMp3().length,
				meta: { format: 'mp3', duration: 1 },
			},
		};
	}

	function scheduleCompletion(jobId: string, webhookUrl?: string) {
		const done = (async () => {
			// Tracked so close() can cancel it: a job still running must not keep the process alive.
			await new Promise<void>((resolve) => {
				const timer = setTimeout(() => {
					completionTimers.delete(timer);
					resolve();
				}, completionDelayMs);
				completionTimers.add(timer);
			});
			const job = api.merges.get(jobId);
			// A job VideoSDK never finishes (nor reports), for tests of waiting in vain.
			if (!job || silentSessions.has(job.sessionId)) return;
			const finished = completedJob(job);
			api.merges.set(jobId, finished);
			if (!webhookUrl || !autoWebhooks) return;
			const data: Record<string, unknown> = {
				id: finished.id,
				meetingId: finished.meetingId,
				sessionId: finished.sessionId,
			};
			if (finished.status === 'failed') data.message = failingSessions.get(finished.sessionId);
			const webhookType =
				finished.status === 'failed' ? 'merge-recording-failed' : 'merge-recording-completed';
			const delivery: WebhookDelivery = { url: webhookUrl, payload: { webhookType, data } };
			api.webhookDeliveries.push(delivery);
			try {
				delivery.status = (await api.sendWebhook(webhookUrl, delivery.payload)).status;
			} catch (error) {
				delivery.error = (error as Error).message;
			}
		})();
		pending.add(done);
		void done.finally(() => pending.delete(done));
	}

	function recordingOf(sessionId: string, participantId: string): ParticipantRecording | undefined {
		const candidates = [...api.participantRecordings.values()].filter(
			(recording) => recording.sessionId === sessionId && recording.participantId === participantId,
		);
		return candidates.find((recording) => recording.kind === 'audio') ?? candidates[0];
	}

	/** The bytes behind a file URL the fake handed out, or undefined for any other path. */
	function fileAt(path: string): { bytes: Buffer; contentType: string } | undefined {
		const mergeId = /^\/files\/([^/]+)\.mp3$/.exec(path)?.[1];
		if (mergeId && api.merges.get(decodeURIComponent(mergeId))?.file) {
			return { bytes: silentMp3(), contentType: 'audio/mpeg' };
		}
		const url = `${api.url}${path}`;
		const recorded = [...api.participantRecordings.values()].some((recording) =>
			recording.files.some((file) => file.fileUrl === url),
		);
		return recorded ? { bytes: emptyWebm(), contentType: 'video/webm' } : undefined;
	}

	function authenticate(recorded: RecordedRequest): ApiErrorBody | undefined {
		const token = recorded.authorization;
		if (!token) return { message: 'Authorization header is missing' };
		if (/^(bearer|basic)\s/i.test(token)) return { message: 'Token is invalid' };
		try {
			const claims = verify(token, secretKey, { algorithms: ['HS256'] }) as JwtPayload;
			const valid =
				typeof claims.exp === 'number' &&
				claims.apikey === apiKey &&
				claims.version === 2 &&
				Array.isArray(claims.roles) &&
				claims.roles.includes('crawler') &&
				Array.isArray(claims.permissions);
			if (!valid) return { message: 'Token is invalid' };
			recorded.tokenClaims = claims;
			return undefined;
		} catch {
			return { message: 'Token is invalid' };
		}
	}

	function route(recorded: RecordedRequest): { status: number; body: unknown; headers?: Record<string, string> } {
		const { method, path, query } = recorded;
		if (method === 'POST' && path === API_PATHS.merge) {
			const problem = validateMergeRequest(recorded.body);
			if (problem) return { status: 400, body: { message: problem } };
			const request = recorded.body as Parameters<typeof validateMergeRequest>[0] & {
				sessionId: string;
				channel1: Array<{ participantId: string; recordingId?: string }>;
				channel2: Array<{ participantId: string; recordingId?: string }>;
				webhookUrl?: string;
			};
			// Without recordingId VideoSDK takes the participant's (audio first) recording of that session.
			const resolve = (channel: typeof request.channel1) =>
				channel.map(({ participantId, recordingId }) => ({
					recordingId: recordingId ?? recordingOf(request.sessionId, participantId)?.id ?? hexId(),
					participantId,
				}));
			const job: MergeJob = {
				id: hexId(),
				channel1: resolve(request.channel1),
				channel2: resolve(request.channel2),
				start: new Date().toISOString(),
				status: 'running',
				meetingId: api.sessions.get(request.sessionId)?.roomId ?? meetingIdFor(request.sessionId),
				sessionId: request.sessionId,
			};
			api.merges.set(job.id, job);
			scheduleCompletion(job.id, request.webhookUrl);
			const response: MergeRecordingResponse = {
				message: 'Merge recording job started successfully.',
				recording: job,
			};
			return { status: 200, body: response };
		}
		if (method === 'GET' && path === API_PATHS.merge) {
			const matching = [...api.merges.values()].filter(
				(job) =>
					(!query.roomId || job.meetingId === query.roomId) &&
					(!query.sessionId || job.sessionId === query.sessionId) &&
					(!query.status || job.status === query.status) &&
					(!query.id || job.id === query.id),
			);
			const { pageInfo, page } = paginate(matching, query);
			const list: MergeJobList = { pageInfo, recordings: page };
			return { status: 200, body: list };
		}
		const mergeId = method === 'GET' && path.startsWith(`${API_PATHS.merge}/`)
			? decodeURIComponent(path.slice(API_PATHS.merge.length + 1))
			: undefined;
		if (mergeId !== undefined) {
			const job = api.merges.get(mergeId);
			return job
				? { status: 200, body: job }
				: { status: 404, body: { message: 'Merge recording not found.' } };
		}
		return routeRecordingsAndSessions(recorded) ?? { status: 404, body: { message: `Cannot ${method} ${path}` } };
	}

	function routeRecordingsAndSessions(recorded: RecordedRequest): { status: number; body: unknown } | undefined {
		const { method, path, query } = recorded;
		const notFound = (what: string) => ({ status: 404, body: { message: `${what} not found.` } });
		if (method === 'POST' && (path === API_PATHS.participantRecordingStart || path === API_PATHS.participantRecordingStop)) {
			const starting = path === API_PATHS.participantRecordingStart;
			const problem = validateParticipantRecordingRequest(recorded.body, starting);
			if (problem) return { status: 400, body: { message: problem } };
			const { roomId, participantId } = recorded.body as { roomId: string; participantId: string };
			const key = `${roomId}/${participantId}`;
			if (starting) api.activeRecordings.add(key);
			else if (!api.activeRecordings.delete(key)) return notFound('Active recording');
			return {
				status: 200,
				body: { message: `Participant recording ${starting ? 'started' : 'stopped'} successfully.` },
			};
		}
		if (method === 'GET' && path === API_PATHS.participantRecordings) {
			const matching = [...api.participantRecordings.values()].filter(
				(recording) =>
					(!query.roomId || recording.roomId === query.roomId) &&
					(!query.sessionId || recording.sessionId === query.sessionId) &&
					(!query.participantId || recording.participantId === query.participantId),
			);
			const { pageInfo, page } = paginate(matching, query);
			const list: ParticipantRecordingList = { pageInfo, data: page };
			return { status: 200, body: list };
		}
		const recordingId = path.startsWith(`${API_PATHS.participantRecordings}/`)
			? decodeURIComponent(path.slice(API_PATHS.participantRecordings.length + 1))
			: undefined;
		if (recordingId !== undefined && (method === 'GET' || method === 'DELETE')) {
			const recording = api.participantRecordings.get(recordingId);
			if (!recording) return notFound('Participant recording');
			if (method === 'DELETE') {
				api.participantRecordings.delete(recordingId);
				return { status: 200, body: { message: 'Participant recording deleted successfully.' } };
			}
			return { status: 200, body: recording };
		}
		if (method === 'GET' && (path === API_PATHS.sessions || path === API_PATHS.sessions.replace(/\/$/, ''))) {
			const byStart = (a: Session, b: Session) => Date.parse(a.start) - Date.parse(b.start);
			const matching = [...api.sessions.values()]
				.filter(
					(session) =>
						(!query.roomId || session.roomId === query.roomId) &&
						(!query.customRoomId || session.customRoomId === query.customRoomId),
				)
				.sort((a, b) => (api.sessionOrder === 'newestFirst' ? byStart(b, a) : byStart(a, b)));
			const { pageInfo, page } = paginate(
				matching.map(({ customRoomId: _customRoomId, ...session }) => session),
				query,
			);
			const list: SessionList = { pageInfo, data: page };
			return { status: 200, body: list };
		}
		const sessionPath = /^\/v2\/sessions\/([^/]+)(\/participants)?$/.exec(path);
		if (method === 'GET' && sessionPath) {
			const stored = api.sessions.get(decodeURIComponent(sessionPath[1]));
			if (!stored) return notFound('Session');
			const { customRoomId: _customRoomId, ...session } = stored;
			if (!sessionPath[2]) return { status: 200, body: session };
			const { pageInfo, page } = paginate(session.participants, query);
			const list: SessionParticipantList = { pageInfo, data: page };
			return { status: 200, body: list };
		}
		return undefined;
	}

	async function handle(request: IncomingMessage, response: ServerResponse) {
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const rawBody = await readBody(request);
		let body: unknown;
		try {
			body = rawBody ? JSON.parse(rawBody) : undefined;
		} catch {
			body = undefined;
		}
		const authorization = request.headers.authorization;
		const recorded: RecordedRequest = {
			method: request.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: request.headers,
			rawBody,
			body,
			authorization,
			receivedAt: Date.now(),
		};
		const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			const text = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
			response.writeHead(status, {
				'content-type': Buffer.isBuffer(payload) ? 'audio/mpeg' : 'application/json',
				...headers,
			});
			response.end(text);
			options.onRequest?.(recorded, status);
		};

		// Files are plain downloads without a token, as storage links are; only handed-out ones exist.
		if (recorded.path.startsWith('/files/') && recorded.method === 'GET') {
			api.fileRequests.push(recorded);
			if (api.fileDelayMs > 0) await delay(api.fileDelayMs);
			if (response.destroyed) return;
			const file = fileAt(recorded.path);
			return file
				? answer(200, file.bytes, { 'content-type': file.contentType })
				: answer(404, { message: 'File not found.' });
		}
		api.requests.push(recorded);
		if (recorded.path === API_PATHS.signatureVerification && recorded.method === 'GET') {
			const { mode, delayMs } = api.publicKeyEndpoint;
			if (mode === 'error') return answer(500, { message: 'Public key is unavailable' });
			if (mode === 'slow') await delay(delayMs);
			const key: PublicKeyResponse = { publicKey: keys.publicKeyPem };
			return answer(200, key);
		}
		if (request.method === 'POST' && body === undefined && rawBody !== '') {
			return answer(400, { message: 'Body is not valid JSON' });
		}
		const authProblem = authenticate(recorded);
		if (authProblem) return answer(401, authProblem);

		const injected = failures.find(({ match }) =>
			typeof match === 'string' ? recorded.path === match : match(recorded),
		);
		if (injected) {
			injected.left -= 1;
			if (injected.left <= 0) failures = failures.filter((entry) => entry !== injected);
			if (injected.failure.delayMs) await delay(injected.failure.delayMs);
			if (response.destroyed) return;
			return answer(injected.failure.status, injected.failure.body ?? {}, injected.failure.headers);
		}

		const { status, body: responseBody, headers } = route(recorded);
		if (api.responseDelayMs > 0) await delay(api.responseDelayMs);
		return answer(status, responseBody, headers);
	}

	const server: Server = createServer((request, response) => {
		inFlight += 1;
		api.peakInFlight = Math.max(api.peakInFlight, inFlight);
		response.on('close', () => (inFlight -= 1));
		handle(request, response).catch((error: Error) => {
			if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ message: error.message }));
		});
	});
	server.keepAliveTimeout = 1000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const urlHost = host.includes(':') ? `[${host}]` : host;
	api.url = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
	return api;
}
