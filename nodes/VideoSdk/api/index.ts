/** What the VideoSDK API is: its paths, the shapes it speaks, how it authenticates and calls back. */
export * from './auth';
export * from './paths';
export * from './shapes';
export * from './token';
export * from './webhooks';
