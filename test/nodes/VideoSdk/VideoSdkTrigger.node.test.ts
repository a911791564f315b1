import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { MergeJob, MergeWebhookPayload, Session } from '../../../nodes/VideoSdk/api';
import { API_PATHS, SIGNATURE_HEADER } from '../../../nodes/VideoSdk/api';
import { BASE_URL_MEMORY_MS } from '../../../nodes/VideoSdk/webhooks/receive';
import { forgetClaimsInMemory } from '../../../nodes/VideoSdk/webhooks/jobEnds';
import { clearPublicKeyCache } from '../../../nodes/VideoSdk/webhooks/signature';
import { DEFAULT_MAX_FILE_SIZE_MB } from '../../../nodes/VideoSdk/transport/mergedFile';
import { VideoSdkTrigger } from '../../../nodes/VideoSdk/VideoSdkTrigger.node';
import { silentMp3 } from '../../../scripts/fake-videosdk/mp3';
import type { FakeVideoSdkApi } from '../../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../../scripts/fake-videosdk/server';
import type { WebhookCall } from '../../../scripts/harness';
import { callWebhook, credentialReads } from '../../../scripts/harness';
import type { FakeApiFixture } from '../../helpers/fakeApi';
import { useFakeApi } from '../../helpers/fakeApi';
import { containsAnywhere } from '../../helpers/secrets';

const fake = useFakeApi({ autoWebhooks: false });
// Each test is a trigger that has started nothing yet (one run per job end: jobEnds.test.ts).
/** The jobs and session the events below are about, as this account's VideoSDK reports them. */
const known: { completed?: MergeJob; failed?: MergeJob; session?: Session } = {};
beforeEach(() => {
	clearPublicKeyCache();
	forgetClaimsInMemory();
	const place = { meetingId: 'abc-defg-hij' };
	[known.completed] = fake.api.seedMerges(1, { ...place, id: 'merge-1', sessionId: 'session-1' });
	[known.failed] = fake.api.seedMerges(1, { ...place, id: 'merge-2', sessionId: 'session-2', status: 'failed', file: undefined });
	known.session = fake.api.seedSession(['p1'], { id: 's1' }).session;
});

const completed: MergeWebhookPayload = {
	webhookType: 'merge-recording-completed',
	data: { id: 'merge-1', meetingId: 'abc-defg-hij', sessionId: 'session-1' },
};
const failed: MergeWebhookPayload = {
	webhookType: 'merge-recording-failed',
	data: { id: 'merge-2', meetingId: 'abc-defg-hij', sessionId: 'session-2', message: 'No audio' },
};

const bothEvents: INodeParameters = {
	events: ['merge-recording-completed', 'merge-recording-failed'],
	verifySignature: true,
};

function deliver(
	payload: unknown,
	{
		parameters = bothEvents,
		signature = 'valid',
		rawBody = JSON.stringify(payload),
	}: { parameters?: INodeParameters; signature?: 'valid' | 'none' | string; rawBody?: string } = {},
) {
	const headers: Record<string, string> = {};
	if (signature === 'valid') headers[SIGNATURE_HEADER] = fake.api.signBody(rawBody);
	else if (signature !== 'none') headers[SIGNATURE_HEADER] = signature;
	return callWebhook({ parameters, credentials: fake.credentials, rawBody, headers });
}

const keyRequests = () => fake.api.requests.filter((request) => request.path === '/v2/public/rsa-public-key');

