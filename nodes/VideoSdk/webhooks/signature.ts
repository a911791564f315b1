import type { KeyObject } from 'node:crypto';
import { createPublicKey, verify } from 'node:crypto';

import type { IWebhookFunctions } from 'n8n-workflow';

import type { PublicKeyResponse } from '../api';
import { API_PATHS } from '../api';
import { readResponse, streamedRequest } from '../transport';

/**
 * VideoSDK signs each webhook: header `videosdk-signature` holds the base64 RSA-SHA256 signature
 * of the exact raw body, verifiable with the account-independent public key the API serves.
 * Shared by the trigger and by any node that receives VideoSDK callbacks.
 */

/** `keyUnavailable`: no public key could be fetched; answer 5xx so VideoSDK retries later. */
export type SignatureVerdict = 'valid' | 'invalid' | 'missing' | 'keyUnavailable';

/** Fetches the PEM text the API serves; whatever it returns is checked before it is trusted. */
export type PublicKeyFetcher = (baseUrl: string) => Promise<string>;

/** The whole key fetch, answer included, so that a webhook is answered within about 5 s. */
export const PUBLIC_KEY_DEADLINE_MS = 4_000;
/** An RSA public key in PEM is well under 2 kB; nothing larger is read. */
export const MAX_PUBLIC_KEY_BYTES = 16 * 1024;
// A mismatch refetches the key (it may have rotated), but forged webhooks must not turn into a
// stream of key requests: after a refetch, mismatches are judged on that key for a while.
const REFETCH_COOLDOWN_MS = 10_000;
// A failed fetch is remembered this long: webhooks during an outage do not each ask again.
const FAILURE_MEMORY_MS = 10_000;
/**
 * A fetched key is trusted this long, then fetched again: a key VideoSDK rotated away from (it may
 * have leaked) stops verifying without an n8n restart. An expired key is never used, even while
 * the new fetch fails: webhooks then get 503 and VideoSDK retries them.
 */
export const PUBLIC_KEY_LIFETIME_MS = 60 * 60_000;

interface KeyState {
	/** The last key that was fetched and parsed; only a better fetch replaces it. */
	good?: KeyObject;
	/** When `good` was fetched; it expires PUBLIC_KEY_LIFETIME_MS later. */
	fetchedAt?: number;
	fetching?: Promise<KeyObject | undefined>;
	failedAt?: number;
	refetchedAt?: number;
}

// Per API base URL, for the life of the n8n process; concurrent webhooks share a fetch.
const keyStates = new Map<string, KeyState>();

export function clearPublicKeyCache(): void {
	keyStates.clear();
}

/** The PEM as an RSA public key, or an error: garbage that merely mentions "PUBLIC KEY" is not a key. */
export function parsePublicKey(pem: unknown): KeyObject {
	if (typeof pem !== 'string' || pem.length > MAX_PUBLIC_KEY_BYTES) throw new Error('the answer holds no PEM public key');
	const key = createPublicKey({ key: pem, format: 'pem' });
	if (key.type !== 'public' || key.asymmetricKeyType !== 'rsa') throw new Error('the answer holds no RSA public key');
	return key;
}

const isFresh = (state: KeyState, now: number) =>
	state.good !== undefined && state.fetchedAt !== undefined && now - state.fetchedAt < PUBLIC_KEY_LIFETIME_MS;

/**
 * Fetches and parses the key; a failure keeps the good key while it is fresh, and is remembered for
 * a while.
 */
function refresh(state: KeyState, fetchPublicKey: PublicKeyFetcher, baseUrl: string, now: number) {
	state.fetching ??= (async () => {
		try {
			state.good = parsePublicKey(await fetchPublicKey(baseUrl));
			state.fetchedAt = now;
			state.failedAt = undefined;
		} catch {
			state.failedAt = now;
			if (!isFresh(state, now)) state.good = undefined;
		} finally {
			state.fetching = undefined;
		}
		return state.good;
	})();
	return state.fetching;
}

async function currentKey(state: KeyState, fetchPublicKey: PublicKeyFetcher, baseUrl: string, now: number) {
	if (isFresh(state, now)) return state.good;
	if (state.fetching) return await state.fetching;
	if (state.failedAt !== undefined && now - state.failedAt < FAILURE_MEMORY_MS) return undefined;
	return await refresh(state, fetchPublicKey, baseUrl, now);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function signatureMatches(publicKey: KeyObject, rawBody: Buffer, signature: string): boolean {
	if (!BASE64.test(signature)) return false;
	try {
		return verify('sha256', rawBody, publicKey, Buffer.from(signature, 'base64'));
	} catch {
		// A signature that crypto cannot read is a mismatch, not a crash.
		return false;
	}
}

/**
 * Checks a webhook's signature. On a mismatch it fetches the key once more (at most every 10 s), in
 * case VideoSDK rotated it; a forged signature never costs the key that verifies genuine webhooks.
 */
export async function verifyVideoSdkSignature(
	fetchPublicKey: PublicKeyFetcher,
	baseUrl: string,
	rawBody: Buffer,
	signatureHeader: string | string[] | undefined,
	now = Date.now(),
): Promise<SignatureVerdict> {
	const signature = (Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader)?.trim();
	if (!signature) return 'missing';
	let state = keyStates.get(baseUrl);
	if (!state) keyStates.set(baseUrl, (state = {}));
	const key = await currentKey(state, fetchPublicKey, baseUrl, now);
	if (!key) return 'keyUnavailable';
	if (signatureMatches(key, rawBody, signature)) return 'valid';
	if (state.refetchedAt !== undefined && now - state.refetchedAt < REFETCH_COOLDOWN_MS) return 'invalid';
	state.refetchedAt = now;
	const fresh = await refresh(state, fetchPublicKey, baseUrl, now);
	if (!fresh || fresh.equals(key)) return 'invalid';
	return signatureMatches(fresh, rawBody, signature) ? 'valid' : 'invalid';
}

/**
 * Fetches the key with n8n's plain HTTP helper (the endpoint is public, so no token is sent), within
 * PUBLIC_KEY_DEADLINE_MS and MAX_PUBLIC_KEY_BYTES; a redirect is not followed.
 */
export function publicKeyFetcherFor(context: IWebhookFunctions): PublicKeyFetcher {
	return async (baseUrl) => {
		const { status, data } = await readResponse(
			PUBLIC_KEY_DEADLINE_MS,
			async (signal) =>
				await context.helpers.httpRequest(
					streamedRequest('GET', `${baseUrl}${API_PATHS.signatureVerification}`, signal, PUBLIC_KEY_DEADLINE_MS),
				),
			MAX_PUBLIC_KEY_BYTES,
		);
		if (status !== 200) throw new Error(`the key endpoint answered ${status}`);
		return (data as Partial<PublicKeyResponse> | undefined)?.publicKey as string;
	};
}
