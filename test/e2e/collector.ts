import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived, for bodies that are not JSON (a binary file). */
export interface RawRequest {
	url: string;
	contentType?: string;
	body: Buffer;
}

/** Receives what workflows send it (an HTTP Request node at their end): one POST per run. */
export interface Collector {
	url: string;
	/** Each body parsed as JSON (else `{ unparsable }`). */
	received: Array<Record<string, unknown>>;
	/** The same requests as sent: URL, content type and bytes. */
	raw: RawRequest[];
	waitFor(count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
	const received: Array<Record<string, unknown>> = [];
	const raw: RawRequest[] = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const body = Buffer.concat(chunks);
			raw.push({ url: request.url ?? '', contentType: request.headers['content-type'], body });
			try {
				received.push(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
			} catch {
				received.push({ unparsable: body.toString('utf8') });
			}
			response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`,
		received,
		raw,
		async waitFor(count, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (received.length < count && Date.now() < deadline) {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
			return received;
		},
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** The last node of a trigger workflow: posts each item it gets to the collector. */
export const postTo = (url: string) => ({
	name: 'Report run',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		method: 'POST',
		url,
		sendBody: true,
		specifyBody: 'json',
		jsonBody: '={{ JSON.stringify($json) }}',
		options: {},
	},
});

/**
 * The last node of a trigger workflow that hands on a file: posts the item's binary field as the
 * body, as an upload node would, with `query` (an n8n expression) in the URL.
 */
export const postBinaryTo = (url: string, binaryField: string, query: string) => ({
	name: 'Upload file',
	type: 'n8n-nodes-base.httpRequest',
	typeVersion: 4.2,
	parameters: {
		method: 'POST',
		url: `=${url}?${query}`,
		sendBody: true,
		contentType: 'binaryData',
		inputDataFieldName: binaryField,
		options: {},
	},
});
