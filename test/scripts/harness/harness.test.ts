import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { API_PATHS } from '../../../nodes/VideoSdk/api';
import { useFakeApi } from '../../helpers/fakeApi';
import { callPausedWebhook, callWebhook, getNodeType, registerNodeType, resumeAfterWaitTill, runNode } from '../../../scripts/harness/index';

const fake = useFakeApi();

const baseDescription = (name: string): INodeTypeDescription => ({
	displayName: name,
	name,
	group: ['transform'],
	version: 1,
	description: 'A node that exists only to test the harness',
	defaults: { name },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	properties: [],
});

/** Doubles `factor` per item (an expression over $json in the tests) and fails items marked fail. */
class HarnessEcho implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('harnessEcho'),
		properties: [{ displayName: 'Factor', name: 'factor', type: 'number', default: 1 }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const output: INodeExecutionData[] = [];
		for (const [itemIndex, item] of this.getInputData().entries()) {
			try {
				if (item.json.fail) throw new NodeOperationError(this.getNode(), 'Item asked to fail', { itemIndex });
				const factor = this.getNodeParameter('factor', itemIndex) as number;
				output.push({ json: { factor, doubled: factor * 2 }, pairedItem: { item: itemIndex } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				output.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
			}
		}
		return [output];
	}
}

/** Calls the fake API with the videoSdkApi credential, as our action node does. */
class HarnessAuthCaller implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('harnessAuthCaller'),
		credentials: [{ name: 'videoSdkApi', required: true }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl } = await this.getCredentials<{ baseUrl: string }>('videoSdkApi');
		const body = (await this.helpers.httpRequestWithAuthentication.call(this, 'videoSdkApi', {
			method: 'GET',
			url: `${baseUrl}${API_PATHS.merge}`,
			qs: { page: 1, perPage: 1 },
			json: true,
		})) as IDataObject;
		return [[{ json: body, pairedItem: { item: 0 } }]];
	}
}

/** Reads the raw body and headers; refuses with 403 when told to, else starts a run. */
class HarnessWebhook implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('harnessWebhook'),
		group: ['trigger'],
		inputs: [],
		credentials: [{ name: 'videoSdkApi', required: false }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
		properties: [{ displayName: 'Label', name: 'label', type: 'string', default: '' }],
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const rawBody = (this.getRequestObject() as unknown as { rawBody: Buffer }).rawBody;
		const headers = this.getHeaderData() as IDataObject;
		if (headers['x-refuse']) {
			this.getResponseObject().status(403).send('refused').end();
			return { noWebhookResponse: true };
		}
		const { apiKey } = await this.getCredentials<{ apiKey: string }>('videoSdkApi');
		return {
			workflowData: [
				this.helpers.returnJsonArray({
					raw: rawBody.toString('utf8'),
					parsed: this.getBodyData(),
					query: this.getQueryData() as IDataObject,
					label: this.getNodeParameter('label') as string,
					apiKey,
				}),
			],
		};
	}
}

async function textFileItem(context: IExecuteFunctions | IWebhookFunctions): Promise<INodeExecutionData> {
	const text = context.getNodeParameter('text', 0) as string;
	const data = await context.helpers.prepareBinaryData(Buffer.from(text), 'note.txt', 'text/plain');
	return { json: {}, binary: { data }, pairedItem: { item: 0 } };
}

/** Turns its Text parameter into a binary file, in whichever context n8n calls it. */
class HarnessBinary implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('harnessBinary'),
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
		properties: [{ displayName: 'Text', name: 'text', type: 'string', default: '' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [[await textFileItem(this)]];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [[await textFileItem(this)]] };
	}
}

