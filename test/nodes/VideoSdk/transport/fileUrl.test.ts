import { addressClassOf, fileUrlRefusal } from '../../../../nodes/VideoSdk/transport/fileUrl';

const PUBLIC_BASE = 'https://api.videosdk.live';
const refusalOf = (fileUrl: string, baseUrl = PUBLIC_BASE) => fileUrlRefusal(new URL(fileUrl), baseUrl);

describe('addressClassOf', () => {
	it.each([
		['169.254.169.254', 'cloud metadata'],
		['[fd00:ec2::254]', 'cloud metadata'],
		['metadata.google.internal', 'cloud metadata'],
		['metadata.google.internal.', 'cloud metadata'],
		['169.254.1.2', 'link-local'],
		['[fe80::1]', 'link-local'],
		['[febf::1]', 'link-local'],
		['[::ffff:a9fe:102]', 'link-local'],
		['127.0.0.1', 'loopback'],
		['127.200.0.9', 'loopback'],
		['0.0.0.0', 'loopback'],
		['[::1]', 'loopback'],
		['localhost', 'loopback'],
		['files.localhost', 'loopback'],
		['[::ffff:7f00:1]', 'loopback'],
		['10.1.2.3', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.0.10', 'private'],
		['100.64.0.1', 'private'],
		['100.127.255.255', 'private'],
		['[fc00::1]', 'private'],
		['[fdff::1]', 'private'],
		['storage.googleapis.com', 'public'],
		['172.32.0.1', 'public'],
		['100.128.0.1', 'public'],
		['8.8.8.8', 'public'],
		['[2600:1f18::1]', 'public'],
		['[fec0::1]', 'public'],
	])('puts %s on a %s address', (host, expected) => {
		expect(addressClassOf(host)).toBe(expected);
	});

	it('judges the address a URL normalises an IPv4 written in hex, octal or one number to', () => {
		for (const written of ['http://0x7f.1/f.mp3', 'http://2130706433/f.mp3', 'http://0177.0.0.1/f.mp3']) {
			expect(addressClassOf(new URL(written).hostname)).toBe('loopback');
		}
		expect(addressClassOf(new URL('http://[::ffff:169.254.169.254]/').hostname)).toBe('link-local');
	});
});

describe('fileUrlRefusal', () => {
	it('lets a public file URL through, whatever the Base URL', () => {
		expect(refusalOf('https://storage.googleapis.com/bucket/merged.mp3?X-Goog-Signature=abc')).toBeUndefined();
		expect(refusalOf('https://storage.googleapis.com/merged.mp3', 'http://127.0.0.1:4000')).toBeUndefined();
	});

	it.each([
		['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a cloud metadata address'],
		['http://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal is a cloud metadata address'],
		['http://[fd00:ec2::254]/latest/', '[fd00:ec2::254] is a cloud metadata address'],
		['http://169.254.10.1:8080/f.mp3', '169.254.10.1:8080 is a link-local address'],
		['http://[fe80::1]/f.mp3', '[fe80::1] is a link-local address'],
	])('always refuses %s, even with a Base URL on loopback or a private network', (fileUrl, start) => {
		for (const baseUrl of [PUBLIC_BASE, 'http://127.0.0.1:4000', 'http://10.0.0.5', 'http://169.254.169.254']) {
			expect(refusalOf(fileUrl, baseUrl)).toBe(`${start}, which a merged file never comes from`);
		}
	});

	it.each([
		['http://127.0.0.1:9000/f.mp3', 'loopback', 'http://localhost:4000'],
		['http://localhost/f.mp3', 'loopback', 'http://127.0.0.1:4000'],
		['http://[::1]/f.mp3', 'loopback', 'http://127.0.0.1:4000'],
		['http://10.0.0.7/f.mp3', 'private', 'http://192.168.1.2:8080'],
		['http://[fd12::7]/f.mp3', 'private', 'http://10.0.0.1'],
		['http://100.64.3.4/f.mp3', 'private', 'http://172.20.0.2'],
	])('refuses %s (%s) unless the Base URL, like %s, is in the same class', (fileUrl, kind, sameClassBase) => {
		const host = new URL(fileUrl).host;
		const refused = `${host} is a ${kind} address, allowed only when the credential's Base URL is on a ${kind} address too`;
		expect(refusalOf(fileUrl)).toBe(refused);
		expect(refusalOf(fileUrl, 'not a url')).toBe(refused);
		expect(refusalOf(fileUrl, sameClassBase)).toBeUndefined();
	});

	it('does not let a Base URL on loopback open private networks, nor the reverse', () => {
		expect(refusalOf('http://10.0.0.7/f.mp3', 'http://127.0.0.1:4000')).toMatch(/^10\.0\.0\.7 is a private address/);
		expect(refusalOf('http://127.0.0.1/f.mp3', 'http://10.0.0.1')).toMatch(/^127\.0\.0\.1 is a loopback address/);
	});
});
