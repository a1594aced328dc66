// defaults: every value asc-token uses when an option is left out, and the one Apple limit several
// kinds share, each written once. Code refers to them by name; docs/defaults.md lists them, and a
// test keeps that page equal to this file.

/**
 * Seconds `iat` is backdated by (`clockTolerance`), so a clock running ahead of Apple's does not
 * date a token in Apple's future; also the clock skew the Sign in with Apple verifier allows.
 */
export const DEFAULT_CLOCK_TOLERANCE = 60;

/**
 * Default `refreshBefore` of every provider, in seconds. With `createAscToken`'s defaults a fresh
 * token has 1080 s left (1140 s lifetime, `iat` backdated 60 s), so it is reused for 780 s (13
 * minutes) and replaced with 5 minutes still to go: room for a slow request, a retry, or a clock
 * a little off. A provider never waits past half a token's lifetime, whatever this says.
 *
 * @example
 * ```ts
 * import { DEFAULT_REFRESH_BEFORE, createAscTokenProvider } from "asc-token";
 * const provider = createAscTokenProvider({
 *   keyId: "2X9R4HXF34",
 *   issuerId: "57246542-96fe-1a63-e053-0824d011072a",
 *   privateKey: process.env.ASC_PRIVATE_KEY!,
 *   refreshBefore: DEFAULT_REFRESH_BEFORE * 2, // 10 minutes
 * });
 * ```
 */
export const DEFAULT_REFRESH_BEFORE = 300;

/** Milliseconds a provider's mint (key import, signing, a signer or store) may take. */
export const DEFAULT_MINT_TIMEOUT = 10_000;

/** Milliseconds a request to one of Apple's token endpoints may take, answer included. */
export const DEFAULT_REQUEST_TIMEOUT = 10_000;

/** Milliseconds the fetch of Apple's Sign in with Apple key set may take, answer included. */
export const DEFAULT_KEYS_TIMEOUT = 5000;

/** Seconds a fetched Sign in with Apple key set is used (`cacheMaxAge`). */
export const DEFAULT_KEYS_MAX_AGE = 3600;

/** Seconds between two fetches of the key set for a `kid` it lacks (`refetchInterval`). */
export const DEFAULT_KEYS_REFETCH_INTERVAL = 60;

/** Milliseconds one call to a shared token store may take before the token is signed locally. */
export const STORE_TIMEOUT = 1000;

/** Milliseconds a store lease lasts: the one instance holding it signs, the others wait. */
export const STORE_LEASE = 10_000;

/** Milliseconds an instance waits for the lease holder's token before signing its own. */
export const STORE_WAIT = 2000;

/**
 * Six months in seconds, Apple's longest token lifetime: "must not be greater than 15777000 (6
 * months in seconds)" (MusicKit; Sign in with Apple's client secret and the long-lived App Store
 * Connect scopes say the same), and asc-token's cap for WeatherKit and MapKit.
 */
export const SIX_MONTHS = 15_777_000;

/**
 * The longest lifetime "less than 180 days from the iat timestamp", in seconds (180 days less one
 * second): Apple's limit for the Apple Business Manager client assertion and the Apple Ads client
 * secret.
 */
export const UNDER_180_DAYS = 15_551_999;
