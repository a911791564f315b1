/**
 * The VideoSDK node inside a real n8n (each major the suite runs), installed from the packed package,
 * its workflows run as the editor's "Execute workflow" runs them, against the fake VideoSDK API.
 */
import type { MergeJob, MergeRecordingRequest } from '../../nodes/VideoSdk/api';
import {
	E2eInstance,
	WRONG_SECRET,
	WRONG_SECRET_CREDENTIAL,
	emitItems,
	manualTrigger,
	nodeOutput,
	videoSdkNode,
} from './instance';

let n8n: E2eInstance;

beforeAll(async () => {
	n8n = await E2eInstance.create();
	await n8n.start();
});
afterAll(async () => await n8n?.dispose());
beforeEach(() => n8n.api.reset());

const mergeRequests = () =>
	n8n.api.requests.filter((request) => request.method === 'POST' && request.path.endsWith('/merge'));

describe('the package inside n8n', () => {
	it('loads both nodes and the credential', async () => {
		// n8n writes the types it loaded when it starts.
		const types = n8n.loadedTypes();
		// One copy of each icon, in the nodes' folder: every type's icon URL serves it.
		const ours = [
			...types.nodeTypes.filter(({ name }) => name.startsWith('n8n-nodes-videosdk.')),
			...types.credentialTypes.filter(({ name }) => name === 'videoSdkApi'),
		];
		const iconUrls = ours.flatMap(({ iconUrl }) => (typeof iconUrl === 'string' ? [iconUrl] : Object.values(iconUrl ?? {})));
		expect(iconUrls.length).toBeGreaterThanOrEqual(6);
		for (const iconUrl of iconUrls) {
			const response = await fetch(new URL(iconUrl, `${n8n.server!.url}/`));
			expect({ iconUrl, status: response.status }).toEqual({ iconUrl, status: 200 });
			expect(await response.text()).toContain('<svg');
		}
		expect(types.nodes).toEqual(
			expect.arrayContaining(['n8n-nodes-videosdk.videoSdk', 'n8n-nodes-videosdk.videoSdkTrigger']),
		);
		expect(types.credentials).toContain('videoSdkApi');
		// The codex files ship beside the compiled nodes: n8n's node panel finds the nodes by alias.
		const videoSdk = types.nodeTypes.find(({ name }) => name === 'n8n-nodes-videosdk.videoSdk');
		expect(videoSdk?.codex?.alias).toEqual(expect.arrayContaining(['stereo', 'recording']));
	});
});

