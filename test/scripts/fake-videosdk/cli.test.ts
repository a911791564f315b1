import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { sign } from 'jsonwebtoken';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';

import { API_PATHS, REST_TOKEN_CLAIMS } from '../../../nodes/VideoSdk/api';
import { DEMO_SESSION_ID } from '../../../scripts/fake-videosdk/demoSession';

const root = join(__dirname, '..', '..', '..');
const SECRET = 'cli-secret-never-logged';

/** The CLI and what it imports, compiled as `npm run build:tools` would, into a temp dir. */
function buildCli(): string {
	const outDir = mkdtempSync(join(tmpdir(), 'fake-api-cli-'));
	const folderSources = (...folder: string[]) =>
		readdirSync(join(root, ...folder))
			.filter((name) => name.endsWith('.ts'))
			.map((name) => join(root, ...folder, name));
	const sources = [...folderSources('scripts', 'fake-videosdk'), ...folderSources('nodes', 'VideoSdk', 'api')];
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

interface RunningCli {
	child: ChildProcessWithoutNullStreams;
	url: string;
	apiKey: string;
	output: { stdout: string; stderr: string };
}

describe('fake VideoSDK API CLI', () => {
	let outDir: string;
	const started: RunningCli[] = [];

	beforeAll(() => {
		outDir = buildCli();
	});

	afterAll(() => {
		for (const { child } of started) if (child.exitCode === null) child.kill('SIGKILL');
		rmSync(outDir, { recursive: true, force: true });
	});

	async function startCli(): Promise<RunningCli> {
		const child = spawn(process.execPath, [join(outDir, 'scripts', 'fake-videosdk', 'cli.js')], {
			env: {
				PATH: process.env.PATH,
				NODE_PATH: join(root, 'node_modules'),
				FAKE_VIDEOSDK_PORT: '0',
				FAKE_VIDEOSDK_API_KEY: 'cli-key',
				FAKE_VIDEOSDK_SECRET: SECRET,
			},
		});
		const output = { stdout: '', stderr: '' };
		child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
		const announced = JSON.parse(await firstLine(child.stdout)) as { url: string; apiKey: string };
		const cli = { child, output, ...announced };
		started.push(cli);
		return cli;
	}

	const token = () => sign({ apikey: 'cli-key', ...REST_TOKEN_CLAIMS }, SECRET, { expiresIn: 60 });

	it('prints its URL and key, logs method, path and status only, and stops on SIGTERM', async () => {
		const cli = await startCli();
		expect({ url: cli.url, apiKey: cli.apiKey }).toEqual({
			url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
			apiKey: 'cli-key',
		});

		const signed = token();
		const listed = await fetch(`${cli.url}${API_PATHS.merge}?page=1`, { headers: { authorization: signed } });
		const refused = await fetch(`${cli.url}${API_PATHS.merge}`, { headers: { authorization: `Bearer ${signed}` } });
		expect([listed.status, refused.status]).toEqual([200, 401]);

		const exited = new Promise<number | null>((resolve) => cli.child.on('exit', (code) => resolve(code)));
		cli.child.kill('SIGTERM');
		expect(await exited).toBe(0);

		const { stdout, stderr } = cli.output;
		expect(stderr).toMatch(new RegExp(`GET ${API_PATHS.merge} → 200`));
		expect(stderr).toMatch(new RegExp(`GET ${API_PATHS.merge} → 401`));
		for (const secretText of [signed, SECRET, signed.split('.')[2]]) {
			expect(stdout + stderr).not.toContain(secretText);
		}
	});

	it('holds the finished session that examples/merge-session-and-wait.json merges', async () => {
		const example = JSON.parse(readFileSync(join(root, 'examples', 'merge-session-and-wait.json'), 'utf8')) as {
			nodes: Array<{ name: string; parameters: { assignments?: { assignments: Array<{ name: string; value: string }> } } }>;
		};
		const sessionId = example.nodes
			.find((node) => node.name === 'Session that ended')
			?.parameters.assignments?.assignments.find((assignment) => assignment.name === 'sessionId')?.value;
		expect(sessionId).toBe(DEMO_SESSION_ID);

		const cli = await startCli();
		const get = async (path: string) =>
			(await (await fetch(`${cli.url}${path}`, { headers: { authorization: token() } })).json()) as {
				data: Array<Record<string, unknown>>;
			};
		const recordings = await get(`${API_PATHS.participantRecordings}?sessionId=${DEMO_SESSION_ID}`);
		expect(recordings.data.map(({ participantId, sessionId: of, kind }) => ({ participantId, of, kind }))).toEqual([
			{ participantId: 'interviewer', of: DEMO_SESSION_ID, kind: 'audio' },
			{ participantId: 'candidate', of: DEMO_SESSION_ID, kind: 'audio' },
		]);
		// Newest first: two later sessions of other rooms give the editor's session list something to search.
		const sessions = await get(API_PATHS.sessions);
		expect(sessions.data.map(({ id, roomId }) => [id === DEMO_SESSION_ID ? 'demo' : 'other', roomId])).toEqual([
			['other', 'town-hall-room'],
			['other', 'weekly-sync-room'],
			['demo', 'abc-defg-hij'],
		]);
		expect(sessions.data[2]).toMatchObject({
			end: expect.any(String),
			participants: [
				expect.objectContaining({ participantId: 'interviewer', name: 'Ana Ruiz' }),
				expect.objectContaining({ participantId: 'candidate', name: 'Bo Chen' }),
			],
		});
	});
});
