/**
 * Where the merged file may be downloaded from. Its URL comes from VideoSDK's answer (or from a job
 * a forged event names), so it is not trusted to point at storage: it could point into n8n's own
 * network. Hosts are judged as written: a community node may not resolve names itself (n8n's lint
 * forbids node:dns), so a name that resolves to a private address is caught only by n8n's own SSRF
 * protection (N8N_SSRF_PROTECTION_ENABLED), which n8n applies inside the request helper we use.
 */

export type AddressClass = 'cloud metadata' | 'link-local' | 'loopback' | 'private' | 'public';

const METADATA_HOSTS = new Set([
	'metadata.google.internal',
	'metadata.goog',
	'metadata',
	'instance-data',
	'instance-data.ec2.internal',
	'169.254.169.254',
	'169.254.170.2',
	'100.100.100.200',
	'192.0.0.192',
	'fd00:ec2::254',
]);

function ipv4Octets(host: string): number[] | undefined {
	const parts = host.split('.');
	if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part))) return undefined;
	const octets = parts.map(Number);
	return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function ipv4Class([a, b]: number[]): AddressClass {
	if (a === 169 && b === 254) return 'link-local';
	if (a === 127 || a === 0) return 'loopback';
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
	if (a === 100 && b >= 64 && b <= 127) return 'private';
	return 'public';
}

/** The eight 16-bit groups of an IPv6 address as URL writes it (compressed, no embedded IPv4). */
function ipv6Groups(host: string): number[] | undefined {
	if (!/^[0-9a-f:]+$/.test(host)) return undefined;
	const [head, tail, extra] = host.split('::');
	if (extra !== undefined) return undefined;
	const groupsOf = (text: string) => (text === '' ? [] : text.split(':').map((group) => parseInt(group, 16)));
	const front = groupsOf(head);
	const back = tail === undefined ? [] : groupsOf(tail);
	const missing = 8 - front.length - back.length;
	if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
	return [...front, ...Array<number>(missing).fill(0), ...back];
}

function ipv6Class(groups: number[]): AddressClass {
	const [first] = groups;
	const zeroUpTo = (count: number) => groups.slice(0, count).every((group) => group === 0);
	// ::ffff:a.b.c.d reaches the IPv4 address it carries.
	if (zeroUpTo(5) && groups[5] === 0xffff) {
		return ipv4Class([groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff]);
	}
	if (zeroUpTo(7) && (groups[7] === 1 || groups[7] === 0)) return 'loopback';
	if ((first & 0xffc0) === 0xfe80) return 'link-local';
	if ((first & 0xfe00) === 0xfc00) return 'private';
	return 'public';
}

/** The network a URL's host is on, as far as the host as written tells. */
export function addressClassOf(hostname: string): AddressClass {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
	if (METADATA_HOSTS.has(host)) return 'cloud metadata';
	if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
	const octets = ipv4Octets(host);
	if (octets) return ipv4Class(octets);
	const groups = ipv6Groups(host);
	return groups ? ipv6Class(groups) : 'public';
}

/**
 * Why the file may not be fetched from `url`, or undefined when it may. Link-local and cloud
 * metadata addresses never; loopback and private ones only when the credential's Base URL is in the
 * same class, as for a fake API on 127.0.0.1 or a proxy on the LAN.
 */
export function fileUrlRefusal(url: URL, baseUrl: string): string | undefined {
	const target = addressClassOf(url.hostname);
	if (target === 'public') return undefined;
	if (target === 'cloud metadata' || target === 'link-local') {
		return `${url.host} is a ${target} address, which a merged file never comes from`;
	}
	// The same class, not any non-public one: a test server on loopback says nothing about the LAN,
	// and a proxy on the LAN gives no reason to reach services on n8n's own host.
	const base = URL.canParse(baseUrl) ? addressClassOf(new URL(baseUrl).hostname) : 'public';
	if (base === target) return undefined;
	return `${url.host} is a ${target} address, allowed only when the credential's Base URL is on a ${target} address too`;
}
