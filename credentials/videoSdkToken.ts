import { createHash } from 'node:crypto';
// jsonwebtoken is the package's one runtime dependency, and all signing stays in this one module,
// so that it could move to node:crypto if the package ever seeks n8n Cloud verification.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { sign } from 'jsonwebtoken';

import { REST_TOKEN_CLAIMS } from '../nodes/VideoSdk/api';

/** A token lives ten minutes: ample for one REST call, short if it ever leaked. */
export const TOKEN_LIFETIME_SECONDS = 10 * 60;
/** A cached token is replaced this long before it expires, so no request carries a nearly dead one. */
const RENEW_BEFORE_EXPIRY_SECONDS = 60;

interface CachedToken {
	token: string;
	expiresAt: number;
}

// Signing costs about as much as a loopback round trip, so each key/secret pair reuses its token.
// Keyed by a hash of both, kept in memory only: another key or secret never gets this token.
const tokenCache = new Map<string, CachedToken>();

const cacheKey = (apiKey: string, secretKey: string) =>
	createHash('sha256').update(apiKey).update('\0').update(secretKey).digest('hex');

/** A bare HS256 JWT for VideoSDK's server-side v2 API (sent without any "Bearer" prefix). */
export function getVideoSdkToken(apiKey: string, secretKey: string, now = Date.now()): string {
	const key = cacheKey(apiKey, secretKey);
	const cached = tokenCache.get(key);
	if (cached && cached.expiresAt - RENEW_BEFORE_EXPIRY_SECONDS * 1000 > now) return cached.token;

	const issuedAt = Math.floor(now / 1000);
	const token = sign({ apikey: apiKey, ...REST_TOKEN_CLAIMS, iat: issuedAt }, secretKey, {
		algorithm: 'HS256',
		expiresIn: TOKEN_LIFETIME_SECONDS,
	});
	tokenCache.set(key, { token, expiresAt: (issuedAt + TOKEN_LIFETIME_SECONDS) * 1000 });
	return token;
}

/** Forget every cached token (tests use it to observe fresh signing). */
export function clearVideoSdkTokenCache(): void {
	tokenCache.clear();
}
