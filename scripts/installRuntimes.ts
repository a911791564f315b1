/**
 * `node .build/scripts/installRuntimes.js [2] [1]`: installs the n8n runtimes (both when none is
 * named: 2.x, then 1.x), each into its own folder of `.local-n8n/`, one after the other, so that a
 * later one reuses what the earlier one built (sqlite3) and downloaded (the npm cache). CI runs it
 * in the background, once per major, while it lints and runs the unit tests.
 */
import { RUNTIMES, ensureRuntime, runtimeOf } from './localN8n';

const majors = process.argv.slice(2);
const runtimes = majors.length > 0 ? majors.map((major) => runtimeOf(major)) : [RUNTIMES[2], RUNTIMES[1]];

async function installAll(): Promise<number> {
	let failures = 0;
	for (const runtime of runtimes) {
		const started = Date.now();
		try {
			await ensureRuntime((line) => console.log(`[n8n ${runtime.n8nVersion}] ${line}`), runtime);
			console.log(`[n8n ${runtime.n8nVersion}] ready in ${runtime.dir} (${Math.round((Date.now() - started) / 1000)} s)`);
		} catch (error) {
			console.error((error as Error).message);
			failures += 1;
		}
	}
	return failures;
}

void installAll().then((failures) => {
	process.exitCode = failures > 0 ? 1 : 0;
});
