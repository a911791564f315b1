import { findingsOf, metadataProblems, problemsOf, scanTargets } from '../../scripts/releaseCheck';

const manifest = {
	name: 'n8n-nodes-videosdk',
	version: '1.0.0',
	n8n: { nodes: ['dist/nodes/VideoSdk/VideoSdk.node.js'], credentials: ['dist/credentials/VideoSdkApi.credentials.js'] },
};
const sources: Record<string, string> = {
	'dist/nodes/VideoSdk/VideoSdk.node.js': "icon: { light: 'file:videoSdk.svg', dark: 'file:videoSdk.dark.svg' }",
	'dist/credentials/VideoSdkApi.credentials.js': 'icon = { light: "file:../nodes/VideoSdk/videoSdk.svg" }',
};
const readEntry = (path: string) => sources[path] ?? '';
const tarball = (...paths: string[]) => new Set(paths.map((path) => `package/${path}`));
const complete = [
	'package.json',
	'dist/nodes/VideoSdk/VideoSdk.node.js',
	'dist/nodes/VideoSdk/VideoSdk.node.json',
	'dist/nodes/VideoSdk/videoSdk.svg',
	'dist/nodes/VideoSdk/videoSdk.dark.svg',
	'dist/credentials/VideoSdkApi.credentials.js',
];

describe('release check', () => {
	it('passes a tarball with every named file, codex and icon', () => {
		expect(problemsOf(tarball(...complete), readEntry, manifest)).toEqual([]);
	});

	it('names what is missing: a node, its codex, an icon a credential names', () => {
		const files = tarball(...complete.filter((path) => !/VideoSdk\.node\.json$|videoSdk\.svg$/.test(path)));
		expect(problemsOf(files, readEntry, manifest)).toEqual([
			'missing dist/nodes/VideoSdk/VideoSdk.node.json (the codex beside the node)',
			'missing dist/nodes/VideoSdk/videoSdk.svg (an icon dist/nodes/VideoSdk/VideoSdk.node.js names)',
			'missing dist/nodes/VideoSdk/videoSdk.svg (an icon dist/credentials/VideoSdkApi.credentials.js names)',
		]);
		expect(problemsOf(tarball('package.json'), readEntry, manifest)).toEqual([
			'missing dist/nodes/VideoSdk/VideoSdk.node.js (named by the n8n block)',
			'missing dist/credentials/VideoSdkApi.credentials.js (named by the n8n block)',
		]);
	});

	it('refuses what users do not need: source maps, sources, tests, tools', () => {
		const files = tarball(...complete, 'dist/nodes/VideoSdk/VideoSdk.node.js.map', 'nodes/VideoSdk/VideoSdk.node.ts', 'test/x.test.js', 'scripts/bench.js');
		expect(problemsOf(files, readEntry, manifest)).toEqual([
			'should not ship dist/nodes/VideoSdk/VideoSdk.node.js.map',
			'should not ship nodes/VideoSdk/VideoSdk.node.ts',
			'should not ship test/x.test.js',
			'should not ship scripts/bench.js',
		]);
	});
});

describe("release check: n8n's scanner", () => {
	const message = (severity: 1 | 2, ruleId: string | null, text: string, line = 3) =>
		({ line, column: 7, severity, ruleId, message: text }) as never;

	it('lists every finding, warnings as well as errors, with the path inside the scanned folder', () => {
		const results = [
			{ filePath: '/scan/package.json', messages: [message(2, '@n8n/community-nodes/no-runtime-dependencies', 'No dependencies')] },
			{ filePath: '/scan/dist/clean.js', messages: [] },
			{
				filePath: '/scan/dist/nodes/a.js',
				messages: [message(1, '@n8n/community-nodes/no-dead-files', 'Dead file', 1), message(2, null, 'Parsing error: Unexpected token', 9)],
			},
		];
		expect(findingsOf(results, '/scan')).toEqual([
			'package.json:3:7 error No dependencies (@n8n/community-nodes/no-runtime-dependencies)',
			'dist/nodes/a.js:1:7 warning Dead file (@n8n/community-nodes/no-dead-files)',
			'dist/nodes/a.js:9:7 error Parsing error: Unexpected token (no rule: the file did not parse)',
		]);
	});

	it('finds nothing in clean results', () => {
		expect(findingsOf([{ filePath: '/scan/package.json', messages: [] }], '/scan')).toEqual([]);
	});

	it("lints the source with the scanner's own patterns, and the tarball's JavaScript and package.json", () => {
		expect(scanTargets('/repo', '/tmp/package', ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'])).toEqual([
			{ what: 'source', directory: '/repo', patterns: ['package.json', '{nodes,credentials}/**/*.{js,ts,json}'] },
			{ what: 'tarball', directory: '/tmp/package', patterns: ['**/*.js', 'package.json'] },
		]);
	});
});

describe('release check: who the package says it is', () => {
	const complete = {
		...manifest,
		repository: { type: 'git', url: 'git+https://github.com/Owner/n8n-nodes-x.git' },
		homepage: 'https://github.com/owner/n8n-nodes-x#readme',
		bugs: { url: 'https://github.com/owner/n8n-nodes-x/issues' },
		author: { name: 'Owner', email: '12345+owner@users.noreply.github.com', url: 'https://github.com/owner' },
	};

	it('passes a repository, homepage, bugs and author that agree', () => {
		expect(metadataProblems(complete)).toEqual([]);
		expect(metadataProblems({ ...complete, repository: 'https://github.com/owner/n8n-nodes-x', author: 'Owner' })).toEqual([]);
	});

	it('names each field that points elsewhere', () => {
		expect(
			metadataProblems({
				...complete,
				homepage: 'https://example.com',
				bugs: 'https://github.com/owner/other/issues',
				author: { name: 'Owner', email: 'someone@users.noreply.github.com', url: 'https://github.com/someone' },
			}),
		).toEqual([
			'package.json homepage is not the repository owner/n8n-nodes-x',
			'package.json bugs.url is not the issues of owner/n8n-nodes-x',
			'package.json author.email is the GitHub account someone, not owner',
			'package.json author.url is not github.com/owner',
		]);
		expect(metadataProblems({ ...complete, bugs: { url: 'https://github.com/owner/n8n-nodes-x' }, author: {} })).toEqual([
			'package.json bugs.url is not the issues of owner/n8n-nodes-x',
			'package.json author has no name',
		]);
	});

	it('needs a GitHub repository to compare with', () => {
		expect(metadataProblems({ ...complete, repository: undefined })).toEqual(['package.json repository.url does not name a GitHub repository']);
		expect(metadataProblems({ ...complete, repository: { url: 'https://gitlab.com/owner/n8n-nodes-x' } })).toEqual([
			'package.json repository.url does not name a GitHub repository',
		]);
	});
});
