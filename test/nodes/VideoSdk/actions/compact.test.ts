import type { INodeParameters } from 'n8n-workflow';

import { VideoSdk } from '../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

// What n8n does for an AI Agent: the same node, run under its "…Tool" type name.
registerNodeType('videoSdkTool', () => new VideoSdk());

const run = (parameters: INodeParameters, type = 'videoSdk') =>
	runNode({ type, parameters, credentials: fake.credentials });

const sessionsOfRoom = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'session',
	operation: 'getAll',
	filters: { roomId: 'abc-defg-hij' },
	options,
});

describe('Simplify: compact outputs for a model, whole objects for workflows', () => {
	it('lists a room’s sessions newest first, with participants by name, compact when run as a tool', async () => {
		const older = fake.api.seedSession(['p-ana', 'p-ben'], { names: { 'p-ana': 'Ana', 'p-ben': 'Ben' } }).session;
		fake.api.seedSession(['elsewhere'], { roomId: 'other-room' });
		const newer = fake.api.seedSession(['p-ana'], { names: { 'p-ana': 'Ana' } }).session;
		fake.api.sessionOrder = 'oldestFirst';

		const asTool = await run(sessionsOfRoom(), 'videoSdkTool');
		expect(asTool.items.map((item) => item.json)).toEqual([
			{ id: newer.id, roomId: 'abc-defg-hij', start: newer.start, end: newer.end, participants: [{ participantId: 'p-ana', name: 'Ana' }] },
			{
				id: older.id,
				roomId: 'abc-defg-hij',
				start: older.start,
				end: older.end,
				participants: [
					{ participantId: 'p-ana', name: 'Ana' },
					{ participantId: 'p-ben', name: 'Ben' },
				],
			},
		]);

		// A workflow keeps the whole objects (newest first too), unless it asks for Simplify.
		const inWorkflow = await run(sessionsOfRoom());
		expect(inWorkflow.items.map((item) => item.json)).toEqual([newer, older].map((session) => fake.api.sessions.get(session.id)));
		const simplified = await run(sessionsOfRoom({ simplify: true }));
		expect(simplified.items.map((item) => item.json)).toEqual(asTool.items.map((item) => item.json));
		const wholeAsTool = await run(sessionsOfRoom({ simplify: false }), 'videoSdkTool');
		expect(wholeAsTool.items.map((item) => item.json)).toEqual(inWorkflow.items.map((item) => item.json));
	});

	it("gives a session's participants with names and times, and a merge job with its file URL and name", async () => {
		const { session } = fake.api.seedSession(['p-ana'], { names: { 'p-ana': 'Ana' } });
		const participants = await run(
			{ resource: 'session', operation: 'getParticipants', sessionId: session.id, returnAll: true },
			'videoSdkTool',
		);
		const [timelog] = session.participants[0].timelog;
		expect(participants.items.map((item) => item.json)).toEqual([
			{ participantId: 'p-ana', name: 'Ana', joined: timelog.start, ...(timelog.end ? { left: timelog.end } : {}) },
		]);

		const [job] = fake.api.seedMerges(1, { status: 'completed' });
		const got = await run(
			{ resource: 'mergeRecording', operation: 'get', mergeId: job.id },
			'videoSdkTool',
		);
		expect(got.error?.message).toBeUndefined();
		expect(got.items[0].json).toEqual({
			id: job.id,
			sessionId: job.sessionId,
			status: 'completed',
			start: job.start,
			end: job.end,
			channel1: ['participant-a-0'],
			channel2: ['participant-b-0'],
			fileUrl: job.file?.fileUrl,
			fileName: job.file?.filePath.split('/').pop(),
		});
		expect(job.file?.fileUrl).toEqual(expect.any(String));
	});
});
