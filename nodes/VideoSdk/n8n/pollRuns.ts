import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

/**
 * Starts one workflow run per item from a poll.
 *
 * n8n internal (proven on 1.123.81 and 2.41.1 by test/e2e/pollTrigger.test.ts): what poll()
 * returns starts ONE run holding all its items, handed to the context's `__emit`, which also saves
 * the workflow's static data. Calling `__emit` once per item starts a run for each; poll() then
 * returns null, so n8n starts nothing more.
 */
export function startRunPerItem(context: IPollFunctions, items: INodeExecutionData[]): void {
	for (const item of items) context.__emit([[item]]);
}
