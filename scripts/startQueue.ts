/**
 * `npm run start:queue`: n8n in queue mode on 127.0.0.1 (Redis, Postgres, main, two workers, one
 * webhook process), this package installed in every process. Data stays in .local-n8n/queue;
 * Ctrl-C stops everything it started.
 */
import { join } from 'node:path';

import { CACHE_DIR, PACKAGE_NAME, ensureRuntime, installPackage, loadedTypes, packPackage } from './localN8n';
import { QueueCluster } from './queueN8n';

const log = (line: string) => console.log(line);
let cluster: QueueCluster | undefined;

async function main() {
	let stopping = false;
	const stop = async (signal: string) => {
		if (stopping) {
			// A second Ctrl-C: do not wait for graceful shutdowns; the exit hook kills what is left.
			process.exit(130);
		}
		stopping = true;
		console.log(`\n${signal}: stopping n8n, Redis and Postgres (Ctrl-C again to kill them at once)…`);
		await cluster?.stop();
		process.exit(0);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));

	await ensureRuntime(log);
	log('Starting Redis and Postgres…');
	cluster = await QueueCluster.create({ baseDir: join(CACHE_DIR, 'queue'), log });
	if (stopping) return;
	log('Packing this package and installing it for every n8n process…');
	await installPackage(cluster.main.userFolder, await packPackage(log), log);
	log('Starting main, webhook and worker processes (about 15–60 s)…');
	await cluster.start();

	const ours = loadedTypes(cluster.main.userFolder).nodes.filter((name) => name.startsWith(`${PACKAGE_NAME}.`));
	const workers = cluster.names('worker').map((name) => `  ${name.padEnd(9)} ${cluster!.url(name)}/healthz (health check only)`);
	console.log(`
n8n runs in queue mode (Ctrl-C stops everything; data stays in ${cluster.baseDir}):
  main      ${cluster.url('main')}  ← open this: the editor and the REST API
  webhook   ${cluster.url('webhook')}/webhook/…  production webhooks and /webhook-waiting/ (resume URLs)
${workers.join('\n')}
  Redis     127.0.0.1:${cluster.redisPort}   Postgres 127.0.0.1:${cluster.database.port} (database ${cluster.database.database}, user ${cluster.database.user})
Loaded from this package: ${ours.join(', ') || 'NOTHING: see the main log'}
Logs: ${cluster.logFiles().join('\n      ')}

Publish a workflow with a VideoSDK Trigger and give VideoSDK its Production URL: it names the webhook
process. Executions run on the workers; the Executions list on main shows them.`);
}

main().catch(async (error: Error) => {
	console.error(error.message);
	await cluster?.stop().catch(() => {}); // and queueN8n's exit hook kills whatever is left
	process.exit(1);
});
