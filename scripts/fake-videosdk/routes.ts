/**
 * What each VideoSDK endpoint answers: one entry per method and path. The paths are the package's
 * own (API_PATHS), so the fake serves exactly what the nodes call.
 */
import type {
	MergeJobList,
	MergeRecordingRequest,
	MergeRecordingResponse,
	PageInfo,
	ParticipantRecordingList,
	PublicKeyResponse,
	Session,
	SessionList,
	SessionParticipantList,
} from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { delay } from './http';
import type { FakeVideoSdk } from './state';
import { publicSession } from './state';
import type { RecordedRequest } from './types';
import { validateMergeRequest, validateParticipantRecordingRequest } from './validation';

export interface Answer {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

interface RouteCall {
	request: RecordedRequest;
	/** The ID the path names, decoded; '' for a fixed path. */
	id: string;
	fake: FakeVideoSdk;
}

export interface Route {
	method: 'GET' | 'POST' | 'DELETE';
	/** A fixed path, or one of API_PATHS' functions of an ID: the ID is then one path segment. */
	path: string | ((id: string) => string);
	/** VideoSDK serves it without a token; the fake neither checks one nor delays the answer. */
	tokenless?: boolean;
	handle(call: RouteCall): Answer | Promise<Answer>;
}

const ROUTES: Route[] = [
	{ method: 'POST', path: API_PATHS.merge, handle: startMerge },
	{ method: 'GET', path: API_PATHS.merge, handle: listMerges },
	{ method: 'GET', path: API_PATHS.mergeJob, handle: getMerge },
	{ method: 'POST', path: API_PATHS.participantRecordingStart, handle: startOrStopRecording(true) },
	{ method: 'POST', path: API_PATHS.participantRecordingStop, handle: startOrStopRecording(false) },
	{ method: 'GET', path: API_PATHS.participantRecordings, handle: listRecordings },
	{ method: 'GET', path: API_PATHS.participantRecording, handle: getRecording },
	{ method: 'DELETE', path: API_PATHS.participantRecording, handle: deleteRecording },
	{ method: 'GET', path: API_PATHS.sessions, handle: listSessions },
	// Documented with its trailing slash; served without it too, so a caller that drops it gets the list.
	{ method: 'GET', path: API_PATHS.sessions.replace(/\/$/, ''), handle: listSessions },
	{ method: 'GET', path: API_PATHS.session, handle: getSession },
	{ method: 'GET', path: API_PATHS.sessionParticipants, handle: listSessionParticipants },
	{ method: 'GET', path: API_PATHS.signatureVerification, tokenless: true, handle: publicKey },
];

// API_PATHS builds each path through its ID helper: a mark passed in shows where the ID stands.
const ID_MARK = 'route-id';

/** Finds the ID `path` holds where `routePath` has one, still encoded; '' for a fixed path that matches. */
function matcherFor(routePath: Route['path']): (path: string) => string | undefined {
	if (typeof routePath === 'string') return (path) => (path === routePath ? '' : undefined);
	const [prefix, suffix] = routePath(ID_MARK).split(ID_MARK);
	return (path) => {
		if (path.length <= prefix.length + suffix.length) return undefined;
		if (!path.startsWith(prefix) || !path.endsWith(suffix)) return undefined;
		const id = path.slice(prefix.length, path.length - suffix.length);
		return id.includes('/') ? undefined : id;
	};
}

// Fixed paths first: GET …/participant/merge lists merge jobs; it is not the recording "merge".
const MATCHERS = [...ROUTES]
	.sort((a, b) => Number(typeof a.path === 'function') - Number(typeof b.path === 'function'))
	.map((route) => ({ route, idIn: matcherFor(route.path) }));

export interface RouteMatch {
	route: Route;
	encodedId: string;
}

export function findRoute({ method, path }: RecordedRequest): RouteMatch | undefined {
	for (const { route, idIn } of MATCHERS) {
		if (route.method !== method) continue;
		const encodedId = idIn(path);
		if (encodedId !== undefined) return { route, encodedId };
	}
	return undefined;
}

/** The route's answer, or 404 for a method and path that no route serves. */
export async function answerOf(
	match: RouteMatch | undefined,
	request: RecordedRequest,
	fake: FakeVideoSdk,
): Promise<Answer> {
	if (!match) return { status: 404, body: { message: `Cannot ${request.method} ${request.path}` } };
	// Decoded only now: a malformed ID fails the call (500) after its token was checked.
	return await match.route.handle({ request, id: decodeURIComponent(match.encodedId), fake });
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const badRequest = (message: string): Answer => ({ status: 400, body: { message } });
const notFound = (what: string): Answer => ({ status: 404, body: { message: `${what} not found.` } });

/** Paging as VideoSDK does it: page and perPage in, pageInfo out. */
function paginate<T>(entries: T[], query: Record<string, string>): { pageInfo: PageInfo; page: T[] } {
	const perPage = Math.max(1, Number(query.perPage) || 20);
	const currentPage = Math.max(1, Number(query.page) || 1);
	const lastPage = Math.max(1, Math.ceil(entries.length / perPage));
	const page = entries.slice((currentPage - 1) * perPage, currentPage * perPage);
	return { pageInfo: { currentPage, perPage, lastPage, total: entries.length }, page };
}

/** The entries that match every filter the query sets; `filters` maps a query parameter to a field. */
function filtered<T>(entries: Iterable<T>, query: Record<string, string>, filters: Record<string, keyof T>): T[] {
	const set = Object.entries(filters).filter(([parameter]) => query[parameter]);
	return [...entries].filter((entry) => set.every(([parameter, field]) => entry[field] === query[parameter]));
}

function startMerge({ request, fake }: RouteCall): Answer {
	const problem = validateMergeRequest(request.body);
	if (problem) return badRequest(problem);
	const response: MergeRecordingResponse = {
		message: 'Merge recording job started successfully.',
		recording: fake.startMerge(request.body as MergeRecordingRequest),
	};
	return ok(response);
}

function listMerges({ request: { query }, fake }: RouteCall): Answer {
	const filters = { roomId: 'meetingId', sessionId: 'sessionId', status: 'status', id: 'id' } as const;
	const { pageInfo, page } = paginate(filtered(fake.listedMerges(), query, filters), query);
	const list: MergeJobList = { pageInfo, recordings: page };
	return ok(list);
}

function getMerge({ id, fake }: RouteCall): Answer {
	const job = fake.merges.get(id);
	return job ? ok(job) : notFound('Merge recording');
}

/** POST …/start and …/stop: which participants are being recorded, as `roomId/participantId`. */
function startOrStopRecording(starting: boolean) {
	return ({ request, fake }: RouteCall): Answer => {
		const problem = validateParticipantRecordingRequest(request.body, starting);
		if (problem) return badRequest(problem);
		const { roomId, participantId } = request.body as { roomId: string; participantId: string };
		const key = `${roomId}/${participantId}`;
		if (starting) fake.activeRecordings.add(key);
		else if (!fake.activeRecordings.delete(key)) return notFound('Active recording');
		return ok({ message: `Participant recording ${starting ? 'started' : 'stopped'} successfully.` });
	};
}

function listRecordings({ request: { query }, fake }: RouteCall): Answer {
	const filters = { roomId: 'roomId', sessionId: 'sessionId', participantId: 'participantId' } as const;
	const { pageInfo, page } = paginate(filtered(fake.participantRecordings.values(), query, filters), query);
	const list: ParticipantRecordingList = { pageInfo, data: page };
	return ok(list);
}

function getRecording({ id, fake }: RouteCall): Answer {
	const recording = fake.participantRecordings.get(id);
	return recording ? ok(recording) : notFound('Participant recording');
}

function deleteRecording({ id, fake }: RouteCall): Answer {
	if (!fake.participantRecordings.delete(id)) return notFound('Participant recording');
	return ok({ message: 'Participant recording deleted successfully.' });
}

function listSessions({ request: { query }, fake }: RouteCall): Answer {
	const byStart = (a: Session, b: Session) => Date.parse(a.start) - Date.parse(b.start);
	const matching = filtered(fake.sessions.values(), query, { roomId: 'roomId', customRoomId: 'customRoomId' });
	matching.sort((a, b) => (fake.sessionOrder === 'newestFirst' ? byStart(b, a) : byStart(a, b)));
	const { pageInfo, page } = paginate(matching.map(publicSession), query);
	const list: SessionList = { pageInfo, data: page };
	return ok(list);
}

function getSession({ id, fake }: RouteCall): Answer {
	const stored = fake.sessions.get(id);
	return stored ? ok(publicSession(stored)) : notFound('Session');
}

function listSessionParticipants({ request: { query }, id, fake }: RouteCall): Answer {
	const stored = fake.sessions.get(id);
	if (!stored) return notFound('Session');
	const { pageInfo, page } = paginate(stored.participants, query);
	const list: SessionParticipantList = { pageInfo, data: page };
	return ok(list);
}

async function publicKey({ fake }: RouteCall): Promise<Answer> {
	const { mode, delayMs } = fake.publicKeyEndpoint;
	if (mode === 'error') return { status: 500, body: { message: 'Public key is unavailable' } };
	if (mode === 'slow') await delay(delayMs);
	const key: PublicKeyResponse = { publicKey: fake.publicKeyPem() };
	return ok(key);
}
