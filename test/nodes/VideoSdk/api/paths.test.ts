import type { INodeParameters } from 'n8n-workflow';

import { idProblem, idSegment, MAX_ID_LENGTH } from '../../../../nodes/VideoSdk/api';
import { runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';

const fake = useFakeApi({ autoWebhooks: false });

describe('idSegment: the one way an ID enters a path', () => {
	it('encodes an ID as exactly one segment', () => {
		expect(idSegment(' abc/def?x#y ')).toBe('abc%2Fdef%3Fx%23y');
		expect(idSegment(42)).toBe('42');
		expect(idSegment('..a')).toBe('..a');
	});

	it.each([['.'], ['..'], [' .. '], [''], ['   ']])('refuses %j, which URL normalisation would resolve or drop', (id) => {
		expect(() => idSegment(id)).toThrow(/^The ID /);
	});

	it('says what it got instead of an ID', () => {
		expect(idProblem(undefined)).toBe('is missing');
		expect(idProblem({ id: 'x' })).toBe('must be text, but got an object');
		expect(idProblem(['x', 'y'])).toBe('must be text, but got a list of 2');
		expect(idProblem(true)).toBe('must be text, but got a boolean');
		expect(idProblem(Number.NaN)).toBe('is not a finite number');
		expect(idProblem('x'.repeat(MAX_ID_LENGTH + 1))).toBe(`is ${MAX_ID_LENGTH + 1} characters long; IDs have at most ${MAX_ID_LENGTH}`);
		expect(idProblem('x'.repeat(MAX_ID_LENGTH))).toBeUndefined();
	});
});

/** Every operation that puts a user's ID into a path, with the field that holds it. */
const ID_OPERATIONS: Array<[string, string, string, string]> = [
	['mergeRecording', 'get', 'mergeId', 'Merge ID'],
	['participantRecording', 'get', 'recordingId', 'Recording ID'],
	['participantRecording', 'delete', 'recordingId', 'Recording ID'],
	['session', 'get', 'sessionId', 'Session ID'],
	['session', 'getParticipants', 'sessionId', 'Session ID'],
];

describe.each(ID_OPERATIONS)('%s %s refuses an ID that would leave its path segment', (resource, operation, field, label) => {
	it.each([
		['..', '".." is not an ID'],
		[' . ', '"." is not an ID'],
		['', 'is empty'],
	])('%j: a NodeOperationError naming the field and the item, and no request', async (id, problem) => {
		const parameters: INodeParameters = { resource, operation, [field]: '={{ $json.id }}' };
		const { items, error } = await runNode({
			type: 'videoSdk',
			parameters,
			items: [{ json: { id: 'fine-id' } }, { json: { id } }],
			credentials: fake.credentials,
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items[1]).toEqual({ json: { error: `${label} ${problem} [item 1]` }, pairedItem: { item: 1 } });
		expect(fake.api.requests.map((request) => request.path)).toHaveLength(1);
		expect(fake.api.requests[0].path).toMatch(/\/fine-id(\/participants)?$/);
	});

	it('an object from an expression says what it got', async () => {
		const { error } = await runNode({
			type: 'videoSdk',
			parameters: { resource, operation, [field]: '={{ $json.id }}' },
			items: [{ json: { id: { nested: 'x' } } }],
			credentials: fake.credentials,
		});

		expect(error?.message).toBe(`${label} must be text, but got an object [item 0]`);
		expect(error?.name).toBe('NodeOperationError');
		expect(fake.api.requests).toHaveLength(0);
	});
});
