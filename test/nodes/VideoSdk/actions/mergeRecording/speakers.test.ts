import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import type { MergeRecordingRequest } from '../../../../../nodes/VideoSdk/api';
import { API_PATHS } from '../../../../../nodes/VideoSdk/api';
import { VideoSdk } from '../../../../../nodes/VideoSdk/VideoSdk.node';
import { registerNodeType, runNode } from '../../../../../scripts/harness';
import { useFakeApi } from '../../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

// What n8n does for an AI Agent: the same node, run under its "…Tool" type name.
registerNodeType('videoSdkTool', () => new VideoSdk());

const session = (value: string, mode = 'list') => ({ __rl: true, mode, value });

/** A version 2 merge as the editor saves it: the session picked from the list, speakers from theirs. */
const speakersMerge = (sessionId: string | object, fields: INodeParameters = {}): INodeParameters => ({
	resource: 'mergeRecording',
	operation: 'create',
	sessionId: typeof sessionId === 'string' ? session(sessionId) : (sessionId as INodeParameters),
	channel1Speakers: ['interviewer'],
	...fields,
});

const merge = (parameters: INodeParameters, items?: INodeExecutionData[], continueOnFail = false) =>
	runNode({ type: 'videoSdk', typeVersion: 2, parameters, items, credentials: fake.credentials, continueOnFail });

const mergeBodies = () =>
	fake.api.requests
		.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge)
		.map((request) => request.body as MergeRecordingRequest);

const interview = (seed: Parameters<typeof fake.api.seedSession>[1] = {}) =>
	fake.api.seedSession(['interviewer', 'candidate'], seed);

