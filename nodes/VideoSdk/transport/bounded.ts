/**
 * Every byte from outside is read within limits: a total deadline per call (n8n's own `timeout`
 * restarts with each byte received, so a server that drips bytes would hold a call forever) and a
 * cap on the size of what is read, checked as the bytes arrive.
 */

/** The call got no complete answer in time. */
export class DeadlineError extends Error {
	constructor(readonly ms: number) {
		super(`no complete answer within ${ms} ms`);
		this.name = 'DeadlineError';
	}
}

/** The answer is larger than this package reads. */
export class TooLargeError extends Error {
	constructor(readonly maxBytes: number) {
		super(`the answer is larger than ${maxBytes} bytes`);
		this.name = 'TooLargeError';
	}
}

/**
 * Runs `work` with a signal that aborts after `ms`, and rejects with a DeadlineError then, whether or
 * not `work` honours the signal. The signal's timer does not keep the process alive.
 */
export async function withinDeadline<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
	const controller = new AbortController();
	AbortSignal.timeout(ms).addEventListener('abort', () => controller.abort(new DeadlineError(ms)), { once: true });
	const { signal } = controller;
	return await new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason as Error);
		signal.addEventListener('abort', onAbort, { once: true });
		work(signal)
			.then(resolve, reject)
			.finally(() => signal.removeEventListener('abort', onAbort));
	});
}

/**
 * The parts of a Node.js readable stream (such as the HTTP helper's response body) used here,
 * declared rather than imported: n8n's community-node rules allow no import of node:stream.
 */
export interface ByteStream extends AsyncIterable<Buffer> {
	pipe: unknown;
	emit(event: string | symbol, ...args: unknown[]): boolean;
	destroy(error?: Error): unknown;
}

const isByteStream = (body: unknown): body is ByteStream =>
	typeof (body as ByteStream | null)?.pipe === 'function' &&
	typeof (body as ByteStream)[Symbol.asyncIterator] === 'function';

/**
 * Watches `stream` as its consumer reads it, and destroys it (so that its connection closes and its
 * consumer fails) once it exceeds `maxBytes` or the signal aborts. It counts the chunks the stream
 * emits rather than listening to them: a listener would start the flow before the consumer is there.
 */
export function bounded<T extends ByteStream>(stream: T, maxBytes: number, signal: AbortSignal): T {
	let received = 0;
	const emit = stream.emit;
	stream.emit = function (this: T, event: string | symbol, ...args: unknown[]) {
		if (event === 'data') {
			received += (args[0] as Buffer).length;
			if (received > maxBytes) {
				stream.destroy(new TooLargeError(maxBytes));
				return false;
			}
		}
		return emit.call(this, event, ...args);
	};
	const onAbort = () => stream.destroy(signal.reason instanceof Error ? signal.reason : new DeadlineError(0));
	if (signal.aborted) onAbort();
	else signal.addEventListener('abort', onAbort, { once: true });
	return stream;
}

/** A body of fetch(). */
interface WebStream extends AsyncIterable<Uint8Array> {
	cancel(reason?: unknown): Promise<void>;
}

const isWebStream = (body: unknown): body is WebStream =>
	typeof (body as WebStream | null)?.cancel === 'function' &&
	typeof (body as WebStream)[Symbol.asyncIterator] === 'function';

/** Stops a stream of either kind, so that its connection closes. */
const stop = (body: ByteStream | WebStream, error?: Error) =>
	isWebStream(body) ? void body.cancel(error).catch(() => undefined) : body.destroy(error);

/** All of a body, as long as it stays within `maxBytes` and the signal has not aborted. */
export async function readAll(body: unknown, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	if (body === undefined || body === null) return Buffer.alloc(0);
	if (!isByteStream(body) && !isWebStream(body)) {
		const bytes = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
		if (bytes.length > maxBytes) throw new TooLargeError(maxBytes);
		return bytes;
	}
	if (signal.aborted) {
		// An answer that came after its deadline: its connection closes, and none of it is read.
		stop(body);
		throw signal.reason instanceof Error ? signal.reason : new DeadlineError(0);
	}
	const chunks: Buffer[] = [];
	let received = 0;
	const onAbort = () => stop(body, signal.reason instanceof Error ? signal.reason : new DeadlineError(0));
	signal.addEventListener('abort', onAbort, { once: true });
	try {
		for await (const chunk of body) {
			received += chunk.length;
			if (received > maxBytes) throw new TooLargeError(maxBytes);
			chunks.push(Buffer.from(chunk));
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
		stop(body);
	}
	return Buffer.concat(chunks);
}
