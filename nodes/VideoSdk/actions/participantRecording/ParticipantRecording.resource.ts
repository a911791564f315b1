import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as deleteOperation from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as start from './start.operation';
import * as stop from './stop.operation';

export const operations: Record<string, Operation> = { delete: deleteOperation, get, getAll, start, stop };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['participantRecording'] } },
		options: [
			{ name: 'Delete', value: 'delete', description: "Delete a participant's recording", action: 'Delete a participant recording' },
			{ name: 'Get', value: 'get', description: "Get a participant's recording with its files", action: 'Get a participant recording' },
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List participant recordings, e.g. of one session: their IDs feed a merge',
				action: 'Get many participant recordings',
			},
			{ name: 'Start', value: 'start', description: "Start recording one participant's audio and video", action: 'Start a participant recording' },
			{ name: 'Stop', value: 'stop', description: "Stop recording one participant", action: 'Stop a participant recording' },
		],
		default: 'getAll',
	},
	...deleteOperation.description,
	...get.description,
	...getAll.description,
	...start.description,
	...stop.description,
];
