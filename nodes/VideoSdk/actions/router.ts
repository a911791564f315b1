import type {
	IExecuteFunctions,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from './operation';
import { executeOperation } from './executor';
import { answer } from '../webhooks/receive';
import * as mergeRecording from './mergeRecording/MergeRecording.resource';
import * as participantRecording from './participantRecording/ParticipantRecording.resource';
import * as session from './session/Session.resource';

const resources: Record<string, Record<string, Operation>> = {
	mergeRecording: mergeRecording.operations,
	participantRecording: participantRecording.operations,
	session: session.operations,
};

function operationOf(context: IExecuteFunctions | IWebhookFunctions): Operation {
	const { resource, operation: operationName } = context.getNode().parameters;
	const operation = resources[String(resource)]?.[String(operationName)];
	if (!operation) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not supported`,
		);
	}
	return operation;
}

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeOperation.call(this, operationOf(this));
}

/** A call to the resume URL of an execution paused by this node's operation. */
export async function webhookRouter(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const { pause } = operationOf(this);
	if (!pause) return answer(this, 404, 'This node does not wait for VideoSDK');
	return await pause.onCallback.call(this);
}
