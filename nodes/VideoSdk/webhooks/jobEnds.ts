import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';
import { createHash } from 'node:crypto';

import type { WebhookPayload } from '../api';

/**
 * One run per job end: a job's end (its ID and the event type) starts at most one run of a
 * trigger node, however often VideoSDK's signed body arrives (a redelivery, or a replay by anyone
 * who captured it). What is claimed is kept twice:
 * - in the node's workflow static data, which n8n stores with the workflow, so that it holds across
 *   restarts and for every process that loads the workflow after it was saved;
 * - in this process's memory, so that deliveries arriving together, each of which loaded the
 *   workflow before another's claim was saved, claim once here too, and so that each save writes
 *   every claim this process knows (n8n saves the whole static data: a save would otherwise drop a
 *   claim that a concurrent request of this process saved just before).
 *
 * Bounds: the newest JOB_ENDS_KEPT claims of the last JOB_END_MEMORY_MS. Each claim is a fixed-size
 * hash and a time (about 60 bytes of JSON), so the static data n8n writes with each claim stays
 * under 100 KB. A job end older than that (a replay of a month-old event) would be claimed again:
 * the trigger's confirmation with VideoSDK still limits it to a real job of this account.
 */
export const JOB_ENDS_KEPT = 1000;
export const JOB_END_MEMORY_MS = 30 * 24 * 60 * 60_000;

/** The field of the node's static data holding its claims, as [key, claimed at] pairs, oldest first. */
export const JOB_ENDS_FIELD = 'videoSdkJobEnds';

type Claim = [key: string, claimedAt: number];

/**
 * Merge events name their job in data.id: their end is the job and the event type, whatever else
 * the body says. Other events name no job: their own exact body is what must not start twice.
 * Hashed, so that static data holds no IDs and each entry has one size.
 */
export function jobEndKey(payload: Pick<WebhookPayload<string, unknown>, 'webhookType' | 'data'>, rawBody: Buffer): string {
	const id = (payload.data as { id?: unknown } | null | undefined)?.id;
	const hash = createHash('sha256');
	if (typeof id === 'string' && id !== '') hash.update(`job\0${payload.webhookType}\0${id}`);
	else hash.update('body\0').update(rawBody);
	return hash.digest('base64url').slice(0, 32);
}

/** Per workflow and node, this process's claims: bounded by the trigger nodes in use. */
const claimsInMemory = new Map<string, Map<string, number>>();

const scopeOf = (context: IWebhookFunctions) => `${context.getWorkflow().id ?? ''}\0${context.getNode().name}`;

const isClaim = (entry: unknown): entry is Claim =>
	Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && Number.isFinite(entry[1]);

/** The claims to keep: the newest JOB_ENDS_KEPT of the last JOB_END_MEMORY_MS, oldest first. */
function bounded(claims: Iterable<Claim>, now: number): Claim[] {
	const newest = new Map<string, number>();
	for (const [key, at] of claims) {
		if (now - at < JOB_END_MEMORY_MS && at >= (newest.get(key) ?? -Infinity)) newest.set(key, at);
	}
	return [...newest].sort((a, b) => a[1] - b[1]).slice(-JOB_ENDS_KEPT);
}

function storedClaims(staticData: IDataObject): Claim[] {
	const stored = staticData[JOB_ENDS_FIELD];
	return Array.isArray(stored) ? stored.filter(isClaim) : [];
}

function memoryOf(context: IWebhookFunctions, now: number): Map<string, number> {
	const scope = scopeOf(context);
	const memory = new Map(bounded(claimsInMemory.get(scope) ?? [], now));
	claimsInMemory.set(scope, memory);
	return memory;
}

/**
 * Whether this delivery may start a run: true for the first of a job end, false for every later one
 * this process or the stored static data knows. Call it only for an event known to be genuine
 * (signed, and confirmed with VideoSDK), so that nothing forged takes or evicts a claim.
 */
export function claimJobEnd(context: IWebhookFunctions, key: string, now = Date.now()): boolean {
	const staticData = context.getWorkflowStaticData('node');
	const memory = memoryOf(context, now);
	const stored = bounded(storedClaims(staticData), now);
	if (memory.has(key) || stored.some(([storedKey]) => storedKey === key)) return false;
	memory.set(key, now);
	keepClaims(context, now);
	return true;
}

/**
 * Puts the claims into the node's static data and marks it changed for n8n to save: those loaded
 * with the workflow and those of this process. The field reads them when n8n serializes it, so a
 * save written after another request of this process claimed (n8n saves the whole static data, and
 * a run of n8n 2.x saves its copy when it ends) still carries that claim.
 */
export function keepClaims(context: IWebhookFunctions, now = Date.now()): void {
	const staticData = context.getWorkflowStaticData('node');
	const scope = scopeOf(context);
	const loaded = storedClaims(staticData);
	const current = () => bounded([...loaded, ...(claimsInMemory.get(scope) ?? [])], Math.max(now, Date.now()));
	// Assigned whole: n8n marks the node's static data changed only for a change at its first level.
	staticData[JOB_ENDS_FIELD] = current();
	Object.defineProperty(staticData, JOB_ENDS_FIELD, { get: current, set: () => {}, enumerable: true, configurable: true });
}

/** Marks the node's static data changed again, for n8n to save the claims (cheap: nothing is copied). */
export function markClaimsChanged(context: IWebhookFunctions): void {
	const staticData = context.getWorkflowStaticData('node');
	// keepClaims left a field that reads the claims when saved and ignores assignments: assigning it
	// only tells n8n that the static data changed.
	if (Object.getOwnPropertyDescriptor(staticData, JOB_ENDS_FIELD)?.set) staticData[JOB_ENDS_FIELD] = undefined;
	else keepClaims(context);
}

/** Gives a claim back when its run could not start, so that VideoSDK's retry may start it. */
export function releaseJobEnd(context: IWebhookFunctions, key: string): void {
	claimsInMemory.get(scopeOf(context))?.delete(key);
	const staticData = context.getWorkflowStaticData('node');
	const others = storedClaims(staticData).filter(([storedKey]) => storedKey !== key);
	Object.defineProperty(staticData, JOB_ENDS_FIELD, { value: others, writable: true, enumerable: true, configurable: true });
	keepClaims(context);
}

/** Forgets this process's claims (tests: a new process). */
export function forgetClaimsInMemory(): void {
	claimsInMemory.clear();
}
