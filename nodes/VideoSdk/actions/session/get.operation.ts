import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../helpers/interfaces';
import type { ApiRequest } from '../../transport';
import type { OperationParameters } from '../executor';
import { optionsCollection, requiredText, sessionIdField } from '../fields';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['get'] } },
	[sessionIdField, optionsCollection()],
);

export function request(parameters: OperationParameters): ApiRequest {
	return { method: 'GET', path: API_PATHS.session(requiredText(parameters, 'sessionId', 'Session ID')) };
}
