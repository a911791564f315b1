/**
 * What VideoSDK's API (or a proxy, or a storage host) may send back, tried as an attacker would:
 * redirects to another origin, echoes of the request, answers that drip or never end.
 */
import type { INodeParameters } from 'n8n-workflow';

import { API_PATHS, SIGNATURE_HEADER } from '../../../../nodes/VideoSdk/api';
import { LIST_SEARCH, LOAD_OPTIONS } from '../../../../nodes/VideoSdk/descriptions/methodNames';
import { testVideoSdkCredential } from '../../../../nodes/VideoSdk/methods/credentialTest';
import { MAX_API_RESPONSE_BYTES } from '../../../../nodes/VideoSdk/transport';
import { clearPublicKeyCache, MAX_PUBLIC_KEY_BYTES, PUBLIC_KEY_DEADLINE_MS } from '../../../../nodes/VideoSdk/webhooks/signature';
import type { RecordedRequest } from '../../../../scripts/fake-videosdk/server';
import type { TestCredentials } from '../../../../scripts/harness';
import { callWebhook, listSearch, loadOptions, runNode } from '../../../../scripts/harness';
import type { Collector } from '../../../e2e/collector';
import { startCollector } from '../../../e2e/collector';
import { useFakeApi } from '../../../helpers/fakeApi';
import { containsAnywhere } from '../../../helpers/secrets';

const fake = useFakeApi({ autoWebhooks: false });
let elsewhere: Collector;
beforeAll(async () => (elsewhere = await startCollector()));
afterAll(async () => await elsewhere.close());
beforeEach(() => {
	elsewhere.raw.length = 0;
	clearPublicKeyCache();
});

const getJob = (mergeId: string, options: INodeParameters = {}) =>
	runNode({
		type: 'videoSdk',
		parameters: { resource: 'mergeRecording', operation: 'get', mergeId, options },
		credentials: fake.credentials,
		continueOnFail: true,
	});
const tokensSent = () => fake.api.requests.map((request) => request.authorization).filter((token): token is string => !!token);
const otherHost = () => new URL(elsewhere.url).host;
const credentialOf = (data: TestCredentials) => ({ id: 'c1', name: 'VideoSDK', type: 'videoSdkApi', data: { ...data } });

describe('a redirect never takes the token along', () => {
	it('from an operation: an error naming the target host, and nothing reaches it', async () => {
		fake.api.failNext(API_PATHS.mergeJob('m1'), { status: 302, headers: { location: `${elsewhere.url}/steal` } });

		const { items } = await getJob('m1');

		expect(items[0].json.error).toBe(
			`VideoSDK answered 302: a redirect to ${otherHost()}, which requests carrying the token do not follow (check the credential's Base URL)`,
		);
		expect(elsewhere.raw).toHaveLength(0);
		expect(fake.api.requests).toHaveLength(1);
	});

	it("from the credential's Test: an error, not \"Connection successful\"", async () => {
		fake.api.failNext(API_PATHS.merge, { status: 307, headers: { location: `${elsewhere.url}/steal` } });

		const result = await testVideoSdkCredential.call({} as never, credentialOf(fake.credentials));

		expect(result).toEqual({
			status: 'Error',
			message: `VideoSDK answered 307: a redirect to ${otherHost()}, which requests carrying the token do not follow (check the credential's Base URL)`,
		});
		expect(elsewhere.raw).toHaveLength(0);
	});
});

describe('an answer that echoes the request never leaks the token or the secret', () => {
	const echoes: Array<[string, (request: RecordedRequest) => unknown]> = [
		['a JSON body with the headers', (request) => ({ message: 'Upstream failed', request: { headers: request.headers } })],
		['a text body with the Authorization value', (request) => `Bad gateway. Authorization: ${request.authorization}`],
		['a message quoting the token', (request) => ({ message: `Token ${request.authorization} was rejected` })],
		['a body quoting the secret', () => ({ error: `secret is ${fake.credentials.secretKey}` })],
	];

	it.each(echoes)('%s: not in the error item, the error, or anything reachable from them', async (_name, body) => {
		fake.api.failNext(API_PATHS.mergeJob('m1'), { status: 500, bodyOf: body });
		const run = await getJob('m1', { maxRetries: 0 });
		fake.api.failNext(API_PATHS.mergeJob('m2'), { status: 500, bodyOf: body });
		const failed = await runNode({
			type: 'videoSdk',
			parameters: { resource: 'mergeRecording', operation: 'get', mergeId: 'm2', options: { maxRetries: 0 } },
			credentials: fake.credentials,
		});

		const [token] = tokensSent();
		expect(token).toMatch(/^eyJ/);
		expect(String(run.items[0].json.error)).toMatch(/^VideoSDK answered 500: /);
		expect(failed.error?.message).toMatch(/^VideoSDK answered 500: /);
		for (const leaked of [run.items, run.run, failed.error, failed.run]) {
			expect(containsAnywhere(leaked, token)).toBe(false);
			expect(containsAnywhere(leaked, fake.credentials.secretKey)).toBe(false);
		}
	});
});

