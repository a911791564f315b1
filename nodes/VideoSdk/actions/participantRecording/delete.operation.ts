import type { IDataObject } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, recordingIdField, requiredText } from '../fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['delete'] } },
	[recordingIdField, optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const recordingId = requiredText(parameters, 'recordingId', 'Recording ID');
	return { method: 'DELETE', path: API_PATHS.participantRecording(recordingId) };
}

/** VideoSDK's answer when it has one; otherwise a plain confirmation. */
export const output = (response: unknown): IDataObject =>
	response && typeof response === 'object' ? (response as IDataObject) : { deleted: true };
