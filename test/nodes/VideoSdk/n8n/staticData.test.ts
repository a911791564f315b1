import { EventEmitter } from 'node:events';
import type { IWebhookFunctions } from 'n8n-workflow';

import { keepMarkedUntilAnswered } from '../../../../nodes/VideoSdk/n8n/staticData';

const contextAnswering = (response: object) => ({ getResponseObject: () => response }) as unknown as IWebhookFunctions;

describe('keepMarkedUntilAnswered', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('marks again on each tick until the call is answered, once more then, and never after', async () => {
		const response = new EventEmitter();
		const mark = jest.fn();
		keepMarkedUntilAnswered(contextAnswering(response), mark);
		expect(mark).not.toHaveBeenCalled();
		await jest.advanceTimersByTimeAsync(5);
		const beforeAnswer = mark.mock.calls.length;
		expect(beforeAnswer).toBeGreaterThanOrEqual(3);
		response.emit('finish');
		response.emit('close');
		expect(mark).toHaveBeenCalledTimes(beforeAnswer + 1);
		await jest.advanceTimersByTimeAsync(100);
		expect(mark).toHaveBeenCalledTimes(beforeAnswer + 1);
	});

	it('stops after maxTicks when the call is never answered', async () => {
		const mark = jest.fn();
		keepMarkedUntilAnswered(contextAnswering(new EventEmitter()), mark, 10);
		await jest.advanceTimersByTimeAsync(1000);
		expect(mark).toHaveBeenCalledTimes(10);
	});

	it('does nothing for a response that is not an event emitter', async () => {
		const mark = jest.fn();
		keepMarkedUntilAnswered(contextAnswering({}), mark);
		await jest.advanceTimersByTimeAsync(100);
		expect(mark).not.toHaveBeenCalled();
	});
});
