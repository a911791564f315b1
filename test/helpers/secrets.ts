/**
 * Every string reachable from a value, through own properties whether enumerable or not (so an
 * error's `cause`, `config` or `request` is searched too), for asserting a secret is nowhere.
 */
export function reachableStrings(value: unknown, seen = new WeakSet<object>()): string[] {
	if (typeof value === 'string') return [value];
	if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
	if (!value || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value as object)) {
		return [];
	}
	seen.add(value as object);
	if (Buffer.isBuffer(value)) return [value.toString('utf8')];
	const strings: string[] = [];
	for (const key of Object.getOwnPropertyNames(value)) {
		let child: unknown;
		try {
			child = (value as Record<string, unknown>)[key];
		} catch {
			continue;
		}
		if (typeof child === 'function') continue;
		strings.push(...reachableStrings(child, seen));
	}
	return strings;
}

export const containsAnywhere = (value: unknown, secret: string) =>
	reachableStrings(value).some((text) => text.includes(secret));