describe('merge, version 2: Speakers of the Session', () => {
	it('is the default way: the left speaker picked, everyone else recorded on the right, each with their audio recording', async () => {
		const { session: interviewSession, recordings } = interview({ unrecorded: ['observer'] });
		fake.api.seedSession(['interviewer'], { roomId: 'another-room' });

		const { items, error } = await merge(speakersMerge(interviewSession.id));

		expect(error).toBeUndefined();
		expect(mergeBodies()).toEqual([
			{
				sessionId: interviewSession.id,
				channel1: [{ participantId: 'interviewer', recordingId: recordings[0].id }],
				channel2: [{ participantId: 'candidate', recordingId: recordings[1].id }],
			},
		]);
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ sessionId: interviewSession.id, status: 'running' });
		// One lookup of the session's recordings, then the merge.
		expect(fake.api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			`GET ${API_PATHS.participantRecordings}`,
			`POST ${API_PATHS.merge}`,
		]);
		expect(fake.api.requests[0].query.sessionId).toBe(interviewSession.id);
	});

	it('takes chosen speakers for the right channel, and several per channel', async () => {
		const { session: panel, recordings } = fake.api.seedSession(['host', 'guest-1', 'guest-2', 'guest-3']);
		const { error } = await merge(
			speakersMerge(panel.id, {
				channel1Speakers: ['host', 'guest-3'],
				channel2Mode: 'speakers',
				channel2Speakers: ['guest-1'],
			}),
		);
		expect(error).toBeUndefined();
		expect(mergeBodies()[0]).toEqual({
			sessionId: panel.id,
			channel1: [
				{ participantId: 'host', recordingId: recordings[0].id },
				{ participantId: 'guest-3', recordingId: recordings[3].id },
			],
			channel2: [{ participantId: 'guest-1', recordingId: recordings[1].id }],
		});
	});

	it("uses a speaker's earliest audio recording, and lets VideoSDK choose when none is marked audio", async () => {
		const { session: interviewSession, recordings } = interview();
		const [interviewerFirst, candidate] = recordings;
		// A later audio recording of the interviewer (they rejoined), listed before the first one.
		const rejoined = { ...interviewerFirst, id: 'rejoined-recording', start: '2026-01-01T10:20:00.000Z' };
		fake.api.participantRecordings.clear();
		for (const recording of [rejoined, interviewerFirst, { ...candidate, kind: 'video' }]) {
			fake.api.participantRecordings.set(recording.id, recording);
		}

		await merge(speakersMerge(interviewSession.id));

		expect(mergeBodies()[0]).toEqual({
			sessionId: interviewSession.id,
			channel1: [{ participantId: 'interviewer', recordingId: interviewerFirst.id }],
			channel2: [{ participantId: 'candidate' }],
		});
	});

	it('stops before the merge, naming the field and the item, when a choice cannot be merged', async () => {
		const { session: interviewSession } = interview({ unrecorded: ['observer'] });
		const lone = fake.api.seedSession(['alone']).session;
		const cases: Array<[INodeParameters, string]> = [
			[
				speakersMerge(interviewSession.id, { channel1Speakers: ['observer'] }),
				`Channel 1 (Left): speaker "observer" has no recording in session ${interviewSession.id} [item 0]`,
			],
			// An empty pick n8n refuses itself (the field is required); an expression can still give none.
			[
				speakersMerge(interviewSession.id, { channel1Speakers: '={{ [] }}' }),
				'Channel 1 (Left) has no participants [item 0]',
			],
			[
				speakersMerge(lone.id, { channel1Speakers: ['alone'] }),
				`Channel 2 (Right) has no participants: nobody else was recorded in session ${lone.id} [item 0]`,
			],
			[
				speakersMerge(interviewSession.id, { channel2Mode: 'speakers', channel2Speakers: ['candidate', 'interviewer'] }),
				'Speaker "interviewer" is in both channels [item 0]',
			],
			[
				speakersMerge(interviewSession.id, { channel2Mode: 'speakers', channel2Speakers: '={{ $json.nobody }}' }),
				'Channel 2 (Right) has no participants [item 0]',
			],
			[speakersMerge(session('={{ $json.sessionId }}', 'id')), 'Session ID is missing [item 0]'],
		];
		for (const [parameters, message] of cases) {
			const { error } = await merge(parameters);
			expect({ message: error?.message, name: error?.name }).toEqual({ message, name: 'NodeOperationError' });
		}
		expect(mergeBodies()).toEqual([]);
		await expect(merge(speakersMerge(interviewSession.id, { channel1Speakers: [] }))).rejects.toThrow(
			'Parameter "Channel 1 (Left) Names or IDs" is required.',
		);
	});

	it('refuses no speakers, or a speaker in both channels, before looking anything up', async () => {
		const { session: interviewSession } = interview();
		const cases: Array<[INodeParameters, string]> = [
			[speakersMerge(interviewSession.id, { channel1Speakers: '={{ [] }}' }), 'Channel 1 (Left) has no participants [item 0]'],
			[
				speakersMerge(interviewSession.id, { channel2Mode: 'speakers', channel2Speakers: '={{ " , " }}' }),
				'Channel 2 (Right) has no participants [item 0]',
			],
			[
				speakersMerge(interviewSession.id, { channel2Mode: 'speakers', channel2Speakers: ['candidate', 'interviewer'] }),
				'Speaker "interviewer" is in both channels [item 0]',
			],
		];
		for (const [parameters, message] of cases) {
			const { error } = await merge(parameters);
			expect(error?.message).toBe(message);
		}
		expect(fake.api.requests).toEqual([]);
	});

	it("fails with VideoSDK's answer when the session's recordings cannot be listed", async () => {
		const { session: interviewSession } = interview();
		fake.api.failNext(API_PATHS.participantRecordings, { status: 403, body: { message: 'Not allowed' } });
		const { error } = await merge(speakersMerge(interviewSession.id));
		expect(error?.message).toBe('VideoSDK answered 403: Not allowed');
		expect(mergeBodies()).toEqual([]);
	});

	it('resolves each item on its own: the session by expression, speakers from the input, errors per item', async () => {
		const first = interview();
		const second = fake.api.seedSession(['host', 'guest']);
		const items = [
			{ json: { sessionId: first.session.id, left: ['candidate'] } },
			{ json: { sessionId: 'unknown-session', left: ['host'] } },
			{ json: { sessionId: second.session.id, left: 'guest' } },
		];
		const { items: output, error } = await merge(
			speakersMerge(session('={{ $json.sessionId }}', 'id'), { channel1Speakers: '={{ $json.left }}' }),
			items,
			true,
		);

		expect(error).toBeUndefined();
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		// Nothing recorded under that ID, so the node asked VideoSDK for the session itself.
		expect(output[1].json).toEqual({ error: 'VideoSDK answered 404: Session not found.' });
		expect(mergeBodies()).toEqual([
			{
				sessionId: first.session.id,
				channel1: [{ participantId: 'candidate', recordingId: first.recordings[1].id }],
				channel2: [{ participantId: 'interviewer', recordingId: first.recordings[0].id }],
			},
			{
				sessionId: second.session.id,
				channel1: [{ participantId: 'guest', recordingId: second.recordings[1].id }],
				channel2: [{ participantId: 'host', recordingId: second.recordings[0].id }],
			},
		]);
	});

	describe('speakers by name', () => {
		const meeting = () =>
			fake.api.seedSession(['p-ana', 'p-ben', 'p-cy'], {
				names: { 'p-ana': 'Ana Lima', 'p-ben': 'Ben', 'p-cy': 'Ana  lima' },
				unrecorded: ['p-dee'],
			});

		it('resolves names within the session, case and spacing aside, and mixes them with IDs', async () => {
			const { session: interview, recordings } = fake.api.seedSession(['p-ana', 'p-ben'], {
				names: { 'p-ana': 'Ana', 'p-ben': 'Ben Okafor' },
			});
			const { error } = await merge(
				speakersMerge(interview.id, {
					channel1Speakers: '={{ " ana " }}',
					channel2Mode: 'speakers',
					channel2Speakers: '={{ "ben  okafor, p-ben" }}',
				}),
			);
			expect(error).toBeUndefined();
			expect(mergeBodies()).toEqual([
				{
					sessionId: interview.id,
					channel1: [{ participantId: 'p-ana', recordingId: recordings[0].id }],
					channel2: [{ participantId: 'p-ben', recordingId: recordings[1].id }],
				},
			]);
			// Names need the session's participants: one more lookup, before the merge.
			expect(fake.api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
				`GET ${API_PATHS.participantRecordings}`,
				`GET ${API_PATHS.session(interview.id)}`,
				`POST ${API_PATHS.merge}`,
			]);
		});

		it('refuses an unknown or ambiguous name, or one person on both sides, before any merge, listing the speakers', async () => {
			const { session: panel } = meeting();
			const speakers = 'its speakers are Ana Lima (p-ana), Ben (p-ben), Ana  lima (p-cy), Name of p-dee (p-dee)';
			const cases: Array<[INodeParameters, string]> = [
				[
					speakersMerge(panel.id, { channel1Speakers: '={{ "Zoe" }}' }),
					`Channel 1 (Left): no speaker "Zoe" in session ${panel.id}; ${speakers} [item 0]`,
				],
				[
					speakersMerge(panel.id, { channel1Speakers: '={{ "ana lima" }}' }),
					`Channel 1 (Left): "ana lima" is the name of 2 speakers in session ${panel.id} (Ana Lima (p-ana), Ana  lima (p-cy)); give a participant ID [item 0]`,
				],
				[
					speakersMerge(panel.id, { channel1Speakers: '={{ "Ben" }}', channel2Mode: 'speakers', channel2Speakers: '={{ "p-ben" }}' }),
					'Speaker "p-ben" is in both channels [item 0]',
				],
			];
			for (const [parameters, message] of cases) {
				const { error } = await merge(parameters);
				expect(error?.message).toBe(message);
			}
			expect(mergeBodies()).toEqual([]);
		});

		it('tells a model, which calls with one item, the one sentence without the item', async () => {
			const { session: panel } = meeting();
			const { error } = await runNode({
				type: 'videoSdkTool',
				typeVersion: 2,
				parameters: speakersMerge(panel.id, { channel1Speakers: '={{ "Zoe" }}' }),
				credentials: fake.credentials,
			});
			expect(error?.message).toBe(
				`Channel 1 (Left): no speaker "Zoe" in session ${panel.id}; its speakers are Ana Lima (p-ana), Ben (p-ben), Ana  lima (p-cy), Name of p-dee (p-dee)`,
			);
			expect(mergeBodies()).toEqual([]);
		});
	});
});
