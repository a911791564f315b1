/**
 * The fake VideoSDK API as a process, for `npm run demo` and by hand:
 *   FAKE_VIDEOSDK_PORT=4010 FAKE_VIDEOSDK_API_KEY=… FAKE_VIDEOSDK_SECRET=… node .build/scripts/fake-videosdk/cli.js
 * Prints one JSON line {"url","apiKey"} when listening, then a line per request on stderr
 * (method, path, status: never a token or the secret). It holds one finished session with two
 * participants' recordings (DEMO_SESSION_ID), for examples/merge-session-and-wait.json.
 */
import { seedDemoSessions } from './demoSession';
import { startFakeVideoSdkApi } from './server';

async function main() {
	const api = await startFakeVideoSdkApi({
		port: Number(process.env.FAKE_VIDEOSDK_PORT ?? 4010),
		apiKey: process.env.FAKE_VIDEOSDK_API_KEY ?? 'demo-api-key',
		secretKey: process.env.FAKE_VIDEOSDK_SECRET ?? 'demo-secret',
		mergeCompletionDelayMs: Number(process.env.FAKE_VIDEOSDK_MERGE_DELAY_MS ?? 3000),
		onRequest: (request, status) =>
			console.error(`[fake VideoSDK] ${request.method} ${request.path} → ${status}`),
	});
	seedDemoSessions(api);
	console.log(JSON.stringify({ url: api.url, apiKey: api.apiKey }));
	const stop = () => void api.close().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
