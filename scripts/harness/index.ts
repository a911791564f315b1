/**
 * Drives our nodes through real n8n-core: WorkflowExecute for actions, WebhookContext for webhooks.
 * Only what n8n's server would provide is supplied here: node types, a credentials helper that
 * calls our credential's real authenticate(), and the additional data of an execution.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	IRunExecutionData,
	IWebhookData,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	ExecutionError,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow } from 'n8n-workflow';

import { VideoSdkApi } from '../../credentials/VideoSdkApi.credentials';

export const PACKAGE_NAME = 'n8n-nodes-videosdk';

export interface TestCredentials {
	apiKey: string;
	secretKey: string;
	baseUrl: string;
}

/**
 * Node types the harness can run, by short name. Our two nodes load on first use (a test that only
 * needs the fake API or a throwaway node does not pay for requiring them); tests add their own
 * with registerNodeType().
 */
const nodeFactories = new Map<string, () => INodeType>([
	[
		'videoSdk',
		() => new (require('../../nodes/VideoSdk/VideoSdk.node') as typeof import('../../nodes/VideoSdk/VideoSdk.node')).VideoSdk(),
	],
	[
		'videoSdkTrigger',
		() =>
			new (
				require('../../nodes/VideoSdk/VideoSdkTrigger.node') as typeof import('../../nodes/VideoSdk/VideoSdkTrigger.node')
			).VideoSdkTrigger(),
	],
	[
		'videoSdkPollingTrigger',
		() =>
			new (
				require('../../nodes/VideoSdk/VideoSdkPollingTrigger.node') as typeof import('../../nodes/VideoSdk/VideoSdkPollingTrigger.node')
			).VideoSdkPollingTrigger(),
	],
]);
const nodeInstances = new Map<string, INodeType>();

/** Makes a node type runnable as `type: shortName` (replacing any earlier one of that name). */
export function registerNodeType(shortName: string, nodeType: INodeType | (() => INodeType)): void {
	nodeInstances.delete(shortName);
	nodeFactories.set(shortName, typeof nodeType === 'function' ? nodeType : () => nodeType);
}

/** The node type registered under `shortName` or its full name `n8n-nodes-videosdk.<shortName>`. */
export function getNodeType(type: string): INodeType {
	const shortName = type.startsWith(`${PACKAGE_NAME}.`) ? type.slice(PACKAGE_NAME.length + 1) : type;
	let nodeType = nodeInstances.get(shortName);
	if (!nodeType) {
		const factory = nodeFactories.get(shortName);
		if (!factory) throw new Error(`The harness knows no node type "${type}": registerNodeType() it first`);
		nodeType = factory();
		nodeInstances.set(shortName, nodeType);
	}
	return nodeType;
}

const typeName = (shortName: string) => `${PACKAGE_NAME}.${shortName}`;

const nodeTypes: INodeTypes = {
	getByName: (type) => getNodeType(type),
	getByNameAndVersion: (type) => getNodeType(type),
	getKnownTypes: () => ({}),
};

const credentialType = new VideoSdkApi();

// What n8n's server does on each read of a stored credential: a database query and decryption.
let credentialReadCount = 0;

/** How often a node has read its credential since the process started. */
export const credentialReads = () => credentialReadCount;

/**
 * The stored credential's ID: one per set of data, as n8n has one ID per saved credential, unless
 * the test names it (e.g. to edit a credential in place).
 */
const credentialIdOf = (options: { credentials?: TestCredentials; credentialId?: string }) =>
	options.credentialId ?? `cred-${createHash('sha256').update(JSON.stringify(options.credentials)).digest('hex').slice(0, 12)}`;

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly credentials: TestCredentials | undefined) {
		super();
	}

	getParentTypes = () => [];

	isCredentialUsableByNode = () => true;

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await credentialType.authenticate(credentials, requestOptions);
	}

	preAuthentication = async () => undefined;

	runPreAuthentication = async () => undefined;

	async getCredentials(): Promise<never> {
		throw new Error('Not used by these nodes');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		if (!this.credentials) throw new Error('The test gave this node no credentials');
		credentialReadCount += 1;
		return { ...this.credentials };
	}

	updateCredentials = async () => {};

	updateCredentialsOauthTokenData = async () => {};

	getCredentialsProperties = () => credentialType.properties;
}

const LOCAL_URL = 'http://127.0.0.1:5678';

