import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isToolNode } from '../n8n/toolMode';
import type { FieldError } from '../validation';

/**
 * Bad input, as the node's error: the field's message with the item it came from. A tool gets one
 * item per call, so there the message stays the one sentence the model reads.
 */
export const fieldErrorOfItem = (node: INode, error: FieldError, itemIndex: number) =>
	new NodeOperationError(node, isToolNode(node) ? error.message : `${error.message} [item ${itemIndex}]`, {
		itemIndex,
		description: error.hint,
	});

/** Any error of an item as the node's error, carrying the item's index (for pairedItem and the UI). */
export function asItemError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}
