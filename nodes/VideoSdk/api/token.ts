/**
 * The token a server-side call carries: an HS256 JWT signed with node:crypto, the one built-in module
 * n8n lets a verified community node import, so that the shipped package needs no JWT library. The
 * bytes are those jsonwebtoken produces for the same claims (the unit tests compare them).
 */
import { createHash, createHmac } from 'node:crypto';

import { REST_TOKEN_CLAIMS } from './auth';

/** A token lives ten minutes: ample for one REST call, short if it ever leaked. */
export const TOKEN_LIFETIME_SECONDS = 10 * 60;
/** A cached token is replaced this long before it expires, so no request carries a nearly dead one. */
const RENEW_BEFORE_EXPIRY_SECONDS = 60;
/** Credentials whose tokens are kept: the cache lives as long as n8n's process. */
export const TOKEN_CACHE_SIZE = 100;

// jsonwebtoken's header for an object payload, property order included.
const ENCODED_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

export interface TokenTiming {
	/** Seconds since the epoch, the token's `iat`. */
	issuedAt: number;
	lifetimeSeconds: number;
}

/** A bare HS256 JWT for VideoSDK's server-side v2 API (sent without any "Bearer" prefix). */
export function signVideoSdkToken(apiKey: string, secretKey: string, { issuedAt, lifetimeSeconds }: TokenTiming): string {
	// jsonwebtoken refused an empty secret; so does this (the message cannot carry it).
	if (!secretKey) throw new Error('The VideoSDK credential has no Secret Key to sign its token with');
	const claims = { apikey: apiKey, ...REST_TOKEN_CLAIMS, iat: issuedAt, exp: issuedAt + lifetimeSeconds };
	const signedPart = `${ENCODED_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
	const signature = createHmac('sha256', secretKey).update(signedPart).digest('base64url');
	return `${signedPart}.${signature}`;
}

interface CachedToken {
	token: string;
	expiresAt: number;
}

// Signing costs about as much as a loopback round trip, so each key/secret pair reuses its token.
// Keyed by a hash of both, kept in memory only: another key or secret never gets this token. JSON
// keeps the pair apart ("a\0", "b" is not "a", "\0b") and escapes lone surrogates, which UTF-8
// would fold into one character while the token's claims keep them apart.
const tokenCache = new Map<string, CachedToken>();

const cacheKey = (apiKey: string, secretKey: string) =>
	createHash('sha256').update(JSON.stringify([apiKey, secretKey])).digest('hex');

/** The token of this key and secret, reused until shortly before it expires. */
export function getVideoSdkToken(apiKey: string, secretKey: string, now = Date.now()): string {
	const key = cacheKey(apiKey, secretKey);
	const cached = tokenCache.get(key);
	if (cached && cached.expiresAt - RENEW_BEFORE_EXPIRY_SECONDS * 1000 > now) return cached.token;

	const issuedAt = Math.floor(now / 1000);
	const token = signVideoSdkToken(apiKey, secretKey, { issuedAt, lifetimeSeconds: TOKEN_LIFETIME_SECONDS });
	// A Map iterates in insertion order: re-inserting keeps the oldest first, to be evicted first.
	tokenCache.delete(key);
	tokenCache.set(key, { token, expiresAt: (issuedAt + TOKEN_LIFETIME_SECONDS) * 1000 });
	for (const oldest of tokenCache.keys()) {
		if (tokenCache.size <= TOKEN_CACHE_SIZE) break;
		tokenCache.delete(oldest);
	}
	return token;
}

/** Forget every cached token (tests use it to observe fresh signing). */
export function clearVideoSdkTokenCache(): void {
	tokenCache.clear();
}

/** The header that authenticates a call with a videoSdkApi credential's data: the bare token. */
export function videoSdkAuthorization(credentials: { apiKey?: unknown; secretKey?: unknown } | undefined): {
	Authorization: string;
} {
	return { Authorization: getVideoSdkToken(String(credentials?.apiKey ?? ''), String(credentials?.secretKey ?? '')) };
}
