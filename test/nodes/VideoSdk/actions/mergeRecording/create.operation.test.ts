import type { INodeProperties } from 'n8n-workflow';

import { FieldError } from '../../../../../nodes/VideoSdk/validation';
import { MAX_ID_LENGTH } from '../../../../../nodes/VideoSdk/api';
import {
	MAX_PARTICIPANTS_PER_CHANNEL,
	description,
	pause,
	request,
} from '../../../../../nodes/VideoSdk/actions/mergeRecording/create.operation';

const fieldsMode = {
	sessionId: ' session-1 ',
	specifyChannels: 'fields',
	channel1: {
		participants: [
			{ participantId: 'alice', recordingId: 'rec-a' },
			{ participantId: 'carol', recordingId: '' },
		],
	},
	channel2: { participants: [{ participantId: 'bob', recordingId: '' }] },
	webhookUrl: '',
	options: {},
};

function fieldErrorOf(parameters: Record<string, unknown>): FieldError {
	try {
		request(parameters);
	} catch (error) {
		if (error instanceof FieldError) return error;
		throw error;
	}
	throw new Error('expected a FieldError');
}

describe('mergeRecording.create request', () => {
	it('builds the documented body from fields, leaving out empty values', () => {
		expect(request(fieldsMode)).toEqual({
			method: 'POST',
			path: '/v2/recordings/participant/merge',
			body: {
				sessionId: 'session-1',
				channel1: [{ participantId: 'alice', recordingId: 'rec-a' }, { participantId: 'carol' }],
				channel2: [{ participantId: 'bob' }],
			},
		});
	});

	it('adds webhookUrl, type and dirPath when given', () => {
		const built = request({
			...fieldsMode,
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			options: { type: 'track', dirPath: ' merged/2026 ' },
		});
		expect(built.body).toMatchObject({
			webhookUrl: 'https://n8n.example.com/webhook/abc/webhook',
			type: 'track',
			dirPath: 'merged/2026',
		});
	});

	it('reads JSON mode from strings and from arrays, accepting plain participant IDs', () => {
		const built = request({
			sessionId: 's',
			specifyChannels: 'json',
			channel1Json: '[{"participantId":"alice","recordingId":"rec-a"},"carol"]',
			channel2Json: [{ participantId: 'bob', recordingId: '' }],
		});
		expect(built.body).toEqual({
			sessionId: 's',
			channel1: [{ participantId: 'alice', recordingId: 'rec-a' }, { participantId: 'carol' }],
			channel2: [{ participantId: 'bob' }],
		});
	});

	it.each([
		['an empty session ID', { ...fieldsMode, sessionId: '  ' }, 'sessionId', /Session ID is empty/],
		[
			'a channel without participants',
			{ ...fieldsMode, channel2: {} },
			'channel2',
			/Channel 2 \(Right\) has no participants/,
		],
		[
			'a participant without ID',
			{ ...fieldsMode, channel1: { participants: [{ participantId: 'a' }, { participantId: ' ' }] } },
			'channel1',
			/Channel 1 \(Left\), participant 2 has no Participant ID/,
		],
		[
			'channel JSON that does not parse',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: '[{"participantId":', channel2Json: '[]' },
			'channel1Json',
			/Channel 1 \(Left\) JSON is not valid JSON/,
		],
		[
			'channel JSON that is not an array',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: '{"participantId":"b"}' },
			'channel2Json',
			/Channel 2 \(Right\) JSON must be an array/,
		],
		[
			'channel JSON entries that are neither objects nor strings',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: '["a", null]', channel2Json: '["b"]' },
			'channel1',
			/participant 2 must be an object/,
		],
		[
			'a recording ID that is not text, instead of dropping it',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: [{ participantId: 'a', recordingId: { id: 'r' } }], channel2Json: '["b"]' },
			'channel1',
			/^Channel 1 \(Left\), participant 1: its Recording ID must be text, but got an object$/,
		],
		[
			'a recording ID of ".."',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: [{ participantId: 'b', recordingId: '..' }] },
			'channel2',
			/^Channel 2 \(Right\), participant 1: its Recording ID "\.\." is not an ID$/,
		],
		[
			'a participant ID that is a list',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: [{ participantId: ['a', 'b'] }], channel2Json: '["b"]' },
			'channel1',
			/^Channel 1 \(Left\), participant 1: its Participant ID must be text, but got a list of 2$/,
		],
		[
			'an over-long participant ID',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: ['x'.repeat(MAX_ID_LENGTH + 1)], channel2Json: '["b"]' },
			'channel1',
			/its Participant ID is 201 characters long; IDs have at most 200$/,
		],
		[
			'more participants than one channel takes',
			{ ...fieldsMode, specifyChannels: 'json', channel1Json: '["a"]', channel2Json: Array.from({ length: MAX_PARTICIPANTS_PER_CHANNEL + 1 }, (_, i) => `p${i}`) },
			'channel2',
			new RegExp(`^Channel 2 \\(Right\\) has ${MAX_PARTICIPANTS_PER_CHANNEL + 1} participants; one channel takes at most ${MAX_PARTICIPANTS_PER_CHANNEL}$`),
		],
		[
			'a session ID that is an object, saying what it got',
			{ ...fieldsMode, sessionId: { id: 's' } },
			'sessionId',
			/^Session ID must be text, but got an object$/,
		],
		[
			'a webhook URL that is not http(s)',
			{ ...fieldsMode, webhookUrl: 'ftp://example.com/hook' },
			'webhookUrl',
			/Webhook URL "ftp:\/\/example.com\/hook" is not an http\(s\) URL/,
		],
		[
			'a webhook URL that is not a URL',
			{ ...fieldsMode, webhookUrl: 'my trigger' },
			'webhookUrl',
			/not an http\(s\) URL/,
		],
	])('rejects %s, naming the field', (_case, parameters, field, message) => {
		const error = fieldErrorOf(parameters);
		expect(error.field).toBe(field);
		expect(error.message).toMatch(message);
	});
});

