import tsParser from '@typescript-eslint/parser';
import { config as n8nNodeCliConfig } from '@n8n/node-cli/eslint';

// What n8n lints when it verifies a community package: `n8n-node lint`'s config with n8n Cloud
// support on (@n8n/node-cli), over what ships: the node and credential sources and package.json.
// Tests and tools use Node's timers, file system and processes, which that config forbids in a node.
const packageSources = ['nodes/**/*.ts', 'credentials/**/*.ts'];
const overPackageSources = (entry) =>
	entry.files?.includes('**/*.ts') ? { ...entry, files: packageSources } : entry;

export default [
	{ ignores: ['dist/**', '.build/**', '.local-n8n/**', 'node_modules/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
	// Tests and tools: parsed, so that a syntax error anywhere fails lint.
	{ files: ['**/*.ts'], languageOptions: { parser: tsParser, sourceType: 'module' } },
	...n8nNodeCliConfig.map(overPackageSources),
	// Ours on top of n8n's: two eslint-plugin-n8n-nodes-base rules that node-cli turns off for all
	// packages and that hold for this one: secret-looking credential fields are password fields, and
	// Limit has no maxValue (the node pages through VideoSDK's lists for any limit).
	{
		files: ['credentials/**/*.ts'],
		rules: { 'n8n-nodes-base/cred-class-field-type-options-password-missing': 'error' },
	},
	{
		files: ['nodes/**/*.ts'],
		rules: { 'n8n-nodes-base/node-param-type-options-max-value-present': 'error' },
	},
];
