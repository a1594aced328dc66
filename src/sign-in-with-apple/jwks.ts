// jwks: Apple's public keys for Sign in with Apple, chosen by `kid`, cached, refetched on rotation.
//
// Apple, "Fetch Apple's public key for verifying token signature" (GET
// https://appleid.apple.com/auth/keys, answering a JWKSet of JWKSet.Keys: kty, kid, use, alg, n,
// e): "The endpoint can return multiple keys, and the count of keys can vary over time. From this
// set of keys, select the key with the matching key identifier (kid) to verify the signature of
// any JSON Web Token (JWT) issued by Apple." The key is never taken by its position.
//
// Apple states no cache lifetime, rotation schedule, key size or set size; the bounds here are ours
// (docs/sign-in-with-apple.md): a set is kept `cacheMaxAge` seconds; a `kid` it lacks refetches it
// at most once per `refetchInterval` seconds; callers waiting at the same time share one fetch;
// the answer is at most 64 KiB of at most 20 keys, each RSA with a 2048- to 4096-bit modulus.

import { decodeBase64 } from "../lib/base64url.js";
import { fail, isAscTokenError } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { subtle } from "../lib/subtle.js";
import { type Clock, epochSeconds } from "../lib/time.js";
import { request } from "./http.js";

/** Apple's key set for Sign in with Apple. */
export const APPLE_KEYS_URL = "https://appleid.apple.com/auth/keys";
/** RSASSA-PKCS1-v1_5 with SHA-256: JWS `RS256` (RFC 7518 §3.3), the one algorithm accepted. */
export const RS256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

const MAX_BODY = 65_536;
const MAX_KEYS = 20;
const MAX_KID = 128;

/** One entry of the set: a key to verify with, or why the entry cannot verify RS256. */
type Entry = { key: CryptoKey } | { unusable: string };
type Keys = ReadonlyMap<string, Entry>;

const malformed = (why: string) =>
  fail("SIWA_KEYS_MALFORMED", `the Sign in with Apple key set ${why}`);

/** The bytes of a base64url member (no padding), or SIWA_KEYS_MALFORMED. */
const member = (jwk: Record<string, unknown>, name: string, kid: string): Uint8Array => {
  const text = jwk[name];
  const bytes = typeof text === "string" && /^[\w-]+$/.test(text) ? decodeBase64(text) : undefined;
  if (!bytes) throw malformed(`has key ${showValue(kid)} whose ${name} is not base64url`);
  return bytes;
};

/** Significant bits of a big-endian unsigned integer. */
const bitLength = (bytes: Uint8Array): number => {
  let i = 0;
  while (i < bytes.length && bytes[i] === 0) i++;
  return i === bytes.length ? 0 : (bytes.length - i) * 8 - Math.clz32(bytes[i] ?? 0) + 24;
};

/** One JWK: imported when it is an RS256 signing key, else the reason it cannot verify. */
const readKey = async (jwk: Record<string, unknown>, kid: string): Promise<Entry> => {
  if (jwk.kty !== "RSA") return { unusable: "is not an RSA key" };
  if (jwk.alg !== undefined && jwk.alg !== "RS256") return { unusable: "is not for RS256" };
  if (jwk.use !== undefined && jwk.use !== "sig") return { unusable: "is not for signatures" };
  const bits = bitLength(member(jwk, "n", kid));
  if (bits < 2048 || bits > 4096) {
    throw malformed(`has key ${showValue(kid)} with a ${bits}-bit modulus (2048-4096 read)`);
  }
  const e = member(jwk, "e", kid);
  if (e.length > 4 || bitLength(e) < 2 || !((e[e.length - 1] ?? 0) & 1)) {
    throw malformed(`has key ${showValue(kid)} with an exponent that is not odd and >= 3`);
  }
  try {
    const key = await subtle().importKey(
      "jwk",
      { kty: "RSA", n: jwk.n as string, e: jwk.e as string, alg: "RS256", ext: true },
      RS256,
      false,
      ["verify"],
    );
    return { key };
  } catch (cause) {
    if (isAscTokenError(cause)) throw cause;
    throw fail("SIWA_KEYS_MALFORMED", `WebCrypto refused key ${showValue(kid)}`, cause);
  }
};

/**
 * A JWK set (`{ keys: [...] }`, parsed or as JSON text) read into its entries by `kid`. Refuses
 * anything but at most 20 keys with distinct `kid`s; keys that are not RS256 are kept as unusable
 * so that a token naming one is told why.
 */