function additionalDataFor(
	credentials: TestCredentials | undefined,
	workflow: Workflow,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		hooks: new ExecutionLifecycleHooks('manual', 'test-execution', {
			id: workflow.id,
			name: workflow.name ?? 'test',
			active: false,
			nodes: Object.values(workflow.nodes),
			connections: {},
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
			activeVersionId: null,
		} as never),
		currentNodeExecutionIndex: 0,
		restApiUrl: `${LOCAL_URL}/rest`,
		instanceBaseUrl: LOCAL_URL,
		formBaseUrl: `${LOCAL_URL}/form`,
		formWaitingBaseUrl: `${LOCAL_URL}/form-waiting`,
		formTestBaseUrl: `${LOCAL_URL}/form-test`,
		webhookBaseUrl: `${LOCAL_URL}/webhook`,
		webhookWaitingBaseUrl: `${LOCAL_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${LOCAL_URL}/webhook-test`,
		mcpBaseUrl: `${LOCAL_URL}/mcp`,
		mcpTestBaseUrl: `${LOCAL_URL}/mcp-test`,
		variables: {},
		executionId: 'test-execution',
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('Not used by these nodes');
		},
		startRunnerTask: async () => {
			throw new Error('Not used by these nodes');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

interface NodeOptions {
	type: string;
	parameters: INodeParameters;
	credentials?: TestCredentials;
	/** The stored credential's ID; by default one per set of `credentials`. */
	credentialId?: string;
	continueOnFail?: boolean;
	typeVersion?: number;
	/** The node's name in the workflow (expressions can name it). */
	name?: string;
	/** The workflow's static data as n8n loaded it from the database; the node's changes land in it. */
	staticData?: IDataObject;
	/** The workflow's ID, which scopes what a node keeps in memory per workflow. */
	workflowId?: string;
	/** 'ai_tool' as n8n marks a tool an AI Agent (version 3) runs as a step of the execution. */
	rewireOutputLogTo?: INode['rewireOutputLogTo'];
}

function workflowWith(options: NodeOptions): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'node-under-test',
		name: options.name ?? 'Node Under Test',
		type: typeName(options.type),
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: options.parameters,
		webhookId: 'test-webhook-id',
		credentials: options.credentials ? { videoSdkApi: { id: credentialIdOf(options), name: 'VideoSDK' } } : {},
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.rewireOutputLogTo ? { rewireOutputLogTo: options.rewireOutputLogTo } : {}),
	};
	const workflow = new Workflow({
		id: options.workflowId ?? 'test-workflow',
		name: 'test',
		staticData: options.staticData,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	return { workflow, node: workflow.getNode(node.name)! };
}

export interface NodeRun {
	/** The first output, as the next node would receive it. */
	items: INodeExecutionData[];
	outputs: INodeExecutionData[][];
	/** A node error: n8n records it on the run instead of rejecting. */
	error?: ExecutionError;
	/** Set when the node paused the execution (putExecutionToWait). */
	waitTill?: Date;
	run: IRun;
	/** What the run was made of, so a paused run can be resumed as n8n would. */
	options: NodeOptions;
}

function nodeRunOf(options: NodeOptions, node: INode, run: IRun): NodeRun {
	// The last run of the node: a resumed execution holds the pause's and the resumption's.
	const taskData = run.data.resultData.runData[node.name]?.at(-1);
	const outputs = (taskData?.data?.main ?? []) as INodeExecutionData[][];
	return {
		items: outputs[0] ?? [],
		outputs,
		error: run.data.resultData.error,
		waitTill: run.waitTill ?? undefined,
		run,
		options,
	};
}

/** A node running as n8n's engine runs it, which can be stopped as n8n's Stop button does. */
export interface RunningNode {
	done: Promise<NodeRun>;
	/** Cancels the execution: n8n-core aborts the signal nodes read with getExecutionCancelSignal(). */
	stop(): void;
}

/** Starts one node as n8n's engine does, fed with `items`. */
export function startNode(options: NodeOptions & { items?: INodeExecutionData[] }): RunningNode {
	const { workflow, node } = workflowWith(options);
	const items = options.items ?? [{ json: {} }];
	const additionalData = additionalDataFor(options.credentials, workflow);
	const execution = new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: node,
		triggerToStartFrom: { name: node.name, data: { data: { main: [items] } } as never },
	});
	return { done: execution.then((run) => nodeRunOf(options, node, run)), stop: () => execution.cancel() };
}

/** Runs one node as n8n's engine does, fed with `items`. */
export async function runNode(options: NodeOptions & { items?: INodeExecutionData[] }): Promise<NodeRun> {
	return await startNode(options).done;
}