describe('VideoSDK node in n8n', () => {
	it('merges from fields: the documented body, a bare valid JWT, the job as output', async () => {
		const id = await n8n.importWorkflow('e2e merge fields', [
			manualTrigger,
			videoSdkNode('Merge', {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: 'session-e2e-1',
				specifyChannels: 'fields',
				channel1: {
					participants: [
						{ participantId: 'alice', recordingId: 'rec-alice-1' },
						{ participantId: 'carol', recordingId: '' },
					],
				},
				channel2: { participants: [{ participantId: 'bob' }] },
				webhookUrl: 'https://hooks.example.com/videosdk/merge',
			}),
		]);
		const result = await n8n.execute(id);

		expect(result.successful).toBe(true);
		expect(mergeRequests()).toHaveLength(1);
		const [request] = mergeRequests();
		const expected: MergeRecordingRequest = {
			sessionId: 'session-e2e-1',
			channel1: [{ participantId: 'alice', recordingId: 'rec-alice-1' }, { participantId: 'carol' }],
			channel2: [{ participantId: 'bob' }],
			webhookUrl: 'https://hooks.example.com/videosdk/merge',
		};
		expect(request.body).toEqual(expected);
		expect(request.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(request.tokenClaims).toMatchObject({ apikey: 'e2e-api-key', version: 2, roles: ['crawler'] });
		const [output] = nodeOutput(result, 'Merge');
		const job = n8n.api.merges.get(String(output.json.id)) as MergeJob;
		expect(output.json).toMatchObject({ id: job.id, sessionId: 'session-e2e-1', status: 'running' });
		expect(output.json.channel1).toEqual(job.channel1);
	});

	it('merges from JSON expressions: two items, two requests, paired outputs', async () => {
		const id = await n8n.importWorkflow('e2e merge json', [
			manualTrigger,
			emitItems([
				{ sessionId: 'json-1', left: [{ participantId: 'a1', recordingId: 'r1' }], right: ['b1'] },
				{ sessionId: 'json-2', left: ['a2'], right: [{ participantId: 'b2' }, 'c2'] },
			]),
			videoSdkNode('Merge', {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: '={{ $json.sessionId }}',
				specifyChannels: 'json',
				channel1Json: '={{ $json.left }}',
				channel2Json: '={{ $json.right }}',
			}),
		]);
		const result = await n8n.execute(id);

		expect(result.successful).toBe(true);
		expect(mergeRequests().map((request) => request.body)).toEqual([
			{ sessionId: 'json-1', channel1: [{ participantId: 'a1', recordingId: 'r1' }], channel2: [{ participantId: 'b1' }] },
			{ sessionId: 'json-2', channel1: [{ participantId: 'a2' }], channel2: [{ participantId: 'b2' }, { participantId: 'c2' }] },
		]);
		expect(nodeOutput(result, 'Merge').map((item) => [item.json.sessionId, item.pairedItem])).toEqual([
			['json-1', { item: 0 }],
			['json-2', { item: 1 }],
		]);
	});

	it('gets a job, and lists jobs over several pages and up to a limit', async () => {
		const seeded = n8n.api.seedMerges(230);
		const id = await n8n.importWorkflow('e2e get and list', [
			manualTrigger,
			videoSdkNode('Get', { resource: 'mergeRecording', operation: 'get', mergeId: seeded[7].id }),
			// Execute Once: each list runs for the first incoming item only.
			{ ...videoSdkNode('All', { resource: 'mergeRecording', operation: 'getAll', returnAll: true }), executeOnce: true },
			{
				...videoSdkNode('Limited', { resource: 'mergeRecording', operation: 'getAll', returnAll: false, limit: 120 }),
				executeOnce: true,
			},
		]);
		const result = await n8n.execute(id);

		expect(result.successful).toBe(true);
		expect(nodeOutput(result, 'Get').map((item) => item.json)).toEqual([seeded[7]]);
		const all = nodeOutput(result, 'All');
		expect(all).toHaveLength(230);
		expect(new Set(all.map((item) => item.json.id))).toEqual(new Set(seeded.map((job) => job.id)));
		expect(nodeOutput(result, 'Limited')).toHaveLength(120);
		const listPages = n8n.api.requests
			.filter((request) => request.method === 'GET' && request.path.endsWith('/merge'))
			.map((request) => [request.query.page, request.query.perPage]);
		expect(listPages).toEqual([
			['1', '100'],
			['2', '100'],
			['3', '100'],
			['1', '100'],
			['2', '100'],
		]);
	});

	it('fails with the API\'s message on a wrong secret, and n8n stores the secret nowhere', async () => {
		const id = await n8n.importWorkflow('e2e wrong secret', [
			manualTrigger,
			videoSdkNode(
				'Merge',
				{
					resource: 'mergeRecording',
					operation: 'create',
					sessionId: 's',
					specifyChannels: 'json',
					channel1Json: '["a"]',
					channel2Json: '["b"]',
				},
				WRONG_SECRET_CREDENTIAL,
			),
		]);
		const result = await n8n.execute(id);

		expect(result.successful).toBe(false);
		const error = result.run?.data.resultData.error as { message?: string; httpCode?: string; name?: string };
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '401', message: 'VideoSDK answered 401: Token is invalid' });
		// The failed execution is stored: the search below looks where n8n keeps it.
		expect(n8n.storedText()).toContain('VideoSDK answered 401: Token is invalid');
		const sentToken = mergeRequests().at(-1)!.authorization!;
		for (const secret of [WRONG_SECRET, sentToken]) {
			expect(JSON.stringify(result.run)).not.toContain(secret);
			expect(n8n.storedText()).not.toContain(secret);
		}
	});
});

describe('finding what to merge, in n8n', () => {
	it('lists sessions, participants and recordings page by page, and merges a session by expression', async () => {
		const { session, recordings } = n8n.api.seedSession(['host', 'guest'], { roomId: 'e2e-room' });
		for (let index = 0; index < 104; index++) n8n.api.seedSession([`p-${index}`], { roomId: 'e2e-room' });
		const id = await n8n.importWorkflow('e2e sessions and recordings', [
			manualTrigger,
			{ ...videoSdkNode('Sessions', { resource: 'session', operation: 'getAll', returnAll: true, filters: { roomId: 'e2e-room' } }), executeOnce: true },
			{
				...videoSdkNode('Recordings', {
					resource: 'participantRecording',
					operation: 'getAll',
					returnAll: true,
					filters: { roomId: 'e2e-room' },
				}),
				executeOnce: true,
			},
			{ ...videoSdkNode('Session', { resource: 'session', operation: 'get', sessionId: session.id }), executeOnce: true },
			videoSdkNode('Merge', {
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: '={{ $json.id }}',
				specifyChannels: 'json',
				channel1Json: '={{ $json.participants.slice(0, 1) }}',
				channel2Json: '={{ $json.participants.slice(1) }}',
			}),
		]);
		const result = await n8n.execute(id);

		expect(result.successful).toBe(true);
		expect(nodeOutput(result, 'Sessions')).toHaveLength(105);
		expect(nodeOutput(result, 'Recordings')).toHaveLength(106);
		expect(nodeOutput(result, 'Recordings')[0].json).toEqual(recordings[0]);
		expect(mergeRequests()[0].body).toEqual({
			sessionId: session.id,
			channel1: [{ participantId: 'host' }],
			channel2: [{ participantId: 'guest' }],
		});
		const pagesOf = (path: string) =>
			n8n.api.requests.filter((request) => request.path === path).map((request) => request.query.page);
		expect(pagesOf('/v2/sessions/')).toEqual(['1', '2']);
		expect(pagesOf('/v2/recordings/participant')).toEqual(['1', '2']);
	});
});
