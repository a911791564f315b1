import type { IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { WebhookPayload } from '../api';
import { SIGNATURE_HEADER } from '../api';
import { getBaseUrl } from '../transport';
import { publicKeyFetcherFor, verifyVideoSdkSignature } from './signature';

/**
 * Reading a call from VideoSDK the same way wherever one arrives (the trigger, a paused merge):
 * parse (400), then check the signature (401, or 503 while the key cannot be fetched).
 */

export interface Refusal {
	status: 400 | 401 | 503;
	message: string;
}

export type ReceivedWebhook = { payload: WebhookPayload; rawBody: Buffer; refusal?: undefined } | { refusal: Refusal };

function parsePayload(rawBody: Buffer): WebhookPayload | undefined {
	let payload: unknown;
	try {
		payload = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
	const { webhookType } = payload as Partial<WebhookPayload>;
	return typeof webhookType === 'string' && webhookType !== '' ? (payload as WebhookPayload) : undefined;
}

/**
 * Reading the credential costs n8n a database query and a decryption on every call, most of what a
 * verified call costs beyond n8n's own work. So each node's credential Base URL is kept for a minute
 * and a call is first checked against the key of the kept URL. Only a signature that verifies there
 * is accepted on it; any other call is judged on the credential as it is now, which is then kept. A
 * forged call therefore neither changes nor clears what is kept, and an edited Base URL counts at
 * once for every call that the old one's key does not verify. Calls arriving together share one read.
 */
export const BASE_URL_MEMORY_MS = 60_000;

interface KeptBaseUrl {
	baseUrl?: string;
	keptAt?: number;
	reading?: Promise<string>;
}

// Per workflow and credential ID, so bounded by the workflows in use and never shared between
// workflows; nothing in a request chooses the entry.
const keptBaseUrls = new Map<string, KeptBaseUrl>();

/** The credential's Base URL as stored now (one read for the calls waiting on it), then kept. */
async function readBaseUrl(context: IWebhookFunctions, entryKey: string | undefined): Promise<string> {
	if (entryKey === undefined) return await getBaseUrl.call(context);
	const entry = keptBaseUrls.get(entryKey) ?? {};
	if (entry.reading) return await entry.reading;
	const reading = getBaseUrl.call(context);
	keptBaseUrls.set(entryKey, { ...entry, reading });
	// Settled before the callers resume: a failed read is not kept, and the next call reads again.
	reading.then(
		(baseUrl) => keptBaseUrls.set(entryKey, { baseUrl, keptAt: Date.now() }),
		() => keptBaseUrls.set(entryKey, { ...entry, reading: undefined }),
	);
	return await reading;
}

async function checkSignature(context: IWebhookFunctions, rawBody: Buffer): Promise<Refusal | undefined> {
	const fetchPublicKey = publicKeyFetcherFor(context);
	const signature = context.getHeaderData()[SIGNATURE_HEADER];
	const credentialId = context.getNode().credentials?.videoSdkApi?.id;
	const entryKey = credentialId ? `${context.getWorkflow().id ?? ''}/${credentialId}` : undefined;
	const kept = entryKey === undefined ? undefined : keptBaseUrls.get(entryKey);
	if (kept?.baseUrl !== undefined && kept.keptAt !== undefined && Date.now() - kept.keptAt < BASE_URL_MEMORY_MS) {
		if ((await verifyVideoSdkSignature(fetchPublicKey, kept.baseUrl, rawBody, signature)) === 'valid') return undefined;
	}
	const baseUrl = await readBaseUrl(context, entryKey);
	const verdict = await verifyVideoSdkSignature(fetchPublicKey, baseUrl, rawBody, signature);
	if (verdict === 'keyUnavailable') {
		// 503, not 401: VideoSDK may retry, and nothing unverified starts meanwhile.
		return { status: 503, message: 'Cannot verify the signature right now; try again later' };
	}
	if (verdict === 'missing') return { status: 401, message: `Missing ${SIGNATURE_HEADER} header` };
	if (verdict === 'invalid') return { status: 401, message: 'Invalid signature' };
	return undefined;
}

/** The call's payload once it is known to be VideoSDK's, or why it is refused. */
export async function receiveWebhook(
	context: IWebhookFunctions,
	{ verifySignature }: { verifySignature: boolean },
): Promise<ReceivedWebhook> {
	const request = context.getRequestObject();
	// The signature covers the exact bytes VideoSDK sent; re-serialized JSON could differ.
	const rawBody: Buffer = request.rawBody ?? Buffer.from(JSON.stringify(request.body ?? {}));
	const payload = parsePayload(rawBody);
	if (!payload) return { refusal: { status: 400, message: 'Expected a JSON body with a "webhookType"' } };
	if (verifySignature) {
		const refusal = await checkSignature(context, rawBody);
		if (refusal) return { refusal };
	}
	return { payload, rawBody };
}

/** Answers the call with `status` and a message, and starts or resumes nothing. */
export function answer(context: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}
