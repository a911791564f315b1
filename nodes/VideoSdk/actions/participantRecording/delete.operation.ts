import type { IDataObject } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';
import { jsonItems } from '../operation';

import { optionsCollection, recordingIdFields } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['delete'] } },
	[...recordingIdFields(), optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const recordingId = requiredId(parameters, 'recordingId', 'Recording ID');
	return { method: 'DELETE', path: API_PATHS.participantRecording(recordingId) };
}

/** VideoSDK's answer when it has one; otherwise a plain confirmation. */
export const output = (response: unknown) =>
	jsonItems(response && typeof response === 'object' ? (response as IDataObject) : { deleted: true });
