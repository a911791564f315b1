import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, recordingIdField, requiredText } from '../fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['get'] } },
	[recordingIdField, optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const recordingId = requiredText(parameters, 'recordingId', 'Recording ID');
	return { method: 'GET', path: API_PATHS.participantRecording(recordingId) };
}
