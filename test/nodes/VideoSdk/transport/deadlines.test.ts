/**
 * A deadline closes the connection, in the action node too, where n8n hands authenticated requests
 * the execution's cancel signal instead of ours: servers on 127.0.0.1 that accept and never answer,
 * or answer a byte at a time, watch their sockets through the node's real n8n-core code path.
 */
import { once } from 'node:events';
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { Readable } from 'node:stream';

import { readResponse } from '../../../../nodes/VideoSdk/transport';

import { runNode } from '../../../../scripts/harness';

interface Connection {
	openedAt: number;
	closedAt?: number;
	closed: Promise<unknown>;
	/** Bytes the server wrote after the connection's deadline had passed. */
	writtenAfterDeadline: number;
}

interface WatchedServer {
	url: string;
	connections: Connection[];
	/** The most connections open at once. */
	peakOpen: number;
	close(): Promise<void>;
}

const TIMEOUT_MS = 800;
/**
 * What a closing socket may take beyond its deadline on a busy machine (CI runs these tests beside
 * two n8n installs). Without the fix a dripping server's socket stays open for good, so a generous
 * slack still tells the two apart.
 */
const SLACK_MS = 3_000;

/**
 * A server that, once it has read a request, does `answer` with the socket; it counts connections
 * and the bytes it manages to write past each connection's deadline.
 */
async function watchedServer(answer: (socket: Socket, write: (text: string) => void) => void): Promise<WatchedServer> {
	const connections: Connection[] = [];
	let open = 0;
	const watched = { connections, peakOpen: 0 } as WatchedServer;
	const sockets = new Set<Socket>();
	const server: Server = createServer((socket) => {
		sockets.add(socket);
		open += 1;
		watched.peakOpen = Math.max(watched.peakOpen, open);
		// Not events.once: it rejects on 'error', and a client that resets the connection (ECONNRESET) has
		// closed it as much as one that ends it.
		const closed = new Promise((resolve) => socket.once('close', resolve));
		const connection: Connection = { openedAt: Date.now(), closed, writtenAfterDeadline: 0 };
		connections.push(connection);
		socket.on('error', () => undefined);
		socket.on('close', () => {
			open -= 1;
			connection.closedAt = Date.now();
			sockets.delete(socket);
		});
		const write = (text: string) => {
			if (socket.destroyed) return;
			socket.write(text, (error) => {
				if (!error && Date.now() > connection.openedAt + TIMEOUT_MS + SLACK_MS) connection.writtenAfterDeadline += text.length;
			});
		};
		socket.once('data', () => answer(socket, write));
	});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	watched.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	watched.close = async () => {
		for (const socket of sockets) socket.destroy();
		server.close();
		await once(server, 'close');
	};
	return watched;
}

/** Every timer a dripping server starts, stopped after each test. */
const drips = new Set<NodeJS.Timeout>();
const drip = (socket: Socket, write: (text: string) => void, text: string, intervalMs: number) => {
	let index = 0;
	const timer = setInterval(() => {
		if (socket.destroyed) return clearInterval(timer);
		write(text[index % text.length]);
		index += 1;
	}, intervalMs);
	drips.add(timer);
	socket.on('close', () => clearInterval(timer));
};

let server: WatchedServer | undefined;
afterEach(async () => {
	for (const timer of drips) clearInterval(timer);
	drips.clear();
	await server?.close();
	server = undefined;
});

/** Merge Recording → Get against `url`, as the action node runs it, with one retry. */
const getJobFrom = async (url: string) =>
	await runNode({
		type: 'videoSdk',
		parameters: { resource: 'mergeRecording', operation: 'get', mergeId: 'm1', options: { timeout: TIMEOUT_MS, maxRetries: 1 } },
		credentials: { apiKey: 'key', secretKey: 'secret', baseUrl: url },
		continueOnFail: true,
	});

/** Waits for every connection's close (not a sleep), at most `ms`; the ones still open stay without closedAt. */
async function closesOf(watched: WatchedServer, ms = 2 * (TIMEOUT_MS + SLACK_MS)) {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([
		Promise.all(watched.connections.map(async ({ closed }) => await closed)),
		new Promise((resolve) => (timer = setTimeout(resolve, ms))),
	]);
	clearTimeout(timer);
	return watched.connections.map(({ openedAt, closedAt, writtenAfterDeadline }) => ({
		closedWithinDeadline: closedAt !== undefined && closedAt - openedAt <= TIMEOUT_MS + SLACK_MS,
		writtenAfterDeadline,
	}));
}

const expectClosedAtEachDeadline = async (watched: WatchedServer) => {
	expect(watched.connections).toHaveLength(2);
	expect(await closesOf(watched)).toEqual([
		{ closedWithinDeadline: true, writtenAfterDeadline: 0 },
		{ closedWithinDeadline: true, writtenAfterDeadline: 0 },
	]);
	expect(watched.peakOpen).toBe(1);
};

describe('in the action node, a deadline closes the connection', () => {
	const servers: Array<[string, (socket: Socket, write: (text: string) => void) => void]> = [
		['that accepts and never answers', () => undefined],
		[
			'whose headers drip and never end',
			(socket, write) => {
				write('HTTP/1.1 200 OK\r\n');
				drip(socket, write, 'X-Drip: slowly\r\n', 50);
			},
		],
		[
			'whose body drips',
			(socket, write) => {
				write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"id":"');
				drip(socket, write, 'm', 50);
			},
		],
	];

	it.each(servers)('to a server %s: each attempt closed at its deadline, nothing read after it, one socket at a time', async (_case, answer) => {
		server = await watchedServer(answer);

		const { items } = await getJobFrom(server.url);

		expect(items[0].json.error).toBe(`Could not reach VideoSDK: no complete answer within ${TIMEOUT_MS} ms`);
		await expectClosedAtEachDeadline(server);
	});
});

describe('an answer that comes after its deadline', () => {
	it('is destroyed unread, whichever way the HTTP layer delivered it late', async () => {
		let reads = 0;
		const late = new Readable({
			read() {
				reads += 1;
				this.push(Buffer.alloc(1024));
			},
		});
		const closed = once(late, 'close');
		let delivered!: () => void;
		const deliveredLate = new Promise<void>((resolve) => (delivered = resolve));

		const reading = readResponse(50, async () => {
			await new Promise((resolve) => setTimeout(resolve, 100));
			delivered();
			return { statusCode: 200, body: late };
		});

		await expect(reading).rejects.toThrow('no complete answer within 50 ms');
		await deliveredLate;
		await closed;
		expect(reads).toBe(0);
	});
});
