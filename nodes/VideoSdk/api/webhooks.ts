/** What VideoSDK sends when it calls us. */

export interface PublicKeyResponse {
	publicKey: string;
}

/** Header in which VideoSDK sends the base64 RSA-SHA256 signature of the raw webhook body. */
export const SIGNATURE_HEADER = 'videosdk-signature';

export const MERGE_WEBHOOK_TYPES = ['merge-recording-completed', 'merge-recording-failed'] as const;
export type MergeWebhookType = (typeof MERGE_WEBHOOK_TYPES)[number];

export const isMergeWebhookType = (type: string): type is MergeWebhookType =>
	(MERGE_WEBHOOK_TYPES as readonly string[]).includes(type);

export interface MergeWebhookData {
	id: string;
	meetingId: string;
	sessionId: string;
	/** Only on merge-recording-failed. */
	message?: string;
}

/** Every webhook VideoSDK sends: the event name and its data. */
export interface WebhookPayload<T extends string = string, D = Record<string, unknown>> {
	webhookType: T;
	data: D;
}

export type MergeWebhookPayload = WebhookPayload<MergeWebhookType, MergeWebhookData>;
