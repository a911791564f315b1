import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation } from './executor';
import { executeOperation } from './executor';
import * as mergeRecording from './mergeRecording/MergeRecording.resource';
import * as participantRecording from './participantRecording/ParticipantRecording.resource';
import * as session from './session/Session.resource';

const resources: Record<string, Record<string, Operation>> = {
	mergeRecording: mergeRecording.operations,
	participantRecording: participantRecording.operations,
	session: session.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resource]?.[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of resource "${resource}" is not supported`,
		);
	}
	return await executeOperation.call(this, operation);
}