describe('a successful answer that echoes the token or the secret never passes it on', () => {
	/** The token in a value and in a key, the secret in a value and in a key. */
	const echoed = (request: RecordedRequest) => ({
		note: `token ${request.authorization}`,
		[String(request.authorization)]: 'token as a key',
		[`key ${fake.credentials.secretKey}`]: `secret ${fake.credentials.secretKey}`,
	});
	/** Searches keys too: containsAnywhere reads only values. */
	const leaks = (value: unknown, secret: string) => JSON.stringify(value).includes(secret) || containsAnywhere(value, secret);
	const expectNoLeak = (value: unknown) => {
		const [token] = tokensSent();
		expect(token).toMatch(/^eyJ/);
		expect(JSON.stringify(value)).toContain('[redacted]');
		expect(leaks(value, token)).toBe(false);
		expect(leaks(value, fake.credentials.secretKey)).toBe(false);
	};

	it("in an action node's item", async () => {
		fake.api.failNext(API_PATHS.mergeJob('m1'), { status: 200, bodyOf: (request) => ({ id: 'm1', ...echoed(request) }) });

		const { items, run } = await getJob('m1');

		expect(items[0].json.id).toBe('m1');
		expectNoLeak(items);
		expectNoLeak(run);
	});

	it("in the editor's list search", async () => {
		fake.api.failNext(API_PATHS.sessions, {
			status: 200,
			bodyOf: (request) => ({
				pageInfo: { currentPage: 1, perPage: 50, lastPage: 1, total: 1 },
				data: [{ id: `s-${fake.credentials.secretKey}`, roomId: `room ${request.authorization}`, start: '2026-01-01T10:00:00Z', ...echoed(request) }],
			}),
		});

		const result = await listSearch({ parameters: { resource: 'session', operation: 'get' }, credentials: fake.credentials }, LIST_SEARCH.sessions);

		expect(result.results).toHaveLength(1);
		expectNoLeak(result);
	});

	it("in the editor's load options", async () => {
		const { session } = fake.api.seedSession(['host', 'guest']);
		fake.api.failNext(API_PATHS.session(session.id), {
			status: 200,
			bodyOf: (request) => ({
				...session,
				participants: [{ participantId: 'host', name: `Host ${request.authorization}` }, { participantId: 'guest', name: `Guest ${fake.credentials.secretKey}` }],
				...echoed(request),
			}),
		});

		const options = await loadOptions(
			{
				parameters: { resource: 'mergeRecording', operation: 'create', sessionId: session.id, specifyChannels: 'speakers' },
				credentials: fake.credentials,
			},
			LOAD_OPTIONS.sessionSpeakers,
		);

		expect(options.map((option) => option.value)).toEqual(['host', 'guest']);
		expectNoLeak(options);
	});
});

describe('every call has a total deadline and a size limit', () => {
	it('gives up on an API answer that drips, at the Timeout, not at each byte', async () => {
		fake.api.failNext(API_PATHS.mergeJob('m1'), { status: 200, streamed: { bytes: 1_000, chunkBytes: 1, intervalMs: 50 } });

		const { items } = await getJob('m1', { timeout: 1_000, maxRetries: 0 });

		expect(items[0].json.error).toBe('Could not reach VideoSDK: no complete answer within 1000 ms');
	});

	it('refuses an API answer larger than it reads', async () => {
		fake.api.failNext(API_PATHS.mergeJob('m1'), { status: 200, streamed: { bytes: MAX_API_RESPONSE_BYTES + 1 } });

		const { items } = await getJob('m1', { maxRetries: 0 });

		expect(items[0].json.error).toBe(`Could not reach VideoSDK: the answer is larger than ${MAX_API_RESPONSE_BYTES} bytes`);
	});
});