export const readKeySet = async (set: unknown): Promise<Keys> => {
  let value = set;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw malformed("is not JSON");
    }
  }
  const keys = (value as { keys?: unknown } | null)?.keys;
  if (typeof value !== "object" || !Array.isArray(keys)) throw malformed("is not { keys: [...] }");
  if (keys.length === 0 || keys.length > MAX_KEYS) {
    throw malformed(`has ${keys.length} keys (1 to ${MAX_KEYS} read)`);
  }
  const entries = new Map<string, Entry>();
  const pending: Promise<void>[] = [];
  for (const jwk of keys as unknown[]) {
    if (typeof jwk !== "object" || jwk === null) throw malformed("has a key that is not an object");
    const { kid } = jwk as { kid?: unknown };
    if (typeof kid !== "string" || !kid || kid.length > MAX_KID) {
      throw malformed(`has a key without a kid of 1 to ${MAX_KID} characters`);
    }
    if (entries.has(kid)) throw malformed(`has two keys with kid ${showValue(kid)}`);
    entries.set(kid, { unusable: "is being read" });
    const record = jwk as Record<string, unknown>;
    pending.push(readKey(record, kid).then((entry) => void entries.set(kid, entry)));
  }
  await Promise.all(pending);
  return entries;
};

/** Where the keys come from and how long they are kept (checked by the verifier). */
export interface KeySource {
  /** A pinned set: never fetched. */
  keys: Promise<Keys> | undefined;
  url: string;
  fetchImpl: FetchLike | undefined;
  timeoutMs: number;
  cacheMaxAge: number;
  refetchInterval: number;
  now: Clock | undefined;
}

/** The key `kid` names, from a cached, pinned or freshly fetched set; SIWA_KEY_NOT_FOUND else. */
export type KeyLookup = (kid: string) => Promise<CryptoKey>;

const found = (keys: Keys, kid: string, fetched: boolean): CryptoKey => {
  const entry = keys.get(kid);
  const name = showValue(kid);
  if (entry && "key" in entry) return entry.key;
  throw fail(
    "SIWA_KEY_NOT_FOUND",
    entry
      ? `the key ${name} the token names ${entry.unusable}`
      : `the token names key ${name}, which is not in Apple's key set` +
          (fetched ? " (refetched at most once per refetchInterval)" : " (the pinned keys)"),
  );
};

/** The lookup over `source`: one cache and one fetch in flight, per verifier. */
export const keyLookup = (source: KeySource): KeyLookup => {
  const { keys: pinned } = source;
  if (pinned) return async (kid) => found(await pinned, kid, false);

  let cached: { keys: Keys; fetchedAt: number } | undefined;
  let triedAt = -Infinity;
  let pending: Promise<Keys> | undefined;

  const fetchKeys = async (): Promise<Keys> => {
    const answer = await request(
      source.fetchImpl,
      source.url,
      { headers: { Accept: "application/json" } },
      { timeoutMs: source.timeoutMs, maxBytes: MAX_BODY },
      { failed: "SIWA_KEYS_UNAVAILABLE", tooLarge: "SIWA_KEYS_MALFORMED" },
      `GET ${source.url}`,
    );
    if (answer.status !== 200) {
      throw fail("SIWA_KEYS_UNAVAILABLE", `GET ${source.url} answered ${answer.status}`);
    }
    return readKeySet(answer.text);
  };
  /** One fetch at a time: whoever arrives while it runs waits for it. */
  const refresh = (): Promise<Keys> =>
    (pending ??= (async () => {
      triedAt = epochSeconds(source.now);
      try {
        const keys = await fetchKeys();
        cached = { keys, fetchedAt: epochSeconds(source.now) };
        return keys;
      } finally {
        pending = undefined;
      }
    })());

  return async (kid) => {
    const now = epochSeconds(source.now);
    const fresh = cached && now - cached.fetchedAt < source.cacheMaxAge ? cached.keys : undefined;
    let keys = fresh ?? (await refresh());
    // A kid not seen yet: Apple may have rotated. Join the fetch in flight, or start one, but
    // not more than once an interval, so a flood of unknown kids costs one fetch.
    if (!keys.has(kid)) {
      if (pending) keys = await pending;
      else if (now - triedAt >= source.refetchInterval) keys = await refresh();
    }
    return found(keys, kid, true);
  };
};
