import { sign, verify, type JwtPayload } from 'jsonwebtoken';

import {
	clearVideoSdkTokenCache,
	getVideoSdkToken,
	REST_TOKEN_CLAIMS,
	signVideoSdkToken,
	TOKEN_CACHE_SIZE,
	TOKEN_LIFETIME_SECONDS,
} from '../../../../nodes/VideoSdk/api';

// jsonwebtoken, a devDependency, is the independent check: this is how the package signed before.
const jsonwebtokenSign = (apiKey: string, secretKey: string, now: number) =>
	sign({ apikey: apiKey, ...REST_TOKEN_CLAIMS, iat: Math.floor(now / 1000) }, secretKey, {
		algorithm: 'HS256',
		expiresIn: TOKEN_LIFETIME_SECONDS,
	});

const claimsOf = (token: string, secretKey: string, now: number) =>
	verify(token, secretKey, { algorithms: ['HS256'], clockTimestamp: Math.floor(now / 1000) }) as JwtPayload;

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0, 789);

// What a credential field may hold: any string, since n8n passes whatever was typed or pasted.
const apiKeys = [
	'',
	'key-1',
	'ключ-é-中文',
	'🔑',
	'\uD800 lone high surrogate',
	'lone low \uDFFF',
	'"quoted" \\ back\\slash',
	'\u0000\u0001\u001f\n\t',
	'</script>\u2028\u2029',
	'a'.repeat(10_000),
];
const secrets = ['s', ' ', 'секрет-é', '🔐', '\uD800', 'nul\u0000byte', '=+/', 'x'.repeat(10_000)];

beforeEach(() => clearVideoSdkTokenCache());

describe('VideoSDK token: the bytes jsonwebtoken signs', () => {
	it.each(apiKeys.map((apiKey, index) => [index, apiKey, secrets[index % secrets.length]]))(
		'API key #%i: byte for byte the token jsonwebtoken signs, and it verifies',
		(_, apiKey, secretKey) => {
			const token = getVideoSdkToken(apiKey, secretKey, NOW);
			expect(token).toBe(jsonwebtokenSign(apiKey, secretKey, NOW));
			expect(claimsOf(token, secretKey, NOW).apikey).toBe(apiKey);
		},
	);

	it.each(secrets.map((secretKey, index) => [index, secretKey]))(
		'secret #%i: byte for byte the token jsonwebtoken signs, and it verifies with that secret only',
		(_, secretKey) => {
			const token = getVideoSdkToken('key-1', secretKey, NOW);
			expect(token).toBe(jsonwebtokenSign('key-1', secretKey, NOW));
			expect(claimsOf(token, secretKey, NOW).apikey).toBe('key-1');
			expect(() => claimsOf(token, `${secretKey}!`, NOW)).toThrow('invalid signature');
		},
	);

	it.each([[1_000], [1_999], [NOW], [Date.UTC(2038, 0, 19, 3, 14, 8)], [8.64e15]])(
		'at %i ms: byte for byte the token jsonwebtoken signs',
		(now) => {
			const token = getVideoSdkToken('key-1', 'secret-1', now);
			expect(token).toBe(jsonwebtokenSign('key-1', 'secret-1', now));
			expect(claimsOf(token, 'secret-1', now).iat).toBe(Math.floor(now / 1000));
		},
	);

	it('carries the header and claims VideoSDK expects, valid for ten minutes', () => {
		const token = getVideoSdkToken('key-1', 'secret-1', NOW);
		const [header] = token.split('.');
		expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
		const issuedAt = Math.floor(NOW / 1000);
		expect(claimsOf(token, 'secret-1', NOW)).toEqual({
			apikey: 'key-1',
			permissions: ['allow_join', 'allow_mod'],
			version: 2,
			roles: ['crawler'],
			iat: issuedAt,
			exp: issuedAt + 600,
		});
		expect(() => claimsOf(token, 'secret-1', NOW + 601_000)).toThrow('jwt expired');
	});

	it('signs with the lifetime it is given, as the benchmark does', () => {
		const token = signVideoSdkToken('key-1', 'secret-1', { issuedAt: 1_700_000_000, lifetimeSeconds: 7_200 });
		expect(token).toBe(
			sign({ apikey: 'key-1', ...REST_TOKEN_CLAIMS, iat: 1_700_000_000 }, 'secret-1', { algorithm: 'HS256', expiresIn: '2h' }),
		);
	});

	it('refuses an empty secret, as jsonwebtoken did, without signing anything', () => {
		expect(() => jsonwebtokenSign('key-1', '', NOW)).toThrow();
		expect(() => getVideoSdkToken('key-1', '', NOW)).toThrow('The VideoSDK credential has no Secret Key');
	});

	it('never carries the secret', () => {
		const secretKey = 'a-secret-that-must-stay-home';
		const token = getVideoSdkToken('key-1', secretKey, NOW);
		const decoded = token
			.split('.')
			.slice(0, 2)
			.map((part) => Buffer.from(part, 'base64url').toString());
		for (const text of [token, ...decoded]) expect(text).not.toContain(secretKey);
	});
});

