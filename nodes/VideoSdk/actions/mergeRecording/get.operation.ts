import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { MergeJob } from '../../api';
import { API_PATHS } from '../../api';
import type { OutputStep } from '../operation';
import type { ApiRequest } from '../../transport';
import type { MergedFileOptions } from '../../transport/mergedFile';
import { mergedFileBinary } from '../../transport/mergedFile';

import { mergedFileOptionFields, optionsCollection, optionsOf, simplifyOption } from '../../descriptions/fields';
import { byVersion, mergeJobLocator } from '../../descriptions/locators';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

const MERGE_JOB_DESCRIPTION =
	'The merge job: the one a Merge returned, or the one a VideoSDK Trigger event carries';

const properties: INodeProperties[] = [
	...byVersion(
		{
			displayName: 'Merge ID',
			name: 'mergeId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. 6847c5f02abe9a2807e4269b',
			description: MERGE_JOB_DESCRIPTION,
		},
		mergeJobLocator(MERGE_JOB_DESCRIPTION),
	),
	optionsCollection([...mergedFileOptionFields(), simplifyOption()]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['mergeRecording'], operation: ['get'] } },
	properties,
);

export function request(parameters: OperationParameters): ApiRequest {
	const mergeId = requiredId(parameters, 'mergeId', 'Merge ID');
	return { method: 'GET', path: API_PATHS.mergeJob(mergeId) };
}

/** The job, with its mp3 as binary data when the options ask for it. */
export async function output(
	response: unknown,
	{ context, parameters, itemIndex, policy }: OutputStep,
): Promise<INodeExecutionData[]> {
	const job = response as MergeJob;
	const item: INodeExecutionData = { json: job as unknown as IDataObject };
	const options = optionsOf<MergedFileOptions>(parameters.options);
	if (options.downloadFile === true) {
		item.binary = await mergedFileBinary.call(context, job, options, itemIndex, policy);
	}
	return [item];
}

export { compactMergeJob as compact } from '../compact';
