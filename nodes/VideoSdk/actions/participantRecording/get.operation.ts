import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { optionsCollection, recordingIdFields } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['get'] } },
	[...recordingIdFields(), optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const recordingId = requiredId(parameters, 'recordingId', 'Recording ID');
	return { method: 'GET', path: API_PATHS.participantRecording(recordingId) };
}
