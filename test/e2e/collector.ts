import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Receives what workflows send it (an HTTP Request node at their end): one POST per run. */
export interface Collector {
	url: string;
	received: Array<Record<string, unknown>>;
	waitFor(count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
	close(): Promise<void>;
}

export async function startCollector(): Promise<Collector> {
	const received: Array<Record<string, unknown>> = [];
	const server: Server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			try {
				received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>);
			} catch {
				received.push({ unparsable: Buffer.concat(chunks).toString('utf8') });
			}
			response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`,
		received,
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
