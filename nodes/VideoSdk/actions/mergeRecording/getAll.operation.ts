import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { MergeJobFilters } from '../../api';
import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { listFields, optionsCollection, simplifyOption } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { filterValues } from '../../validation';

const filterFields: INodeProperties[] = [
	{
		displayName: 'Room ID',
		name: 'roomId',
		type: 'string',
		default: '',
		description: 'Only jobs of this room (meeting)',
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		description: 'Only jobs of this session',
	},
	{
		displayName: 'Status',
		name: 'status',
		type: 'options',
		options: [
			{ name: 'Completed', value: 'completed' },
			{ name: 'Failed', value: 'failed' },
		],
		default: 'completed',
		description: 'Only jobs that ended this way',
	},
];

const properties: INodeProperties[] = [
	...listFields(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: filterFields,
	},
	optionsCollection([simplifyOption()]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mergeRecording'], operation: ['getAll'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	const filters = filterValues(parameters.filters, filterFields) as MergeJobFilters;
	return { method: 'GET', path: API_PATHS.merge, qs: { ...filters } };
}

export const list = { itemsKey: 'recordings' };

export { compactMergeJob as compact } from '../compact';
