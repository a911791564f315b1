/** The parts of n8n's verification scanner (plain JavaScript, no types) that the release check uses. */
declare module '@n8n/scan-community-package/scanner/scanner.mjs' {
	import type { Linter } from 'eslint';

	/** What the scanner lints in a package's source: package.json, nodes/ and credentials/. */
	export const SOURCE_FILE_PATTERNS: string[];
	/** The flat ESLint config the scanner lints packages with. */
	export function buildScanConfig(): Promise<Linter.Config[]>;
}
