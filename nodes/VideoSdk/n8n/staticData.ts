import type { IWebhookFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/**
 * Getting a change that a trigger's webhook() makes to the workflow's static data saved when the
 * call starts a run. n8n saves the static data once it has handled the call, only if the data is
 * marked changed then.
 *
 * n8n internal (read in 2.41.1 and 1.123.81, proven by the e2e suite on both): n8n 1.x answers,
 * saves, then starts the run: saved. n8n 2.41 in queue mode enqueues the run, then saves: saved.
 * But n8n 2.41 in regular mode first builds the run's workflow on the same static data, which
 * clears the mark, then records the run as running in its database, then saves: without a new mark
 * the change is lost. So `mark` runs again on each timer tick until the call is answered (the
 * database write gives a tick), and once more then (the run saves its static data when it ends if
 * marked). Elsewhere the extra marks cost a tick each and are harmless.
 */
export function keepMarkedUntilAnswered(context: IWebhookFunctions, mark: () => void, maxTicks = 1000): void {
	const response = context.getResponseObject() as Partial<Pick<NodeJS.EventEmitter, 'once'>>;
	if (typeof response.once !== 'function') return;
	let answered = false;
	const markOnAnswer = () => {
		if (answered) return;
		answered = true;
		mark();
	};
	response.once('finish', markOnAnswer);
	response.once('close', markOnAnswer);
	void (async () => {
		for (let ticks = 0; ticks < maxTicks; ticks++) {
			await sleep(1);
			if (answered) return;
			mark();
		}
	})();
}
