import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';

import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { MergeJob } from '../../../../nodes/VideoSdk/api';
import { API_PATHS } from '../../../../nodes/VideoSdk/api';
import { mergedFileOptionFields } from '../../../../nodes/VideoSdk/descriptions/fields';
import { downloadMergedFile, getMergeJob, mergedFileName } from '../../../../nodes/VideoSdk/transport/mergedFile';
import { binaryPropertyNameOf } from '../../../../nodes/VideoSdk/validation';
import { silentMp3 } from '../../../../scripts/fake-videosdk/mp3';
import { callWebhook, registerNodeType, runNode } from '../../../../scripts/harness';
import { useFakeApi } from '../../../helpers/fakeApi';
import { containsAnywhere } from '../../../helpers/secrets';

const fake = useFakeApi({ autoWebhooks: false });

/** Fetches a job and, when asked, its file: what the trigger and the action node do with the module. */
async function fetchItem(
	context: IExecuteFunctions | IWebhookFunctions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const mergeId = context.getNodeParameter('mergeId', itemIndex) as string;
	const policy = { maxRetries: 0, timeoutMs: context.getNodeParameter('timeoutMs', itemIndex) as number };
	const job = await getMergeJob.call(context, mergeId, itemIndex, policy);
	if (!context.getNodeParameter('download', itemIndex)) return { json: { job } };
	const data = await downloadMergedFile.call(context, job, itemIndex, policy);
	return { json: { job }, binary: { data }, pairedItem: { item: itemIndex } };
}

const description: INodeTypeDescription = {
	displayName: 'Merged File Probe',
	name: 'mergedFileProbe',
	group: ['transform'],
	version: 1,
	description: 'Calls mergedFile.ts from execute() and webhook()',
	defaults: { name: 'Merged File Probe' },
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'videoSdkApi', required: true }],
	webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'hook' }],
	properties: [
		{ displayName: 'Merge ID', name: 'mergeId', type: 'string', default: '' },
		{ displayName: 'Download', name: 'download', type: 'boolean', default: true },
		{ displayName: 'Timeout', name: 'timeoutMs', type: 'number', default: 5_000 },
	],
};

const probe: INodeType = {
	description,
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		return [await Promise.all(items.map(async (_item, itemIndex) => await fetchItem(this, itemIndex)))];
	},
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return { workflowData: [[await fetchItem(this, 0)]] };
	},
};

beforeAll(() => registerNodeType('mergedFileProbe', probe));

const inWebhook = async (parameters: INodeParameters) => {
	const { result } = await callWebhook({ type: 'mergedFileProbe', parameters, credentials: fake.credentials });
	return result.workflowData![0][0];
};

const failureOf = async (parameters: INodeParameters) =>
	await inWebhook(parameters).then(
		() => {
			throw new Error('expected the call to fail');
		},
		(error: Error) => error,
	);

/** Every credential-derived string a leak could consist of: the secret and each token sent. */
const secrets = () => [
	fake.api.secretKey,
	...fake.api.requests.map((request) => request.authorization).filter((token): token is string => !!token),
];

const seedJob = (overrides: Partial<MergeJob> = {}) => fake.api.seedMerges(1, overrides)[0];

/** A completed job whose file differs from what the fake API would make. */
function seedJobWithFile(file: Partial<NonNullable<MergeJob['file']>>): MergeJob {
	const job = seedJob();
	const changed = { ...job, file: { ...job.file!, ...file } };
	fake.api.merges.set(job.id, changed);
	return changed;
}

describe('getMergeJob', () => {
	it('gets the job as VideoSDK returns it, with the credential\'s token', async () => {
		const job = seedJob();

		const item = await inWebhook({ mergeId: job.id, download: false });

		expect(item.json.job).toEqual(job);
		expect(fake.api.requests).toEqual([
			expect.objectContaining({ method: 'GET', path: API_PATHS.mergeJob(job.id), tokenClaims: expect.anything() }),
		]);
	});

	it('reports a job VideoSDK does not know with its status and message, and no secret', async () => {
		const error = await failureOf({ mergeId: 'no-such-job', download: true });

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error).toMatchObject({
			message: 'VideoSDK answered 404: Merge recording not found.',
			httpCode: '404',
		});
		expect(fake.api.fileRequests).toHaveLength(0);
		for (const secret of secrets()) expect(containsAnywhere(error, secret)).toBe(false);
	});

	it('refuses an empty ID without a request (it would list jobs instead)', async () => {
		const error = await failureOf({ mergeId: '  ', download: false });

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The merge job ID is empty');
		expect(fake.api.requests).toHaveLength(0);
	});
});

