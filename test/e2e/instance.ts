/**
 * A fresh real n8n for one e2e test file: its own data folder, this package packed and installed as
 * the Community Nodes screen does, credentials pointing at the fake API that the test runs.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { InstanceOptions, N8nRuntime, RunningN8n, StoredExecution } from '../../scripts/localN8n';
import {
	getFreePort,
	installPackage,
	loadedTypes,
	n8nCli,
	selectedRuntime,
	settled,
	sqliteExecutions,
	startN8n,
	waitForWebhook,
} from '../../scripts/localN8n';
import type { FakeApiOptions, FakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { startFakeVideoSdkApi } from '../../scripts/fake-videosdk/server';
import { queryPostgres } from '../../scripts/queueN8n';

export type { StoredExecution } from '../../scripts/localN8n';

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

export interface ExecutionResult {
	successful: boolean;
	run?: {
		status: string;
		data: { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown>; pairedItem?: unknown }>> }; error?: { message: string; description?: string } }>>; error?: { message: string } } };
	};
}

/** The statuses of an execution that has ended. */
export const ENDED_STATUSES = ['success', 'error', 'crashed', 'canceled'];

let workflowCounter = 0;

/** A workflow of the given nodes, chained in order, as n8n exports it. */
function workflowOf(name: string, nodes: WorkflowNode[]) {
	const id = `e2eWorkflow${String(++workflowCounter).padStart(5, '0')}`;
	const connections: Record<string, unknown> = {};
	nodes.slice(0, -1).forEach((node, index) => {
		connections[node.name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	});
	return {
		id,
		name,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: nodes.map((node, index) => ({ id: `${id}-node-${index}`, position: [index * 250, 0], ...node })),
		connections,
	};
}

export class E2eInstance {
	readonly options: InstanceOptions & { runtime: N8nRuntime };

	api!: FakeVideoSdkApi;

	server?: RunningN8n;

	private constructor(options: InstanceOptions & { runtime: N8nRuntime }) {
		this.options = options;
	}

	/**
	 * `options`: another n8n's folder, ports and environment, e.g. the main process of a queue-mode
	 * setup (Postgres); by default a fresh folder on SQLite. `moreCredentials`: stored beside the two
	 * for the fake API, e.g. one for a second fake API.
	 */
	static async create(
		apiOptions: FakeApiOptions = {},
		options?: InstanceOptions,
		moreCredentials: Array<{ id: string; name: string; data: Record<string, string> }> = [],
	): Promise<E2eInstance> {
		// globalSetup installed the runtime and packed the package once for all files.
		const tarball = process.env.E2E_PACKAGE_TARBALL;
		if (!tarball) throw new Error('Run the e2e suite with jest.e2e.config.js (its globalSetup packs the package)');
		const instance = new E2eInstance({
			...(options ?? {
				userFolder: mkdtempSync(join(tmpdir(), 'n8n-videosdk-e2e-')),
				port: await getFreePort(),
				brokerPort: await getFreePort(),
			}),
			// N8N_MAJOR's runtime (the jest project of each n8n major sets it) unless told otherwise.
			runtime: options?.runtime ?? selectedRuntime(),
		});
		const { userFolder } = instance.options;
		await installPackage(userFolder, tarball, () => {});
		instance.api = await startFakeVideoSdkApi({
			apiKey: 'e2e-api-key',
			beforeCallback: async (webhookUrl) => await instance.untilPaused(webhookUrl),
			...apiOptions,
		});
		const credentialsFile = join(userFolder, 'credentials.json');
		const data = { apiKey: instance.api.apiKey, secretKey: instance.api.secretKey, baseUrl: instance.api.url };
		writeFileSync(
			credentialsFile,
			JSON.stringify([
				{ ...GOOD_CREDENTIAL, type: 'videoSdkApi', data },
				{ ...WRONG_SECRET_CREDENTIAL, type: 'videoSdkApi', data: { ...data, secretKey: WRONG_SECRET } },
				...moreCredentials.map((credential) => ({ ...credential, type: 'videoSdkApi' })),
			]),
		);
		await instance.cli(['import:credentials', `--input=${credentialsFile}`]);
		rmSync(credentialsFile);
		return instance;
	}

	get url() {
		return `http://127.0.0.1:${this.options.port}`;
	}

	get runtime() {
		return this.options.runtime;
	}

	/**
	 * What `$execution.resumeUrl` is for a paused execution: n8n 2.x appends a `?signature=` token,
	 * 1.x hands out the bare URL.
	 */
	resumeUrlPattern(executionId: string): RegExp {
		const bare = `${this.url}/webhook-waiting/${executionId}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		return new RegExp(this.runtime.signsResumeUrl ? `^${bare}\\?signature=[\\w-]+$` : `^${bare}$`);
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
		return await this.importWorkflowJson(workflowOf(name, nodes));
	}

	/** Imports workflows of the given nodes before n8n starts, all with one `n8n import:workflow`; returns their ids. */
	async importWorkflows(workflows: Array<{ name: string; nodes: WorkflowNode[] }>): Promise<string[]> {
		const definitions = workflows.map(({ name, nodes }) => workflowOf(name, nodes));
		await this.cliImportWorkflows('workflows', definitions);
		return definitions.map(({ id }) => id);
	}

	/** `n8n import:workflow` of a file holding `content` (a workflow or a list of them). */
	private async cliImportWorkflows(fileName: string, content: unknown) {
		const file = join(this.options.userFolder, `${fileName}.json`);
		writeFileSync(file, JSON.stringify(content));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/**
	 * Imports a whole workflow as it would be exported (e.g. an example); returns its id. Once n8n
	 * runs, it is saved as the editor saves it (n8n 1.x picks the id then); before, with
	 * `n8n import:workflow`, which costs a start of n8n's CLI (about 5 s).
	 */
	async importWorkflowJson(workflow: { id: string }): Promise<string> {
		if (this.server) {
			const response = await this.rest('/rest/workflows', workflow);
			return ((await response.json()) as { data: { id: string } }).data.id;
		}
		await this.cliImportWorkflows(workflow.id, workflow);
		return workflow.id;
	}

	/**
	 * Runs a workflow from its Manual Trigger, as the editor's "Execute workflow" does, inside the
	 * started n8n, which is there to resume a run that pauses. Returns the execution's id.
	 */
	async runManually(workflowId: string, triggerName: string): Promise<string> {
		// The editor sends the workflow as it is open; n8n 1.x needs it (else 500), 2.x reads it too.
		const workflowData = ((await (await this.rest(`/rest/workflows/${workflowId}`)).json()) as { data: unknown }).data;
		const response = await this.rest(`/rest/workflows/${workflowId}/run`, {
			workflowData,
			triggerToStartFrom: { name: triggerName },
		});
		return ((await response.json()) as { data: { executionId: string } }).data.executionId;
	}

	/**
	 * A binary field of a stored execution, downloaded as the editor's download button does. n8n 1.x
	 * keeps binary data in the execution itself by default (base64 `data`, no `id`); 2.x in files.
	 */
	async binaryData(binary: { id?: unknown; data?: unknown }): Promise<Buffer> {
		if (binary.id === undefined && typeof binary.data === 'string') return Buffer.from(binary.data, 'base64');
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

	/**
	 * Runs a workflow from its Manual Trigger (named `Start`) in the started n8n, as the editor's
	 * "Execute workflow" does, and returns the stored execution once it has ended.
	 */
	async execute(id: string, timeoutMs = 60_000): Promise<ExecutionResult> {
		const executionId = await this.runManually(id, manualTrigger.name);
		const executions = await this.waitForExecutions(id, 1, ENDED_STATUSES, timeoutMs);
		const execution = executions.find((stored) => stored.id === executionId && ENDED_STATUSES.includes(stored.status));
		if (!execution) throw new Error(`Execution ${executionId} of workflow ${id} did not end within ${timeoutMs} ms`);
		return { successful: execution.status === 'success', run: { status: execution.status, data: execution.data } };
	}

	/** Stops a running or waiting execution, as the editor's Stop button does (both majors: POST /rest/executions/:id/stop). */
	async stopExecution(executionId: string) {
		await this.rest(`/rest/executions/${executionId}/stop`, {});
	}

	/** Publishes (activates) a workflow in the started n8n (main), as the editor's Publish button does. */
	async publish(id: string) {
		const workflow = ((await (await this.rest(`/rest/workflows/${id}`)).json()) as { data: { versionId: string } }).data;
		await this.rest(`/rest/workflows/${id}/activate`, { versionId: workflow.versionId });
	}

	/** Unpublishes (deactivates) a workflow in the started n8n, as the editor's Unpublish does. */
	async unpublish(id: string) {
		await this.rest(`/rest/workflows/${id}/deactivate`, {});
	}

	async start(webhookIds: string[] = []) {
		this.server = await startN8n(this.options);
		await this.waitForWebhooks(webhookIds);
		return this.server;
	}

	/** Waits until the triggers with these webhook IDs listen. */
	async waitForWebhooks(webhookIds: string[]) {
		for (const webhookId of webhookIds) await waitForWebhook(this.webhookUrl(webhookId));
	}

	loadedTypes() {
		return loadedTypes(this.options.userFolder);
	}

	/**
	 * The executions n8n stored, oldest first, with their run data (of one workflow if given); one whose
	 * data n8n has not yet written beside its status reads as `saving` (see `settled`).
	 */
	async executions(workflowId?: string): Promise<StoredExecution[]> {
		if (this.options.env?.DB_TYPE === 'postgresdb') return await this.postgresExecutions(workflowId);
		const executions = await this.sqliteExecutions();
		return workflowId ? executions.filter((execution) => execution.workflowId === workflowId) : executions;
	}

	private async sqliteExecutions(): Promise<StoredExecution[]> {
		return await sqliteExecutions(this.options.userFolder, this.runtime);
	}

	private async postgresExecutions(workflowId?: string): Promise<StoredExecution[]> {
		const env = this.options.env!;
		const connection = {
			host: env.DB_POSTGRESDB_HOST!,
			port: Number(env.DB_POSTGRESDB_PORT),
			user: env.DB_POSTGRESDB_USER!,
			password: env.DB_POSTGRESDB_PASSWORD!,
			database: env.DB_POSTGRESDB_DATABASE!,
		};
		const rows = await queryPostgres(
			connection,
			'SELECT e.id, e.status, e.mode, e.finished, e."workflowId", d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE $1::text IS NULL OR e."workflowId" = $1 ORDER BY e.id',
			[workflowId ?? null],
		);
		const { parse } = require(join(this.options.runtime.dir, 'node_modules', 'flatted')) as { parse: (text: string) => StoredExecution['data'] };
		return rows.map((row) => settled({ ...(row as unknown as StoredExecution), id: String(row.id), data: parse(String(row.data)) }));
	}

	/** One stored execution, as `executions` reads it. */
	async execution(id: string): Promise<StoredExecution | undefined> {
		const candidates =
			this.options.env?.DB_TYPE === 'postgresdb'
				? await this.postgresExecutions()
				: await sqliteExecutions(this.options.userFolder, this.runtime, Number(id) - 1);
		return candidates.find((execution) => execution.id === id);
	}

	/**
	 * Resolves once the execution that a resume URL names is stored as paused or ended, as a callback
	 * to it then finds it (a minute at most: the test then sees what n8n answers). Other URLs at once.
	 */
	async untilPaused(webhookUrl: string, timeoutMs = 60_000) {
		const executionId = /^\/webhook-waiting\/(\d+)/.exec(new URL(webhookUrl).pathname)?.[1];
		if (executionId === undefined) return;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const status = (await this.execution(executionId))?.status;
			if (status === 'waiting' || ENDED_STATUSES.includes(status ?? '')) return;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
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

/** The output items of a node in an executed run. */
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

export const MERGE_EVENTS = ['merge-recording-completed', 'merge-recording-failed'];

/** A VideoSDK Polling Trigger polling every minute (n8n's shortest Poll Time); activation polls at once. */
export const videoSdkPollingTrigger = (events: string[] = MERGE_EVENTS, options?: Record<string, unknown>): WorkflowNode => ({
	name: 'VideoSDK Polling Trigger',
	type: 'n8n-nodes-videosdk.videoSdkPollingTrigger',
	typeVersion: 1,
	parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events, ...(options ? { options } : {}) },
	credentials: { videoSdkApi: GOOD_CREDENTIAL },
});

/** The merge job ID of each run a polling trigger's workflow started, oldest run first. */
export const polledJobIds = (executions: StoredExecution[]) =>
	executions.map((execution) => {
		const items = execution.data.resultData.runData['VideoSDK Polling Trigger']?.[0]?.data?.main[0] ?? [];
		if (items.length !== 1) throw new Error(`Execution ${execution.id} holds ${items.length} items, not one`);
		return String((items[0].json.data as { id: unknown }).id);
	});

/** A VideoSDK Trigger that checks signatures, listening at /webhook/<webhookId>/webhook once published. */
export const videoSdkTrigger = (
	webhookId: string,
	events: string[] = MERGE_EVENTS,
	options?: Record<string, unknown>,
	credential = GOOD_CREDENTIAL,
): WorkflowNode => ({
	name: 'VideoSDK Trigger',
	type: 'n8n-nodes-videosdk.videoSdkTrigger',
	typeVersion: 1,
	webhookId,
	parameters: { events, verifySignature: true, ...(options ? { options } : {}) },
	credentials: { videoSdkApi: credential },
});

/** A workflow started by POSTing `{ sessions: [...] }` to /webhook/<path>: one item per session. */
export const mergeAndWaitWorkflow = (
	path: string,
	options: Record<string, unknown>,
	onError: string | undefined,
	report: WorkflowNode,
	credential = GOOD_CREDENTIAL,
	/** More of the node's parameters, e.g. Wait Mode and Poll Interval. */
	waitParameters: Record<string, unknown> = {},
): WorkflowNode[] => [
	{
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId: path,
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	},
	{
		name: 'Sessions',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: 'return $json.body.sessions.map((sessionId) => ({ json: { sessionId } }));' },
	},
	{
		...videoSdkNode('Merge and wait', {
			resource: 'mergeRecording',
			operation: 'create',
			sessionId: '={{ $json.sessionId }}',
			specifyChannels: 'json',
			channel1Json: '["host"]',
			channel2Json: '["guest"]',
			waitForCompletion: true,
			...waitParameters,
			options,
		}, credential),
		...(onError ? { onError } : {}),
	},
	report,
];
