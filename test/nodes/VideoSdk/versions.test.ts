import type { INodeParameters, INodeProperties } from 'n8n-workflow';

import { VideoSdk } from '../../../nodes/VideoSdk/VideoSdk.node';
import { runNode } from '../../../scripts/harness';
import { useFakeApi } from '../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });
const node = new VideoSdk();
const { properties } = node.description;

const locators = properties.filter((field) => field.type === 'resourceLocator');

const shownFor = (field: INodeProperties) => {
	const { resource, operation } = field.displayOptions?.show ?? {};
	return JSON.stringify({ resource, operation });
};

describe('node versions: the description', () => {
	it('is version 2 for new nodes and still version 1 for saved ones', () => {
		expect(node.description.version).toEqual([1, 2]);
		expect(node.description.defaultVersion).toBe(2);
	});

	it('gives every version 2 locator a version 1 text field of the same name, shown for the same operation', () => {
		expect(locators.map((field) => field.name).sort()).toEqual([
			'mergeId',
			'recordingId',
			'recordingId',
			'sessionId',
			'sessionId',
			'sessionId',
		]);
		for (const locator of locators) {
			expect(locator.displayOptions?.show?.['@version']).toEqual([{ _cnd: { gte: 2 } }]);
			const before = properties.filter(
				(field) => field.name === locator.name && field.displayOptions?.show?.['@version']?.[0] === 1,
			);
			expect(before.map((field) => [field.type, shownFor(field)])).toContainEqual(['string', shownFor(locator)]);
		}
	});

	it('names only list methods the node has', () => {
		const searchMethods = locators.flatMap((field) =>
			(field.modes ?? []).map((mode) => mode.typeOptions?.searchListMethod).filter(Boolean),
		);
		const optionMethods = properties.map((field) => field.typeOptions?.loadOptionsMethod).filter(Boolean);
		expect(new Set(searchMethods)).toEqual(new Set(Object.keys(node.methods.listSearch)));
		expect(new Set(optionMethods)).toEqual(new Set(Object.keys(node.methods.loadOptions)));
		for (const field of properties.filter((property) => property.typeOptions?.loadOptionsMethod)) {
			expect(field.typeOptions?.loadOptionsDependsOn).toEqual(['sessionId.value']);
		}
	});
});

const rl = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value, cachedResultName: 'shown in the editor' });

describe('node versions: version 1 workflows run unchanged, version 2 sends the same requests', () => {
	const cases: Array<[string, (id: string) => INodeParameters, string]> = [
		['session get', (id) => ({ resource: 'session', operation: 'get', sessionId: id }), 'sessionId'],
		['session participants', (id) => ({ resource: 'session', operation: 'getParticipants', sessionId: id, returnAll: true }), 'sessionId'],
		['merge job get', (id) => ({ resource: 'mergeRecording', operation: 'get', mergeId: id }), 'mergeId'],
		['recording get', (id) => ({ resource: 'participantRecording', operation: 'get', recordingId: id }), 'recordingId'],
		['recording delete', (id) => ({ resource: 'participantRecording', operation: 'delete', recordingId: id }), 'recordingId'],
		[
			'merge with fields',
			(id) => ({
				resource: 'mergeRecording',
				operation: 'create',
				sessionId: id,
				specifyChannels: 'fields',
				channel1: { participants: [{ participantId: 'host' }] },
				channel2: { participants: [{ participantId: 'guest' }] },
			}),
			'sessionId',
		],
	];

	it.each(cases)('%s', async (_name, parametersFor, idField) => {
		const requests = [];
		for (const [typeVersion, wrap] of [
			[1, (id: string) => id],
			[2, (id: string) => rl(id)],
			[2, (id: string) => rl(` ${id} `, 'id')],
		] as const) {
			fake.api.reset();
			const { session, recordings } = fake.api.seedSession(['host', 'guest']);
			const [job] = fake.api.seedMerges(1);
			const id = { sessionId: session.id, mergeId: job.id, recordingId: recordings[0].id }[idField]!;
			const parameters = parametersFor(id);
			const { error, items } = await runNode({
				type: 'videoSdk',
				typeVersion,
				parameters: { ...parameters, [idField]: wrap(id) },
				credentials: fake.credentials,
			});
			expect(error).toBeUndefined();
			expect(items.length).toBeGreaterThan(0);
			requests.push(
				fake.api.requests.map(({ method, path, body }) => ({
					method,
					path: path.replace(id, '<id>'),
					body: JSON.stringify(body ?? null).replace(id, '<id>'),
				})),
			);
		}
		expect(requests[1]).toEqual(requests[0]);
		expect(requests[2]).toEqual(requests[0]);
		expect(requests[0].some((request) => request.path.includes('<id>') || request.body.includes('<id>'))).toBe(true);
	});

	it('checks an ID picked by version 2 as strictly as a typed one, naming the field and the item', async () => {
		const run = await runNode({
			type: 'videoSdk',
			typeVersion: 2,
			parameters: { resource: 'session', operation: 'get', sessionId: rl('..', 'id') },
			credentials: fake.credentials,
		});
		expect(run.error?.message).toBe('Session ID ".." is not an ID [item 0]');
		expect(fake.api.requests).toHaveLength(0);
	});
});