/** Pauses the execution, outputting "paused"; its restart webhook resumes with the call's body. */
class HarnessWaiter implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription('harnessWaiter'),
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: '', restartWebhook: true }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		await this.putExecutionToWait(new Date(Date.now() + 60_000));
		return [[{ json: { state: 'paused' }, pairedItem: { item: 0 } }]];
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const body = this.getBodyData();
		if (body.resume !== true) return { webhookResponse: 'not yet' };
		return { workflowData: [[{ json: { resumedWith: body.value as string, input: this.evaluateExpression('{{ $json.n }}') as number } }]] };
	}
}

beforeAll(() => {
	registerNodeType('harnessWaiter', new HarnessWaiter());
	registerNodeType('harnessBinary', new HarnessBinary());
	registerNodeType('harnessEcho', new HarnessEcho());
	registerNodeType('harnessAuthCaller', () => new HarnessAuthCaller());
	registerNodeType('harnessWebhook', new HarnessWebhook());
});

describe('runNode', () => {
	it('runs a node through WorkflowExecute with items, expressions and pairedItem', async () => {
		const { items, outputs, error, run } = await runNode({
			type: 'harnessEcho',
			parameters: { factor: '={{ $json.n * 10 }}' },
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { factor: 10, doubled: 20 }, pairedItem: { item: 0 } },
			{ json: { factor: 20, doubled: 40 }, pairedItem: { item: 1 } },
		]);
		expect(outputs).toEqual([items]);
		expect(run.status).toBe('success');
	});

	it('feeds one empty item by default', async () => {
		const { items } = await runNode({ type: 'harnessEcho', parameters: { factor: 3 } });

		expect(items).toEqual([{ json: { factor: 3, doubled: 6 }, pairedItem: { item: 0 } }]);
	});

	it('returns a node error on the run instead of rejecting', async () => {
		const { items, error, run } = await runNode({
			type: 'harnessEcho',
			parameters: {},
			items: [{ json: { fail: true } }],
		});

		expect(items).toEqual([]);
		expect(error?.message).toBe('Item asked to fail');
		expect(run.status).toBe('error');
	});

	it('continueOnFail sets the node to continue with regular output', async () => {
		const { items, error } = await runNode({
			type: 'harnessEcho',
			parameters: { factor: 2 },
			items: [{ json: { fail: true } }, { json: {} }],
			continueOnFail: true,
		});

		expect(error).toBeUndefined();
		expect(items).toEqual([
			{ json: { error: 'Item asked to fail' }, pairedItem: { item: 0 } },
			{ json: { factor: 2, doubled: 4 }, pairedItem: { item: 1 } },
		]);
	});

	it('authenticates through our credential class, so the fake API accepts the token', async () => {
		fake.api.seedMerges(3);

		const { items, error } = await runNode({ type: 'harnessAuthCaller', parameters: {}, credentials: fake.credentials });

		expect(error).toBeUndefined();
		expect(items[0].json.pageInfo).toEqual({ currentPage: 1, perPage: 1, lastPage: 3, total: 3 });
		const [request] = fake.api.requests;
		expect(request.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(request.tokenClaims).toMatchObject({ apikey: fake.api.apiKey, roles: ['crawler'], version: 2 });
	});

	it('reports a wrong secret as the fake API refused it', async () => {
		const { error } = await runNode({
			type: 'harnessAuthCaller',
			parameters: {},
			credentials: { ...fake.credentials, secretKey: 'not-the-secret' },
		});

		// n8n's own NodeApiError for a 401, carrying the fake API's message.
		expect(error).toMatchObject({ httpCode: '401', description: 'Token is invalid' });
		expect(fake.api.requests.length).toBeGreaterThan(0);
		for (const request of fake.api.requests) {
			expect(request.authorization).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
			expect(request.tokenClaims).toBeUndefined();
		}
	});

	it('knows our own nodes and refuses unknown types with advice', () => {
		expect(getNodeType('videoSdk').description.name).toBe('videoSdk');
		expect(getNodeType('n8n-nodes-videosdk.videoSdkTrigger').description.name).toBe('videoSdkTrigger');
		expect(() => getNodeType('nope')).toThrow(/registerNodeType/);
	});
});

