/**
 * `node .build/scripts/installRuntimes.js [1] [2]`: installs the n8n runtimes (every major when none
 * is named) side by side, each into its own folder of `.local-n8n/`. CI runs it in the background
 * while it lints and runs the unit tests; the e2e suite would otherwise install them one by one.
 */
import { RUNTIMES, ensureRuntime, runtimeOf } from './localN8n';

const majors = process.argv.slice(2);
const runtimes = majors.length > 0 ? majors.map((major) => runtimeOf(major)) : Object.values(RUNTIMES);

void Promise.allSettled(
	runtimes.map(async (runtime) => {
		const started = Date.now();
		await ensureRuntime((line) => console.log(`[n8n ${runtime.n8nVersion}] ${line}`), runtime);
		console.log(`[n8n ${runtime.n8nVersion}] ready in ${runtime.dir} (${Math.round((Date.now() - started) / 1000)} s)`);
	}),
).then((results) => {
	const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
	for (const { reason } of failures) console.error((reason as Error).message);
	process.exitCode = failures.length > 0 ? 1 : 0;
});
