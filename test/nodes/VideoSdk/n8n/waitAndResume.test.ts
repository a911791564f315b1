import type { IWebhookFunctions } from 'n8n-workflow';

import { claimResume, failsResumedNodes } from '../../../../nodes/VideoSdk/n8n/waitAndResume';

const webhookOf = (executionId: string) => ({ getExecutionId: () => executionId }) as unknown as IWebhookFunctions;

describe('n8n adapter: which n8n runs the package', () => {
	it('reads the major from the n8n-workflow that loads the package (2.x here): resumed nodes can fail', () => {
		expect(failsResumedNodes()).toBe(true);
	});

	it.each([
		['1.120.31', false],
		['2.41.0', true],
		['3.0.0-exp.1', true],
		['', undefined],
		['next', undefined],
		[null, undefined],
	])('n8n-workflow %j: %j', (version, fails) => {
		expect(failsResumedNodes(version)).toBe(fails);
	});
});

describe('n8n adapter: one resume per pause', () => {
	it('lets the first callback of a pause resume it and no other', () => {
		const state = { items: [], pauseId: 'pause-a' };
		expect([claimResume(webhookOf('41'), state), claimResume(webhookOf('41'), state)]).toEqual([true, false]);
	});

	it('lets a later pause of the same execution, and another execution, resume', () => {
		const first = { items: [], pauseId: 'pause-b1' };
		expect(claimResume(webhookOf('42'), first)).toBe(true);
		expect(claimResume(webhookOf('42'), { items: [], pauseId: 'pause-b2' })).toBe(true);
		expect(claimResume(webhookOf('43'), first)).toBe(true);
	});

	it('forgets a resume after an hour, when n8n itself refuses callbacks of a resumed execution', () => {
		const state = { items: [], pauseId: 'pause-c' };
		const start = Date.now();
		expect(claimResume(webhookOf('44'), state, start)).toBe(true);
		expect(claimResume(webhookOf('44'), state, start + 59 * 60_000)).toBe(false);
		expect(claimResume(webhookOf('44'), state, start + 61 * 60_000)).toBe(true);
	});
});
