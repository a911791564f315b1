import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getParticipants from './getParticipants.operation';

export const operations: Record<string, Operation> = { get, getAll, getParticipants };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{ name: 'Get', value: 'get', description: 'Get a session with its participants', action: 'Get a session' },
			{ name: 'Get Many', value: 'getAll', description: 'List the sessions of a room', action: 'Get many sessions' },
			{
				name: 'Get Participants',
				value: 'getParticipants',
				description: 'List who took part in a session',
				action: 'Get the participants of a session',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
	...getParticipants.description,
];