describe('downloads are bounded', () => {
	const finishedJob = () => fake.api.seedMerges(1)[0];
	const fileOf = (job: { file?: { fileUrl: string } }) => new URL(job.file!.fileUrl).pathname;

	it('refuses a file larger than Max File Size as it arrives, and stores nothing', async () => {
		const job = finishedJob();
		job.file!.size = 100;
		fake.api.failNext(fileOf(job), { status: 200, streamed: { bytes: 3 * 1024 * 1024 } });

		const { items } = await getJob(job.id, { downloadFile: true, maxFileSize: 10 });

		expect(items[0].json.error).toBe(
			`Could not download the merged file of job ${job.id} from ${new URL(fake.api.url).host}: the file is far more than the 100 bytes VideoSDK reported for it`,
		);
		expect(items[0].binary).toBeUndefined();
	});

	it('refuses a file VideoSDK reports larger than Max File Size without downloading it', async () => {
		const job = finishedJob();
		job.file!.size = 5 * 1024 * 1024;

		const { items } = await getJob(job.id, { downloadFile: true, maxFileSize: 2 });

		expect(items[0].json.error).toBe(
			`Could not download the merged file of job ${job.id} from ${new URL(fake.api.url).host}: VideoSDK reports 5242880 bytes, more than 2 MB (Max File Size)`,
		);
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('refuses a file beyond Max File Size when VideoSDK reported no size', async () => {
		const job = finishedJob();
		delete (job.file as { size?: number }).size;
		fake.api.failNext(fileOf(job), { status: 200, streamed: { bytes: 2 * 1024 * 1024 + 1 } });

		const { items } = await getJob(job.id, { downloadFile: true, maxFileSize: 2 });

		expect(items[0].json.error).toMatch(/: the file is more than 2 MB \(Max File Size\)$/);
	});

	it('gives up on a download that drips, at the Timeout', async () => {
		const job = finishedJob();
		fake.api.failNext(fileOf(job), { status: 200, streamed: { bytes: 10_000, chunkBytes: 10, intervalMs: 50 } });

		const { items } = await getJob(job.id, { downloadFile: true, timeout: 1_500 });

		expect(items[0].json.error).toMatch(/: no complete answer within 1500 ms$/);
	});
});

describe("the trigger's public key fetch is bounded", () => {
	const body = JSON.stringify({ webhookType: 'merge-recording-completed', data: { id: 'm1', meetingId: 'x', sessionId: 's' } });
	const deliver = async () =>
		await callWebhook({
			type: 'videoSdkTrigger',
			// The key fetch alone: job m1 is not one the fake API knows, so confirmation is off.
			parameters: { events: ['merge-recording-completed'], confirmEvents: false },
			credentials: fake.credentials,
			rawBody: body,
			headers: { [SIGNATURE_HEADER]: fake.api.signBody(body) },
		});

	it('answers 503 when the key endpoint drips, within its deadline', async () => {
		fake.api.failNext(API_PATHS.signatureVerification, { status: 200, streamed: { bytes: 100, chunkBytes: 1, intervalMs: 2_000 } });

		const started = Date.now();
		const { result, response } = await deliver();

		expect(response.status).toBe(503);
		expect(result.workflowData).toBeUndefined();
		// The dripping answer alone would take 200 s.
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	it('answers 503 for a key body larger than a key, and reads no more of it', async () => {
		// 10 MB in 64 kB pieces every 50 ms: 8 s to send, well past the key fetch's deadline. Read
		// beyond the first piece, it would hold the webhook until that deadline.
		fake.api.failNext(API_PATHS.signatureVerification, {
			status: 200,
			streamed: { bytes: 10 * 1024 * 1024, chunkBytes: 64 * 1024, intervalMs: 50 },
		});

		const started = Date.now();
		const { response } = await deliver();

		expect(response.status).toBe(503);
		expect(MAX_PUBLIC_KEY_BYTES).toBeLessThan(64 * 1024);
		expect(Date.now() - started).toBeLessThan(PUBLIC_KEY_DEADLINE_MS / 2);
	});

	it('refuses even the genuine key when its answer is larger than a key', async () => {
		const padding = 'x'.repeat(MAX_PUBLIC_KEY_BYTES);
		fake.api.failNext(API_PATHS.signatureVerification, {
			status: 200,
			body: { publicKey: fake.api.publicKeyPem(), padding },
		});

		const { response, result } = await deliver();

		expect(response.status).toBe(503);
		expect(result.workflowData).toBeUndefined();
		// The same key in an answer of a key's size verifies.
		clearPublicKeyCache();
		expect((await deliver()).result.workflowData).toBeDefined();
	});

	it('answers 503, not 401, for a garbage key that mentions PUBLIC KEY, so VideoSDK retries', async () => {
		fake.api.failNext(API_PATHS.signatureVerification, {
			status: 200,
			body: { publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' },
		});

		const { response } = await deliver();

		expect(response.status).toBe(503);
	});
});
