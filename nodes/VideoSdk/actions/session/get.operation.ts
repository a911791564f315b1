import { updateDisplayOptions } from 'n8n-workflow';

import { API_PATHS } from '../../api';
import type { ApiRequest } from '../../transport';

import { optionsCollection, sessionIdFields, simplifyOption } from '../../descriptions/fields';
import type { OperationParameters } from '../../validation';
import { requiredId } from '../../validation';

export const description = updateDisplayOptions(
	{ show: { resource: ['session'], operation: ['get'] } },
	[...sessionIdFields(), optionsCollection([simplifyOption()])],
);

export function request(parameters: OperationParameters): ApiRequest {
	return { method: 'GET', path: API_PATHS.session(requiredId(parameters, 'sessionId', 'Session ID')) };
}

export { compactSession as compact } from '../compact';
