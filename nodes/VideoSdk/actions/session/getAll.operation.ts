import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { filtersCollection, listFields, optionsCollection, simplifyOption } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { filterValues } from '../../validation';

const filters = [
	{ name: 'roomId', displayName: 'Room ID', description: 'Only sessions of this room' },
	{ name: 'customRoomId', displayName: 'Custom Room ID', description: 'Only sessions of the room with this custom ID' },
];

const properties: INodeProperties[] = [
	...listFields(),
	filtersCollection(filters),
	optionsCollection([simplifyOption()]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getAll'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	return { method: 'GET', path: API_PATHS.sessions, qs: filterValues(parameters.filters, filters) };
}

export const list = { itemsKey: 'data', newestFirst: true };

export { compactSession as compact } from '../compact';