describe('VideoSDK token: reuse', () => {
	it('reuses a token per key and secret, never across them', () => {
		const first = getVideoSdkToken('key-1', 'secret-1', NOW);
		expect(getVideoSdkToken('key-1', 'secret-1', NOW + 1_000)).toBe(first);
		expect(getVideoSdkToken('key-1', 'secret-2', NOW)).not.toBe(first);
		expect(getVideoSdkToken('key-2', 'secret-1', NOW)).not.toBe(first);
	});

	it.each([
		['a key ending where the secret begins', ['a\u0000', 'b'], ['a', '\u0000b']],
		['a lone surrogate and the replacement character UTF-8 turns it into', ['\uD800', 's'], ['\uFFFD', 's']],
	])('keeps apart %s', (_, [firstKey, firstSecret], [secondKey, secondSecret]) => {
		const first = getVideoSdkToken(firstKey, firstSecret, NOW);
		const second = getVideoSdkToken(secondKey, secondSecret, NOW);
		expect(second).not.toBe(first);
		expect(claimsOf(second, secondSecret, NOW).apikey).toBe(secondKey);
	});

	it('signs a new token shortly before the cached one expires', () => {
		const first = getVideoSdkToken('k', 's', NOW);
		expect(getVideoSdkToken('k', 's', NOW + (TOKEN_LIFETIME_SECONDS - 120) * 1000)).toBe(first);
		const renewed = getVideoSdkToken('k', 's', NOW + (TOKEN_LIFETIME_SECONDS - 30) * 1000);
		expect(renewed).not.toBe(first);
		expect(renewed).toBe(jsonwebtokenSign('k', 's', NOW + (TOKEN_LIFETIME_SECONDS - 30) * 1000));
	});

	it(`keeps the tokens of ${TOKEN_CACHE_SIZE} credentials, forgetting the oldest first`, () => {
		const tokenOf = (index: number, now: number) => getVideoSdkToken(`key-${index}`, 'secret', now);
		const first = tokenOf(0, NOW);
		const second = tokenOf(1, NOW);
		for (let index = 2; index < TOKEN_CACHE_SIZE; index++) tokenOf(index, NOW);
		// Still every one of them: a later call reuses the first token.
		expect(tokenOf(0, NOW + 5_000)).toBe(first);
		// One more credential: the oldest-signed one is forgotten and signed anew (a later iat).
		tokenOf(TOKEN_CACHE_SIZE, NOW);
		const resigned = tokenOf(0, NOW + 5_000);
		expect(resigned).not.toBe(first);
		expect(claimsOf(resigned, 'secret', NOW + 5_000).iat).toBe(Math.floor(NOW / 1000) + 5);
		// Signing the first anew evicted the next oldest, the second.
		expect(tokenOf(1, NOW + 5_000)).not.toBe(second);
	});
});