describe('VideoSdkTrigger', () => {
	it('is a POST webhook trigger using the videoSdkApi credential', () => {
		const { description } = new VideoSdkTrigger();
		expect(description.name).toBe('videoSdkTrigger');
		expect(description.credentials).toEqual([{ name: 'videoSdkApi', required: true, testedBy: 'videoSdkApiTest' }]);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.default).toEqual(['merge-recording-completed', 'merge-recording-failed']);
	});

	it.each([completed, failed])('starts the workflow with $webhookType, its data and the job VideoSDK reports', async (payload) => {
		const { result, response } = await deliver(payload);

		expect(response.ended).toBe(false);
		const job = payload === completed ? known.completed : known.failed;
		expect(result.workflowData).toEqual([[{ json: { webhookType: payload.webhookType, data: payload.data, recording: job } }]]);
	});

	it('acknowledges an unselected event without starting the workflow', async () => {
		const { result } = await deliver(failed, {
			parameters: { ...bothEvents, events: ['merge-recording-completed'] },
		});
		expect(result).toEqual({});
	});

	it('also starts on participant recording events when they are selected', async () => {
		const stopped = { webhookType: 'participant-recording-stopped', data: { participantId: 'p1', sessionId: 's1' } };
		const selected = await deliver(stopped, {
			parameters: { ...bothEvents, events: ['participant-recording-stopped'] },
		});
		expect(selected.result.workflowData).toEqual([[{ json: { ...stopped, session: known.session } }]]);
		const events = new VideoSdkTrigger().description.properties.find((property) => property.name === 'events');
		expect((events?.options ?? []).map((option) => (option as { value: string }).value)).toEqual([
			'merge-recording-completed',
			'merge-recording-failed',
			'participant-recording-failed',
			'participant-recording-started',
			'participant-recording-stopped',
			'recording-stopped',
			'session-ended',
		]);
	});

	it('starts on session-ended when selected, with the session to merge in data.sessionId', async () => {
		const ended = { webhookType: 'session-ended', data: { meetingId: 'abc-defg-hij', sessionId: 's1' } };
		const selected = await deliver(ended, { parameters: { ...bothEvents, events: ['session-ended'] } });
		const ignored = await deliver(ended);

		expect(selected.result.workflowData).toEqual([[{ json: { ...ended, session: known.session } }]]);
		expect(ignored.result).toEqual({});
	});

	it('acknowledges event types it does not know without starting the workflow', async () => {
		const { result } = await deliver({ webhookType: 'participant-joined', data: {} });
		expect(result).toEqual({});
	});

	it('refuses a missing signature with 401', async () => {
		const { result, response } = await deliver(completed, { signature: 'none' });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 401, ended: true, body: { message: 'Missing videosdk-signature header' } });
	});

	it('refuses a bad signature with 401', async () => {
		const signedOther = fake.api.signBody(JSON.stringify(failed));
		const { result, response } = await deliver(completed, { signature: signedOther });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 401, body: { message: 'Invalid signature' } });
	});

	it('checks the signature of the raw bytes, not of re-serialized JSON', async () => {
		const spaced = JSON.stringify(completed, null, 2);
		const { result } = await deliver(completed, { rawBody: spaced, signature: fake.api.signBody(spaced) });
		expect(result.workflowData).toBeDefined();
		const compact = await deliver(completed, { rawBody: spaced, signature: fake.api.signBody(JSON.stringify(completed)) });
		expect(compact.response.status).toBe(401);
	});

	it('starts unsigned calls when verification is off, without fetching the key', async () => {
		const { result } = await deliver(completed, {
			parameters: { ...bothEvents, verifySignature: false },
			signature: 'none',
		});
		expect(result.workflowData).toBeDefined();
		expect(keyRequests()).toHaveLength(0);
	});

	it.each([
		['not JSON', '{"webhookType": "merge-recording-completed"'],
		['JSON without webhookType', '{"data":{"id":"x"}}'],
		['a JSON array', '[1,2]'],
	])('refuses a body that is %s with 400', async (_case, rawBody) => {
		const { result, response } = await deliver(undefined, { rawBody });
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(400);
	});

	it('fetches the public key once and follows a key rotation with a single refetch', async () => {
		await deliver(completed);
		await deliver(failed);
		expect(keyRequests()).toHaveLength(1);

		fake.api.rotateKey();
		// Another job: the first one's end has started its run already (one run per job end).
		fake.api.seedMerges(1, { meetingId: 'abc-defg-hij', id: 'merge-after-rotation', sessionId: 'session-1' });
		const afterRotation = await deliver({ ...completed, data: { ...completed.data, id: 'merge-after-rotation' } });
		expect(afterRotation.result.workflowData).toBeDefined();
		expect(keyRequests()).toHaveLength(2);

		const forged = await deliver(completed, { signature: Buffer.alloc(256, 7).toString('base64') });
		expect(forged.response.status).toBe(401);
		expect(keyRequests()).toHaveLength(2);
	});

	it('answers 503 while the public key cannot be fetched, and verifies again once it can', async () => {
		fake.api.publicKeyEndpoint.mode = 'error';
		const { result, response } = await deliver(completed);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(response.status).toBe(503);

		// The failure is remembered for a while; after it, the key is fetched again.
		fake.api.publicKeyEndpoint.mode = 'ok';
		const later = Date.now() + 11_000;
		const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
		try {
			const recovered = await deliver(completed);
			expect(recovered.result.workflowData).toBeDefined();
		} finally {
			clock.mockRestore();
		}
	});
});

