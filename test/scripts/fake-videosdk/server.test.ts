import { createVerify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sign } from 'jsonwebtoken';

import type {
	MergeJob,
	MergeJobList,
	MergeRecordingResponse,
	ParticipantRecordingList,
	PublicKeyResponse,
	SessionList,
	SessionParticipantList,
} from '../../../nodes/VideoSdk/api';
import { API_PATHS, REST_TOKEN_CLAIMS, SIGNATURE_HEADER } from '../../../nodes/VideoSdk/api';
import { useFakeApi } from '../../helpers/fakeApi';
import type { FakeVideoSdkApi } from '../../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../../scripts/fake-videosdk/server';

const fake = useFakeApi({ apiKey: 'key-under-test', secretKey: 'secret-under-test', mergeCompletionDelayMs: 30 });

const goodClaims = () => ({ apikey: fake.api.apiKey, ...REST_TOKEN_CLAIMS });
/** A token as our credential signs it; expiresIn null leaves exp to the claims. */
const tokenFor = (claims: object = goodClaims(), secret = fake.api.secretKey, expiresIn: number | null = 600) =>
	sign(claims, secret, { algorithm: 'HS256', ...(expiresIn === null ? {} : { expiresIn }) });

async function call(
	method: string,
	path: string,
	{ body, authorization = tokenFor() }: { body?: unknown; authorization?: string | null } = {},
) {
	const headers: Record<string, string> = {};
	if (authorization !== null) headers.authorization = authorization;
	if (body !== undefined) headers['content-type'] = 'application/json';
	const response = await fetch(`${fake.api.url}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json: json as Record<string, unknown>, text, headers: response.headers };
}

const validMerge = {
	sessionId: '6847c231fbaa8b416bc87014',
	channel1: [{ participantId: 'abcd', recordingId: 'rec1' }, { participantId: 'abcd2' }],
	channel2: [{ participantId: 'abcd3' }],
};

/** Starts a merge on a fake of its own (not the shared one), with a token it accepts. */
async function mergeOn(api: FakeVideoSdkApi, body: object) {
	const authorization = sign({ apikey: api.apiKey, ...REST_TOKEN_CLAIMS }, api.secretKey, { expiresIn: 60 });
	await fetch(`${api.url}${API_PATHS.merge}`, {
		method: 'POST',
		headers: { authorization, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
}

/** A 127.0.0.1 endpoint that records what webhooks it receives, byte for byte. */
async function webhookReceiver(status = 200) {
	const received: Array<{ rawBody: Buffer; headers: IncomingHttpHeaders }> = [];
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			received.push({ rawBody: Buffer.concat(chunks), headers: request.headers });
			response.writeHead(status).end('ok');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
		received,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

const servedPublicKey = async () => ((await call('GET', API_PATHS.signatureVerification)).json as unknown as PublicKeyResponse).publicKey;
const verifies = (rawBody: Buffer | string, signature: string, publicKeyPem: string) =>
	createVerify('sha256').update(rawBody).verify(publicKeyPem, signature, 'base64');

describe('fake VideoSDK API: authentication', () => {
	it('accepts a bare HS256 token with the REST claims and records its claims', async () => {
		const { status } = await call('GET', API_PATHS.merge);

		expect(status).toBe(200);
		expect(fake.api.requests[0].tokenClaims).toMatchObject({ apikey: 'key-under-test', version: 2, roles: ['crawler'] });
	});

	it('explains a missing Authorization header with 401', async () => {
		const { status, json } = await call('GET', API_PATHS.merge, { authorization: null });

		expect(status).toBe(401);
		expect(json.message).toMatch(/authorization/i);
	});

	it.each([
		['a "Bearer " prefix', () => `Bearer ${tokenFor()}`],
		['a "Basic " prefix', () => `Basic ${tokenFor()}`],
		['the wrong secret', () => tokenFor(goodClaims(), 'another-secret')],
		['an expired token', () => tokenFor({ ...goodClaims(), exp: Math.floor(Date.now() / 1000) - 5 }, undefined, null)],
		['no exp claim', () => tokenFor(goodClaims(), undefined, null)],
		['another apikey', () => tokenFor({ ...goodClaims(), apikey: 'someone-else' })],
		['version 1', () => tokenFor({ ...goodClaims(), version: 1 })],
		['the rtc role only', () => tokenFor({ ...goodClaims(), roles: ['rtc'] })],
		['no permissions', () => tokenFor({ apikey: 'key-under-test', version: 2, roles: ['crawler'] })],
		['another algorithm', () => sign(goodClaims(), 'secret-under-test', { algorithm: 'HS512', expiresIn: 600 })],
		['garbage', () => 'not-a-jwt'],
	])('refuses %s with 401 "Token is invalid"', async (_case, authorization) => {
		const { status, json } = await call('POST', API_PATHS.merge, { body: validMerge, authorization: authorization() });

		expect(status).toBe(401);
		expect(json).toEqual({ message: 'Token is invalid' });
		expect(fake.api.merges.size).toBe(0);
		expect(fake.api.requests[0].tokenClaims).toBeUndefined();
	});

	it('serves the public key without a token', async () => {
		const { status, json } = await call('GET', API_PATHS.signatureVerification, { authorization: null });

		expect(status).toBe(200);
		expect(json.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
	});

	it('answers an unknown route with 404 JSON', async () => {
		const { status, json, headers } = await call('GET', '/v2/rooms');

		expect(status).toBe(404);
		expect(headers.get('content-type')).toBe('application/json');
		expect(json.message).toBe('Cannot GET /v2/rooms');
	});
});

describe('fake VideoSDK API: routing', () => {
	it('takes an ID as exactly one path segment, decoded', async () => {
		const { session } = fake.api.seedSession(['host'], { id: 'a/b c' });

		const one = await call('GET', API_PATHS.session('a/b c'));
		const participants = await call('GET', API_PATHS.sessionParticipants('a/b c'));
		const deeper = await call('GET', `${API_PATHS.merge}/a/b`);
		const empty = await call('GET', `${API_PATHS.merge}/`);

		expect(one).toMatchObject({ status: 200, json: session });
		expect(participants.status).toBe(200);
		expect(deeper).toMatchObject({ status: 404, json: { message: `Cannot GET ${API_PATHS.merge}/a/b` } });
		expect(empty).toMatchObject({ status: 404, json: { message: `Cannot GET ${API_PATHS.merge}/` } });
	});

	it('prefers a fixed path to an ID in the same place', async () => {
		const [job] = fake.api.seedMerges(1);
		fake.api.seedSession(['host']);

		const merges = (await call('GET', API_PATHS.participantRecording('merge'))).json as unknown as MergeJobList;
		const start = await call('GET', API_PATHS.participantRecording('start'));

		expect(merges.recordings.map(({ id }) => id)).toEqual([job.id]);
		expect(start).toMatchObject({ status: 404, json: { message: 'Participant recording not found.' } });
	});

	it('answers 404 for a method a path does not serve: merge jobs cannot be deleted', async () => {
		const [job] = fake.api.seedMerges(1);

		const deleted = await call('DELETE', API_PATHS.mergeJob(job.id));

		expect(deleted).toMatchObject({ status: 404, json: { message: `Cannot DELETE ${API_PATHS.mergeJob(job.id)}` } });
		expect(fake.api.merges.has(job.id)).toBe(true);
	});

	it('lists sessions with or without the trailing slash', async () => {
		const { session } = fake.api.seedSession(['host']);

		const withSlash = (await call('GET', API_PATHS.sessions)).json as unknown as SessionList;
		const without = (await call('GET', API_PATHS.sessions.replace(/\/$/, ''))).json as unknown as SessionList;

		expect(withSlash.data).toEqual([session]);
		expect(without.data).toEqual([session]);
	});
});

describe('fake VideoSDK API: merge jobs', () => {
	it('starts a running job, filling in recording IDs and a meeting ID', async () => {
		const { status, json } = await call('POST', API_PATHS.merge, { body: validMerge });
		const { message, recording } = json as unknown as MergeRecordingResponse;

		expect(status).toBe(200);
		expect(message).toBe('Merge recording job started successfully.');
		expect(recording).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{24}$/),
			channel1: [
				{ participantId: 'abcd', recordingId: 'rec1' },
				{ participantId: 'abcd2', recordingId: expect.stringMatching(/^[0-9a-f]{24}$/) },
			],
			channel2: [{ participantId: 'abcd3', recordingId: expect.stringMatching(/^[0-9a-f]{24}$/) }],
			start: expect.any(String),
			status: 'running',
			meetingId: expect.stringMatching(/^[a-z]{3}-[a-z]{4}-[a-z]{3}$/),
			sessionId: validMerge.sessionId,
		});
		expect(new Date(recording.start).toISOString()).toBe(recording.start);
	});

	it.each([
		['no body', undefined, 'Body must be a JSON object'],
		['an array', [], 'Body must be a JSON object'],
		['no sessionId', { ...validMerge, sessionId: undefined }, 'sessionId is required'],
		['an empty sessionId', { ...validMerge, sessionId: '  ' }, 'sessionId is required'],
		['a numeric sessionId', { ...validMerge, sessionId: 42 }, 'sessionId is required'],
		['no channel1', { ...validMerge, channel1: undefined }, 'channel1 must be a non-empty array'],
		['an empty channel2', { ...validMerge, channel2: [] }, 'channel2 must be a non-empty array'],
		['a string entry', { ...validMerge, channel1: ['abcd'] }, 'channel1[0] must be an object'],
		['an entry without participantId', { ...validMerge, channel2: [{ recordingId: 'r' }] }, 'channel2[0].participantId is required'],
		['a numeric recordingId', { ...validMerge, channel1: [{ participantId: 'a', recordingId: 7 }] }, 'channel1[0].recordingId must be a non-empty string'],
		['an unknown entry field', { ...validMerge, channel1: [{ participantId: 'a', volume: 1 }] }, 'channel1[0] has unknown field volume'],
		['an unknown top-level field', { ...validMerge, roomId: 'abc' }, 'Unknown field roomId'],
		['an ftp webhookUrl', { ...validMerge, webhookUrl: 'ftp://example.com' }, 'webhookUrl must be an http(s) URL'],
		['a non-URL webhookUrl', { ...validMerge, webhookUrl: 'https://' }, 'webhookUrl must be an http(s) URL'],
		['an unknown type', { ...validMerge, type: 'room' }, 'type is invalid'],
		['an empty dirPath', { ...validMerge, dirPath: '' }, 'dirPath must be a non-empty string'],
	])('refuses %s with 400 and a message', async (_case, body, message) => {
		const { status, json } = await call('POST', API_PATHS.merge, { body });

		expect(status).toBe(400);
		expect(json).toEqual({ message });
		expect(fake.api.merges.size).toBe(0);
	});

	it('refuses a body that is not JSON with 400', async () => {
		const { status, json } = await call('POST', API_PATHS.merge, { body: '{"sessionId":' });

		expect(status).toBe(400);
		expect(json.message).toMatch(/JSON/);
	});

	it('accepts the optional type and dirPath', async () => {
		const { status } = await call('POST', API_PATHS.merge, { body: { ...validMerge, type: 'track', dirPath: 'merged/2026' } });

		expect(status).toBe(200);
	});

	it('completes a job after the delay with an mp3 file that can be downloaded', async () => {
		const { json } = await call('POST', API_PATHS.merge, { body: validMerge });
		const id = (json as unknown as MergeRecordingResponse).recording.id;
		await fake.api.settled();

		const job = (await call('GET', API_PATHS.mergeJob(id))).json as unknown as MergeJob;
		expect(job).toMatchObject({ id, status: 'completed', end: expect.any(String) });
		expect(job.file).toEqual({
			id: expect.any(String),
			fileUrl: `${fake.api.url}/files/${id}.mp3`,
			filePath: expect.stringContaining(id),
			type: 'audio',
			size: expect.any(Number),
			meta: { format: 'mp3', duration: expect.any(Number) },
		});

		const download = await fetch(job.file!.fileUrl);
		const bytes = Buffer.from(await download.arrayBuffer());
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('audio/mpeg');
		expect(bytes.length).toBe(job.file!.size);
		// Every 417-byte frame starts with an MPEG-1 Layer III header (128 kbit/s, 44.1 kHz).
		expect(bytes.length % 417).toBe(0);
		for (let offset = 0; offset < bytes.length; offset += 417) {
			expect(bytes.readUInt32BE(offset)).toBe(0xfffb9064);
		}
	});

	it('fails the jobs of a session told to fail', async () => {
		fake.api.failMerges('fail-no-audio');
		const { json } = await call('POST', API_PATHS.merge, { body: { ...validMerge, sessionId: 'fail-no-audio' } });
		await fake.api.settled();

		const job = fake.api.merges.get((json as unknown as MergeRecordingResponse).recording.id);
		expect(job).toMatchObject({ status: 'failed', end: expect.any(String) });
		expect(job?.file).toBeUndefined();
	});

	it('answers 404 for an unknown job and an unknown file', async () => {
		const job = await call('GET', API_PATHS.mergeJob('0123456789abcdef01234567'));
		const file = await fetch(`${fake.api.url}/files/0123456789abcdef01234567.mp3`);

		expect(job).toMatchObject({ status: 404, json: { message: expect.any(String) } });
		expect(file.status).toBe(404);
	});

	it('records file downloads with their headers apart from API calls, and can delay them', async () => {
		const [job] = fake.api.seedMerges(1);
		fake.api.fileDelayMs = 300;
		const started = Date.now();
		const download = await fetch(job.file!.fileUrl, { headers: { 'x-probe': 'yes' } });
		await download.arrayBuffer();

		expect(Date.now() - started).toBeGreaterThanOrEqual(300);
		expect(fake.api.requests).toHaveLength(0);
		expect(fake.api.fileRequests).toEqual([
			expect.objectContaining({ method: 'GET', path: `/files/${job.id}.mp3`, authorization: undefined }),
		]);
		expect(fake.api.fileRequests[0].headers['x-probe']).toBe('yes');
	});
});

describe('fake VideoSDK API: listing merge jobs', () => {
	it('pages with perPage 20 by default', async () => {
		fake.api.seedMerges(45);

		const first = (await call('GET', API_PATHS.merge)).json as unknown as MergeJobList;
		const last = (await call('GET', `${API_PATHS.merge}?page=3`)).json as unknown as MergeJobList;

		expect(first.pageInfo).toEqual({ currentPage: 1, perPage: 20, lastPage: 3, total: 45 });
		expect(first.recordings).toHaveLength(20);
		expect(last.pageInfo).toEqual({ currentPage: 3, perPage: 20, lastPage: 3, total: 45 });
		expect(last.recordings).toHaveLength(5);
	});

	it('honours perPage and returns every job exactly once across pages', async () => {
		const seeded = fake.api.seedMerges(23);
		const seen: string[] = [];
		for (let page = 1; page <= 3; page++) {
			const list = (await call('GET', `${API_PATHS.merge}?page=${page}&perPage=10`)).json as unknown as MergeJobList;
			expect(list.pageInfo).toMatchObject({ currentPage: page, perPage: 10, lastPage: 3, total: 23 });
			seen.push(...list.recordings.map((job) => job.id));
		}
		expect(seen).toEqual(seeded.map((job) => job.id));
	});

	it('lists oldest first by default, newest first when told, and ends a running job at a chosen time without calling back', async () => {
		const seeded = fake.api.seedMerges(3, { status: 'running' });
		const ids = async () =>
			((await call('GET', `${API_PATHS.merge}?perPage=10`)).json as unknown as MergeJobList).recordings.map((job) => job.id);
		expect(await ids()).toEqual(seeded.map((job) => job.id));
		fake.api.mergeOrder = 'newestFirst';
		expect(await ids()).toEqual(seeded.map((job) => job.id).reverse());

		const end = new Date('2026-12-01T10:00:00.000Z');
		fake.api.endMerge(seeded[0].id, { end });
		fake.api.endMerge(seeded[1].id, { status: 'failed' });
		const completed = (await call('GET', `${API_PATHS.merge}?status=completed`)).json as unknown as MergeJobList;
		expect(completed.recordings).toEqual([
			expect.objectContaining({ id: seeded[0].id, status: 'completed', end: end.toISOString(), file: expect.objectContaining({ fileUrl: `${fake.api.url}/files/${seeded[0].id}.mp3` }) }),
		]);
		expect(fake.api.merges.get(seeded[1].id)).toMatchObject({ status: 'failed', end: expect.any(String) });
		expect(fake.api.merges.get(seeded[1].id)?.file).toBeUndefined();
		expect(() => fake.api.endMerge(seeded[1].id)).toThrow(`No running merge job ${seeded[1].id}`);
		expect(fake.api.webhookDeliveries).toEqual([]);
	});

	it('filters by roomId (the meeting), sessionId, status and id', async () => {
		const [wanted] = fake.api.seedMerges(1, { sessionId: 'wanted', meetingId: 'abc-defg-hij' });
		fake.api.failMerges('fail-other');
		fake.api.seedMerges(3, { sessionId: 'fail-other' });

		const byRoom = (await call('GET', `${API_PATHS.merge}?roomId=abc-defg-hij`)).json as unknown as MergeJobList;
		const bySession = (await call('GET', `${API_PATHS.merge}?sessionId=wanted`)).json as unknown as MergeJobList;
		const failed = (await call('GET', `${API_PATHS.merge}?status=failed`)).json as unknown as MergeJobList;
		const byId = (await call('GET', `${API_PATHS.merge}?id=${wanted.id}`)).json as unknown as MergeJobList;

		expect(byRoom.recordings.map((job) => job.id)).toEqual([wanted.id]);
		expect(bySession.recordings.map((job) => job.id)).toEqual([wanted.id]);
		expect(failed.pageInfo.total).toBe(3);
		expect(byId.recordings).toEqual([wanted]);
	});

	it('answers an empty list with one last page', async () => {
		const list = (await call('GET', API_PATHS.merge)).json as unknown as MergeJobList;

		expect(list).toEqual({ pageInfo: { currentPage: 1, perPage: 20, lastPage: 1, total: 0 }, recordings: [] });
	});
});

describe('fake VideoSDK API: webhooks', () => {
	it('posts a merge-recording-completed webhook signed over its exact raw body', async () => {
		const receiver = await webhookReceiver();
		try {
			const { json } = await call('POST', API_PATHS.merge, { body: { ...validMerge, webhookUrl: receiver.url } });
			const job = (json as unknown as MergeRecordingResponse).recording;
			await fake.api.settled();

			expect(receiver.received).toHaveLength(1);
			const [{ rawBody, headers }] = receiver.received;
			expect(JSON.parse(rawBody.toString('utf8'))).toEqual({
				webhookType: 'merge-recording-completed',
				data: { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId },
			});
			expect(headers['content-type']).toBe('application/json');
			expect(verifies(rawBody, String(headers[SIGNATURE_HEADER]), await servedPublicKey())).toBe(true);
			expect(fake.api.webhookDeliveries).toEqual([
				{ url: receiver.url, payload: JSON.parse(rawBody.toString('utf8')), status: 200 },
			]);
		} finally {
			await receiver.close();
		}
	});

	it('posts merge-recording-failed with the reason for a failed job', async () => {
		fake.api.failMerges('fail-1', 'No audio in channel 2');
		const receiver = await webhookReceiver();
		try {
			await call('POST', API_PATHS.merge, { body: { ...validMerge, sessionId: 'fail-1', webhookUrl: receiver.url } });
			await fake.api.settled();

			const payload = JSON.parse(receiver.received[0].rawBody.toString('utf8'));
			expect(payload.webhookType).toBe('merge-recording-failed');
			expect(payload.data).toMatchObject({ sessionId: 'fail-1', message: 'No audio in channel 2' });
		} finally {
			await receiver.close();
		}
	});

	it('never finishes nor reports a job of a silent session', async () => {
		fake.api.silent('silent-1');
		const receiver = await webhookReceiver();
		try {
			const { json } = await call('POST', API_PATHS.merge, {
				body: { ...validMerge, sessionId: 'silent-1', webhookUrl: receiver.url },
			});
			await fake.api.settled();

			expect(fake.api.merges.get((json as unknown as MergeRecordingResponse).recording.id)?.status).toBe('running');
			expect(receiver.received).toEqual([]);
		} finally {
			await receiver.close();
		}
	});

	it('finishes the jobs of a held session on time and sends their callbacks together when released', async () => {
		fake.api.holdCallbacks('held-1');
		const receiver = await webhookReceiver();
		try {
			for (let index = 0; index < 3; index++) {
				await call('POST', API_PATHS.merge, { body: { ...validMerge, sessionId: 'held-1', webhookUrl: receiver.url } });
			}
			await fake.api.settled();
			expect([...fake.api.merges.values()].map((job) => job.status)).toEqual(['completed', 'completed', 'completed']);
			expect(receiver.received).toEqual([]);

			expect(await fake.api.releaseCallbacks(3)).toEqual([200, 200, 200]);
			expect(receiver.received).toHaveLength(3);
			await expect(fake.api.releaseCallbacks(1, 200)).rejects.toThrow('0 of 1 callbacks were held');
		} finally {
			await receiver.close();
		}
	});

	it('records a failed delivery instead of throwing', async () => {
		const receiver = await webhookReceiver();
		await receiver.close();

		await call('POST', API_PATHS.merge, { body: { ...validMerge, webhookUrl: receiver.url } });
		await fake.api.settled();

		expect(fake.api.webhookDeliveries).toEqual([
			expect.objectContaining({ url: receiver.url, error: expect.stringMatching(/ECONNREFUSED/) }),
		]);
		expect([...fake.api.merges.values()][0].status).toBe('completed');
	});

	it('records the status a receiver answered with', async () => {
		const receiver = await webhookReceiver(401);
		try {
			await call('POST', API_PATHS.merge, { body: { ...validMerge, webhookUrl: receiver.url } });
			await fake.api.settled();

			expect(fake.api.webhookDeliveries[0].status).toBe(401);
		} finally {
			await receiver.close();
		}
	});

	it('sends nothing when autoWebhooks is off', async () => {
		const quiet = await startFakeVideoSdkApi({ autoWebhooks: false, mergeCompletionDelayMs: 5 });
		const receiver = await webhookReceiver();
		try {
			await mergeOn(quiet, { ...validMerge, webhookUrl: receiver.url });
			await quiet.settled();

			expect([...quiet.merges.values()][0].status).toBe('completed');
			expect(receiver.received).toHaveLength(0);
			expect(quiet.webhookDeliveries).toHaveLength(0);
		} finally {
			await receiver.close();
			await quiet.close();
		}
	});

	it('sends a callback only once beforeCallback has let it go, and a held one when released', async () => {
		let letGo = () => {};
		const asked: string[] = [];
		const gated = await startFakeVideoSdkApi({
			mergeCompletionDelayMs: 5,
			beforeCallback: async (webhookUrl) => {
				asked.push(webhookUrl);
				await new Promise<void>((resolve) => (letGo = resolve));
			},
		});
		const receiver = await webhookReceiver();
		try {
			await mergeOn(gated, { ...validMerge, webhookUrl: receiver.url });
			while (asked.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
			expect([...gated.merges.values()][0].status).toBe('completed');
			expect(asked).toEqual([receiver.url]);
			expect(receiver.received).toHaveLength(0);

			letGo();
			await gated.settled();
			expect(receiver.received).toHaveLength(1);
			expect(gated.webhookDeliveries[0].status).toBe(200);

			// A held callback goes when released, without asking: the test releasing it has seen the pause.
			gated.holdCallbacks('held-gate');
			await mergeOn(gated, { ...validMerge, sessionId: 'held-gate', webhookUrl: receiver.url });
			expect(await gated.releaseCallbacks(1)).toEqual([200]);
			expect(asked).toHaveLength(1);
		} finally {
			await receiver.close();
			await gated.close();
		}
	});

	it('sendWebhook signs validly, invalidly, not at all, or with a given header', async () => {
		const receiver = await webhookReceiver();
		try {
			const payload = { webhookType: 'merge-recording-completed', data: { id: 'x' } };
			await fake.api.sendWebhook(receiver.url, payload);
			await fake.api.sendWebhook(receiver.url, payload, { signature: 'invalid' });
			await fake.api.sendWebhook(receiver.url, payload, { signature: 'none' });
			await fake.api.sendWebhook(receiver.url, payload, { signature: 'c2lnbmF0dXJl' });
			await fake.api.sendWebhook(receiver.url, payload, { rawBody: '{ "spaced": true }', headers: { 'x-extra': '1' } });

			const publicKey = await servedPublicKey();
			const [valid, invalid, none, given, raw] = receiver.received;
			expect(verifies(valid.rawBody, String(valid.headers[SIGNATURE_HEADER]), publicKey)).toBe(true);
			expect(invalid.headers[SIGNATURE_HEADER]).toMatch(/^[A-Za-z0-9+/]{300,}={0,2}$/);
			expect(verifies(invalid.rawBody, String(invalid.headers[SIGNATURE_HEADER]), publicKey)).toBe(false);
			expect(none.headers[SIGNATURE_HEADER]).toBeUndefined();
			expect(given.headers[SIGNATURE_HEADER]).toBe('c2lnbmF0dXJl');
			expect(raw.rawBody.toString('utf8')).toBe('{ "spaced": true }');
			expect(raw.headers['x-extra']).toBe('1');
			expect(verifies(raw.rawBody, String(raw.headers[SIGNATURE_HEADER]), publicKey)).toBe(true);
		} finally {
			await receiver.close();
		}
	});

	it('rotateKey serves a new public key; old signatures no longer verify', async () => {
		const body = '{"webhookType":"merge-recording-completed","data":{"id":"x"}}';
		const oldKey = await servedPublicKey();
		const oldSignature = fake.api.signBody(body);

		fake.api.rotateKey();
		const newKey = await servedPublicKey();

		expect(newKey).not.toBe(oldKey);
		expect(newKey).toBe(fake.api.publicKeyPem());
		expect(verifies(body, oldSignature, newKey)).toBe(false);
		expect(verifies(body, fake.api.signBody(body), newKey)).toBe(true);
		expect(verifies(Buffer.from(body), fake.api.signBody(Buffer.from(body)), newKey)).toBe(true);
	});

	it('the public key endpoint can fail or be slow', async () => {
		fake.api.publicKeyEndpoint.mode = 'error';
		const failing = await call('GET', API_PATHS.signatureVerification);

		fake.api.publicKeyEndpoint = { mode: 'slow', delayMs: 300 };
		const startedAt = Date.now();
		const slow = await call('GET', API_PATHS.signatureVerification);

		expect(failing.status).toBe(500);
		expect(slow.status).toBe(200);
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(290);
	});
});

describe('fake VideoSDK API: injected failures', () => {
	it('fails the next matching request once, then answers normally', async () => {
		fake.api.failNext(API_PATHS.merge, { status: 429, body: { message: 'Too many requests' }, headers: { 'retry-after': '1' } });

		const failed = await call('GET', API_PATHS.merge);
		const next = await call('GET', API_PATHS.merge);

		expect(failed).toMatchObject({ status: 429, json: { message: 'Too many requests' } });
		expect(failed.headers.get('retry-after')).toBe('1');
		expect(next.status).toBe(200);
	});

	it('matches by predicate, fails `times` times and can use error or msg bodies', async () => {
		fake.api.failNext((request) => request.method === 'POST', { status: 500, body: { error: 'Internal' }, times: 2 });
		fake.api.failNext(API_PATHS.merge, { status: 400, body: { msg: 'Bad' } });

		const posts = [await call('POST', API_PATHS.merge, { body: validMerge }), await call('POST', API_PATHS.merge, { body: validMerge })];
		const get = await call('GET', API_PATHS.merge);
		const third = await call('POST', API_PATHS.merge, { body: validMerge });

		expect(posts.map(({ status, json }) => [status, json])).toEqual([
			[500, { error: 'Internal' }],
			[500, { error: 'Internal' }],
		]);
		expect(get).toMatchObject({ status: 400, json: { msg: 'Bad' } });
		expect(third.status).toBe(200);
		expect(fake.api.merges.size).toBe(1);
	});

	it('checks the token before injecting a failure', async () => {
		fake.api.failNext(API_PATHS.merge, { status: 500 });

		const refused = await call('GET', API_PATHS.merge, { authorization: 'Bearer x' });
		const injected = await call('GET', API_PATHS.merge);

		expect(refused.status).toBe(401);
		expect(injected.status).toBe(500);
	});

	it('reset() forgets requests, jobs and pending failures', async () => {
		fake.api.seedMerges(2);
		fake.api.failNext(API_PATHS.merge, { status: 500 });
		await call('GET', '/nowhere');

		fake.api.reset();

		expect(fake.api.requests).toHaveLength(0);
		expect(fake.api.merges.size).toBe(0);
		expect((await call('GET', API_PATHS.merge)).status).toBe(200);
	});
});

describe('fake VideoSDK API: participant recordings and sessions', () => {
	it('lists seeded recordings by session, room and participant, with paging', async () => {
		const { session, recordings } = fake.api.seedSession(['host', 'guest'], { roomId: 'room-a' });
		fake.api.seedSession(['host'], { roomId: 'room-b' });

		const bySession = (await call('GET', `${API_PATHS.participantRecordings}?sessionId=${session.id}`)).json as unknown as ParticipantRecordingList;
		const byParticipant = (await call('GET', `${API_PATHS.participantRecordings}?participantId=host&perPage=1`)).json as unknown as ParticipantRecordingList;

		expect(bySession.data.map((recording) => recording.id)).toEqual(recordings.map((recording) => recording.id));
		expect(bySession.data[0]).toMatchObject({ sessionId: session.id, roomId: 'room-a', participantId: 'host', kind: 'audio' });
		expect(byParticipant.pageInfo).toEqual({ currentPage: 1, perPage: 1, lastPage: 2, total: 2 });
	});

	it('serves a recording, its file, and deletes it', async () => {
		const [recording] = fake.api.seedSession(['host']).recordings;

		const fetched = await call('GET', API_PATHS.participantRecording(recording.id));
		const file = await fetch(recording.files[0].fileUrl);
		const bytes = Buffer.from(await file.arrayBuffer());
		const deleted = await call('DELETE', API_PATHS.participantRecording(recording.id));
		const gone = await call('GET', API_PATHS.participantRecording(recording.id));

		expect(fetched).toMatchObject({ status: 200, json: recording });
		expect(file.headers.get('content-type')).toBe('video/webm');
		expect(bytes.readUInt32BE(0)).toBe(0x1a45dfa3);
		expect(bytes.includes(Buffer.from('webm'))).toBe(true);
		expect(deleted.status).toBe(200);
		expect(gone.status).toBe(404);
	});

	it('starts and stops a recording, refusing bad bodies', async () => {
		const start = await call('POST', API_PATHS.participantRecordingStart, { body: { roomId: 'room-a', participantId: 'host', fileFormat: 'webm' } });
		const stop = await call('POST', API_PATHS.participantRecordingStop, { body: { roomId: 'room-a', participantId: 'host' } });
		const stopAgain = await call('POST', API_PATHS.participantRecordingStop, { body: { roomId: 'room-a', participantId: 'host' } });
		const noRoom = await call('POST', API_PATHS.participantRecordingStart, { body: { participantId: 'host' } });
		const mp4 = await call('POST', API_PATHS.participantRecordingStart, { body: { roomId: 'r', participantId: 'p', fileFormat: 'mp4' } });

		expect(start.status).toBe(200);
		expect(stop.status).toBe(200);
		expect(stopAgain.status).toBe(404);
		expect(noRoom).toMatchObject({ status: 400, json: { message: 'roomId is required' } });
		expect(mp4).toMatchObject({ status: 400, json: { message: 'fileFormat must be webm' } });
	});

	it('lists sessions by roomId or customRoomId and serves one with its participants', async () => {
		const { session } = fake.api.seedSession(['host', 'guest', 'co-host'], { roomId: 'room-9', customRoomId: 'weekly' });
		fake.api.seedSession(['x'], { roomId: 'other' });

		const byRoom = (await call('GET', `${API_PATHS.sessions}?roomId=room-9`)).json as unknown as SessionList;
		const byCustom = (await call('GET', `${API_PATHS.sessions}?customRoomId=weekly`)).json as unknown as SessionList;
		const all = (await call('GET', API_PATHS.sessions)).json as unknown as SessionList;
		const one = await call('GET', API_PATHS.session(session.id));
		const participants = (await call('GET', `${API_PATHS.sessionParticipants(session.id)}?perPage=2&page=2`)).json as unknown as SessionParticipantList;

		expect(byRoom.data).toEqual([session]);
		expect(byCustom.data).toEqual([session]);
		expect(byCustom.data[0]).not.toHaveProperty('customRoomId');
		expect(all.pageInfo.total).toBe(2);
		expect(one).toMatchObject({ status: 200, json: session });
		expect(participants.pageInfo).toEqual({ currentPage: 2, perPage: 2, lastPage: 2, total: 3 });
		expect((await call('GET', API_PATHS.session('missing'))).status).toBe(404);
	});

	it('a merge without recordingIds uses the participants\' recordings and the session\'s room', async () => {
		const { session, recordings } = fake.api.seedSession(['host', 'guest'], { roomId: 'abc-room-xyz' });

		const { json } = await call('POST', API_PATHS.merge, {
			body: { sessionId: session.id, channel1: [{ participantId: 'host' }], channel2: [{ participantId: 'guest' }] },
		});
		const job = (json as unknown as MergeRecordingResponse).recording;

		expect(job.meetingId).toBe('abc-room-xyz');
		expect(job.channel1).toEqual([{ participantId: 'host', recordingId: recordings[0].id }]);
		expect(job.channel2).toEqual([{ participantId: 'guest', recordingId: recordings[1].id }]);
	});
});

describe('fake VideoSDK API: options', () => {
	it('listens on 127.0.0.1 by default and on a given host and port', async () => {
		const probe = await startFakeVideoSdkApi();
		const port = Number(new URL(probe.url).port);
		await probe.close();

		const fixed = await startFakeVideoSdkApi({ host: '127.0.0.1', port, apiKey: 'k', secretKey: 's' });
		try {
			expect(probe.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(fixed.url).toBe(`http://127.0.0.1:${port}`);
			expect([fixed.apiKey, fixed.secretKey]).toEqual(['k', 's']);
			expect((await fetch(`${fixed.url}${API_PATHS.signatureVerification}`)).status).toBe(200);
		} finally {
			await fixed.close();
		}
	});
});
