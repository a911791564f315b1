import type { INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, requiredText } from '../fields';
import { mergedFileOptionFields } from '../../transport/mergedFile';

const properties: INodeProperties[] = [
	{
		displayName: 'Merge ID',
		name: 'mergeId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 6847c5f02abe9a2807e4269b',
		description:
			'The ID of the merge job: the one a Merge returned, or the one a VideoSDK Trigger event carries',
	},
	optionsCollection(mergedFileOptionFields()),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mergeRecording'], operation: ['get'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	const mergeId = requiredText(parameters, 'mergeId', 'Merge ID');
	return { method: 'GET', path: API_PATHS.mergeJob(mergeId) };
}

export const outputsMergeJob = true;
