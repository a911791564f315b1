import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

/**
 * Dependencies run one way: a file of the package imports from its own layer and the layers below
 * it, never from one above (README, Layout, draws the same order).
 */

const ROOT = resolve(__dirname, '..');

/** Top first. A folder listed here holds its subfolders; the nodes are the files of nodes/VideoSdk/ itself. */
const LAYERS = [
	'nodes',
	'credentials',
	'nodes/VideoSdk/methods',
	'nodes/VideoSdk/actions',
	'nodes/VideoSdk/descriptions',
	'nodes/VideoSdk/n8n',
	'nodes/VideoSdk/webhooks',
	'nodes/VideoSdk/transport',
	'nodes/VideoSdk/validation',
	'nodes/VideoSdk/api',
];

/** The layer's index in LAYERS (0 is the top), or undefined for a file outside the package's sources. */
function layerOf(path: string): number | undefined {
	if (/^nodes\/VideoSdk\/[^/]+$/.test(path)) return 0;
	const index = LAYERS.findIndex((layer) => layer !== 'nodes' && path.startsWith(`${layer}/`));
	return index === -1 ? undefined : index;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*)['"]/g;

/** The relative imports of a source, as paths from the root, resolved as TypeScript does. */
function importsOf(path: string, source: string, exists: (path: string) => boolean): string[] {
	return [...source.matchAll(IMPORT)].map(([, specifier]) => {
		const target = posix.normalize(posix.join(posix.dirname(path), specifier));
		return [`${target}.ts`, `${target}/index.ts`, target].find(exists) ?? target;
	});
}

/** Every import that goes up the layers or out of them, as "file -> target". */
function wrongImports(sources: Map<string, string>, exists: (path: string) => boolean): string[] {
	const wrong: string[] = [];
	for (const [path, source] of sources) {
		const own = layerOf(path);
		for (const target of importsOf(path, source, exists)) {
			const layer = layerOf(target);
			if (own === undefined || layer === undefined || layer < own) wrong.push(`${path} -> ${target}`);
		}
	}
	return wrong;
}

function sourcesBelow(folder: string): string[] {
	return readdirSync(join(ROOT, folder)).flatMap((name) => {
		const path = `${folder}/${name}`;
		if (statSync(join(ROOT, path)).isDirectory()) return sourcesBelow(path);
		return path.endsWith('.ts') ? [path] : [];
	});
}

describe('the layers of the package', () => {
	const paths = [...sourcesBelow('nodes'), ...sourcesBelow('credentials')];
	const existsInRepo = (path: string) => existsSync(join(ROOT, path)) && statSync(join(ROOT, path)).isFile();

	it('hold every source file', () => {
		expect(paths.filter((path) => layerOf(path) === undefined)).toEqual([]);
		expect(paths.length).toBeGreaterThan(40);
	});

	it('are only imported downward', () => {
		const sources = new Map(paths.map((path) => [path, readFileSync(join(ROOT, path), 'utf8')]));
		expect(wrongImports(sources, existsInRepo)).toEqual([]);
	});

	it('catch an upward import, an import from outside the package, and let the others pass', () => {
		const sources = new Map([
			['nodes/VideoSdk/transport/up.ts', "import type { Operation } from '../actions/operation';"],
			['nodes/VideoSdk/validation/out.ts', "import { runNode } from '../../../scripts/harness';"],
			['nodes/VideoSdk/actions/down.ts', "import { apiRequest } from '../transport';\nimport { jsonItems } from './operation';"],
			['credentials/down.ts', "const api = require('../nodes/VideoSdk/api');"],
		]);
		const exists = (path: string) => ['nodes/VideoSdk/transport/index.ts', 'nodes/VideoSdk/api/index.ts'].includes(path) || path.endsWith('operation.ts');

		expect(wrongImports(sources, exists)).toEqual([
			'nodes/VideoSdk/transport/up.ts -> nodes/VideoSdk/actions/operation.ts',
			'nodes/VideoSdk/validation/out.ts -> scripts/harness',
		]);
	});
});
