/** How a server-side call proves who it is. */

export const CREDENTIAL_TYPE = 'videoSdkApi';

/** Claims VideoSDK expects in the token of a server-side (v2, "crawler") REST call. */
export interface VideoSdkTokenClaims {
	apikey: string;
	permissions: Array<'allow_join' | 'ask_join' | 'allow_mod'>;
	version: 2;
	roles: Array<'crawler' | 'rtc'>;
}

export const REST_TOKEN_CLAIMS: Omit<VideoSdkTokenClaims, 'apikey'> = {
	permissions: ['allow_join', 'allow_mod'],
	version: 2,
	roles: ['crawler'],
};
