import type { INodeProperties } from 'n8n-workflow';

import { description, request } from '../../../../../nodes/VideoSdk/actions/mergeRecording/create.operation';
import { channelFields, fieldErrorOf } from '../../../../helpers/fieldErrors';

const fieldsMode = {
	sessionId: ' session-1 ',
	...channelFields,
	webhookUrl: '',
	options: {},
};

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

	it.each([
		['an empty session ID', { ...fieldsMode, sessionId: '  ' }, 'sessionId', /Session ID is empty/],
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
		const error = fieldErrorOf(request, parameters);
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

	it('sends no URL when asking VideoSDK, even with a Webhook URL left from before', () => {
		const built = request({ ...fieldsMode, waitForCompletion: true, waitMode: 'ask', webhookUrl: 'https://hooks.example.com/x' });

		expect(built.body).not.toHaveProperty('webhookUrl');
	});

	it('says in each wait mode\'s notice whether this n8n must be reachable, and shows Poll Interval only when asking', () => {
		expect(fieldNamed('waitMode')).toMatchObject({ default: 'callback', displayOptions: { show: { waitForCompletion: [true] } } });
		expect(fieldNamed('waitNotice').displayName).toContain('this n8n must be reachable from the internet');
		expect(fieldNamed('waitNotice').displayOptions?.show).toMatchObject({ waitForCompletion: [true], waitMode: ['callback'] });
		expect(fieldNamed('askNotice').displayName).toContain('This mode needs no public URL');
		expect(fieldNamed('askNotice').displayOptions?.show).toMatchObject({ waitForCompletion: [true], waitMode: ['ask'] });
		expect(fieldNamed('pollInterval')).toMatchObject({ default: 30, displayOptions: { show: { waitForCompletion: [true], waitMode: ['ask'] } } });
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
});
