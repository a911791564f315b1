import type { INodeParameters } from 'n8n-workflow';

import type { MergeWebhookPayload } from '../../../nodes/VideoSdk/helpers/interfaces';
import { SIGNATURE_HEADER } from '../../../nodes/VideoSdk/helpers/interfaces';
import { clearPublicKeyCache } from '../../../nodes/VideoSdk/transport/webhookSignature';
import { VideoSdkTrigger } from '../../../nodes/VideoSdkTrigger/VideoSdkTrigger.node';
import { callWebhook } from '../../harness';
import { useFakeApi } from '../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });
beforeEach(() => clearPublicKeyCache());

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
		expect(description.credentials).toEqual([{ name: 'videoSdkApi', required: true }]);
		expect(description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		]);
		const events = description.properties.find((property) => property.name === 'events');
		expect(events?.default).toEqual(['merge-recording-completed', 'merge-recording-failed']);
	});

	it.each([completed, failed])('starts the workflow with $webhookType and its data', async (payload) => {
		const { result, response } = await deliver(payload);

		expect(response.ended).toBe(false);
		expect(result.workflowData).toEqual([[{ json: { webhookType: payload.webhookType, data: payload.data } }]]);
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
		expect(selected.result.workflowData).toEqual([[{ json: stopped }]]);
		const events = new VideoSdkTrigger().description.properties.find((property) => property.name === 'events');
		expect((events?.options ?? []).map((option) => (option as { value: string }).value)).toEqual([
			'merge-recording-completed',
			'merge-recording-failed',
			'participant-recording-failed',
			'participant-recording-started',
			'participant-recording-stopped',
			'recording-stopped',
		]);
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
		const afterRotation = await deliver(completed);
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

		fake.api.publicKeyEndpoint.mode = 'ok';
		const recovered = await deliver(completed);
		expect(recovered.result.workflowData).toBeDefined();
	});
});
