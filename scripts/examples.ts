/** The importable workflows of examples/, as `npm run demo` and the e2e suite import them. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './localN8n';

const EXAMPLES_DIR = join(REPO_ROOT, 'examples');

export interface ExampleWorkflow {
	id: string;
	name: string;
	nodes: Array<{
		name: string;
		type: string;
		parameters: Record<string, unknown>;
		credentials?: Record<string, { id: string; name: string }>;
	}>;
	connections: Record<string, unknown>;
}

export const exampleFiles = () => readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json'));

/**
 * One example, its VideoSDK nodes pointed at `credential`: the examples name a placeholder
 * credential that a user's import replaces, and that no n8n here holds.
 */
export function loadExample(file: string, credential: { id: string; name: string }): ExampleWorkflow {
	const workflow = JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as ExampleWorkflow;
	for (const node of workflow.nodes) {
		if (node.credentials?.videoSdkApi) node.credentials.videoSdkApi = { ...credential };
	}
	return workflow;
}
