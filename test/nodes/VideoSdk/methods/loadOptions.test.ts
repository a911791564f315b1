import type { INodeParameters } from 'n8n-workflow';

import { LOAD_OPTIONS } from '../../../../nodes/VideoSdk/descriptions/methodNames';
import { loadOptions } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

const speakersFor = (sessionId: unknown) =>
	loadOptions(
		{
			parameters: { resource: 'mergeRecording', operation: 'create', sessionId, specifyChannels: 'speakers' } as INodeParameters,
			credentials: fake.credentials,
		},
		LOAD_OPTIONS.sessionSpeakers,
	);

describe('load options: the speakers of the chosen session', () => {
	it("offers each participant by name and ID in the session's order, saying who was recorded", async () => {
		const { session } = fake.api.seedSession(['interviewer', 'candidate'], {
			names: { interviewer: 'Ana Ruiz', candidate: 'Bo Chen' },
			unrecorded: ['observer'],
		});
		fake.api.seedSession(['someone-else']);

		const options = await speakersFor({ __rl: true, mode: 'list', value: session.id, cachedResultName: 'x' });

		expect(options).toEqual([
			{ name: 'Ana Ruiz (interviewer)', value: 'interviewer', description: '1 recording in this session' },
			{ name: 'Bo Chen (candidate)', value: 'candidate', description: '1 recording in this session' },
			{ name: 'Name of observer (observer)', value: 'observer', description: 'Not recorded in this session' },
		]);
		expect(fake.api.requests.map((request) => [request.path, request.query.sessionId])).toEqual(
			expect.arrayContaining([
				[`/v2/sessions/${session.id}`, undefined],
				['/v2/recordings/participant', session.id],
			]),
		);
	});

	it('takes the session typed By ID too, and a session ID of version 1 as plain text', async () => {
		const { session } = fake.api.seedSession(['host', 'guest']);
		const byId = await speakersFor({ __rl: true, mode: 'id', value: ` ${session.id} ` });
		expect(byId.map((option) => option.value)).toEqual(['host', 'guest']);
		const plain = await speakersFor(session.id);
		expect(plain.map((option) => option.value)).toEqual(['host', 'guest']);
	});

	it('offers nothing, and asks VideoSDK nothing, before a session is chosen or when it comes from the input', async () => {
		expect(await speakersFor({ __rl: true, mode: 'list', value: '' })).toEqual([]);
		expect(await speakersFor({ __rl: true, mode: 'id', value: '={{ $json.sessionId }}' })).toEqual([]);
		expect(fake.api.requests).toHaveLength(0);
	});

	it("fails with VideoSDK's answer for a session it does not know", async () => {
		await expect(speakersFor({ __rl: true, mode: 'id', value: 'missing-session' })).rejects.toThrow(
			'VideoSDK answered 404: Session not found.',
		);
	});
});
