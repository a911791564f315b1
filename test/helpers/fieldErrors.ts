import { FieldError } from '../../nodes/VideoSdk/validation';

/** The FieldError that `check` throws for `parameters`; fails the test if it throws none. */
export function fieldErrorOf(check: (parameters: Record<string, unknown>) => unknown, parameters: Record<string, unknown>): FieldError {
	try {
		check(parameters);
	} catch (error) {
		if (error instanceof FieldError) return error;
		throw error;
	}
	throw new Error('expected a FieldError');
}

/** Two channels typed in "Using Fields Below": a recording ID given, and one left empty. */
export const channelFields = {
	specifyChannels: 'fields',
	channel1: {
		participants: [
			{ participantId: 'alice', recordingId: 'rec-a' },
			{ participantId: 'carol', recordingId: '' },
		],
	},
	channel2: { participants: [{ participantId: 'bob', recordingId: '' }] },
};
