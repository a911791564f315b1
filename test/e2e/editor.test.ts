/**
 * The n8n editor in a real browser, as a new user meets it: set up the owner, create the VideoSDK
 * credential in its dialog, add the VideoSDK node by searching for it, pick the session and the
 * left speaker from lists, merge and wait, and find the stereo mp3 in the output; add the trigger;
 * open a workflow saved with version 1 of the node. The screenshots it saves are the README's
 * (`npm run docs:images` writes them into docs/images).
 */
import type { Browser, Page } from 'playwright-core';

import type { MergeRecordingRequest } from '../../nodes/VideoSdk/api';
import { API_PATHS } from '../../nodes/VideoSdk/api';
import { loadExample } from '../../scripts/examples';
import { DEMO_ROOM_ID, DEMO_SESSION_ID, seedDemoSessions } from '../../scripts/fake-videosdk/demoSession';
import { silentMp3 } from '../../scripts/fake-videosdk/mp3';
import { byTestId, Editor, launchBrowser, screenshot, textsWhen } from './editor/browser';
import { E2eInstance, GOOD_CREDENTIAL } from './instance';

const OWNER = { email: 'owner@editor.example', firstName: 'Editor', lastName: 'Owner', password: 'Editor-passw0rd' };
const V1_EXAMPLE = loadExample('merge-session-and-wait.json', GOOD_CREDENTIAL);

let n8n: E2eInstance;
let browser: Browser;
let page: Page;
let editor: Editor;
let recordings: Awaited<ReturnType<typeof seedDemoSessions>>['recordings'];

beforeAll(async () => {
	// VideoSDK takes seconds to merge (the fake's callback also waits for n8n to store the pause: untilPaused).
	n8n = await E2eInstance.create({ mergeCompletionDelayMs: 2_000 });
	({ recordings } = seedDemoSessions(n8n.api));
	await n8n.importWorkflowJson(V1_EXAMPLE);
	await n8n.start();
	({ browser, page } = await launchBrowser());
	editor = new Editor(page, n8n.url);
});

afterAll(async () => {
	await browser?.close();
	await n8n?.dispose();
});

const mergeBodies = () =>
	n8n.api.requests
		.filter((request) => request.method === 'POST' && request.path === API_PATHS.merge)
		.map((request) => request.body as MergeRecordingRequest);

