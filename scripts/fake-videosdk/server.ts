/**
 * A faithful fake of the VideoSDK REST API on 127.0.0.1, for tests, the e2e suite, the demo and the
 * benchmark. It checks tokens as strictly as VideoSDK, validates bodies as documented, answers with
 * the documented shapes (nodes/VideoSdk/api/) and sends signed webhooks.
 *
 * This file is the way each request goes: record it, serve downloads, check the token, apply an
 * injected failure, then answer by the route table (routes.ts) from the fake's state (state.ts).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { JwtPayload } from 'jsonwebtoken';
import { verify } from 'jsonwebtoken';

import type { ApiErrorBody } from '../../nodes/VideoSdk/api';
import { delay, readBody, stream } from './http';
import { answerOf, findRoute } from './routes';
import { FakeVideoSdk, hexId } from './state';
import type { FakeApiOptions, FakeVideoSdkApi, RecordedRequest } from './types';

export type {
	FakeApiOptions,
	FakeVideoSdkApi,
	InjectedFailure,
	RecordedRequest,
	SendWebhookOptions,
	SessionSeed,
	WebhookDelivery,
} from './types';

async function recordOf(request: IncomingMessage): Promise<RecordedRequest> {
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const rawBody = await readBody(request);
	let body: unknown;
	try {
		body = rawBody ? JSON.parse(rawBody) : undefined;
	} catch {
		body = undefined;
	}
	return {
		method: request.method ?? 'GET',
		path: url.pathname,
		query: Object.fromEntries(url.searchParams),
		headers: request.headers,
		rawBody,
		body,
		authorization: request.headers.authorization,
		receivedAt: Date.now(),
	};
}

export async function startFakeVideoSdkApi(options: FakeApiOptions = {}): Promise<FakeVideoSdkApi> {
	const apiKey = options.apiKey ?? 'fake-api-key';
	const secretKey = options.secretKey ?? `fake-secret-${hexId(8)}`;
	const host = options.host ?? '127.0.0.1';
	const fake = new FakeVideoSdk({
		apiKey,
		secretKey,
		mergeCompletionDelayMs: options.mergeCompletionDelayMs ?? 100,
		autoWebhooks: options.autoWebhooks ?? true,
		beforeCallback: options.beforeCallback,
		closeServer: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	});
	let inFlight = 0;

	function authenticate(recorded: RecordedRequest): ApiErrorBody | undefined {
		const token = recorded.authorization;
		if (!token) return { message: 'Authorization header is missing' };
		if (/^(bearer|basic)\s/i.test(token)) return { message: 'Token is invalid' };
		try {
			const claims = verify(token, secretKey, { algorithms: ['HS256'] }) as JwtPayload;
			const valid =
				typeof claims.exp === 'number' &&
				claims.apikey === apiKey &&
				claims.version === 2 &&
				Array.isArray(claims.roles) &&
				claims.roles.includes('crawler') &&
				Array.isArray(claims.permissions);
			if (!valid) return { message: 'Token is invalid' };
			recorded.tokenClaims = claims;
			return undefined;
		} catch {
			return { message: 'Token is invalid' };
		}
	}

	async function handle(request: IncomingMessage, response: ServerResponse) {
		const recorded = await recordOf(request);
		const answer = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
			const text = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
			response.writeHead(status, {
				'content-type': Buffer.isBuffer(payload) ? 'audio/mpeg' : 'application/json',
				...headers,
			});
			response.end(text);
			options.onRequest?.(recorded, status);
		};

		/** An injected answer for this request, if one matches: true when it was sent. */
		const injectedAnswer = async (): Promise<boolean> => {
			const failure = fake.takeFailure(recorded);
			if (!failure) return false;
			const { delayMs, streamed, status, headers } = failure;
			if (delayMs) await delay(delayMs);
			if (response.destroyed) return true;
			if (streamed) {
				await stream(response, status, streamed, headers);
				return true;
			}
			const { body: fixedBody, bodyOf } = failure;
			answer(status, (bodyOf ? bodyOf(recorded) : fixedBody) ?? {}, headers);
			return true;
		};

		// Files are plain downloads without a token, as storage links are; only handed-out ones exist.
		if (recorded.path.startsWith('/files/') && recorded.method === 'GET') {
			fake.fileRequests.push(recorded);
			if (await injectedAnswer()) return;
			if (fake.fileDelayMs > 0) await delay(fake.fileDelayMs);
			if (response.destroyed) return;
			const file = fake.fileAt(recorded.path);
			return file
				? answer(200, file.bytes, { 'content-type': file.contentType })
				: answer(404, { message: 'File not found.' });
		}
		fake.requests.push(recorded);
		const match = findRoute(recorded);
		if (match?.route.tokenless) {
			if (await injectedAnswer()) return;
			const { status, body, headers } = await answerOf(match, recorded, fake);
			return answer(status, body, headers);
		}
		if (recorded.method === 'POST' && recorded.body === undefined && recorded.rawBody !== '') {
			return answer(400, { message: 'Body is not valid JSON' });
		}
		const authProblem = authenticate(recorded);
		if (authProblem) return answer(401, authProblem);
		if (await injectedAnswer()) return;

		const { status, body, headers } = await answerOf(match, recorded, fake);
		if (fake.responseDelayMs > 0) await delay(fake.responseDelayMs);
		return answer(status, body, headers);
	}

	const server: Server = createServer((request, response) => {
		inFlight += 1;
		fake.peakInFlight = Math.max(fake.peakInFlight, inFlight);
		response.on('close', () => (inFlight -= 1));
		handle(request, response).catch((error: Error) => {
			if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
			response.end(JSON.stringify({ message: error.message }));
		});
	});
	server.keepAliveTimeout = 1000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => resolve());
	});
	const urlHost = host.includes(':') ? `[${host}]` : host;
	fake.url = `http://${urlHost}:${(server.address() as AddressInfo).port}`;
	return fake;
}