describe('VideoSdkTrigger options: the merge job and its file', () => {
	const eventFor = (
		job: MergeJob,
		webhookType: MergeWebhookPayload['webhookType'],
		message?: string,
	): MergeWebhookPayload => ({
		webhookType,
		data: { id: job.id, meetingId: job.meetingId, sessionId: job.sessionId, ...(message ? { message } : {}) },
	});
	const withOptions = (options: INodeParameters, confirmEvents = true): INodeParameters => ({ ...bothEvents, confirmEvents, options });
	const jobRequests = () => fake.api.requests.filter((request) => request.path.startsWith(`${API_PATHS.merge}/`));
	const tokensSent = () =>
		fake.api.requests.map((request) => request.authorization).filter((token): token is string => !!token);
	const outputOf = (call: WebhookCall) => call.result.workflowData![0][0];

	it('offers the options in a collection, sorted as n8n lists them', () => {
		const options = new VideoSdkTrigger().description.properties.find((property) => property.name === 'options');
		expect(options).toMatchObject({ displayName: 'Options', type: 'collection', default: {} });
		expect((options?.options as INodeProperties[]).map(({ name, default: value }) => [name, value])).toEqual([
			['downloadFile', false],
			['includeRecording', false],
			['maxFileSize', DEFAULT_MAX_FILE_SIZE_MB],
			['binaryPropertyName', 'data'],
		]);
	});

	it('adds the merge job as recording to a completed event', async () => {
		const [job] = fake.api.seedMerges(1);
		const event = eventFor(job, 'merge-recording-completed');

		const call = await deliver(event, { parameters: withOptions({ includeRecording: true }) });

		expect(outputOf(call)).toEqual({ json: { ...event, recording: job } });
		expect(job.file?.fileUrl).toBeDefined();
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('puts the mp3 into the binary field, without recording unless asked or confirmed', async () => {
		const [job] = fake.api.seedMerges(1);
		const event = eventFor(job, 'merge-recording-completed');

		const item = outputOf(await deliver(event, { parameters: withOptions({ downloadFile: true }, false) }));

		expect(item.json).toEqual(event);
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		expect(item.binary!.data).toMatchObject({ fileName: `${job.id}.mp3`, mimeType: 'audio/mpeg' });
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(silentMp3())).toBe(true);
		expect(fake.api.fileRequests).toHaveLength(1);
		expect(fake.api.fileRequests[0].authorization).toBeUndefined();
		for (const token of [...tokensSent(), fake.api.secretKey]) {
			expect(JSON.stringify(fake.api.fileRequests[0].headers)).not.toContain(token);
		}
	});

	it('uses the binary field name given, with the recording beside it', async () => {
		const [job] = fake.api.seedMerges(1);

		const item = outputOf(
			await deliver(eventFor(job, 'merge-recording-completed'), {
				parameters: withOptions({ includeRecording: true, downloadFile: true, binaryPropertyName: 'stereo' }),
			}),
		);

		expect(Object.keys(item.binary ?? {})).toEqual(['stereo']);
		expect(item.binary!.stereo.bytes).toBe(silentMp3().length);
		expect(item.json.recording).toEqual(job);
		// One fetch serves both options.
		expect(jobRequests()).toHaveLength(1);
	});

	it('adds the failed job to a failed event, and downloads nothing for it', async () => {
		fake.api.failMerges('fail-no-audio');
		const [job] = fake.api.seedMerges(1, { sessionId: 'fail-no-audio' });
		expect(job.status).toBe('failed');
		expect(job.file).toBeUndefined();
		const event = eventFor(job, 'merge-recording-failed', 'No audio');

		const item = outputOf(
			await deliver(event, { parameters: withOptions({ includeRecording: true, downloadFile: true }) }),
		);

		expect(item).toEqual({ json: { ...event, recording: job } });
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('fetches nothing for a failed event when only Download File is on', async () => {
		fake.api.failMerges('fail-no-audio');
		const [job] = fake.api.seedMerges(1, { sessionId: 'fail-no-audio' });
		const event = eventFor(job, 'merge-recording-failed');

		const item = outputOf(await deliver(event, { parameters: withOptions({ downloadFile: true }, false) }));

		expect(item).toEqual({ json: event });
		expect(jobRequests()).toHaveLength(0);
	});

	it('fetches no job for other events, whatever the options', async () => {
		const stopped = { webhookType: 'participant-recording-stopped', data: { id: 'rec-1', sessionId: 's1' } };

		const item = outputOf(
			await deliver(stopped, {
				parameters: {
					...withOptions({ includeRecording: true, downloadFile: true }, false),
					events: ['participant-recording-stopped'],
				},
			}),
		);

		expect(item).toEqual({ json: stopped });
		expect(jobRequests()).toHaveLength(0);
	});

	it('fetches nothing before the signature is verified or for an unselected event', async () => {
		const [job] = fake.api.seedMerges(1);
		const options = { includeRecording: true, downloadFile: true };

		const forged = await deliver(eventFor(job, 'merge-recording-completed'), {
			parameters: withOptions(options),
			signature: Buffer.alloc(256, 1).toString('base64'),
		});
		const unselected = await deliver(eventFor(job, 'merge-recording-failed'), {
			parameters: { ...withOptions(options), events: ['merge-recording-completed'] },
		});

		expect(forged.response.status).toBe(401);
		expect(unselected.result).toEqual({});
		expect(jobRequests()).toHaveLength(0);
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('throws VideoSDK\'s answer for a job it does not know, with no secret or token in it', async () => {
		const unknown = { ...completed, data: { ...completed.data, id: 'job-unknown-to-videosdk' } };

		const error = await deliver(unknown, { parameters: withOptions({ includeRecording: true }, false) }).then(
			() => undefined,
			(thrown: unknown) => thrown,
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({ message: 'VideoSDK answered 404: Merge recording not found.', httpCode: '404' });
		expect(tokensSent().length).toBeGreaterThan(0);
		for (const secret of [...tokensSent(), fake.api.secretKey]) expect(containsAnywhere(error, secret)).toBe(false);
	});

	it('throws when a completed event\'s job has no file yet', async () => {
		const [job] = fake.api.seedMerges(1, { status: 'running' });

		await expect(
			deliver(eventFor(job, 'merge-recording-completed'), { parameters: withOptions({ downloadFile: true }, false) }),
		).rejects.toThrow(`Merge job ${job.id} has no file to download: its status is "running"`);
	});

	it('throws for a merge event without a job ID, without asking VideoSDK', async () => {
		const noId = { webhookType: 'merge-recording-completed', data: { sessionId: 's1' } };

		await expect(deliver(noId, { parameters: withOptions({ includeRecording: true }) })).rejects.toThrow(
			"The merge-recording-completed event's data.id (the merge job ID) is missing",
		);
		expect(jobRequests()).toHaveLength(0);
	});

	it.each([
		['.', '"." is not an ID'],
		[' .. ', '".." is not an ID'],
		[{ $ne: '' }, 'must be text, but got an object'],
		[['a'], 'must be text, but got a list of 1'],
	])('refuses data.id %j: it never leaves its path segment, and nothing is requested', async (id, problem) => {
		const event = { webhookType: 'merge-recording-completed', data: { id, sessionId: 's1' } };

		await expect(deliver(event, { parameters: withOptions({ includeRecording: true }) })).rejects.toThrow(
			`The merge-recording-completed event's data.id (the merge job ID) ${problem}`,
		);
		expect(fake.api.requests.filter((request) => request.path !== '/v2/public/rsa-public-key')).toHaveLength(0);
	});
});

describe('VideoSdkTrigger reading its credential', () => {
	/** A call signed by `signer` to a trigger whose stored credential (by ID) holds `credentials`. */
	let calls = 0;
	// Each call reports another job: a job end starts one run only.
	const nextJob = (): MergeWebhookPayload => ({ ...completed, data: { ...completed.data, id: `merge-call-${++calls}` } });
	const deliverTo = (credentialId: string, credentials: FakeApiFixture['credentials'], signer: FakeVideoSdkApi, payload = nextJob()) => {
		const rawBody = JSON.stringify(payload);
		// Confirmation off: these count the reads of the signature check alone.
		const parameters = { ...bothEvents, confirmEvents: false };
		return callWebhook({ parameters, credentialId, credentials, rawBody, headers: { [SIGNATURE_HEADER]: signer.signBody(rawBody) } });
	};

	it('reads it at most once for the signed calls of a minute, then again', async () => {
		const before = credentialReads();
		for (let call = 0; call < 5; call++) {
			expect((await deliverTo('read-once', fake.credentials, fake.api)).result.workflowData).toBeDefined();
		}
		const withinTheMinute = credentialReads() - before;
		expect(withinTheMinute).toBeLessThanOrEqual(1);

		const clock = jest.spyOn(Date, 'now').mockReturnValue(Date.now() + BASE_URL_MEMORY_MS + 1);
		try {
			expect((await deliverTo('read-once', fake.credentials, fake.api)).result.workflowData).toBeDefined();
		} finally {
			clock.mockRestore();
		}
		expect(credentialReads() - before).toBeGreaterThan(withinTheMinute);
	});

	it('reads it at most once for calls arriving together', async () => {
		const before = credentialReads();
		const calls = await Promise.all(Array.from({ length: 10 }, () => deliverTo('together', fake.credentials, fake.api)));
		expect(calls.filter((call) => call.result.workflowData !== undefined)).toHaveLength(10);
		expect(credentialReads() - before).toBeLessThanOrEqual(1);
	});

	it('refuses a forged call, which changes nothing: the kept Base URL still serves the genuine calls', async () => {
		await deliverTo('forged', fake.credentials, fake.api);
		const before = credentialReads();
		const rawBody = JSON.stringify(completed);
		const forged = await callWebhook({
			parameters: { ...bothEvents, confirmEvents: false },
			credentialId: 'forged',
			credentials: fake.credentials,
			rawBody,
			headers: { [SIGNATURE_HEADER]: Buffer.alloc(256, 7).toString('base64') },
		});
		expect(forged.response.status).toBe(401);
		const afterTheForgedCall = credentialReads();
		expect((await deliverTo('forged', fake.credentials, fake.api)).result.workflowData).toBeDefined();
		expect(credentialReads()).toBe(afterTheForgedCall);
		expect(credentialReads() - before).toBeLessThanOrEqual(1);
	});

	describe('when its Base URL is edited to another API', () => {
		let other: FakeVideoSdkApi;
		beforeAll(async () => (other = await startFakeVideoSdkApi({ autoWebhooks: false })));
		afterAll(async () => await other.close());

		it("verifies the next call with the new API's key, and no longer with the old one's", async () => {
			const edited = { apiKey: other.apiKey, secretKey: other.secretKey, baseUrl: other.url };
			expect((await deliverTo('edited', fake.credentials, fake.api)).result.workflowData).toBeDefined();

			expect((await deliverTo('edited', edited, other)).result.workflowData).toBeDefined();
			const old = await deliverTo('edited', edited, fake.api);
			expect(old.response).toMatchObject({ status: 401, body: { message: 'Invalid signature' } });
		});
	});
});

describe('VideoSdkTrigger confirms each event with VideoSDK', () => {
	const debugLines = () => debug.mock.calls.map((args) => JSON.stringify(args));
	let debug: jest.SpyInstance;
	beforeEach(() => (debug = jest.spyOn(Container.get(Logger), 'debug')));
	afterEach(() => debug.mockRestore());

	const about = (webhookType: string, data: Record<string, unknown>) => ({ webhookType, data });
	const jobRequests = () => fake.api.requests.filter((request) => request.path.startsWith(`${API_PATHS.merge}/`));
	const expectNothingStarted = (call: WebhookCall, status: number) => {
		expect(call.result).toEqual({ noWebhookResponse: true });
		expect(call.response).toMatchObject({ status, ended: true });
	};

	it('is on by default, and its description says what turning it off risks', () => {
		const confirm = new VideoSdkTrigger().description.properties.find((property) => property.name === 'confirmEvents');
		expect(confirm).toMatchObject({ type: 'boolean', default: true });
		expect(confirm?.description).toContain('anyone with a VideoSDK account can start this workflow');
		expect(confirm?.description).toContain('a captured event can be sent again');
	});

	it('starts nothing for a job this account cannot see: 200, and a debug line without token or secret', async () => {
		const call = await deliver(about('merge-recording-completed', { id: 'job-of-another-account', sessionId: 's9' }));

		expectNothingStarted(call, 200);
		expect(jobRequests()).toHaveLength(1);
		expect(debugLines().filter((line) => line.includes('job-of-another-account'))).toEqual([
			expect.stringContaining("VideoSDK does not know merge job job-of-another-account for this credential's account (404)"),
		]);
		const tokens = fake.api.requests.map((request) => request.authorization).filter((token): token is string => !!token);
		expect(tokens.length).toBeGreaterThan(0);
		for (const secret of [...tokens, fake.api.secretKey]) expect(debugLines().join('\n')).not.toContain(secret);
	});

	it('starts that run when confirmation is off: the risk its description names', async () => {
		const call = await deliver(about('merge-recording-completed', { id: 'job-of-another-account' }), {
			parameters: { ...bothEvents, confirmEvents: false },
		});
		expect(call.result.workflowData).toBeDefined();
		expect(jobRequests()).toHaveLength(0);
	});

	it.each([
		['completed', 'failed', 'merge-2'],
		['failed', 'completed', 'merge-1'],
	])('starts nothing for a %s event about a job VideoSDK reports %s: 200', async (event, _status, id) => {
		const call = await deliver(about(`merge-recording-${event}`, { id }));
		expectNothingStarted(call, 200);
		expect(debugLines().join('\n')).toContain(`not \\"${event}\\"`);
	});

	it('answers 503 for a completed event whose job VideoSDK still reports running, and starts it once VideoSDK agrees', async () => {
		const [job] = fake.api.seedMerges(1, { status: 'running' });
		const event = about('merge-recording-completed', { id: job.id });

		expectNothingStarted(await deliver(event), 503);

		fake.api.merges.set(job.id, { ...known.completed!, id: job.id });
		expect((await deliver(event)).result.workflowData?.[0][0].json.recording).toMatchObject({ id: job.id, status: 'completed' });
	});

	it.each([500, 429])('answers 503 while VideoSDK answers %s, after one retry', async (status) => {
		fake.api.failNext(API_PATHS.mergeJob('merge-1'), { status, headers: { 'retry-after': '0' }, times: 2 });

		expectNothingStarted(await deliver(completed), 503);
		expect(jobRequests()).toHaveLength(2);
	});

	it('answers 503 when VideoSDK cannot be reached', async () => {
		const unreachable = { ...fake.credentials, baseUrl: 'http://127.0.0.1:1' };
		const rawBody = JSON.stringify(completed);
		const call = await callWebhook({ parameters: { ...bothEvents, verifySignature: false }, credentials: unreachable, rawBody });

		expectNothingStarted(call, 503);
		expect(debugLines().join('\n')).toContain('VideoSDK could not confirm merge job merge-1 now: Could not reach VideoSDK');
	});

	it('fails (n8n answers 500) when VideoSDK refuses the credential, so its owner sees it', async () => {
		fake.api.failNext(API_PATHS.mergeJob('merge-1'), { status: 401, body: { message: 'Token is invalid' } });

		await expect(deliver(completed)).rejects.toThrow('VideoSDK answered 401: Token is invalid');
	});

	it.each([
		['an unknown session', { sessionId: 'session-of-another-account' }, 'session session-of-another-account'],
		['no session', { participantId: 'p1' }, 'data.sessionId is missing'],
	])('starts nothing for a session-ended event naming %s: 200', async (_case, data, logged) => {
		const call = await deliver(about('session-ended', data), { parameters: { ...bothEvents, events: ['session-ended'] } });
		expectNothingStarted(call, 200);
		expect(debugLines().join('\n')).toContain(logged);
	});

	it('checks Max File Size given as a word before asking VideoSDK anything', async () => {
		await expect(
			deliver(completed, { parameters: { ...bothEvents, options: { downloadFile: true, maxFileSize: 'lots' } } }),
		).rejects.toThrow('Max File Size');
		expect(fake.api.requests.filter((request) => request.path !== API_PATHS.signatureVerification)).toHaveLength(0);
	});
});
