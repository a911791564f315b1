/**
 * A fresh real n8n for one e2e test file: its own data folder, this package packed and installed as
 * the Community Nodes screen does, credentials pointing at the fake API that the test runs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { InstanceOptions, RunningN8n } from '../../scripts/localN8n';
import {
	RUNTIME_DIR,
	getFreePort,
	installPackage,
	loadedTypes,
	n8nCli,
	nodeBin,
	run,
	startN8n,
	waitForWebhook,
} from '../../scripts/localN8n';
import type { FakeApiOptions, FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../scripts/fake-videosdk/server';

export const GOOD_CREDENTIAL = { id: 'e2eGoodCredentia', name: 'VideoSDK (fake API)' };
export const WRONG_SECRET_CREDENTIAL = { id: 'e2eWrongSecretCr', name: 'VideoSDK (wrong secret)' };
export const WRONG_SECRET = 'e2e-wrong-secret-5d1f0c9b7a';
const E2E_OWNER = { email: 'owner@e2e.example', firstName: 'E2e', lastName: 'Owner', password: 'E2e-owner-passw0rd' };

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: string;
	executeOnce?: boolean;
}

/** An execution as n8n stored it: what its Executions list shows. */
export interface StoredExecution {
	id: string;
	status: string;
	mode: string;
	finished: boolean;
	workflowId: string;
	data: {
		resultData: {
			runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, Record<string, unknown>>; pairedItem?: unknown }>> }; error?: { message: string; description?: string } }>>;
			error?: { message: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
}

// Reads n8n's database, read-only, with the runtime's own sqlite3 (built for its Node 24) and
// flatted (the format n8n stores run data in).
const runtimeModule = (name: string) => JSON.stringify(join(RUNTIME_DIR, 'node_modules', name));
const SELECT_EXECUTIONS = `
const { Database, OPEN_READONLY } = require(${runtimeModule('sqlite3')});
const { parse } = require(${runtimeModule('flatted')});
const db = new Database(process.argv[1], OPEN_READONLY);
db.all('SELECT e.id, e.status, e.mode, e.finished, e.workflowId, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id ORDER BY e.id', (error, rows) => {
	if (error) { console.error(error.message); process.exit(1); }
	console.log(JSON.stringify(rows.map((row) => ({ ...row, id: String(row.id), finished: !!row.finished, data: parse(row.data) }))));
	db.close();
});`;

export interface ExecutionResult {
	successful: boolean;
	stdout: string;
	stderr: string;
	run?: {
		status: string;
		data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }>> }; error?: { message: string; description?: string } }>>; error?: { message: string } } };
	};
}

let workflowCounter = 0;
const workflowId = () => `e2eWorkflow${String(++workflowCounter).padStart(5, '0')}`;

export class E2eInstance {
	readonly options: InstanceOptions;

	api!: FakeVideoSdkApi;

	server?: RunningN8n;

	private constructor(options: InstanceOptions) {
		this.options = options;
	}

	static async create(apiOptions: FakeApiOptions = {}): Promise<E2eInstance> {
		// globalSetup installed the runtime and packed the package once for all files.
		const tarball = process.env.E2E_PACKAGE_TARBALL;
		if (!tarball) throw new Error('Run the e2e suite with jest.e2e.config.js (its globalSetup packs the package)');
		const userFolder = mkdtempSync(join(tmpdir(), 'n8n-videosdk-e2e-'));
		const instance = new E2eInstance({ userFolder, port: await getFreePort(), brokerPort: await getFreePort() });
		await installPackage(userFolder, tarball, () => {});
		instance.api = await startFakeVideoSdkApi({ apiKey: 'e2e-api-key', ...apiOptions });
		const credentialsFile = join(userFolder, 'credentials.json');
		const data = { apiKey: instance.api.apiKey, secretKey: instance.api.secretKey, baseUrl: instance.api.url };
		writeFileSync(
			credentialsFile,
			JSON.stringify([
				{ ...GOOD_CREDENTIAL, type: 'videoSdkApi', data },
				{ ...WRONG_SECRET_CREDENTIAL, type: 'videoSdkApi', data: { ...data, secretKey: WRONG_SECRET } },
			]),
		);
		await instance.cli(['import:credentials', `--input=${credentialsFile}`]);
		rmSync(credentialsFile);
		return instance;
	}

