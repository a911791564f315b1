import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { filtersCollection, listFields, optionsCollection } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { filterValues } from '../../validation';

const filters = [
	{ name: 'roomId', displayName: 'Room ID', description: 'Only recordings made in this room' },
	{ name: 'sessionId', displayName: 'Session ID', description: 'Only recordings of this session' },
	{ name: 'participantId', displayName: 'Participant ID', description: 'Only recordings of this participant' },
];

const properties: INodeProperties[] = [
	...listFields(),
	filtersCollection(filters),
	optionsCollection(),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['participantRecording'], operation: ['getAll'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	return { method: 'GET', path: API_PATHS.participantRecordings, qs: filterValues(parameters.filters, filters) };
}

export const list = { itemsKey: 'data' };
