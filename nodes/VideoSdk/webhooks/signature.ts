import { verify } from 'node:crypto';

import type { IWebhookFunctions } from 'n8n-workflow';

import type { PublicKeyResponse } from '../api';
import { API_PATHS } from '../api';

/**
 * VideoSDK signs each webhook: header `videosdk-signature` holds the base64 RSA-SHA256 signature
 * of the exact raw body, verifiable with the account-independent public key the API serves.
 * Shared by the trigger and by any node that receives VideoSDK callbacks.
 */

/** `keyUnavailable`: no public key could be fetched; answer 5xx so VideoSDK retries later. */
export type SignatureVerdict = 'valid' | 'invalid' | 'missing' | 'keyUnavailable';

export type PublicKeyFetcher = (baseUrl: string) => Promise<string>;

const PUBLIC_KEY_TIMEOUT_MS = 5_000;
// A mismatch refetches the key (it may have rotated), but forged webhooks must not turn into a
// stream of key requests: after a refetch, mismatches are judged on that key for a while.
const REFETCH_COOLDOWN_MS = 10_000;

interface CachedKey {
	key: Promise<string>;
	refetchedAt?: number;
}

// One key per API base URL, kept for the life of the n8n process; concurrent webhooks share a fetch.
const publicKeys = new Map<string, CachedKey>();

export function clearPublicKeyCache(): void {
	publicKeys.clear();
}

function fetchInto(fetchPublicKey: PublicKeyFetcher, baseUrl: string, refetchedAt?: number) {
	const entry: CachedKey = { key: fetchPublicKey(baseUrl), refetchedAt };
	publicKeys.set(baseUrl, entry);
	// A failed fetch must not stick: the next webhook tries again.
	entry.key.catch(() => {
		if (publicKeys.get(baseUrl) === entry) publicKeys.delete(baseUrl);
	});
	return entry.key;
}

function cachedPublicKey(fetchPublicKey: PublicKeyFetcher, baseUrl: string, afterMismatch: boolean) {
	const cached = publicKeys.get(baseUrl);
	if (!cached) return fetchInto(fetchPublicKey, baseUrl);
	if (!afterMismatch) return cached.key;
	const now = Date.now();
	const coolingDown = cached.refetchedAt !== undefined && now - cached.refetchedAt < REFETCH_COOLDOWN_MS;
	return coolingDown ? cached.key : fetchInto(fetchPublicKey, baseUrl, now);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function signatureMatches(publicKey: string, rawBody: Buffer, signature: string): boolean {
	if (!BASE64.test(signature)) return false;
	try {
		return verify('sha256', rawBody, publicKey, Buffer.from(signature, 'base64'));
	} catch {
		// A key or signature that crypto cannot read is a mismatch, not a crash.
		return false;
	}
}

/** Checks a webhook's signature; on a mismatch fetches the key once more, in case VideoSDK rotated it. */
export async function verifyVideoSdkSignature(
	fetchPublicKey: PublicKeyFetcher,
	baseUrl: string,
	rawBody: Buffer,
	signatureHeader: string | string[] | undefined,
): Promise<SignatureVerdict> {
	const signature = (Array.isArray(signatureHeader) ? signatureHeader[0] : signatureHeader)?.trim();
	if (!signature) return 'missing';
	const publicKeyOf = async (afterMismatch: boolean) =>
		await cachedPublicKey(fetchPublicKey, baseUrl, afterMismatch).catch(() => undefined);
	const firstKey = await publicKeyOf(false);
	if (firstKey === undefined) return 'keyUnavailable';
	if (signatureMatches(firstKey, rawBody, signature)) return 'valid';
	const secondKey = await publicKeyOf(true);
	if (secondKey === undefined) return 'keyUnavailable';
	if (secondKey === firstKey) return 'invalid';
	return signatureMatches(secondKey, rawBody, signature) ? 'valid' : 'invalid';
}

/** Fetches the key with n8n's HTTP helper; the endpoint is public, so no token is sent. */
export function publicKeyFetcherFor(context: IWebhookFunctions): PublicKeyFetcher {
	return async (baseUrl) => {
		const response = (await context.helpers.httpRequest({
			method: 'GET',
			url: `${baseUrl}${API_PATHS.signatureVerification}`,
			json: true,
			timeout: PUBLIC_KEY_TIMEOUT_MS,
		})) as PublicKeyResponse;
		if (typeof response?.publicKey !== 'string' || !response.publicKey.includes('PUBLIC KEY')) {
			throw new Error('the answer holds no PEM public key');
		}
		return response.publicKey;
	};
}
