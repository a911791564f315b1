/**
 * n8n's AI Agent with this package's tools, in a real n8n: examples/ai-agent-merge-by-name.json,
 * its OpenAI Chat Model pointed at a scripted OpenAI-compatible server on loopback. The script
 * reads the tools it is given and plays a user's request: find the room's newest session, list its
 * participants, merge two speakers by name, get the job until it is completed, answer with the file.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { MergeRecordingRequest, Session } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { CANNOT_WAIT_IN_THIS_TOOL_CALL } from '../../nodes/VideoSdk/n8n/toolMode';
import { loadExample } from '../../scripts/examples';
import type { ChatRequest, FakeChatModel, ToolSchema } from './fakeChatModel';
import { askFor, startFakeChatModel } from './fakeChatModel';
import { E2eInstance, GOOD_CREDENTIAL } from './instance';

const EXAMPLE = 'ai-agent-merge-by-name.json';
const MANUAL_TRIGGER = "When clicking 'Execute workflow'";
const MERGE_TOOL = 'Merge speakers by name';
/** A room whose merges VideoSDK cannot do. */
const FAILING_ROOM = 'fail-room';
const OPENAI_CREDENTIAL = { id: 'e2eFakeChatModel', name: 'Fake chat model' };

let n8n: E2eInstance;
let model: FakeChatModel;
let today: Session;
const workflows: Record<string, string> = {};

/** The example as a user imports it, with their credentials and their own request to the agent. */
function exampleAsking(id: string, prompt: string, mergeParameters: Record<string, unknown> = {}) {
	const workflow = { ...loadExample(EXAMPLE, GOOD_CREDENTIAL), id, name: `AI agent: ${prompt}` };
	for (const node of workflow.nodes) {
		if (node.credentials?.openAiApi) node.credentials.openAiApi = { ...OPENAI_CREDENTIAL };
		if (node.name === 'AI Agent') node.parameters.text = prompt;
		if (node.name === MERGE_TOOL) Object.assign(node.parameters, mergeParameters);
	}
	return workflow;
}

beforeAll(async () => {
	n8n = await E2eInstance.create();
	model = await startFakeChatModel();
	const credentialsFile = join(n8n.options.userFolder, 'openai-credential.json');
	writeFileSync(
		credentialsFile,
		JSON.stringify([{ ...OPENAI_CREDENTIAL, type: 'openAiApi', data: { apiKey: 'sk-e2e-fake', url: model.url } }]),
	);
	await n8n.cli(['import:credentials', `--input=${credentialsFile}`]);
	rmSync(credentialsFile);
	// The room's earlier interview, another room's meeting, then today's interview (the newest).
	n8n.api.seedSession(['p-ana-1', 'p-ben-1'], { names: { 'p-ana-1': 'Ana', 'p-ben-1': 'Ben' } });
	n8n.api.seedSession(['p-zed'], { roomId: 'other-room', names: { 'p-zed': 'Zed' } });
	({ session: today } = n8n.api.seedSession(['p-ana-2', 'p-ben-2', 'p-cy'], {
		names: { 'p-ana-2': 'Ana', 'p-ben-2': 'Ben', 'p-cy': 'Cy' },
	}));
	const failing = n8n.api.seedSession(['p-ana-3', 'p-ben-3'], { roomId: FAILING_ROOM, names: { 'p-ana-3': 'Ana', 'p-ben-3': 'Ben' } });
	n8n.api.failMerges(failing.session.id);
	for (const session of [today, failing.session]) n8n.api.holdCallbacks(session.id);
	await n8n.start();
	workflows.byName = await n8n.importWorkflowJson(exampleAsking('e2eAiAgentByName', askFor('Ana', 'Ben')));
	workflows.unknownName = await n8n.importWorkflowJson(exampleAsking('e2eAiAgentUnknown', askFor('Zoe', 'Ben')));
	const waitForCompletion = { waitForCompletion: true, options: { maxWait: 2 } };
	workflows.waiting = await n8n.importWorkflowJson(exampleAsking('e2eAiAgentWaits', askFor('Ana', 'Ben'), waitForCompletion));
	const underOldAgent = exampleAsking('e2eAiAgentWaitsV2', askFor('Ana', 'Ben'), waitForCompletion);
	Object.assign(underOldAgent.nodes.find((node) => node.name === 'AI Agent')!, { typeVersion: 2.2 });
	workflows.waitingUnderOldAgent = await n8n.importWorkflowJson(underOldAgent);
	workflows.waitingForFailure = await n8n.importWorkflowJson(
		exampleAsking('e2eAiAgentWaitsFails', askFor('Ana', 'Ben', FAILING_ROOM), waitForCompletion),
	);
});
afterAll(async () => {
	await n8n?.dispose();
	await model?.close();
});

