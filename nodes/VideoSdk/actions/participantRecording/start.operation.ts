import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { StartParticipantRecordingRequest } from '../../helpers/interfaces';
import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, optionalHttpUrl, presentValues, requiredText, roomAndParticipantFields } from '../fields';

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
		roomId: requiredText(parameters, 'roomId', 'Room ID'),
		participantId: requiredText(parameters, 'participantId', 'Participant ID'),
	};
	const webhookUrl = optionalHttpUrl(options.webhookUrl, 'webhookUrl', 'Webhook URL');
	if (webhookUrl) body.webhookUrl = webhookUrl;
	if (typeof options.bucketDirPath === 'string') body.bucketDirPath = options.bucketDirPath;
	return { method: 'POST', path: API_PATHS.participantRecordingStart, body: body as unknown as IDataObject };
}
