import { ensureRuntime, packPackage, runtimeOf } from '../../scripts/localN8n';

/**
 * Once per e2e run and n8n major (jest project): the n8n runtime (installed on first use), and one
 * packed tarball for every file of every project.
 */
export default async function globalSetup(_globalConfig: unknown, projectConfig: { globals: Record<string, unknown> }): Promise<void> {
	const runtime = runtimeOf(String(projectConfig.globals.N8N_MAJOR ?? process.env.N8N_MAJOR ?? ''));
	await ensureRuntime((line) => process.stderr.write(`${line}\n`), runtime);
	process.env.E2E_PACKAGE_TARBALL ??= await packPackage(() => {});
}