describe('downloadMergedFile', () => {
	it('puts the exact mp3 bytes into binary data named after the file\'s storage path', async () => {
		const job = seedJob();

		const item = await inWebhook({ mergeId: job.id });

		const binary = item.binary!.data;
		expect(binary).toMatchObject({
			fileName: `${job.id}.mp3`,
			mimeType: 'audio/mpeg',
			fileExtension: 'mp3',
			bytes: silentMp3().length,
		});
		expect(Buffer.from(binary.data, 'base64').equals(silentMp3())).toBe(true);
		expect(binary.directory).toBeUndefined();
	});

	it('never sends the VideoSDK token or any credential to the file\'s host', async () => {
		const job = seedJob();

		await inWebhook({ mergeId: job.id });

		expect(fake.api.fileRequests).toHaveLength(1);
		const [download] = fake.api.fileRequests;
		expect(download.authorization).toBeUndefined();
		const sentHeaders = JSON.stringify(download.headers);
		for (const secret of [...secrets(), fake.api.apiKey]) expect(sentHeaders).not.toContain(secret);
	});

	it('names the file after the job when its storage path has no name', async () => {
		const job = seedJobWithFile({ filePath: '' });

		expect(mergedFileName(job)).toBe(`${job.id}.mp3`);
		expect(mergedFileName({ ...job, file: { ...job.file!, filePath: 'room/2026/stereo-call.mp3' } })).toBe(
			'stereo-call.mp3',
		);
		const item = await inWebhook({ mergeId: job.id });
		expect(item.binary!.data.fileName).toBe(`${job.id}.mp3`);
	});

	it.each([
		['running', expect.stringContaining('still running')],
		['failed', undefined],
	] as const)('refuses a %s job, which has no file, naming the job and its status', async (status, description) => {
		const job = seedJob({ status, file: undefined });

		const error = await failureOf({ mergeId: job.id });

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Merge job ${job.id} has no file to download: its status is "${status}"`);
		expect((error as NodeOperationError).description).toEqual(description);
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it('reports a failed download with the status and host, never the signed URL', async () => {
		const signature = 'X-Amz-Signature=f00dfeedcafe';
		const job = seedJobWithFile({ fileUrl: `${fake.api.url}/files/gone.mp3?X-Amz-Expires=600&${signature}` });

		const error = await failureOf({ mergeId: job.id });

		const host = new URL(fake.api.url).host;
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			`Could not download the merged file of job ${job.id} from ${host}: the storage answered 404`,
		);
		expect(containsAnywhere(error, signature)).toBe(false);
		expect(containsAnywhere(error, 'gone.mp3')).toBe(false);
		for (const secret of secrets()) expect(containsAnywhere(error, secret)).toBe(false);
	});

	it('gives up on a download that takes longer than the timeout', async () => {
		const job = seedJob();
		fake.api.fileDelayMs = 500;

		const error = await failureOf({ mergeId: job.id, timeoutMs: 200 });

		expect(error.message).toMatch(new RegExp(`^Could not download the merged file of job ${job.id} from .+: no complete answer within 200 ms$`));
	});

	it('refuses a file URL that is not http(s) without any download', async () => {
		const job = seedJobWithFile({ fileUrl: 's3://bucket/merged.mp3' });

		const error = await failureOf({ mergeId: job.id });

		expect(error.message).toBe(`Merge job ${job.id} has no http(s) file URL to download`);
		expect(fake.api.fileRequests).toHaveLength(0);
	});

	it.each([
		['http://169.254.169.254/latest/meta-data/iam/', '169.254.169.254 is a cloud metadata address, which a merged file never comes from'],
		['http://[fe80::1]/merged.mp3', '[fe80::1] is a link-local address, which a merged file never comes from'],
		['http://10.0.0.8/merged.mp3', "10.0.0.8 is a private address, allowed only when the credential's Base URL is on a private address too"],
	])('refuses a file URL %s before any request, saying which rule refused it', async (fileUrl, rule) => {
		const job = seedJobWithFile({ fileUrl: `${fileUrl}?X-Amz-Signature=f00dfeedcafe` });

		const error = await failureOf({ mergeId: job.id });

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`Could not download the merged file of job ${job.id} from ${new URL(fileUrl).host}: ${rule}`);
		expect(containsAnywhere(error, 'f00dfeedcafe')).toBe(false);
		for (const secret of secrets()) expect(containsAnywhere(error, secret)).toBe(false);
	});

	describe('behind a storage that redirects', () => {
		let redirector: Server;
		let redirectTo = '';
		let redirects = 0;
		const redirectorUrl = () => `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/signed.mp3`;

		beforeAll(async () => {
			redirector = createServer((_request, response) => {
				redirects++;
				response.writeHead(302, { location: redirectTo }).end();
			});
			await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
		});
		afterAll(async () => await new Promise((resolve) => redirector.close(resolve)));
		beforeEach(() => {
			redirects = 0;
		});

		it('follows a redirect to an allowed host, without the token', async () => {
			const job = seedJob();
			redirectTo = job.file!.fileUrl;
			fake.api.merges.set(job.id, { ...job, file: { ...job.file!, fileUrl: redirectorUrl() } });

			const item = await inWebhook({ mergeId: job.id });

			expect(redirects).toBe(1);
			expect(Buffer.from(item.binary!.data.data, 'base64').equals(silentMp3())).toBe(true);
			expect(fake.api.fileRequests).toHaveLength(1);
			expect(fake.api.fileRequests[0].authorization).toBeUndefined();
		});

		it('refuses a redirect to a metadata address, naming the rule', async () => {
			redirectTo = 'http://169.254.169.254/latest/meta-data/';
			const job = seedJobWithFile({ fileUrl: redirectorUrl() });

			const error = await failureOf({ mergeId: job.id, timeoutMs: 1_000 });

			expect(redirects).toBe(1);
			expect(error.message).toBe(
				`Could not download the merged file of job ${job.id} from ${new URL(redirectorUrl()).host}: ` +
					'the storage redirected, and 169.254.169.254 is a cloud metadata address, which a merged file never comes from',
			);
		});

		it('stops following a storage that redirects to itself', async () => {
			redirectTo = '/again.mp3';
			const job = seedJobWithFile({ fileUrl: redirectorUrl() });

			const error = await failureOf({ mergeId: job.id });

			expect(error.message).toMatch(/: it redirected more than 10 times$/);
			expect(redirects).toBe(11);
		});
	});

	it.each([
		['room/2026/stereo-call.mp3', 'stereo-call.mp3'],
		['room\\2026\\windows.mp3', 'windows.mp3'],
		['../../etc/passwd', 'passwd'],
		['room/..', null],
		['room/...mp3', 'mp3'],
		['a..b.mp3', 'a.b.mp3'],
		['room/evil\u202Egpj.mp3', 'evilgpj.mp3'],
		['room/new\nline\u0000.mp3', 'newline.mp3'],
		['room/', null],
		['   ', null],
		[`${'x'.repeat(300)}.mp3`, `${'x'.repeat(196)}.mp3`],
	])('reduces the storage path %j to a safe file name', (filePath, expected) => {
		const job = seedJobWithFile({ filePath });

		expect(mergedFileName(job)).toBe(expected ?? `${job.id}.mp3`);
	});

	it('falls back to a fixed name when neither the path nor the job ID leaves one', () => {
		const job = seedJobWithFile({ filePath: '..' });

		expect(mergedFileName({ ...job, id: '../..' })).toBe('merged.mp3');
		expect(mergedFileName({ ...job, id: 'room/../job-1' })).toBe('job-1.mp3');
		expect(mergedFileName({ ...job, file: { ...job.file!, filePath: 42 as unknown as string } })).toBe(`${job.id}.mp3`);
	});

	it('works in an action node\'s execute() too, item by item', async () => {
		const [first, second] = fake.api.seedMerges(2);

		const { items, error } = await runNode({
			type: 'mergedFileProbe',
			parameters: { mergeId: '={{ $json.id }}', download: true },
			credentials: fake.credentials,
			items: [{ json: { id: first.id } }, { json: { id: second.id } }],
		});

		expect(error).toBeUndefined();
		expect(items.map((item) => (item.json.job as MergeJob).id)).toEqual([first.id, second.id]);
		expect(items.map((item) => item.binary?.data.fileName)).toEqual([`${first.id}.mp3`, `${second.id}.mp3`]);
		expect(fake.api.fileRequests).toHaveLength(2);
	});
});

describe('mergedFileOptionFields', () => {
	it('offers Download File and, once it is on, the output field', () => {
		const [downloadFile, binaryPropertyName] = mergedFileOptionFields();

		expect(downloadFile).toMatchObject({ name: 'downloadFile', type: 'boolean', default: false });
		expect(downloadFile.description).toMatch(/^Whether .*mp3/);
		expect(binaryPropertyName).toMatchObject({
			name: 'binaryPropertyName',
			displayName: 'Put Output File in Field',
			type: 'string',
			default: 'data',
			displayOptions: { show: { downloadFile: [true] } },
		});
		// A fresh copy each time: a node that adjusts its copy cannot change another node's.
		downloadFile.default = true;
		(binaryPropertyName.displayOptions!.show as Record<string, unknown>).extra = [1];
		const [freshDownloadFile, freshBinaryPropertyName] = mergedFileOptionFields();
		expect(freshDownloadFile.default).toBe(false);
		expect(freshBinaryPropertyName.displayOptions).toEqual({ show: { downloadFile: [true] } });
	});

	it('falls back to "data" when the field name is left empty', () => {
		expect(binaryPropertyNameOf({})).toBe('data');
		expect(binaryPropertyNameOf({ binaryPropertyName: '  ' })).toBe('data');
		expect(binaryPropertyNameOf({ binaryPropertyName: ' audio ' })).toBe('audio');
	});
});