describe('the n8n editor, driven in chromium', () => {
	it('sets up the owner account on the first visit', async () => {
		await editor.setUpOwner(OWNER);
		expect(new URL(page.url()).pathname).not.toBe('/setup');
	});

	it('finds the VideoSDK node by searching "VideoSDK" and opens Merge with the version 2 pickers', async () => {
		await editor.open('/workflow/new');
		await editor.searchNodes('manual', 'first');
		await editor.pickCreatorItem(/^Manual Trigger$/);
		await editor.searchNodes('VideoSDK');
		// The action node (with VideoSDK Trigger under it), and the polling trigger, named apart.
		const found = ['VideoSDK', 'VideoSDK Polling'];
		await expect(textsWhen(editor.creatorItems(), (names) => found.every((name) => names.includes(name)))).resolves.toEqual(found);
		await editor.pickCreatorItem(/^VideoSDK$/);
		await editor.pickCreatorItem('Merge participant recordings');

		await byTestId(page, 'resource-locator-sessionId').waitFor();
		await expect(editor.ndv().innerText()).resolves.toContain('Merge participant recordings');
		await expect(byTestId(page, 'resource-locator-sessionId').locator('input').first().inputValue()).resolves.toBe('From list');
		await expect(byTestId(page, 'parameter-input-specifyChannels').locator('input').inputValue()).resolves.toBe(
			'Speakers of the Session',
		);
	});

	it("creates the credential in its dialog: its test shows VideoSDK's complaint for a wrong secret; with the right one it closes and the node uses it", async () => {
		await byTestId(page, 'node-credentials-select').click();
		await page.getByText('Create new credential').click();
		const dialog = byTestId(page, 'editCredential-modal');
		await byTestId(dialog, 'parameter-input-apiKey').locator('input').fill(n8n.api.apiKey);
		await byTestId(dialog, 'parameter-input-secretKey').locator('input').fill('not-the-secret');
		await byTestId(dialog, 'parameter-input-baseUrl').locator('input').fill(n8n.api.url);
		const refused = await editor.saveCredential(dialog);
		expect(refused.saved.data).toMatchObject({ secretKey: 'not-the-secret' });
		expect(refused.tested).toEqual({ status: 'Error', message: expect.stringContaining('VideoSDK answered 401: Token is invalid') });

		await dialog.getByText('Couldn’t connect with these settings').waitFor();
		const details = dialog.getByText('More details');
		if (await details.isVisible()) await details.click();
		await dialog.getByText('VideoSDK answered 401: Token is invalid').waitFor();
		await screenshot(page, 'editor-credential-wrong-secret');

		await byTestId(dialog, 'parameter-input-secretKey').locator('input').fill(n8n.api.secretKey);
		// Saved only once the edit has reached n8n's form: the save carries the corrected secret.
		const accepted = await editor.saveCredential(dialog);
		expect(accepted.saved.data).toMatchObject({ secretKey: n8n.api.secretKey });
		expect(accepted.tested).toMatchObject({ status: 'OK' });
		// Opened from a node, the dialog closes itself once its test passes, and the node now uses the credential.
		await dialog.waitFor({ state: 'hidden' });
		await editor.reopenNdv('Merge participant recordings');
		await expect(byTestId(page, 'node-credentials-select').locator('input').first().inputValue()).resolves.toBe('VideoSDK account');
		// The dialog's tests reached VideoSDK: refused with the wrong secret, accepted with the right one.
		const tests = n8n.api.requests.filter((request) => request.path === API_PATHS.merge && request.method === 'GET');
		const verified = tests.map((request) => request.tokenClaims !== undefined);
		expect(verified).toContain(false);
		expect(verified.at(-1)).toBe(true);
	});

	it('lists sessions newest first, finds one by room or custom room ID, and picks it', async () => {
		await byTestId(page, 'resource-locator-sessionId').locator('[data-test-id="rlc-input"]').click();
		const items = byTestId(page, 'rlc-item');
		await expect(textsWhen(items, (entries) => entries.length >= 3)).resolves.toEqual([
			'town-hall-room · 2026-01-01 12:00 UTC · 3 participants',
			'weekly-sync-room · 2026-01-01 11:00 UTC · 3 participants',
			`${DEMO_ROOM_ID} · 2026-01-01 10:00 UTC · 2 participants`,
		]);
		await screenshot(page, 'editor-session-list');

		const search = page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').first();
		await search.fill('weekly-sync');
		await expect(textsWhen(items, (entries) => entries.length === 1)).resolves.toEqual(['weekly-sync-room · 2026-01-01 11:00 UTC · 3 participants']);
		await search.fill(DEMO_ROOM_ID);
		await items.filter({ hasText: `${DEMO_ROOM_ID} · ` }).click();
		// The locator's inputs: its mode ("From list"), then the chosen entry.
		await expect(byTestId(page, 'resource-locator-sessionId').locator('input').last().inputValue()).resolves.toContain(
			`${DEMO_ROOM_ID} · 2026-01-01 10:00 UTC`,
		);
	});

	it("offers the session's speakers by name for the left channel, everyone else on the right", async () => {
		await editor.openMultiSelect('channel1Speakers');
		const options = editor.visibleOptions();
		const offered = await textsWhen(options, (entries) => entries.length >= 2);
		expect(offered.map((text) => text.split('\n')[0].trim())).toEqual(['Ana Ruiz (interviewer)', 'Bo Chen (candidate)']);
		expect(offered[0]).toContain('1 recording in this session');
		await options.filter({ hasText: 'Ana Ruiz (interviewer)' }).click();
		await page.keyboard.press('Escape');
		await expect(byTestId(page, 'parameter-input-channel1Speakers').innerText()).resolves.toContain('Ana Ruiz (interviewer)');
		await expect(byTestId(page, 'parameter-input-channel2Mode').locator('input').inputValue()).resolves.toBe('Everyone Else');
	});

	it('merges and waits on "Execute step": the finished job in the output, the mp3 in the Binary tab', async () => {
		await byTestId(page, 'parameter-input-waitForCompletion').locator('.el-switch').click();
		await editor.addOption('Download File');
		await byTestId(page, 'parameter-input-downloadFile').locator('.el-switch').click();
		await screenshot(page, 'editor-merge-node');

		await byTestId(page, 'node-execute-button').click();
		// The output panel has a Binary tab only once the run has resumed with the file.
		const output = byTestId(page, 'output-panel');
		await byTestId(output, 'radio-button-binary').waitFor({ timeout: 120_000 });
		await byTestId(page, 'node-run-status-success').waitFor();

		expect(mergeBodies()).toEqual([
			{
				sessionId: DEMO_SESSION_ID,
				channel1: [{ participantId: 'interviewer', recordingId: recordings[0].id }],
				channel2: [{ participantId: 'candidate', recordingId: recordings[1].id }],
				webhookUrl: expect.stringMatching(new RegExp(`^${n8n.url}/webhook-waiting/\\d+\\?signature=`)),
			},
		]);
		const [job] = [...n8n.api.merges.values()];
		expect(job.status).toBe('completed');

		await byTestId(output, 'radio-button-binary').click();
		const binary = byTestId(page, 'ndv-binary-data_0');
		await expect(binary.innerText()).resolves.toMatch(new RegExp(`${job.id}\\.mp3[\\s\\S]*audio/mpeg[\\s\\S]*16\\.3 kB`));
		expect(silentMp3().length).toBe(job.file?.size);
		await screenshot(page, 'editor-output-mp3');

		await byTestId(output, 'radio-button-json').click();
		await output.getByText('merge-recording-completed').first().waitFor();
		await expect(output.innerText()).resolves.toContain(job.file!.fileUrl);
	});

	it('adds the VideoSDK Trigger and shows its Production URL and events', async () => {
		await editor.closeNdv();
		await editor.searchNodes('VideoSDK');
		await editor.pickCreatorItem(/^VideoSDK$/);
		await page.getByText(/^Triggers \(\d+\)$/).click();
		await editor.pickCreatorItem('On merge recording completed');

		await editor.ndv().getByText('Webhook URLs').click();
		await byTestId(page, 'radio-button-production').click();
		await expect(editor.ndv().innerText()).resolves.toMatch(new RegExp(`${n8n.url}/webhook/[0-9a-f-]{36}/webhook`));
		await expect(byTestId(page, 'parameter-input-events').innerText()).resolves.toContain('Merge Recording Completed');
		await screenshot(page, 'editor-trigger');
		await editor.closeNdv();
	});

	it('opens a workflow saved with version 1 of the node without issues, and runs it', async () => {
		const fresh = await page.context().newPage();
		const v1 = new Editor(fresh, n8n.url);
		await v1.open(`/workflow/${V1_EXAMPLE.id}`);
		const merge = v1.canvasNode('Merge and wait for the file');
		await merge.waitFor();
		expect(await byTestId(fresh, 'node-issues').count()).toBe(0);

		await merge.dblclick();
		await byTestId(fresh, 'parameter-input-sessionId').waitFor();
		// Version 1 keeps its typed Session ID (an expression here) and JSON channels.
		expect(await byTestId(fresh, 'resource-locator-sessionId').count()).toBe(0);
		await expect(byTestId(fresh, 'parameter-input-specifyChannels').locator('input').inputValue()).resolves.toBe('Using JSON');
		expect(await byTestId(fresh, 'parameter-issues').count()).toBe(0);
		await v1.closeNdv();

		await byTestId(fresh, 'execute-workflow-button').click();
		const [execution] = await n8n.waitForExecutions(V1_EXAMPLE.id, 1, ['success', 'error'], 120_000);
		expect(execution.status).toBe('success');
		const output = execution.data.resultData.runData['Merge and wait for the file'][0].data!.main[0];
		expect(output[0].binary?.data).toMatchObject({ mimeType: 'audio/mpeg' });
		// The canvas marks the run a moment after n8n stored it: the picture waits for the merge's check mark.
		await byTestId(merge, 'canvas-node-status-success').waitFor();
		await screenshot(fresh, 'editor-demo-workflow');
		await fresh.close();
	});
});
