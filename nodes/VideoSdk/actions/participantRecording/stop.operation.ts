import type { IDataObject } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { StopParticipantRecordingRequest } from '../../helpers/interfaces';
import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, requiredText, roomAndParticipantFields } from '../fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['stop'] } },
	[...roomAndParticipantFields('Whose recording to stop'), optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const body: StopParticipantRecordingRequest = {
		roomId: requiredText(parameters, 'roomId', 'Room ID'),
		participantId: requiredText(parameters, 'participantId', 'Participant ID'),
	};
	return { method: 'POST', path: API_PATHS.participantRecordingStop, body: body as unknown as IDataObject };
}
