/**
 * The n8n editor in a real browser: Debian's chromium driven by playwright-core (which downloads no
 * browser of its own). Selectors are the editor's data-test-id attributes, checked on n8n 2.41.1.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';

import { REPO_ROOT } from '../../../scripts/localN8n';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots go here: `npm run docs:images` points it at docs/images, a plain run keeps them aside. */
export const SCREENSHOTS_DIR = join(REPO_ROOT, process.env.E2E_SCREENSHOTS_DIR ?? join('.test-results', 'editor-screenshots'));

// Two shared cores: the editor's first load and its panels can take many seconds.
const STEP_TIMEOUT_MS = 90_000;

export async function launchBrowser(): Promise<{ browser: Browser; page: Page }> {
	if (!existsSync(CHROMIUM)) {
		throw new Error(`No browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium fonts-dejavu-core) or set CHROMIUM_PATH`);
	}
	// --no-sandbox: CI runs as root, where chromium's sandbox refuses to start.
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	context.setDefaultTimeout(STEP_TIMEOUT_MS);
	return { browser, page: await context.newPage() };
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(SCREENSHOTS_DIR, { recursive: true });
	const file = join(SCREENSHOTS_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

export const byTestId = (page: Page | Locator, id: string) => page.locator(`[data-test-id="${id}"]`);

/** What a person does in the editor, one step a method. */
export class Editor {
	constructor(
		readonly page: Page,
		readonly baseUrl: string,
	) {}

	async open(path: string) {
		// "load" waits for every asset, which can take a minute on a busy machine; the steps wait for what they need.
		await this.page.goto(`${this.baseUrl}${path}`, { waitUntil: 'domcontentloaded' });
	}

	async setUpOwner(owner: { email: string; firstName: string; lastName: string; password: string }) {
		await this.open('/');
		await this.page.waitForURL(/\/setup/);
		for (const [name, value] of Object.entries(owner)) await this.page.locator(`input[name="${name}"]`).fill(value);
		await this.page.getByRole('button', { name: 'Next' }).click();
		await this.page.waitForURL((url) => !url.pathname.startsWith('/setup'));
	}

	/** The node creator's search, from the canvas' big plus (first node) or the panel's plus. */
	async searchNodes(text: string, from: 'first' | 'next' = 'next') {
		await byTestId(this.page, from === 'first' ? 'canvas-plus-button' : 'node-creator-plus-button').click();
		await byTestId(this.page, 'node-creator-search-bar').fill(text);
	}

	creatorItems() {
		return byTestId(this.page, 'node-creator-item-name');
	}

	async pickCreatorItem(name: string | RegExp) {
		await this.creatorItems().filter({ hasText: name }).first().click();
	}

	ndv() {
		return byTestId(this.page, 'ndv');
	}

	async closeNdv() {
		await byTestId(this.page, 'ndv-close-button').click();
		await this.ndv().waitFor({ state: 'hidden' });
	}

	/** Opens the node panel again if a dialog closing took it with it (n8n closes both on Escape). */
	async reopenNdv(nodeName: string) {
		if (!(await this.ndv().isVisible())) await this.canvasNode(nodeName).dblclick();
		await this.ndv().waitFor();
	}

	/**
	 * Presses Save in the credential dialog and returns the credential n8n was sent (created or
	 * updated) and what n8n's test of it answered. The test id marks a wrapper: the button inside
	 * stays disabled while a save or its test is still running and until a field changes, and a click
	 * on the wrapper then is lost. Clicking the button itself waits until it takes the click.
	 */
	async saveCredential(dialog: Locator): Promise<{ saved: { data: Record<string, unknown> }; tested: { status: string; message: string } }> {
		const saved = this.page.waitForRequest((request) => {
			const path = new URL(request.url()).pathname;
			return (request.method() === 'POST' && path === '/rest/credentials') || (request.method() === 'PATCH' && /^\/rest\/credentials\/[^/]+$/.test(path));
		});
		// The dialog tests a credential right after saving it.
		const tested = this.page.waitForResponse((response) => new URL(response.url()).pathname === '/rest/credentials/test');
		await byTestId(dialog, 'credential-save-button').locator('button').click();
		return {
			saved: (await saved).postDataJSON() as { data: Record<string, unknown> },
			tested: ((await (await tested).json()) as { data: { status: string; message: string } }).data,
		};
	}

	canvasNode(name: string) {
		return this.page.locator('.vue-flow__node').filter({ hasText: name });
	}

	/** The options of an element-plus select as the page shows them (its popper lives outside the field). */
	visibleOptions() {
		return this.page.locator('.el-select-dropdown__item:visible');
	}

	/** Opens a multi-select field once n8n has loaded its options (it is disabled while loading). */
	async openMultiSelect(parameter: string) {
		const field = byTestId(this.page, `parameter-input-${parameter}`);
		await field.locator('.el-select:not(.el-select--disabled) input.el-select__input').click();
	}

	async addOption(displayName: string) {
		await byTestId(this.page, 'collection-parameter-add').click();
		await byTestId(this.page, 'collection-parameter-option').filter({ hasText: displayName }).click();
	}
}

/**
 * The texts of what a locator matches once they satisfy `done` (lists fill in as the editor loads
 * and filters them), or whatever they are when the time is up: the caller's expect says why.
 */
export async function textsWhen(locator: Locator, done: (texts: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const texts = (await locator.allInnerTexts()).map((text) => text.trim());
		if (done(texts) || Date.now() > deadline) return texts;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}
