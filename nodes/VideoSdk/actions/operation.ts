import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { ApiRequest } from '../transport';
import type { RetryPolicy } from '../transport/retry';
import type { OperationParameters } from '../validation';
import type { Pause } from './pause';

/** What the executor tells an operation about the execution, beside the item's parameters. */
export interface ExecutionFacts {
	/** Set when the node will pause until VideoSDK calls this URL back. */
	resumeUrl?: string;
}

/** What an operation's output step may use beside the response. */
export interface OutputStep {
	context: IExecuteFunctions;
	parameters: OperationParameters;
	itemIndex: number;
	/** The item's retry policy, for any further call the step makes (a file download). */
	policy: RetryPolicy;
}

/** What an operation's prepare step may use to look things up before its request. */
export interface PrepareStep {
	context: IExecuteFunctions;
	itemIndex: number;
	policy: RetryPolicy;
}

/**
 * What every operation module exports: its fields and a pure function from their values to a
 * request. The executor does everything else, the same way for every operation.
 */
export interface Operation<Prepared = unknown> {
	description: INodeProperties[];
	/**
	 * Must leave `parameters` as they are: values without an expression are shared by all items.
	 * `prepared` is what the item's prepare step found, for an operation that has one.
	 */
	request(parameters: OperationParameters, facts: ExecutionFacts, prepared?: Prepared): ApiRequest;
	/**
	 * Looks up at VideoSDK what the request needs beyond the fields (the recordings of the chosen
	 * speakers), per item and before `request`, which stays pure. A FieldError it throws names the
	 * field and the item, as request's do.
	 */
	prepare?(parameters: OperationParameters, step: PrepareStep): Promise<Prepared>;
	/** The output items of one response; without it the response itself is the one output item. */
	output?(response: unknown, step: OutputStep): INodeExecutionData[] | Promise<INodeExecutionData[]>;
	/**
	 * List endpoints name the key of a page's entries; the executor pages through them. `newestFirst`
	 * sorts what was read by start, newest first (VideoSDK does not document its order).
	 */
	list?: { itemsKey: string; newestFirst?: boolean };
	/** The "Simplify" form of one output item's JSON (actions/compact.ts), for an operation that has one. */
	compact?(entry: IDataObject): IDataObject;
	pause?: Pause;
}

/** Output items that are just JSON, for output steps that only reshape the response. */
export const jsonItems = (json: IDataObject | IDataObject[]): INodeExecutionData[] =>
	(Array.isArray(json) ? json : [json]).map((entry) => ({ json: entry }));
