import { createSign, generateKeyPairSync } from 'node:crypto';

import {
	MAX_PUBLIC_KEY_BYTES,
	PUBLIC_KEY_LIFETIME_MS,
	clearPublicKeyCache,
	parsePublicKey,
	verifyVideoSdkSignature,
} from '../../../../nodes/VideoSdk/webhooks/signature';

const keyPair = () => {
	const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
	return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
};
const sign = (body: Buffer, privateKey: ReturnType<typeof keyPair>['privateKey']) =>
	createSign('sha256').update(body).sign(privateKey, 'base64');

const current = keyPair();
const body = Buffer.from('{"webhookType":"merge-recording-completed","data":{"id":"m1"}}');

describe('verifyVideoSdkSignature', () => {
	beforeEach(() => clearPublicKeyCache());

	/** Serves the given keys in turn, the last one from then on. */
	const fetcherOf = (...keys: string[]) => {
		let served = 0;
		return jest.fn(async (_baseUrl: string) => keys[Math.min(served++, keys.length - 1)]);
	};

	it('accepts the signature of the exact raw body', async () => {
		const fetcher = fetcherOf(current.publicKeyPem);
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, current.privateKey))).resolves.toBe(
			'valid',
		);
	});

	it('rejects a tampered body, a malformed signature and a missing header', async () => {
		const fetcher = fetcherOf(current.publicKeyPem);
		const signature = sign(body, current.privateKey);
		const tampered = Buffer.from(body.toString().replace('m1', 'm2'));
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', tampered, signature)).resolves.toBe('invalid');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, 'not base64 !!')).resolves.toBe('invalid');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, 'AAAA')).resolves.toBe('invalid');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, undefined)).resolves.toBe('missing');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, '  ')).resolves.toBe('missing');
	});

	it('fetches the key once for concurrent webhooks and caches it per base URL', async () => {
		const fetcher = fetcherOf(current.publicKeyPem);
		const signature = sign(body, current.privateKey);
		const verdicts = await Promise.all(
			Array.from({ length: 20 }, async () => await verifyVideoSdkSignature(fetcher, 'http://a', body, signature)),
		);
		expect(new Set(verdicts)).toEqual(new Set(['valid']));
		await verifyVideoSdkSignature(fetcher, 'http://a', body, signature);
		expect(fetcher).toHaveBeenCalledTimes(1);
		await verifyVideoSdkSignature(fetcher, 'http://b', body, signature);
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('refetches once after a mismatch, in case the key rotated, but not for every forgery', async () => {
		const rotated = keyPair();
		const fetcher = fetcherOf(current.publicKeyPem, rotated.publicKeyPem);
		await verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, current.privateKey));
		await expect(
			verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, rotated.privateKey)),
		).resolves.toBe('valid');
		expect(fetcher).toHaveBeenCalledTimes(2);

		const forger = keyPair();
		for (let attempt = 0; attempt < 5; attempt++) {
			await expect(
				verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, forger.privateKey)),
			).resolves.toBe('invalid');
		}
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('reports an unavailable key, remembers the failure briefly, and tries again after it', async () => {
		const fetcher = jest
			.fn<Promise<string>, [string]>()
			.mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
			.mockResolvedValue(current.publicKeyPem);
		const signature = sign(body, current.privateKey);
		const start = Date.now();
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature, start)).resolves.toBe('keyUnavailable');
		// 20 webhooks (genuine or forged) during the outage cost no further fetch.
		for (let call = 0; call < 20; call++) {
			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature, start + 1_000)).resolves.toBe('keyUnavailable');
		}
		expect(fetcher).toHaveBeenCalledTimes(1);
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature, start + 11_000)).resolves.toBe('valid');
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	it('never caches what is not an RSA public key, even if it says "PUBLIC KEY"', async () => {
		const garbage = '-----BEGIN PUBLIC KEY-----\nnot a key at all\n-----END PUBLIC KEY-----';
		const fetcher = fetcherOf(garbage, current.publicKeyPem);
		const signature = sign(body, current.privateKey);
		const start = Date.now();
		// Not "invalid": VideoSDK does not retry a 401, and a genuine event would be lost.
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature, start)).resolves.toBe('keyUnavailable');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature, start + 11_000)).resolves.toBe('valid');
		expect(() => parsePublicKey(garbage)).toThrow();
		expect(() => parsePublicKey('x'.repeat(MAX_PUBLIC_KEY_BYTES + 1))).toThrow('the answer holds no PEM public key');
		const { publicKey: ecKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
		expect(() => parsePublicKey(ecKey.export({ type: 'spki', format: 'pem' }))).toThrow('the answer holds no RSA public key');
	});

	it('keeps the good key when a forged signature meets a key outage', async () => {
		const fetcher = jest
			.fn<Promise<string>, [string]>()
			.mockResolvedValueOnce(current.publicKeyPem)
			.mockRejectedValue(new Error('connect ECONNREFUSED'));
		const genuine = sign(body, current.privateKey);
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine)).resolves.toBe('valid');

		const forger = keyPair();
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, forger.privateKey))).resolves.toBe('invalid');
		expect(fetcher).toHaveBeenCalledTimes(2);

		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine)).resolves.toBe('valid');
		expect(fetcher).toHaveBeenCalledTimes(2);
	});

	describe('the key expires after an hour', () => {
		it('is trusted for an hour without a fetch, then fetched again: a key rotated away from stops verifying', async () => {
			const rotated = keyPair();
			const fetcher = fetcherOf(current.publicKeyPem, rotated.publicKeyPem);
			const old = sign(body, current.privateKey);
			const start = 1_000_000;
			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, old, start)).resolves.toBe('valid');
			await expect(
				verifyVideoSdkSignature(fetcher, 'http://a', body, old, start + PUBLIC_KEY_LIFETIME_MS - 1),
			).resolves.toBe('valid');
			expect(fetcher).toHaveBeenCalledTimes(1);

			await expect(
				verifyVideoSdkSignature(fetcher, 'http://a', body, old, start + PUBLIC_KEY_LIFETIME_MS),
			).resolves.toBe('invalid');
			expect(fetcher.mock.calls.length).toBeGreaterThanOrEqual(2);
			await expect(
				verifyVideoSdkSignature(fetcher, 'http://a', body, sign(body, rotated.privateKey), start + PUBLIC_KEY_LIFETIME_MS + 1),
			).resolves.toBe('valid');
		});

		it('is not used once expired while the new fetch fails, and the failure is remembered', async () => {
			const fetcher = jest
				.fn<Promise<string>, [string]>()
				.mockResolvedValueOnce(current.publicKeyPem)
				.mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
				.mockResolvedValue(current.publicKeyPem);
			const genuine = sign(body, current.privateKey);
			const expiry = 1_000_000 + PUBLIC_KEY_LIFETIME_MS;
			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine, 1_000_000)).resolves.toBe('valid');

			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine, expiry)).resolves.toBe('keyUnavailable');
			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine, expiry + 1_000)).resolves.toBe(
				'keyUnavailable',
			);
			expect(fetcher).toHaveBeenCalledTimes(2);
			await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, genuine, expiry + 11_000)).resolves.toBe('valid');
			expect(fetcher).toHaveBeenCalledTimes(3);
		});
	});
});
