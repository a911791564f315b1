import { MAX_ID_LENGTH } from '../../../../../nodes/VideoSdk/api';
import {
	CHANNELS,
	MAX_PARTICIPANTS_PER_CHANNEL,
	typedChannels,
} from '../../../../../nodes/VideoSdk/actions/mergeRecording/channels';
import { description } from '../../../../../nodes/VideoSdk/actions/mergeRecording/create.operation';
import { channelFields, fieldErrorOf } from '../../../../helpers/fieldErrors';

describe('merge channels, typed in fields or passed as JSON', () => {
	it('reads the fields, leaving out empty recording IDs', () => {
		expect(typedChannels(channelFields)).toEqual({
			channel1: [{ participantId: 'alice', recordingId: 'rec-a' }, { participantId: 'carol' }],
			channel2: [{ participantId: 'bob' }],
		});
	});

	it('reads JSON mode from strings and from arrays, accepting plain participant IDs', () => {
		const channels = typedChannels({
			specifyChannels: 'json',
			channel1Json: '[{"participantId":"alice","recordingId":"rec-a"},"carol"]',
			channel2Json: [{ participantId: 'bob', recordingId: '' }],
		});
		expect(channels).toEqual({
			channel1: [{ participantId: 'alice', recordingId: 'rec-a' }, { participantId: 'carol' }],
			channel2: [{ participantId: 'bob' }],
		});
	});

	it('are called in the editor what their errors call them', () => {
		const displayNames = description.map((field) => field.displayName);
		for (const { label } of Object.values(CHANNELS)) {
			expect(displayNames).toEqual(expect.arrayContaining([label, `${label} JSON`, `${label} Names or IDs`]));
		}
	});

	it.each([
		[
			'a channel without participants',
			{ ...channelFields, channel2: {} },
			'channel2',
			/Channel 2 \(Right\) has no participants/,
		],
		[
			'a participant without ID',
			{ ...channelFields, channel1: { participants: [{ participantId: 'a' }, { participantId: ' ' }] } },
			'channel1',
			/Channel 1 \(Left\), participant 2 has no Participant ID/,
		],
		[
			'channel JSON that does not parse',
			{ ...channelFields, specifyChannels: 'json', channel1Json: '[{"participantId":', channel2Json: '[]' },
			'channel1Json',
			/Channel 1 \(Left\) JSON is not valid JSON/,
		],
		[
			'channel JSON that is not an array',
			{ ...channelFields, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: '{"participantId":"b"}' },
			'channel2Json',
			/Channel 2 \(Right\) JSON must be an array/,
		],
		[
			'channel JSON entries that are neither objects nor strings',
			{ ...channelFields, specifyChannels: 'json', channel1Json: '["a", null]', channel2Json: '["b"]' },
			'channel1',
			/participant 2 must be an object/,
		],
		[
			'a recording ID that is not text, instead of dropping it',
			{ ...channelFields, specifyChannels: 'json', channel1Json: [{ participantId: 'a', recordingId: { id: 'r' } }], channel2Json: '["b"]' },
			'channel1',
			/^Channel 1 \(Left\), participant 1: its Recording ID must be text, but got an object$/,
		],
		[
			'a recording ID of ".."',
			{ ...channelFields, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: [{ participantId: 'b', recordingId: '..' }] },
			'channel2',
			/^Channel 2 \(Right\), participant 1: its Recording ID "\.\." is not an ID$/,
		],
		[
			'a participant ID that is a list',
			{ ...channelFields, specifyChannels: 'json', channel1Json: [{ participantId: ['a', 'b'] }], channel2Json: '["b"]' },
			'channel1',
			/^Channel 1 \(Left\), participant 1: its Participant ID must be text, but got a list of 2$/,
		],
		[
			'an over-long participant ID',
			{ ...channelFields, specifyChannels: 'json', channel1Json: ['x'.repeat(MAX_ID_LENGTH + 1)], channel2Json: '["b"]' },
			'channel1',
			/its Participant ID is 201 characters long; IDs have at most 200$/,
		],
		[
			'more participants than one channel takes',
			{ ...channelFields, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: Array.from({ length: MAX_PARTICIPANTS_PER_CHANNEL + 1 }, (_, i) => `p${i}`) },
			'channel2',
			new RegExp(`^Channel 2 \\(Right\\) has ${MAX_PARTICIPANTS_PER_CHANNEL + 1} participants; one channel takes at most ${MAX_PARTICIPANTS_PER_CHANNEL}$`),
		],
	])('rejects %s, naming the field', (_case, parameters, field, message) => {
		const error = fieldErrorOf(typedChannels, parameters);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});
});
