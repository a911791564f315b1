import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

import { compilationErrors, iconTarget } from '../../scripts/devReload';
import { REPO_ROOT, RUNTIMES, n8nEnv } from '../../scripts/localN8n';

const OUT = '/data/.n8n/nodes/node_modules/n8n-nodes-videosdk/dist';

describe('which changed files npm run dev copies itself', () => {
	it('copies an icon under nodes/ or credentials/ to the same place under the installed dist/', () => {
		expect(iconTarget('nodes/VideoSdk/videoSdk.svg', OUT)).toBe(`${OUT}/nodes/VideoSdk/videoSdk.svg`);
		expect(iconTarget('credentials/icons/key.PNG', OUT)).toBe(`${OUT}/credentials/icons/key.PNG`);
	});

	it('leaves sources to tsc, and ignores icons elsewhere or paths that climb out', () => {
		for (const path of [
			'nodes/VideoSdk/VideoSdk.node.ts',
			'nodes/VideoSdk/VideoSdk.node.json',
			'docs/images/editor.png',
			'videoSdk.svg',
			'nodes',
			'nodes/../docs/x.svg',
			'credentials/../../x.svg',
		]) {
			expect({ path, target: iconTarget(path, OUT) }).toEqual({ path, target: undefined });
		}
	});

	it('copies every icon the repository has to where the build (gulpfile.js) puts it in dist/', () => {
		const icons = (['nodes', 'credentials'] as const).flatMap((folder) =>
			readdirSync(join(REPO_ROOT, folder), { recursive: true, encoding: 'utf8' })
				.filter((file) => /\.(svg|png)$/.test(file))
				.map((file) => join(folder, file)),
		);
		expect(icons.length).toBeGreaterThan(0);
		for (const icon of icons) expect(relative(REPO_ROOT, iconTarget(icon, join(REPO_ROOT, 'dist'))!)).toBe(join('dist', icon));
	});
});

describe('the end of a tsc --watch compilation', () => {
	// tsc's own messages, so a TypeScript upgrade that rewords them fails here rather than hanging `npm run dev`.
	const { Diagnostics } = ts as unknown as { Diagnostics: Record<string, { message: string }> };
	const line = (key: string, count?: number) =>
		`10:42:07 AM - ${Diagnostics[key].message.replace('{0}', String(count))}`;

	it('is recognised with its error count', () => {
		expect(compilationErrors(line('Found_0_errors_Watching_for_file_changes', 0))).toBe(0);
		expect(compilationErrors(line('Found_1_error_Watching_for_file_changes'))).toBe(1);
		expect(compilationErrors(line('Found_0_errors_Watching_for_file_changes', 12))).toBe(12);
	});

	it('is not any other line tsc prints', () => {
		expect(compilationErrors(line('File_change_detected_Starting_incremental_compilation'))).toBeUndefined();
		expect(compilationErrors(line('Starting_compilation_in_watch_mode'))).toBeUndefined();
		expect(compilationErrors("nodes/VideoSdk/VideoSdk.node.ts(3,1): error TS2304: Cannot find name 'x'.")).toBeUndefined();
	});
});

describe('n8n started for live reload', () => {
	it.each(Object.values(RUNTIMES))('n8n $n8nVersion watches its packages and still listens on 127.0.0.1 only', (runtime) => {
		const env = n8nEnv({ userFolder: '/data', port: 5678, brokerPort: 5679, runtime, env: runtime.devReloadEnv });
		expect(env.N8N_DEV_RELOAD).toBe('true');
		expect(env.N8N_LISTEN_ADDRESS).toBe('127.0.0.1');
		// n8n 1.x sets up its watcher only outside production; 2.x no longer asks.
		expect(env.NODE_ENV).toBe(runtime.major === 1 ? 'development' : 'production');
	});
});
