/**
 * The example workflows as a user imports them, run inside a real n8n against the fake API.
 * examples/merge-session-and-wait.json runs from its Manual Trigger, as "Execute workflow" in the
 * editor does, under `n8n start`: its merge pauses the run until the fake API calls the resume URL.
 * examples/merge-session-and-ask.json runs the same way, its merge asking the fake API instead.
 */
import type { ExampleWorkflow } from '../../scripts/examples';
import { loadExample } from '../../scripts/examples';
import type { MergeJob, ParticipantRecording } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { DEMO_SESSION_ID, seedDemoSession } from '../../scripts/fake-videosdk/demoSession';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import { E2eInstance, GOOD_CREDENTIAL } from './instance';

const EXAMPLE = 'merge-session-and-wait.json';
const MANUAL_TRIGGER = "When clicking 'Execute workflow'";

let n8n: E2eInstance;
let exampleId: string;
let withoutId: string;
let oneId: string;
let askingId: string;
let recordings: ParticipantRecording[];

/** The example for another session, as a user edits "Session that ended"; its own id keeps its runs apart. */
function forSession(sessionId: string, id: string): ExampleWorkflow {
	const copy = { ...loadExample(EXAMPLE, GOOD_CREDENTIAL), id, name: `Example for ${sessionId}` };
	const session = copy.nodes.find((node) => node.name === 'Session that ended')!;
	(session.parameters.assignments as { assignments: Array<{ value: string }> }).assignments[0].value = sessionId;
	return copy;
}
const WITHOUT_RECORDINGS = forSession('no-recordings', 'e2eExampleNoRecs');
const ASKING_EXAMPLE = 'merge-session-and-ask.json';
const ASKING_MERGE = 'Merge and ask until done';

/** The asking example as imported, asking every second (as a user may set Poll Interval) to keep the suite fast. */
function askingExample(): ExampleWorkflow {
	const workflow = loadExample(ASKING_EXAMPLE, GOOD_CREDENTIAL);
	const merge = workflow.nodes.find((node) => node.name === ASKING_MERGE)!;
	expect(merge.parameters).toMatchObject({ waitForCompletion: true, waitMode: 'ask', pollInterval: 30 });
	merge.parameters.pollInterval = 1;
	return workflow;
}
const ONE_RECORDING = forSession('one-recording', 'e2eExampleOneRec');

beforeAll(async () => {
	// VideoSDK takes seconds to merge (the fake's callback also waits for n8n to store the pause: untilPaused).
	n8n = await E2eInstance.create({ mergeCompletionDelayMs: 2_000 });
	({ recordings } = seedDemoSession(n8n.api));
	n8n.api.seedSession(['alone'], { id: 'one-recording' });
	await n8n.start();
	// Imported as the editor's "Import from file" saves them.
	exampleId = await n8n.importWorkflowJson(loadExample(EXAMPLE, GOOD_CREDENTIAL));
	withoutId = await n8n.importWorkflowJson(WITHOUT_RECORDINGS);
	oneId = await n8n.importWorkflowJson(ONE_RECORDING);
	askingId = await n8n.importWorkflowJson(askingExample());
});
afterAll(async () => {
	await n8n?.dispose();
});

describe('examples/merge-session-and-wait.json in n8n', () => {
	it('merges the session\'s two recordings, waits for VideoSDK and ends with the stereo mp3', async () => {
		const executionId = await n8n.runManually(exampleId, MANUAL_TRIGGER);

		const executions = await n8n.waitForExecutions(exampleId, 1, ['success', 'error']);
		expect(executions.map(({ id, status, mode }) => ({ id, status, mode }))).toEqual([
			{ id: executionId, status: 'success', mode: 'manual' },
		]);

		const merges = n8n.api.requests.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge);
		expect(merges.map((request) => request.body)).toEqual([
			{
				sessionId: DEMO_SESSION_ID,
				channel1: [{ participantId: 'interviewer', recordingId: recordings[0].id }],
				channel2: [{ participantId: 'candidate', recordingId: recordings[1].id }],
				webhookUrl: expect.stringMatching(n8n.resumeUrlPattern(executionId)),
			},
		]);

		const [job] = [...n8n.api.merges.values()] as MergeJob[];
		const output = executions[0].data.resultData.runData['Merge and wait for the file'][0].data!.main[0];
		expect(output).toHaveLength(1);
		expect(output[0].json).toEqual({
			webhookType: 'merge-recording-completed',
			data: { id: job.id, meetingId: job.meetingId, sessionId: DEMO_SESSION_ID },
			recording: JSON.parse(JSON.stringify(job)),
		});
		expect((output[0].json.recording as MergeJob).file?.fileUrl).toBe(`${n8n.api.url}/files/${job.id}.mp3`);
		expect(output[0].binary?.data).toMatchObject({ fileName: `${job.id}.mp3`, mimeType: 'audio/mpeg' });
		expect((await n8n.binaryData(output[0].binary!.data)).equals(silentMp3())).toBe(true);
	});

	it('ends at the list for a session without recordings, and fails at the merge for one with a single recording', async () => {
		await n8n.runManually(withoutId, MANUAL_TRIGGER);
		await n8n.runManually(oneId, MANUAL_TRIGGER);

		const [withoutRecordings] = await n8n.waitForExecutions(withoutId, 1, ['success', 'error']);
		expect(withoutRecordings.status).toBe('success');
		expect(Object.keys(withoutRecordings.data.resultData.runData)).toEqual([
			MANUAL_TRIGGER,
			'Session that ended',
			'List its recordings',
		]);
		const [oneRecording] = await n8n.waitForExecutions(oneId, 1, ['success', 'error']);
		expect(oneRecording.status).toBe('error');
		expect(oneRecording.data.resultData.error?.message).toBe('Channel 2 (Right) has no participants [item 0]');
		const mergedSessions = n8n.api.requests
			.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge)
			.map((request) => (request.body as { sessionId: string }).sessionId);
		expect(mergedSessions).not.toContain('one-recording');
	});
});

describe('examples/merge-session-and-ask.json in n8n', () => {
	it('merges the session\'s two recordings, asks VideoSDK until the merge has ended and ends with the stereo mp3', async () => {
		const executionId = await n8n.runManually(askingId, MANUAL_TRIGGER);

		const executions = await n8n.waitForExecutions(askingId, 1, ['success', 'error']);
		expect(executions.map(({ id, status }) => ({ id, status }))).toEqual([{ id: executionId, status: 'success' }]);
		const merges = n8n.api.requests.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge);
		const merge = merges.at(-1)!;
		// Asking sends no callback URL: VideoSDK never needs to reach this n8n.
		expect((merge.body as { webhookUrl?: string }).webhookUrl).toBeUndefined();
		// The newest job: the other example's test merged the same session before.
		const job = [...n8n.api.merges.values()].filter((candidate) => candidate.sessionId === DEMO_SESSION_ID).at(-1) as MergeJob;
		const [output] = executions[0].data.resultData.runData[ASKING_MERGE][0].data!.main[0];
		expect(output.json).toEqual({
			webhookType: 'merge-recording-completed',
			data: { id: job.id, meetingId: job.meetingId, sessionId: DEMO_SESSION_ID },
			recording: JSON.parse(JSON.stringify(job)),
		});
		expect((await n8n.binaryData(output.binary!.data)).equals(silentMp3())).toBe(true);
	});
});