/**
 * Runs a workflow as the editor's Execute workflow does. With `heldCallbacks`, VideoSDK's callbacks
 * (held by the fake) are sent once the run is saved as paused: one sent before that is refused by
 * n8n (409) and the run waits until Max Wait, which is n8n's race, not this test's subject.
 */
async function run(workflowId: string, heldCallbacks = 0) {
	const from = model.requests.length;
	const executionId = await n8n.runManually(workflowId, MANUAL_TRIGGER);
	let callbacks: number[] = [];
	if (heldCallbacks > 0) {
		const paused = await n8n.waitForExecutions(workflowId, 1, ['waiting'], 90_000);
		expect(paused.find((stored) => stored.id === executionId)?.status).toBe('waiting');
		callbacks = await n8n.api.releaseCallbacks(heldCallbacks);
	}
	const executions = await n8n.waitForExecutions(workflowId, 1, ['success', 'error', 'crashed'], 90_000);
	const execution = executions.find((stored) => stored.id === executionId)!;
	return { execution, requests: model.requests.slice(from), callbacks };
}

const merges = () =>
	n8n.api.requests
		.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge)
		.map((request) => request.body as MergeRecordingRequest);

/** Every schema under a tool's parameters, with where it is. */
function schemasOf(schema: ToolSchema, path: string): Array<[string, ToolSchema]> {
	return Object.entries(schema.properties ?? {}).flatMap(([name, property]) => [
		[`${path}.${name}`, property] as [string, ToolSchema],
		...schemasOf(property, `${path}.${name}`),
	]);
}

/** The tool results the model was given, by the tool call they answer. */
const toolResults = (request: ChatRequest) =>
	request.messages.filter((message) => message.role === 'tool').map((message) => String(message.content));

