import type { IWebhookFunctions } from 'n8n-workflow';

/**
 * Getting a change that a trigger's webhook() makes to the workflow's static data saved when the
 * call starts a run. n8n saves the static data after it has handled the call, only if the data is
 * marked changed then.
 *
 * n8n internal (read in 2.41.1 and 1.123.81, proven by the e2e suite on both): n8n 1.x answers
 * first, then saves, then starts the run: the change is saved. n8n 2.41 in queue mode enqueues the
 * run, then saves: saved too. But n8n 2.41 in regular mode builds the run's workflow on the same
 * static data before it answers and saves, and building it clears the "changed" mark: the change
 * is lost. That run saves the static data when it ends if the mark is set again by then, so `mark`
 * runs once more when the call has been answered (by then the run's workflow exists and the run
 * goes on). Elsewhere the extra mark is harmless: nothing saves it.
 */
export function markAgainWhenAnswered(context: IWebhookFunctions, mark: () => void): void {
	const response = context.getResponseObject() as Partial<Pick<NodeJS.EventEmitter, 'once'>>;
	if (typeof response.once !== 'function') return;
	let marked = false;
	const markOnce = () => {
		if (marked) return;
		marked = true;
		mark();
	};
	response.once('finish', markOnce);
	response.once('close', markOnce);
}