/**
 * The context n8n's editor backend gives a node's list methods: the node as the editor holds it
 * (its current parameters), with its credential, outside any execution.
 */
function loadOptionsContextFor(options: Omit<NodeOptions, 'type'> & { type?: string }, path: string) {
	const nodeOptions = { ...options, type: options.type ?? 'videoSdk', typeVersion: options.typeVersion ?? 2 };
	const { workflow, node } = workflowWith(nodeOptions);
	const additionalData = additionalDataFor(options.credentials, workflow);
	additionalData.currentNodeParameters = node.parameters;
	return { context: new LoadOptionsContext(workflow, node, additionalData, path), nodeType: getNodeType(node.type) };
}

/** A "From List" page as the editor asks for it: listSearch[method](filter, paginationToken). */
export async function listSearch(
	options: Omit<NodeOptions, 'type'> & { type?: string },
	method: string,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { context, nodeType } = loadOptionsContextFor(options, method);
	const search = nodeType.methods?.listSearch?.[method];
	if (!search) throw new Error(`The node has no listSearch method "${method}"`);
	return await search.call(context, filter, paginationToken);
}

/** A dependent field's options as the editor loads them: loadOptions[method](). */
export async function loadOptions(
	options: Omit<NodeOptions, 'type'> & { type?: string },
	method: string,
): Promise<INodePropertyOptions[]> {
	const { context, nodeType } = loadOptionsContextFor(options, method);
	const load = nodeType.methods?.loadOptions?.[method];
	if (!load) throw new Error(`The node has no loadOptions method "${method}"`);
	return await load.call(context);
}

/** A paused execution as n8n stores it and loads it again: plain JSON. */
const storedExecutionData = (paused: NodeRun): IRunExecutionData => {
	if (!paused.waitTill) throw new Error('This run did not pause');
	return JSON.parse(JSON.stringify(paused.run.data)) as IRunExecutionData;
};

/**
 * What n8n's wait tracker does when a paused execution's time is up: it runs the stored execution
 * again, and n8n-core decides what the paused node does (pass its input through, or fail).
 */
export async function resumeAfterWaitTill(paused: NodeRun): Promise<NodeRun> {
	return await continueStoredRun(paused.options, storedExecutionData(paused));
}

/** Runs a stored execution on from where it stopped, as n8n does when it resumes one. */
async function continueStoredRun(options: NodeOptions, runExecutionData: IRunExecutionData): Promise<NodeRun> {
	const { workflow, node } = workflowWith(options);
	const additionalData = additionalDataFor(options.credentials, workflow);
	const run = await new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
	return nodeRunOf(options, node, run);
}

export interface RecordedResponse {
	status?: number;
	body?: unknown;
	headers: Record<string, string>;
	ended: boolean;
}

/** A response object with the chainable part of express's API that webhook nodes use. */
function recordingResponse(recorded: RecordedResponse) {
	const response = {
		status(code: number) {
			recorded.status = code;
			return response;
		},
		setHeader(name: string, value: string) {
			recorded.headers[name.toLowerCase()] = value;
			return response;
		},
		header(name: string, value: string) {
			return response.setHeader(name, value);
		},
		json(body: unknown) {
			recorded.body = body;
			recorded.ended = true;
			return response;
		},
		send(body: unknown) {
			recorded.body = body;
			recorded.ended = true;
			return response;
		},
		end(body?: unknown) {
			if (body !== undefined) recorded.body = body;
			recorded.ended = true;
			return response;
		},
	};
	return response;
}

export interface WebhookCall {
	result: IWebhookResponseData;
	response: RecordedResponse;
}

/** An HTTP request as a webhook receives it. */
export interface WebhookRequest {
	body?: unknown;
	rawBody?: Buffer | string;
	headers?: Record<string, string>;
	query?: Record<string, string>;
}

/**
 * Hands `request` to a webhook of the node as n8n's webhook server does: a fresh one, or (with
 * `runExecutionData`) the restart webhook of a paused execution.
 */
