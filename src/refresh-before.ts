// refresh-before: the provider's default refresh margin, in a module of its own so the store layer
// can read it without importing the provider (which imports the store layer).

/**
 * Default `refreshBefore`, in seconds. With `createAscToken`'s defaults a fresh token has
 * 1080 s left (1140 s lifetime, `iat` backdated 60 s), so it is reused for 780 s (13 minutes) and
 * replaced with 5 minutes still to go: room for a slow request, a retry, or a clock a little off.
 *
 * @example
 * ```ts
 * createAscTokenProvider({ ...options, refreshBefore: DEFAULT_REFRESH_BEFORE * 2 }); // 10 minutes
 * ```
 */
export const DEFAULT_REFRESH_BEFORE = 300;
