import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { listFields, optionsCollection, requiredText, sessionIdField } from '../fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['getParticipants'] } },
	[sessionIdField, ...listFields(), optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	const sessionId = requiredText(parameters, 'sessionId', 'Session ID');
	return { method: 'GET', path: API_PATHS.sessionParticipants(sessionId) };
}

export const list = { itemsKey: 'data' };