async function deliver(
	options: NodeOptions,
	request: WebhookRequest,
	runExecutionData: IRunExecutionData | null,
	webhookName = 'default',
): Promise<WebhookCall> {
	const { workflow, node } = workflowWith(options);
	const additionalData = additionalDataFor(options.credentials, workflow);
	const rawBody =
		request.rawBody === undefined
			? Buffer.from(JSON.stringify(request.body ?? {}))
			: Buffer.from(request.rawBody);
	let body = request.body;
	if (body === undefined) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	const headers: IncomingHttpHeaders = { 'content-type': 'application/json', ...lowerCased(request.headers) };
	const recorded: RecordedResponse = { headers: {}, ended: false };
	additionalData.httpRequest = { body, headers, rawBody, query: request.query ?? {}, params: {} } as never;
	additionalData.httpResponse = recordingResponse(recorded) as never;

	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const restart = runExecutionData !== null;
	const webhookDescription = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === webhookName && (webhook.restartWebhook === true) === restart,
	);
	if (!webhookDescription || !nodeType.webhook) {
		throw new Error(`Node type "${node.type}" has no ${restart ? 'restart ' : ''}webhook named "${webhookName}"`);
	}
	const webhookData: IWebhookData = {
		httpMethod: webhookDescription.httpMethod as IWebhookData['httpMethod'],
		node: node.name,
		path: String(webhookDescription.path ?? 'webhook'),
		webhookDescription,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};
	const context = new WebhookContext(workflow, node, additionalData, 'manual', webhookData, [], runExecutionData);
	const result = await nodeType.webhook.call(context);
	return { result, response: recorded };
}

/** Calls a node's webhook() as n8n's webhook server does, with the given raw request. */
export async function callWebhook(
	options: Omit<NodeOptions, 'type'> & WebhookRequest & { type?: string; webhookName?: string },
): Promise<WebhookCall> {
	return await deliver({ ...options, type: options.type ?? 'videoSdkTrigger' }, options, null, options.webhookName);
}

export interface ResumeCall extends WebhookCall {
	/** The execution after the call: set when the webhook resumed it. */
	resumed?: NodeRun;
}

/**
 * A call to the resume URL of a paused run, handled as n8n's waiting-webhooks server does (n8n
 * 2.41, packages/cli/src/webhooks/waiting-webhooks.ts and webhook-helpers.ts): the stored
 * execution is loaded, its paused node disabled and its paused output dropped; the node's restart
 * webhook answers; if it returned data, that becomes the node's output and the execution goes on.
 */
export async function callPausedWebhook(paused: NodeRun, request: WebhookRequest): Promise<ResumeCall> {
	const runExecutionData = storedExecutionData(paused);
	const stackEntry = runExecutionData.executionData!.nodeExecutionStack[0];
	stackEntry.node.disabled = true;
	runExecutionData.waitTill = undefined;
	const nodeName = runExecutionData.resultData.lastNodeExecuted!;
	runExecutionData.resultData.runData[nodeName].pop();

	const call = await deliver(paused.options, request, runExecutionData);
	if (call.result.workflowData === undefined) return call;
	stackEntry.data.main = call.result.workflowData;
	stackEntry.metadata = { ...stackEntry.metadata, forwardAllOutputs: true };
	return { ...call, resumed: await continueStoredRun(paused.options, runExecutionData) };
}

const lowerCased = (headers: Record<string, string> = {}) =>
	Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

export interface PollRun {
	/** What the node handed to n8n to start runs with, one entry per run. */
	emitted: INodeExecutionData[][][];
	/** What poll() returned: n8n starts one more run with it unless it is null. */
	returned: INodeExecutionData[][] | null;
	/** The workflow's static data afterwards, as n8n would save it to the database. */
	staticData: IDataObject;
	/** What poll() threw: n8n records it as a failed execution, after starting what was emitted. */
	error?: Error;
}

/**
 * Calls a polling trigger's poll() as n8n does on each Poll Time (mode `trigger`) or for the
 * editor's test event (`manual`), with the workflow's static data as n8n loaded it.
 */
export async function runPoll(
	options: Omit<NodeOptions, 'type'> & { type?: string; mode?: 'trigger' | 'manual' },
): Promise<PollRun> {
	const { workflow, node } = workflowWith({ ...options, type: options.type ?? 'videoSdkPollingTrigger' });
	const additionalData = additionalDataFor(options.credentials, workflow);
	const emitted: INodeExecutionData[][][] = [];
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		options.mode ?? 'trigger',
		'activate',
		(data: INodeExecutionData[][]) => emitted.push(data),
		(error: Error) => {
			throw error;
		},
	);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new Error(`Node type "${node.type}" does not poll`);
	let returned: INodeExecutionData[][] | null = null;
	let error: Error | undefined;
	try {
		returned = await nodeType.poll.call(context);
	} catch (thrown) {
		error = thrown as Error;
	}
	const staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete staticData.__dataChanged;
	return { emitted, returned, staticData, ...(error ? { error } : {}) };
}
