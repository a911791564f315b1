/** How the fake moves bytes: reading a request's body, posting a callback, dripping an answer. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';

import type { InjectedFailure } from './types';

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const readBody = (request: IncomingMessage) =>
	new Promise<string>((resolve, reject) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		request.on('error', reject);
	});

/**
 * One POST on a connection of its own, as each VideoSDK callback is: a server that closes the
 * connection after refusing a request cannot break a pooled neighbour.
 */
export function postOnce(url: string, headers: Record<string, string>, body: string) {
	return new Promise<{ status: number; body: string }>((resolve, reject) => {
		const request = httpRequest(url, { method: 'POST', headers, agent: false }, (response) => {
			const chunks: Buffer[] = [];
			response.on('data', (chunk: Buffer) => chunks.push(chunk));
			response.on('end', () =>
				resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
			);
			response.on('error', reject);
		});
		request.on('error', reject);
		request.end(body);
	});
}

/** Sends `bytes` zero bytes in chunks, pausing between them; stops when the client goes away. */
export async function stream(
	response: ServerResponse,
	status: number,
	{ bytes, chunkBytes = 64 * 1024, intervalMs = 0 }: NonNullable<InjectedFailure['streamed']>,
	headers: Record<string, string> = {},
) {
	response.writeHead(status, { 'content-type': 'application/octet-stream', ...headers });
	const chunk = Buffer.alloc(chunkBytes);
	for (let sent = 0; sent < bytes && !response.destroyed; sent += chunkBytes) {
		const piece = sent + chunkBytes <= bytes ? chunk : chunk.subarray(0, bytes - sent);
		if (!response.write(piece)) {
			await new Promise<void>((resolve) => {
				const go = () => {
					response.off('drain', go).off('close', go);
					resolve();
				};
				response.on('drain', go).on('close', go);
			});
		}
		if (intervalMs > 0) await delay(intervalMs);
	}
	response.end();
}
