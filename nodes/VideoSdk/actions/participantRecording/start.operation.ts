import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { StartParticipantRecordingRequest } from '../../api';
import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { optionsCollection, roomAndParticipantFields } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { optionalHttpUrl, presentValues, requiredId } from '../../validation';

const properties: INodeProperties[] = [
	...roomAndParticipantFields('Whose recording to start'),
	optionsCollection([
		{
			displayName: 'Bucket Folder Path',
			name: 'bucketDirPath',
			type: 'string',
			default: '',
			description: 'Folder of your storage bucket to write the recording into',
		},
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			default: '',
			description: 'VideoSDK reports the participant-recording events of this recording here',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['start'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	const options = presentValues(parameters.options);
	const body: StartParticipantRecordingRequest = {
		roomId: requiredId(parameters, 'roomId', 'Room ID'),
		participantId: requiredId(parameters, 'participantId', 'Participant ID'),
	};
	const webhookUrl = optionalHttpUrl(options.webhookUrl, 'webhookUrl', 'Webhook URL');
	if (webhookUrl) body.webhookUrl = webhookUrl;
	if (typeof options.bucketDirPath === 'string') body.bucketDirPath = options.bucketDirPath;
	return { method: 'POST', path: API_PATHS.participantRecordingStart, body: body as unknown as IDataObject };
}