describe('an AI agent merges a meeting’s speakers by name', () => {
	it('gets typed, described tools, finds the newest session, merges Ana left and Ben right by name, and answers with the file', async () => {
		const { execution, requests } = await run(workflows.byName);
		expect(model.problems).toEqual([]);
		expect(execution.status).toBe('success');

		// What the model was told: four tools, each saying what it does and returns, every argument typed and described.
		const tools = requests[0].tools ?? [];
		expect(tools.map((tool) => tool.function.name).sort()).toEqual([
			'Find_sessions_of_a_room',
			'Get_a_merge_job',
			'List_participants_of_a_session',
			'Merge_speakers_by_name',
		]);
		for (const { function: tool } of tools) {
			expect(tool.description).toMatch(/\. Returns .+/);
			const properties = schemasOf(tool.parameters, tool.name);
			expect(properties.length).toBeGreaterThan(0);
			for (const [where, property] of properties) {
				expect({ where, type: property.type }).toEqual({ where, type: 'string' });
				expect({ where, description: property.description }).toEqual({ where, description: expect.stringMatching(/\S{3}.*e\.g\. \S+/) });
			}
			expect(tool.parameters.required).toEqual(Object.keys(tool.parameters.properties ?? {}));
		}
		const merge = tools.find((tool) => tool.function.name === 'Merge_speakers_by_name')!.function.parameters;
		expect(Object.keys(merge.properties ?? {}).sort()).toEqual(['left', 'right', 'sessionId']);

		// What it did with them.
		const steps = model.calls.map(({ step, args }) => ({ step, args }));
		expect(steps.slice(0, 3)).toEqual([
			{ step: 'findSessions', args: { roomId: 'abc-defg-hij' } },
			{ step: 'listParticipants', args: { sessionId: today.id } },
			{ step: 'merge', args: { sessionId: today.id, left: 'Ana', right: 'Ben' } },
		]);
		expect(new Set(steps.slice(3).map(({ step }) => step))).toEqual(new Set(['getMergeJob']));

		// The merge VideoSDK received: today's session, Ana's and Ben's own recordings of it.
		const recordingOf = (participantId: string) =>
			[...n8n.api.participantRecordings.values()].find((recording) => recording.sessionId === today.id && recording.participantId === participantId)!.id;
		expect(merges()).toEqual([
			{
				sessionId: today.id,
				channel1: [{ participantId: 'p-ana-2', recordingId: recordingOf('p-ana-2') }],
				channel2: [{ participantId: 'p-ben-2', recordingId: recordingOf('p-ben-2') }],
			},
		]);

		// Compact answers: the sessions newest first, with names, and no whole pages.
		const last = requests[requests.length - 1];
		const [sessions, participants] = toolResults(last).map((content) => JSON.parse(content) as Array<Record<string, unknown>>);
		expect(sessions.map((session) => session.id)).toEqual([today.id, expect.any(String)]);
		expect(Object.keys(sessions[0]).sort()).toEqual(['end', 'id', 'participants', 'roomId', 'start']);
		expect(participants.map((participant) => participant.name)).toEqual(['Ana', 'Ben', 'Cy']);

		const [job] = [...n8n.api.merges.values()];
		const agent = execution.data.resultData.runData['AI Agent'][0].data!.main[0];
		expect(agent[0].json.output).toBe(`Done: the merged file is ${job.id}.mp3 (${n8n.api.url}/files/${job.id}.mp3).`);
	});

	it('says in one short sentence which name is unknown and who the speakers are, before any merge', async () => {
		const mergesBefore = merges().length;
		const { execution, requests } = await run(workflows.unknownName);
		expect(merges()).toHaveLength(mergesBefore);
		expect(model.calls.slice(-1)).toEqual([{ step: 'merge', tool: 'Merge_speakers_by_name', args: { sessionId: today.id, left: 'Zoe', right: 'Ben' } }]);
		const sentence = `Channel 1 (Left): no speaker "Zoe" in session ${today.id}; its speakers are Ana (p-ana-2), Ben (p-ben-2), Cy (p-cy)`;
		if (n8n.runtime.major >= 2) {
			// n8n 2.x hands the tool's error to the model, which can try again or tell the user.
			const results = toolResults(requests[requests.length - 1]);
			expect(JSON.parse(results[results.length - 1])).toEqual([{ error: sentence }]);
			expect(execution.status).toBe('success');
		} else {
			// n8n 1.x's agent stops at a tool's error: the run fails with the same sentence.
			expect({ status: execution.status, message: execution.data.resultData.error?.message }).toEqual({ status: 'error', message: sentence });
		}
	});

	it('waits for the merge inside the tool call: the run pauses, VideoSDK calls back, and the model gets the finished job', async () => {
		const mergesBefore = merges().length;
		const { execution, requests, callbacks } = await run(workflows.waiting, 1);
		expect(model.problems).toEqual([]);
		expect(execution.status).toBe('success');

		// The tool paused the run (run() saw it waiting): VideoSDK was handed this execution's resume URL, and its callback resumed it.
		const started = merges().slice(mergesBefore);
		expect(started).toHaveLength(1);
		expect(started[0].webhookUrl).toMatch(n8n.resumeUrlPattern(execution.id));
		expect(callbacks).toEqual([200]);
		const job = [...n8n.api.merges.values()].at(-1)!;

		// The model got the finished job as the merge tool's answer, and had no need to ask again.
		expect(model.calls.slice(-1)).toEqual([{ step: 'merge', tool: MERGE_TOOL.replace(/ /g, '_'), args: { sessionId: today.id, left: 'Ana', right: 'Ben' } }]);
		const results = toolResults(requests[requests.length - 1]);
		const [answer] = JSON.parse(results[results.length - 1]) as Array<{ webhookType: string; recording: { id: string; status: string; file: { fileUrl: string } } }>;
		expect(answer.webhookType).toBe('merge-recording-completed');
		expect(answer.recording).toMatchObject({ id: job.id, status: 'completed', file: { fileUrl: `${n8n.api.url}/files/${job.id}.mp3` } });
		const agent = execution.data.resultData.runData['AI Agent'].at(-1)!.data!.main[0];
		expect(agent[0].json.output).toBe(`Done: the merged file is ${job.id}.mp3 (${n8n.api.url}/files/${job.id}.mp3).`);
	});

	it('an AI Agent before version 3 cannot wait for a tool: the merge tool fails in one sentence before any merge, and the run does not wait', async () => {
		const mergesBefore = merges().length;
		const { execution } = await run(workflows.waitingUnderOldAgent);
		expect(merges()).toHaveLength(mergesBefore);
		expect(execution.status).toBe('success');
		const [toolRun] = execution.data.resultData.runData[MERGE_TOOL];
		expect(toolRun.error?.message).toBe(CANNOT_WAIT_IN_THIS_TOOL_CALL);
	});

	it('a merge VideoSDK could not do, waited for inside the tool call, reaches the model as VideoSDK\'s reason', async () => {
		const { execution, requests, callbacks } = await run(workflows.waitingForFailure, 1);
		expect(callbacks).toEqual([200]);
		expect(execution.status).toBe('success');
		const results = toolResults(requests[requests.length - 1]);
		// 2.x fails the resumed tool, and the agent hands the model its error; 1.x outputs the job carrying it.
		const [answer] = JSON.parse(results[results.length - 1]) as Array<{ error?: string }>;
		expect(answer.error).toBe('VideoSDK could not merge the recordings: Recording of a participant could not be found [item 0]');
	});
});
