import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const run = (parameters: INodeParameters, items?: INodeExecutionData[]) =>
	runNode({ type: 'videoSdk', parameters, items, credentials: fake.credentials });

describe('participant recordings', () => {
	it('lists the recordings of a session, paging through all of them', async () => {
		const { session, recordings } = fake.api.seedSession(['host', 'guest']);
		fake.api.seedSession(['someone-else']);
		for (let index = 0; index < 110; index++) fake.api.seedSession([`crowd-${index}`], { roomId: 'crowd' });

		const { items } = await run({
			resource: 'participantRecording',
			operation: 'getAll',
			returnAll: true,
			filters: { sessionId: session.id, participantId: '' },
		});
		expect(items.map((item) => item.json)).toEqual(recordings);

		const crowd = await run({ resource: 'participantRecording', operation: 'getAll', returnAll: true, filters: { roomId: 'crowd' } });
		expect(crowd.items).toHaveLength(110);
		const pages = fake.api.requests.filter((request) => request.query.roomId === 'crowd').map((request) => request.query.page);
		expect(pages).toEqual(['1', '2']);
	});

	it('gets and deletes one recording', async () => {
		const { recordings } = fake.api.seedSession(['host']);
		const got = await run({ resource: 'participantRecording', operation: 'get', recordingId: recordings[0].id });
		expect(got.items[0].json).toEqual(recordings[0]);

		const deleted = await run({ resource: 'participantRecording', operation: 'delete', recordingId: recordings[0].id });
		expect(deleted.items[0].json).toEqual({ message: 'Participant recording deleted successfully.' });
		expect(fake.api.participantRecordings.has(recordings[0].id)).toBe(false);
	});

	it('starts and stops a recording with the documented bodies', async () => {
		const started = await run({
			resource: 'participantRecording',
			operation: 'start',
			roomId: 'room-1',
			participantId: 'host',
			options: { webhookUrl: 'https://n8n.example.com/webhook/x/webhook', bucketDirPath: 'calls' },
		});
		expect(started.error).toBeUndefined();
		const stopped = await run({ resource: 'participantRecording', operation: 'stop', roomId: 'room-1', participantId: 'host' });
		expect(stopped.error).toBeUndefined();
		expect(fake.api.requests.map((request) => [request.path, request.body])).toEqual([
			[
				'/v2/recordings/participant/start',
				{ roomId: 'room-1', participantId: 'host', webhookUrl: 'https://n8n.example.com/webhook/x/webhook', bucketDirPath: 'calls' },
			],
			['/v2/recordings/participant/stop', { roomId: 'room-1', participantId: 'host' }],
		]);
	});

	it('names the field and item for a missing participant or a bad webhook URL', async () => {
		const missing = await run({ resource: 'participantRecording', operation: 'stop', roomId: 'room-1', participantId: ' ' });
		expect(missing.error?.message).toBe('Participant ID is empty [item 0]');
		const badUrl = await run({
			resource: 'participantRecording',
			operation: 'start',
			roomId: 'room-1',
			participantId: 'host',
			options: { webhookUrl: 'not a url' },
		});
		expect(badUrl.error?.message).toBe('Webhook URL "not a url" is not an http(s) URL [item 0]');
		expect(fake.api.requests).toHaveLength(0);
	});
});

describe('sessions', () => {
	it('lists sessions of a room, gets one, and lists its participants', async () => {
		const { session } = fake.api.seedSession(['host', 'guest'], { roomId: 'room-9', customRoomId: 'weekly-sync' });
		fake.api.seedSession(['x'], { roomId: 'other-room' });

		const byRoom = await run({ resource: 'session', operation: 'getAll', limit: 5, filters: { customRoomId: 'weekly-sync' } });
		expect(byRoom.items.map((item) => item.json)).toEqual([session]);

		const one = await run({ resource: 'session', operation: 'get', sessionId: session.id });
		expect(one.items[0].json).toEqual(session);

		const participants = await run({ resource: 'session', operation: 'getParticipants', sessionId: session.id, returnAll: true });
		expect(participants.items.map((item) => item.json.participantId)).toEqual(['host', 'guest']);
	});

	it("feeds a merge's JSON mode by expression, without a Code node", async () => {
		const { session } = fake.api.seedSession(['host', 'guest', 'co-host']);
		const { items: sessions } = await run({ resource: 'session', operation: 'get', sessionId: session.id });

		const merged = await run(
			{
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: '={{ $json.id }}',
				specifyChannels: 'json',
				channel1Json: '={{ $json.participants.filter(p => p.participantId !== "guest") }}',
				channel2Json: '={{ $json.participants.filter(p => p.participantId === "guest") }}',
			},
			sessions.map(({ json }) => ({ json })),
		);

		expect(merged.error).toBeUndefined();
		expect(fake.api.requests.at(-1)?.body).toEqual({
			sessionId: session.id,
			channel1: [{ participantId: 'host' }, { participantId: 'co-host' }],
			channel2: [{ participantId: 'guest' }],
		});
	});
});

describe('filters of Get Many', () => {
	it('take text and numbers, and refuse an object or a list from an expression, naming the filter, before any request', async () => {
		const { error: numberError } = await run({ resource: 'session', operation: 'getAll', filters: { roomId: '={{ 42 }}' } });
		expect(numberError).toBeUndefined();
		expect(fake.api.requests.map((request) => request.query.roomId)).toEqual(['42']);
		fake.api.requests.length = 0;

		const cases: Array<[INodeParameters, string]> = [
			[
				{ resource: 'session', operation: 'getAll', filters: { roomId: '={{ { $ne: "" } }}' } },
				'Room ID must be text or a number, but got an object [item 0]',
			],
			[
				{ resource: 'participantRecording', operation: 'getAll', filters: { participantId: '={{ ["a", "b"] }}' } },
				'Participant ID must be text or a number, but got a list of 2 [item 0]',
			],
			[
				{ resource: 'mergeRecording', operation: 'getAll', filters: { sessionId: '={{ { id: "s1" } }}' } },
				'Session ID must be text or a number, but got an object [item 0]',
			],
			[
				{ resource: 'session', operation: 'getAll', filters: { customRoomId: '={{ true }}' } },
				'Custom Room ID must be text or a number, but got a boolean [item 0]',
			],
		];
		for (const [parameters, message] of cases) {
			const { error } = await run(parameters);
			expect({ message: error?.message, name: error?.name }).toEqual({ message, name: 'NodeOperationError' });
		}
		expect(fake.api.requests).toEqual([]);
	});
});
