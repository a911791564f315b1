import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { listFields, optionsCollection, sessionIdFields, simplifyOption } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getParticipants'] } },
	[...sessionIdFields(), ...listFields(), optionsCollection([simplifyOption()])],
);

export function request(parameters: OperationParameters): ApiRequest {
	const sessionId = requiredId(parameters, 'sessionId', 'Session ID');
	return { method: 'GET', path: API_PATHS.sessionParticipants(sessionId) };
}

export const list = { itemsKey: 'data' };

export { compactParticipant as compact } from '../compact';