describe('mergeRecording.create while waiting for completion', () => {
	const fieldNamed = (name: string) => description.find((field) => field.name === name)!;
	const optionNamed = (name: string) =>
		(fieldNamed('options').options as INodeProperties[]).find((option) => option.name === name)!;

	it('sends the resume URL it is given instead of the Webhook URL field', () => {
		const resumeUrl = 'https://n8n.example.com/webhook-waiting/42?signature=token';
		const built = request({ ...fieldsMode, webhookUrl: 'https://hooks.example.com/x' }, { resumeUrl });

		expect(built.body?.webhookUrl).toBe(resumeUrl);
	});

	it('is off by default, hides the Webhook URL when on and shows its own options only then', () => {
		expect(fieldNamed('waitForCompletion')).toMatchObject({ type: 'boolean', default: false });
		expect(fieldNamed('webhookUrl').displayOptions?.show?.waitForCompletion).toEqual([false]);
		for (const name of ['maxWait', 'downloadFile', 'binaryPropertyName']) {
			expect(optionNamed(name).displayOptions?.show?.['/waitForCompletion']).toEqual([true]);
		}
		expect(optionNamed('maxWait').default).toBe(60);
		expect(optionNamed('binaryPropertyName').displayOptions?.show?.downloadFile).toEqual([true]);
	});

	it('waits Max Wait minutes, an hour by default', () => {
		expect(pause.maxWaitMs({ options: { maxWait: 5 } })).toBe(5 * 60_000);
		expect(pause.maxWaitMs({})).toBe(60 * 60_000);
		expect(pause.timeoutMessage(1, 60_000)).toBe('VideoSDK did not report the end of the merge within 1 minute (Max Wait)');
		expect(pause.timeoutMessage(3, 120 * 60_000)).toBe(
			'VideoSDK did not report the end of all 3 merges within 120 minutes (Max Wait)',
		);
	});
});
