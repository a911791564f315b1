import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['mergeRecording'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a merge job, with the merged file once it is done',
				action: 'Get a merge job',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List merge jobs, optionally filtered by room, session or status',
				action: 'Get many merge jobs',
			},
			{
				name: 'Merge',
				value: 'create',
				description:
					'Start merging participant recordings into one stereo file (channel 1 left, channel 2 right)',
				action: 'Merge participant recordings',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
