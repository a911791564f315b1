import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { sign } from 'jsonwebtoken';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';

import { API_PATHS, REST_TOKEN_CLAIMS } from '../../nodes/VideoSdk/helpers/interfaces';

const root = join(__dirname, '..', '..');
const SECRET = 'cli-secret-never-logged';

/** The CLI and what it imports, compiled as `npm run build:tools` would, into a temp dir. */
function buildCli(): string {
	const outDir = mkdtempSync(join(tmpdir(), 'fake-api-cli-'));
	const sources = [
		...readdirSync(__dirname)
			.filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
			.map((name) => join(__dirname, name)),
		join(root, 'nodes', 'VideoSdk', 'helpers', 'interfaces.ts'),
	];
	for (const source of sources) {
		const { outputText } = transpileModule(readFileSync(source, 'utf8'), {
			compilerOptions: { module: ModuleKind.CommonJS, target: ScriptTarget.ES2022, esModuleInterop: true },
		});
		const target = join(outDir, relative(root, source)).replace(/\.ts$/, '.js');
		mkdirSync(dirname(target), { recursive: true });
		writeFileSync(target, outputText);
	}
	return outDir;
}

function firstLine(stream: NodeJS.ReadableStream): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		stream.on('data', (chunk: Buffer) => {
			text += chunk.toString('utf8');
			if (text.includes('\n')) resolve(text.split('\n')[0]);
		});
		stream.on('end', () => reject(new Error(`No line before the end: ${text}`)));
	});
}

describe('fake VideoSDK API CLI', () => {
	let outDir: string;
	let cli: ChildProcessWithoutNullStreams;
	let stderr = '';
	let stdout = '';

	beforeAll(() => {
		outDir = buildCli();
	});

	afterAll(() => {
		if (cli && cli.exitCode === null) cli.kill('SIGKILL');
		rmSync(outDir, { recursive: true, force: true });
	});

	it('prints its URL and key, logs method, path and status only, and stops on SIGTERM', async () => {
		cli = spawn(process.execPath, [join(outDir, 'test', 'fake-api', 'cli.js')], {
			env: {
				PATH: process.env.PATH,
				NODE_PATH: join(root, 'node_modules'),
				FAKE_VIDEOSDK_PORT: '0',
				FAKE_VIDEOSDK_API_KEY: 'cli-key',
				FAKE_VIDEOSDK_SECRET: SECRET,
			},
		});
		cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));

		const started = JSON.parse(await firstLine(cli.stdout)) as { url: string; apiKey: string };
		expect(started).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), apiKey: 'cli-key' });

		const token = sign({ apikey: 'cli-key', ...REST_TOKEN_CLAIMS }, SECRET, { expiresIn: 60 });
		const listed = await fetch(`${started.url}${API_PATHS.merge}?page=1`, { headers: { authorization: token } });
		const refused = await fetch(`${started.url}${API_PATHS.merge}`, { headers: { authorization: `Bearer ${token}` } });
		expect([listed.status, refused.status]).toEqual([200, 401]);

		const exited = new Promise<number | null>((resolve) => cli.on('exit', (code) => resolve(code)));
		cli.kill('SIGTERM');
		expect(await exited).toBe(0);

		expect(stderr).toMatch(new RegExp(`GET ${API_PATHS.merge} → 200`));
		expect(stderr).toMatch(new RegExp(`GET ${API_PATHS.merge} → 401`));
		for (const secretText of [token, SECRET, token.split('.')[2]]) {
			expect(stdout + stderr).not.toContain(secretText);
		}
	});
});