	/** Adds a credential (before `start`), e.g. one for a second fake API. */
	async importCredential(credential: { id: string; name: string }, data: Record<string, string>) {
		const file = join(this.options.userFolder, `${credential.id}.json`);
		writeFileSync(file, JSON.stringify([{ ...credential, type: 'videoSdkApi', data }]));
		await this.cli(['import:credentials', `--input=${file}`]);
		rmSync(file);
	}

	get url() {
		return `http://127.0.0.1:${this.options.port}`;
	}

	webhookUrl(webhookId: string) {
		return `${this.url}/webhook/${webhookId}/webhook`;
	}

	async cli(args: string[]) {
		const result = await n8nCli(this.options, args);
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
		return result;
	}

	/** Imports a workflow of the given nodes, chained in order; returns its id. */
	async importWorkflow(name: string, nodes: WorkflowNode[]): Promise<string> {
		const id = workflowId();
		const connections: Record<string, unknown> = {};
		nodes.slice(0, -1).forEach((node, index) => {
			connections[node.name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
		});
		const workflow = {
			id,
			name,
			active: false,
			settings: { executionOrder: 'v1' },
			nodes: nodes.map((node, index) => ({
				id: `${id}-node-${index}`,
				position: [index * 250, 0],
				...node,
			})),
			connections,
		};
		return await this.importWorkflowJson(workflow);
	}

	/** Imports a whole workflow as it would be exported (e.g. an example); returns its id. */
	async importWorkflowJson(workflow: { id: string }): Promise<string> {
		const file = join(this.options.userFolder, `${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		await this.cli(['import:workflow', `--input=${file}`]);
		return workflow.id;
	}

	/**
	 * Runs a workflow from its Manual Trigger, as the editor's "Execute workflow" does, inside the
	 * started n8n: unlike `n8n execute`, which exits once a run pauses, it is there to resume it.
	 * Returns the execution's id.
	 */
	async runManually(workflowId: string, triggerName: string): Promise<string> {
		const response = await this.rest(`/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
		return ((await response.json()) as { data: { executionId: string } }).data.executionId;
	}

	/** A binary field of a stored execution, downloaded as the editor's download button does. */
	async binaryData(binary: { id?: unknown }): Promise<Buffer> {
		const response = await this.rest(`/rest/binary-data?id=${encodeURIComponent(String(binary.id))}&action=download`);
		return Buffer.from(await response.arrayBuffer());
	}

	private ownerCookie?: string;

	/** A call to n8n's internal REST API as the owner, who is set up on first use. */
	private async rest(path: string, body?: unknown): Promise<Response> {
		const send = async (to: string, payload: unknown, cookie?: string) => {
			const response = await fetch(`${this.url}${to}`, {
				method: payload === undefined ? 'GET' : 'POST',
				headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
				body: payload === undefined ? undefined : JSON.stringify(payload),
			});
			if (!response.ok) throw new Error(`n8n answered ${response.status} to ${to}: ${await response.text()}`);
			return response;
		};
		if (!this.ownerCookie) {
			const setUp = await send('/rest/owner/setup', E2E_OWNER);
			this.ownerCookie = setUp.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
		}
		return await send(path, body, this.ownerCookie);
	}

	/**
	 * Presses Test in the dialog of the stored good credential, its fields edited to `data` (needs
	 * `start`; n8n tests only credentials the user can read, with the fields the dialog holds).
	 */
	async testCredential(data: Record<string, string>): Promise<{ status: string; message: string }> {
		const response = await this.rest('/rest/credentials/test', {
			credentials: { ...GOOD_CREDENTIAL, type: 'videoSdkApi', data },
		});
		return ((await response.json()) as { data: { status: string; message: string } }).data;
	}

	/** `n8n execute --id`, beside a running `n8n start` if there is one (its own task broker). */
	async execute(id: string): Promise<ExecutionResult> {
		const options = { ...this.options, brokerPort: await getFreePort() };
		const { stdout, stderr } = await n8nCli(options, ['execute', `--id=${id}`]);
		const successful = stdout.includes('Execution was successful');
		// After its verdict line n8n prints the run (or, on failure, its data) as JSON.
		const verdict = stdout.search(/Execution was (NOT )?successful/);
		const jsonStart = verdict >= 0 ? stdout.indexOf('\n{', verdict) : -1;
		let run: ExecutionResult['run'];
		try {
			run = jsonStart >= 0 ? JSON.parse(stdout.slice(jsonStart, stdout.lastIndexOf('}') + 1)) : undefined;
		} catch {
			run = undefined;
		}
		return { successful, stdout, stderr, run };
	}

	async publish(id: string) {
		await this.cli(['publish:workflow', `--id=${id}`]);
	}

	async start(webhookIds: string[] = []) {
		this.server = await startN8n(this.options);
		for (const webhookId of webhookIds) await waitForWebhook(this.webhookUrl(webhookId));
		return this.server;
	}

	loadedTypes() {
		return loadedTypes(this.options.userFolder);
	}

	/** The executions n8n stored, oldest first, with their run data (of one workflow if given). */
	async executions(workflowId?: string): Promise<StoredExecution[]> {
		const database = join(this.options.userFolder, '.n8n', 'database.sqlite');
		const result = await run(nodeBin, ['-e', SELECT_EXECUTIONS, database], { timeoutMs: 30_000 });
		if (result.code !== 0) throw new Error(`Reading executions failed: ${result.stderr}`);
		const executions = JSON.parse(result.stdout) as StoredExecution[];
		return workflowId ? executions.filter((execution) => execution.workflowId === workflowId) : executions;
	}

	/** Waits until the workflow has `count` executions in one of `statuses`; returns them all. */
	async waitForExecutions(workflowId: string, count: number, statuses: string[], timeoutMs = 60_000) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const executions = await this.executions(workflowId);
			const done = executions.filter((execution) => statuses.includes(execution.status));
			if (done.length >= count || Date.now() > deadline) return executions;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}

	/** Every byte n8n stored: its database files and logs, to prove a secret is not among them. */
	storedText(): string {
		const n8nFolder = join(this.options.userFolder, '.n8n');
		const files = readdirSync(n8nFolder).filter((name) => name.startsWith('database.sqlite') || name.endsWith('.log'));
		const serverLog = this.server ? [this.server.logFile] : [];
		return [...files.map((name) => join(n8nFolder, name)), ...serverLog]
			.map((file) => readFileSync(file).toString('latin1'))
			.join('\n');
	}

	async dispose() {
		await this.server?.stop();
		await this.api?.close();
		if (!process.env.E2E_KEEP) rmSync(this.options.userFolder, { recursive: true, force: true });
	}
}

/** The output items of a node in an `n8n execute` run. */
export function nodeOutput(result: ExecutionResult, nodeName: string) {
	return result.run?.data.resultData.runData[nodeName]?.[0]?.data?.main[0] ?? [];
}

export const manualTrigger: WorkflowNode = {
	name: 'Start',
	type: 'n8n-nodes-base.manualTrigger',
	typeVersion: 1,
	parameters: {},
};

/** A Code node emitting these items, so a node gets several inputs. */
export const emitItems = (items: unknown[]): WorkflowNode => ({
	name: 'Items',
	type: 'n8n-nodes-base.code',
	typeVersion: 2,
	parameters: { jsCode: `return ${JSON.stringify(items.map((json) => ({ json })))};` },
});

export const videoSdkNode = (
	name: string,
	parameters: Record<string, unknown>,
	credential = GOOD_CREDENTIAL,
): WorkflowNode => ({
	name,
	type: 'n8n-nodes-videosdk.videoSdk',
	typeVersion: 1,
	parameters,
	credentials: { videoSdkApi: credential },
});
