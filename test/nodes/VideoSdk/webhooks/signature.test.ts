import { createSign, generateKeyPairSync } from 'node:crypto';

import {
	clearPublicKeyCache,
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

	it('reports an unavailable key, and tries again on the next webhook', async () => {
		const fetcher = jest
			.fn<Promise<string>, [string]>()
			.mockRejectedValueOnce(new Error('connect ECONNREFUSED'))
			.mockResolvedValue(current.publicKeyPem);
		const signature = sign(body, current.privateKey);
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature)).resolves.toBe('keyUnavailable');
		await expect(verifyVideoSdkSignature(fetcher, 'http://a', body, signature)).resolves.toBe('valid');
	});
});
