import type { INodeProperties } from 'n8n-workflow';

import { LIST_SEARCH } from './methodNames';

/**
 * Fields by node version. Version 1 takes IDs as text; version 2 picks sessions, merge jobs and
 * recordings from lists (resource locators). A locator stores `{ __rl, mode, value }` where
 * version 1 stored a string, so both versions keep the field's name and each shows its own kind:
 * workflows saved with version 1 open and run unchanged.
 */

export const VERSION_1 = { '@version': [1] };
export const FROM_VERSION_2 = { '@version': [{ _cnd: { gte: 2 } }] };

const showOnly = (field: INodeProperties, versions: typeof VERSION_1 | typeof FROM_VERSION_2): INodeProperties => ({
	...field,
	displayOptions: { ...field.displayOptions, show: { ...field.displayOptions?.show, ...versions } },
});

/** A version 1 field and its version 2 successor of the same name. */
export const byVersion = (version1: INodeProperties, version2: INodeProperties): INodeProperties[] => [
	showOnly(version1, VERSION_1),
	showOnly(version2, FROM_VERSION_2),
];

interface LocatorSpec {
	displayName: string;
	name: string;
	description: string;
	/** What the list is of, for its placeholder: "Select a session…". */
	entity: string;
	searchListMethod: string;
	idPlaceholder: string;
}

/** "From List" (searchable, paged by the list search method) or "By ID". */
const locator = (spec: LocatorSpec): INodeProperties => ({
	displayName: spec.displayName,
	name: spec.name,
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: spec.description,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: `Select a ${spec.entity}...`,
			typeOptions: { searchListMethod: spec.searchListMethod, searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: spec.idPlaceholder,
		},
	],
});

export const sessionLocator = (description: string): INodeProperties =>
	locator({
		displayName: 'Session',
		name: 'sessionId',
		description,
		entity: 'session',
		searchListMethod: LIST_SEARCH.sessions,
		idPlaceholder: 'e.g. 6847c231fbaa8b416bc87014',
	});

export const mergeJobLocator = (description: string): INodeProperties =>
	locator({
		displayName: 'Merge Job',
		name: 'mergeId',
		description,
		entity: 'merge job',
		searchListMethod: LIST_SEARCH.mergeJobs,
		idPlaceholder: 'e.g. 6847c5f02abe9a2807e4269b',
	});

export const participantRecordingLocator = (description: string): INodeProperties =>
	locator({
		displayName: 'Participant Recording',
		name: 'recordingId',
		description,
		entity: 'recording',
		searchListMethod: LIST_SEARCH.participantRecordings,
		idPlaceholder: 'e.g. 6847c2d12abe9a2807e42684',
	});
