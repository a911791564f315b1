import type { IBinaryData, IBinaryKeyData, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MergeJob } from '../api';
import { API_PATHS, idProblem } from '../api';
import { failedResponseOf } from './errors';
import { apiRequest } from './index';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY } from './retry';
import { binaryPropertyNameOf } from '../validation';

/**
 * A merge job and its stereo file, for every node that hands the file on: the trigger on
 * merge-recording-completed, the action node's Get and its "merge and wait".
 */

type RequestContext = IExecuteFunctions | IWebhookFunctions;

export const MERGED_FILE_MIME_TYPE = 'audio/mpeg';

/** The options of a node that can download the merged file (descriptions' mergedFileOptionFields). */
export interface MergedFileOptions {
	downloadFile?: boolean;
	binaryPropertyName?: string;
}

/**
 * GET one merge job, with apiRequest's retries and errors (VideoSDK's message, no token).
 * `mergeId` may come from outside (an event's data.id): it is checked before it enters the path.
 */
export async function getMergeJob(
	this: RequestContext,
	mergeId: unknown,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	{ idName = 'The merge job ID' }: { idName?: string } = {},
): Promise<MergeJob> {
	const problem = idProblem(mergeId);
	if (problem) throw new NodeOperationError(this.getNode(), `${idName} ${problem}`, { itemIndex });
	return await apiRequest.call<RequestContext, Parameters<typeof apiRequest>, Promise<MergeJob>>(
		this,
		{ method: 'GET', path: API_PATHS.mergeJob(String(mergeId)) },
		itemIndex,
		policy,
	);
}

/** The file's own name from its storage path, else the job's ID. */
export function mergedFileName(job: MergeJob): string {
	const baseName = job.file?.filePath?.split('/').pop()?.trim();
	return baseName || `${job.id}.mp3`;
}

function httpUrlOrUndefined(text: string | undefined): URL | undefined {
	if (!text || !URL.canParse(text)) return undefined;
	const url = new URL(text);
	return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** Why a download got no file, without the URL: storage links can be signed in their query. */
function downloadFailure(error: unknown, timeoutMs: number): string {
	const { status } = failedResponseOf(error);
	if (status) return `the storage answered ${status}`;
	const code = (error as { code?: unknown })?.code;
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return `no answer within ${timeoutMs} ms`;
	return typeof code === 'string' ? `no answer (${code})` : 'no answer';
}

/**
 * Downloads the job's stereo mp3 as n8n binary data. The file lives on storage, not on the API:
 * it is fetched with the plain HTTP helper so that the VideoSDK token never leaves for that host.
 */
export async function downloadMergedFile(
	this: RequestContext,
	job: MergeJob,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<IBinaryData> {
	if (!job.file) {
		throw new NodeOperationError(
			this.getNode(),
			`Merge job ${job.id} has no file to download: its status is "${job.status}"`,
			{
				itemIndex,
				description:
					job.status === 'running'
						? 'The merge is still running; download it once VideoSDK reports merge-recording-completed'
						: undefined,
			},
		);
	}
	const url = httpUrlOrUndefined(job.file.fileUrl);
	if (!url) {
		throw new NodeOperationError(
			this.getNode(),
			`Merge job ${job.id} has no http(s) file URL to download`,
			{ itemIndex },
		);
	}
	let body: Buffer | ArrayBuffer;
	try {
		body = (await this.helpers.httpRequest({
			method: 'GET',
			url: url.href,
			encoding: 'arraybuffer',
			json: false,
			timeout: policy.timeoutMs,
		})) as Buffer | ArrayBuffer;
	} catch (error) {
		// A fresh error: the HTTP layer's own carries the whole URL, signature included.
		throw new NodeOperationError(
			this.getNode(),
			`Could not download the merged file of job ${job.id} from ${url.host}: ${downloadFailure(error, policy.timeoutMs)}`,
			{ itemIndex },
		);
	}
	const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
	return await this.helpers.prepareBinaryData(bytes, mergedFileName(job), MERGED_FILE_MIME_TYPE);
}

/** The job's mp3 as an item's binary data, in the field the options name. */
export async function mergedFileBinary(
	this: RequestContext,
	job: MergeJob,
	options: MergedFileOptions,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<IBinaryKeyData> {
	return { [binaryPropertyNameOf(options)]: await downloadMergedFile.call(this, job, itemIndex, policy) };
}
