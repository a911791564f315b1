import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const packageSources = ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'];

export default [
	{ ignores: ['dist/**', '.build/**', '.local-n8n/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	{
		files: ['**/*.ts'],
		languageOptions: { parser: tsParser, sourceType: 'module' },
	},
	{
		files: ['package.json'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
		rules: n8nNodesBase.configs.community.rules,
	},
	{
		files: ['credentials/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: n8nNodesBase.configs.credentials.rules,
	},
	{
		files: ['nodes/**/*.ts'],
		plugins: { 'n8n-nodes-base': n8nNodesBase },
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// These two predate NodeConnectionTypes and demand the literal ['main'], which the
			// community-nodes rule node-connection-type-literal forbids.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
		},
	},
	// n8n's community-node rules, all on. jsonwebtoken, the package's one runtime dependency, is the
	// only exception: its import line says so itself, and its entry in package.json "dependencies"
	// (JSON has no comments) is excused here, for that file and that rule alone.
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: packageSources },
	{ files: ['package.json'], rules: { '@n8n/community-nodes/no-runtime-dependencies': 'off' } },
];
