import type { IDataObject } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { StopParticipantRecordingRequest } from '../../api';
import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { optionsCollection, roomAndParticipantFields } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['stop'] } },
	[...roomAndParticipantFields('Whose recording to stop'), optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const body: StopParticipantRecordingRequest = {
		roomId: requiredId(parameters, 'roomId', 'Room ID'),
		participantId: requiredId(parameters, 'participantId', 'Participant ID'),
	};
	return { method: 'POST', path: API_PATHS.participantRecordingStop, body: body as unknown as IDataObject };
}
