import type { IBinaryData, IBinaryKeyData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { MergeJob } from '../api';
import { API_PATHS, idProblem } from '../api';
import type { ByteStream } from './bounded';
import { bounded, TooLargeError, withinDeadline } from './bounded';
import { unansweredReason } from './errors';
import type { NodeContext } from './index';
import { apiRequest, getBaseUrl, streamedRequest } from './index';
import { fileUrlRefusal } from './fileUrl';
import type { RetryPolicy } from './retry';
import { DEFAULT_RETRY_POLICY } from './retry';
import { binaryPropertyNameOf } from '../validation';
import { checkedNumber } from '../validation/numbers';

/**
 * A merge job and its stereo file, for every node that hands the file on: the trigger on
 * merge-recording-completed, the action node's Get and its "merge and wait".
 */

export const MERGED_FILE_MIME_TYPE = 'audio/mpeg';

/** The options of a node that can download the merged file (descriptions' mergedFileOptionFields). */
export interface MergedFileOptions {
	downloadFile?: boolean;
	binaryPropertyName?: string;
	/** In MB; checked by validation/numbers before it is used. */
	maxFileSize?: unknown;
}

/**
 * GET one merge job, with apiRequest's retries and errors (VideoSDK's message, no token).
 * `mergeId` may come from outside (an event's data.id): it is checked before it enters the path.
 */
export async function getMergeJob(
	this: NodeContext,
	mergeId: unknown,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	{ idName = 'The merge job ID' }: { idName?: string } = {},
): Promise<MergeJob> {
	const problem = idProblem(mergeId);
	if (problem) throw new NodeOperationError(this.getNode(), `${idName} ${problem}`, { itemIndex });
	return await apiRequest.call<NodeContext, Parameters<typeof apiRequest>, Promise<MergeJob>>(
		this,
		{ method: 'GET', path: API_PATHS.mergeJob(String(mergeId)) },
		itemIndex,
		policy,
	);
}

const MAX_FILE_NAME_LENGTH = 200;

/**
 * A name safe to store a file under, from text that comes from outside: only its last segment
 * (after either slash), without control or format characters (a right-to-left override could
 * disguise the extension), `..` or leading dots, and within a length that keeps the extension.
 */
function safeBaseName(text: unknown): string {
	const lastSegment = (typeof text === 'string' ? text : '').split(/[/\\]/).pop() ?? '';
	const baseName = lastSegment
		.replace(/[\p{Cc}\p{Cf}]/gu, '')
		.replace(/\.{2,}/g, '.')
		.replace(/^[.\s]+/, '')
		.trim();
	if (baseName.length <= MAX_FILE_NAME_LENGTH) return baseName;
	const extension = /\.[^.]{1,10}$/.exec(baseName)?.[0] ?? '';
	return baseName.slice(0, MAX_FILE_NAME_LENGTH - extension.length) + extension;
}

/** The file's own name from its storage path, else the job's ID, else a fixed name. */
export function mergedFileName(job: MergeJob): string {
	const fromId = safeBaseName(job.id);
	return safeBaseName(job.file?.filePath) || (fromId ? safeBaseName(`${fromId}.mp3`) : 'merged.mp3');
}

function httpUrlOrUndefined(text: string | undefined): URL | undefined {
	if (!text || !URL.canParse(text)) return undefined;
	const url = new URL(text);
	return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/** The largest merged file downloaded unless the options say otherwise (Max File Size). */
export const DEFAULT_MAX_FILE_SIZE_MB = 500;
const MB = 1024 * 1024;
type FileResponse = { statusCode: number; headers?: Record<string, unknown>; body: ByteStream };
/** As many hops as a browser's usual limit allows a storage's signed link to take. */
const MAX_REDIRECTS = 10;

/**
 * How many bytes to read at most: Max File Size, and not far beyond the size VideoSDK reported for
 * the file (a storage that sends much more than that is not sending that file).
 */
function byteLimitOf(job: MergeJob, maxFileSizeMb: number): { bytes: number; why: string } {
	const maxBytes = maxFileSizeMb * MB;
	const reported = Number(job.file?.size);
	if (Number.isFinite(reported) && reported > 0) {
		const plausible = Math.max(reported * 2, reported + MB);
		if (plausible < maxBytes) return { bytes: plausible, why: `far more than the ${reported} bytes VideoSDK reported for it` };
	}
	return { bytes: maxBytes, why: `more than ${maxFileSizeMb} MB (Max File Size)` };
}

/**
 * Downloads the job's stereo mp3 as n8n binary data, streamed into n8n's binary data store (on
 * disk when n8n keeps binary data in the filesystem), within Max File Size and a total deadline.
 * The file lives on storage, not on the API: it is fetched with the plain HTTP helper so that the
 * VideoSDK token never leaves for that host. Errors name the host only: storage URLs can be signed.
 */
export async function downloadMergedFile(
	this: NodeContext,
	job: MergeJob,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
	maxFileSizeMb = DEFAULT_MAX_FILE_SIZE_MB,
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
	const fail = (reason: string) =>
		new NodeOperationError(this.getNode(), `Could not download the merged file of job ${job.id} from ${url.host}: ${reason}`, {
			itemIndex,
		});
	const reported = Number(job.file.size);
	if (Number.isFinite(reported) && reported > maxFileSizeMb * MB) {
		throw fail(`VideoSDK reports ${reported} bytes, more than ${maxFileSizeMb} MB (Max File Size)`);
	}
	const limit = byteLimitOf(job, maxFileSizeMb);
	const baseUrl = await getBaseUrl.call(this);
	let outcome: { binary: IBinaryData; refused?: undefined } | { refused: string };
	try {
		outcome = await withinDeadline(policy.timeoutMs, async (signal) => {
			// No token goes with a download, so a storage redirect (a signed link) may be followed: one
			// hop at a time, each judged as the first URL was.
			let response: FileResponse;
			for (let hop = 0, next = url; ; hop++) {
				const refusal = fileUrlRefusal(next, baseUrl);
				if (refusal) return { refused: hop === 0 ? refusal : `the storage redirected, and ${refusal}` };
				response = (await this.helpers.httpRequest(
					streamedRequest('GET', next.href, signal, policy.timeoutMs, { accept: '*/*' }),
				)) as FileResponse;
				const location = response.headers?.location;
				if (response.statusCode < 300 || response.statusCode >= 400 || typeof location !== 'string') break;
				response.body?.destroy?.();
				const target = URL.canParse(location, next.href) ? new URL(location, next.href) : undefined;
				if (!target || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
					return { refused: 'it redirected to a URL that is not http(s)' };
				}
				if (hop >= MAX_REDIRECTS) return { refused: `it redirected more than ${MAX_REDIRECTS} times` };
				next = target;
			}
			if (response.statusCode < 200 || response.statusCode >= 300) {
				response.body?.destroy?.();
				return { refused: `the storage answered ${response.statusCode}` };
			}
			const announced = Number(response.headers?.['content-length']);
			if (Number.isFinite(announced) && announced > limit.bytes) {
				response.body.destroy();
				return { refused: `the file is ${limit.why}` };
			}
			const file = bounded(response.body, limit.bytes, signal);
			type BinaryInput = Parameters<NodeContext['helpers']['prepareBinaryData']>[0];
			return { binary: await this.helpers.prepareBinaryData(file as unknown as BinaryInput, mergedFileName(job), MERGED_FILE_MIME_TYPE) };
		});
	} catch (error) {
		// A fresh error: the HTTP layer's own carries the whole URL, signature included.
		outcome = { refused: error instanceof TooLargeError ? `the file is ${limit.why}` : unansweredReason(error) };
	}
	if (outcome.refused !== undefined) throw fail(outcome.refused);
	return outcome.binary;
}

/** The job's mp3 as an item's binary data, in the field the options name. */
export async function mergedFileBinary(
	this: NodeContext,
	job: MergeJob,
	options: MergedFileOptions,
	itemIndex?: number,
	policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<IBinaryKeyData> {
	const maxFileSizeMb = checkedNumber(options.maxFileSize, 'maxFileSize') ?? DEFAULT_MAX_FILE_SIZE_MB;
	const binary = await downloadMergedFile.call(this, job, itemIndex, policy, maxFileSizeMb);
	return { [binaryPropertyNameOf(options)]: binary };
}