describe('callWebhook', () => {
	it('hands the node the raw body, parsed body, headers, query, parameters and credentials', async () => {
		const rawBody = '{ "webhookType" : "x" }';

		const { result, response } = await callWebhook({
			type: 'harnessWebhook',
			parameters: { label: 'from test' },
			credentials: fake.credentials,
			rawBody,
			query: { a: '1' },
		});

		expect(result.workflowData).toEqual([
			[
				{
					json: {
						raw: rawBody,
						parsed: { webhookType: 'x' },
						query: { a: '1' },
						label: 'from test',
						apiKey: fake.api.apiKey,
					},
				},
			],
		]);
		expect(response.ended).toBe(false);
	});

	it('records the status and body the node answers with itself', async () => {
		const { result, response } = await callWebhook({
			type: 'harnessWebhook',
			parameters: {},
			body: { any: 'thing' },
			headers: { 'X-Refuse': 'yes' },
		});

		expect(result).toEqual({ noWebhookResponse: true });
		expect(response).toMatchObject({ status: 403, body: 'refused', ended: true });
	});

	it('gives nodes n8n-core\'s binary helpers, in execute and webhook contexts alike', async () => {
		const executed = await runNode({ type: 'harnessBinary', parameters: { text: 'from execute' } });
		const called = await callWebhook({ type: 'harnessBinary', parameters: { text: 'from webhook' } });

		const expected = (text: string) => ({
			fileName: 'note.txt',
			mimeType: 'text/plain',
			bytes: text.length,
			// Inline, as n8n's default binary data mode keeps it.
			data: Buffer.from(text).toString('base64'),
		});
		expect(executed.error).toBeUndefined();
		expect(executed.items[0].binary?.data).toMatchObject(expected('from execute'));
		expect(called.result.workflowData?.[0][0].binary?.data).toMatchObject(expected('from webhook'));
	});

	it('refuses a webhook name the node does not have', async () => {
		await expect(
			callWebhook({ type: 'harnessWebhook', parameters: {}, webhookName: 'setup' }),
		).rejects.toThrow(/no webhook named "setup"/);
	});
});

describe('paused runs', () => {
	const pausedRun = () => runNode({ type: 'harnessWaiter', parameters: {}, items: [{ json: { n: 7 } }] });

	it('runNode reports the pause and the output the node paused with', async () => {
		const paused = await pausedRun();

		expect(paused.run.status).toBe('waiting');
		expect(paused.waitTill).toBeInstanceOf(Date);
		expect(paused.items).toEqual([{ json: { state: 'paused' }, pairedItem: { item: 0 } }]);
	});

	it('callPausedWebhook gives the restart webhook the paused input, and resumes only when it returns data', async () => {
		const paused = await pausedRun();

		const notYet = await callPausedWebhook(paused, { body: { resume: false } });
		expect(notYet.resumed).toBeUndefined();
		expect(notYet.result).toEqual({ webhookResponse: 'not yet' });

		const { resumed } = await callPausedWebhook(paused, { body: { resume: true, value: 'go' } });
		expect(resumed?.run.status).toBe('success');
		expect(resumed?.items.map((item) => item.json)).toEqual([{ resumedWith: 'go', input: 7 }]);
	});

	it('resumeAfterWaitTill passes the input through, as n8n does when a wait runs out', async () => {
		const resumed = await resumeAfterWaitTill(await pausedRun());

		expect(resumed.error).toBeUndefined();
		expect(resumed.items.map((item) => item.json)).toEqual([{ n: 7 }]);
	});

	it('refuses to resume a run that did not pause', async () => {
		const finished = await runNode({ type: 'harnessEcho', parameters: { factor: 1 }, items: [{ json: {} }] });

		await expect(callPausedWebhook(finished, { body: {} })).rejects.toThrow('This run did not pause');
	});
});
