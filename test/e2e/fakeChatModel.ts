/**
 * A scripted OpenAI-compatible chat model on loopback, for n8n's AI Agent with its OpenAI Chat
 * Model node (POST /v1/chat/completions, plain or streamed). It plays what the user asks (askFor):
 * find the room's sessions, list the newest one's participants, merge the two named speakers, get
 * the merge job until it is completed, and answer with the file name. Like a model, it knows
 * nothing of the tools but what each request gives it: it picks each tool by its description and
 * fills the arguments its schema asks for, by their names.
 */
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { readBody } from '../../scripts/fake-videosdk/http';

export interface ToolSchema {
	type?: string;
	description?: string;
	properties?: Record<string, ToolSchema>;
	required?: string[];
	[key: string]: unknown;
}

export interface OfferedTool {
	type: string;
	function: { name: string; description?: string; parameters: ToolSchema };
}

interface ChatMessage {
	role: string;
	content?: unknown;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

export interface ChatRequest {
	model: string;
	messages: ChatMessage[];
	tools?: OfferedTool[];
	stream?: boolean;
}

/** What the user asks: "Merge <left>'s and <right>'s recordings … in room <room>, <left> on the left …". */
export const askFor = (left: string, right: string, room = 'abc-defg-hij') =>
	`Merge ${left}'s and ${right}'s recordings from today's interview in room ${room}, ${left} on the left, and send me the file.`;

const ASK = /Merge (.+?)'s and (.+?)'s recordings .* in room ([\w-]+),/;

/** How often the model asks for a merge job that is still running before it gives up. */
const MAX_POLLS = 8;

/** Which tool does what, as a model reads it from the descriptions the agent sends. */
const WANTS: Record<string, RegExp> = {
	findSessions: /sessions .*of a room/i,
	listParticipants: /who took part in a session/i,
	merge: /^merge recordings of a session/i,
	getMergeJob: /^get a merge job/i,
};

type Step = keyof typeof WANTS | 'answer';

export interface FakeChatModel {
	/** The base URL for the OpenAI credential. */
	url: string;
	requests: ChatRequest[];
	/** Each tool call the model made, in order, with the step it meant. */
	calls: Array<{ step: Step; tool: string; args: Record<string, unknown> }>;
	/** What went wrong in the script, if anything (the agent sees an error answer too). */
	problems: string[];
	close(): Promise<void>;
}

const contentText = (content: unknown) =>
	typeof content === 'string' ? content : JSON.stringify(content ?? '');

/** A tool's result as the agent hands it back: the node's output items' JSON, as text. */
function parsed(content: unknown): unknown {
	try {
		const value = JSON.parse(contentText(content)) as unknown;
		return typeof value === 'string' ? JSON.parse(value) : value;
	} catch {
		return contentText(content);
	}
}

const asList = (value: unknown): Array<Record<string, unknown>> =>
	(Array.isArray(value) ? value : [value]).filter(
		(entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null,
	);

/** The answers of the tools so far, by the step each call meant. */
function resultsSoFar(messages: ChatMessage[], calls: Map<string, Step>): Array<{ step: Step; result: unknown }> {
	return messages
		.filter((message) => message.role === 'tool' && message.tool_call_id)
		.map((message) => ({ step: calls.get(message.tool_call_id!) ?? 'answer', result: parsed(message.content) }));
}

/** Arguments for a tool's schema: each property by what its name asks for. */
function argumentsFor(tool: OfferedTool, known: Record<string, string>): Record<string, unknown> {
	const args: Record<string, unknown> = {};
	for (const name of Object.keys(tool.function.parameters.properties ?? {})) {
		const key = Object.keys(known).find((candidate) => name.toLowerCase().includes(candidate.toLowerCase()));
		if (key) args[name] = known[key];
	}
	return args;
}

export async function startFakeChatModel(): Promise<FakeChatModel> {
	const requests: ChatRequest[] = [];
	const calls: FakeChatModel['calls'] = [];
	const problems: string[] = [];
	const callSteps = new Map<string, Step>();
	let nextCallId = 1;

	/** The next move: a tool call, or the final answer. */
	function play(request: ChatRequest): { content?: string; toolCall?: { id: string; name: string; arguments: string } } {
		const tools = request.tools ?? [];
		const toolFor = (step: Step) => tools.find((tool) => WANTS[step]?.test(tool.function.description ?? ''));
		const results = resultsSoFar(request.messages, callSteps);
		const last = results[results.length - 1];
		const lastOf = (step: Step) => [...results].reverse().find((result) => result.step === step)?.result;
		const call = (step: Step, known: Record<string, string>) => {
			const tool = toolFor(step);
			if (!tool) {
				problems.push(`no tool offered for ${step}`);
				return { content: `I have no tool to ${step}.` };
			}
			const id = `call_${nextCallId++}`;
			const args = argumentsFor(tool, known);
			callSteps.set(id, step);
			calls.push({ step, tool: tool.function.name, args });
			return { toolCall: { id, name: tool.function.name, arguments: JSON.stringify(args) } };
		};
		const user = [...request.messages].reverse().find((message) => message.role === 'user');
		const [, left, right, room] = ASK.exec(contentText(user?.content)) ?? [];
		if (!room) return { content: 'Which room, and whom should I merge?' };
		if (!last) return call('findSessions', { room });
		// An error (as text, or as an item carrying `error`): say it, as a model would, and stop.
		const failure = typeof last.result === 'string' ? last.result : asList(last.result)[0]?.error;
		if (failure !== undefined) return { content: `The tool failed: ${String(failure)}` };
		const [newest] = asList(lastOf('findSessions'));
		const sessionId = String(newest?.id ?? '');
		switch (last.step) {
			case 'findSessions':
				return call('listParticipants', { session: sessionId });
			case 'listParticipants':
				// Merges whom the user named, even someone not listed: the node checks the names.
				return call('merge', { session: sessionId, left, right });
			case 'merge':
			case 'getMergeJob': {
				// After Wait for Completion the merge answers with VideoSDK's whole finished job, in `recording`.
				const [answer] = asList(last.result);
				const job = answer?.recording && typeof answer.recording === 'object' ? (answer.recording as Record<string, unknown>) : answer;
				const fileUrl = job?.fileUrl ?? (job?.file as { fileUrl?: unknown } | undefined)?.fileUrl;
				if (job?.status === 'completed' && typeof fileUrl === 'string') {
					const fileName = job.fileName ?? fileUrl.slice(fileUrl.lastIndexOf('/') + 1);
					return { content: `Done: the merged file is ${String(fileName)} (${fileUrl}).` };
				}
				const polls = results.filter((result) => result.step === 'getMergeJob').length;
				if (polls >= MAX_POLLS || !job?.id) return { content: `The merge is still ${String(job?.status)}.` };
				return call('getMergeJob', { merge: String(job.id) });
			}
			default:
				return { content: 'Nothing to do.' };
		}
	}

	const completion = (request: ChatRequest, move: ReturnType<typeof play>) => {
		const message = move.toolCall
			? {
					role: 'assistant',
					content: null,
					tool_calls: [{ id: move.toolCall.id, type: 'function', function: { name: move.toolCall.name, arguments: move.toolCall.arguments } }],
				}
			: { role: 'assistant', content: move.content };
		return {
			id: `chatcmpl-${requests.length}`,
			object: 'chat.completion',
			created: Math.floor(Date.now() / 1000),
			model: request.model,
			choices: [{ index: 0, message, finish_reason: move.toolCall ? 'tool_calls' : 'stop' }],
			usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
		};
	};

	const chunks = (request: ChatRequest, move: ReturnType<typeof play>) => {
		const base = { id: `chatcmpl-${requests.length}`, object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: request.model };
		const delta = move.toolCall
			? {
					role: 'assistant',
					tool_calls: [
						{ index: 0, id: move.toolCall.id, type: 'function', function: { name: move.toolCall.name, arguments: move.toolCall.arguments } },
					],
				}
			: { role: 'assistant', content: move.content };
		return [
			{ ...base, choices: [{ index: 0, delta, finish_reason: null }] },
			{ ...base, choices: [{ index: 0, delta: {}, finish_reason: move.toolCall ? 'tool_calls' : 'stop' }] },
		];
	};

	const server: Server = createServer((incoming, response) => {
		void readBody(incoming).then((body) => {
			if (incoming.method === 'GET' && incoming.url?.endsWith('/models')) {
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o-mini', object: 'model' }] }));
				return;
			}
			if (incoming.method !== 'POST' || !incoming.url?.endsWith('/chat/completions')) {
				response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Not found' } }));
				return;
			}
			const request = JSON.parse(body) as ChatRequest;
			requests.push(request);
			const move = play(request);
			if (!request.stream) {
				response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion(request, move)));
				return;
			}
			response.writeHead(200, { 'content-type': 'text/event-stream' });
			for (const chunk of chunks(request, move)) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
			response.end('data: [DONE]\n\n');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
		requests,
		calls,
		problems,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
