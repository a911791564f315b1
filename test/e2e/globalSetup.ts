import { ensureRuntime, packPackage } from '../../scripts/localN8n';

/** Once per e2e run: the n8n runtime (installed on first use) and one packed tarball for every file. */
export default async function globalSetup(): Promise<void> {
	await ensureRuntime((line) => process.stderr.write(`${line}\n`));
	process.env.E2E_PACKAGE_TARBALL = await packPackage(() => {});
}
