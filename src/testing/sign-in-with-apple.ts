// testing/sign-in-with-apple: Apple's side of Sign in with Apple, for tests: a throwaway RSA key
// set made with WebCrypto, identity tokens and server-to-server notifications signed with it as
// Apple signs them (RS256, the key's `kid` in the header), the key set as
// https://appleid.apple.com/auth/keys serves it, a `fetch` that serves it without a network, and
// key rotation. Nothing here is used by the library itself.

import { encodeBytes, encodeText, utf8 } from "../lib/base64url.js";
import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { readOptions } from "../lib/options.js";
import { RS256 } from "../sign-in-with-apple/jwks.js";
import { subtle } from "../lib/subtle.js";
import { type Clock, epochSeconds } from "../lib/time.js";

/**
 * Options for {@link createSignInWithAppleTestKit}.
 *
 * @example
 * ```ts
 * const options: SignInWithAppleTestKitOptions = { clientId: "com.example.app", keys: 3 };
 * ```
 */
export interface SignInWithAppleTestKitOptions {
  /** The `aud` of what the kit signs. Default `"com.example.app"`. */
  clientId?: string | undefined;
  /** How many keys the set holds, 1 to 5 (Apple's holds several). Default 2. */
  keys?: number | undefined;
  /** The clock that dates `iat` and `exp`. Default `Date.now`. */
  now?: Clock | undefined;
}

/**
 * Per-signature options: which key signs, and header parameters to add or (undefined) remove.
 *
 * @example
 * ```ts
 * const forged: SignInWithAppleTestSignOptions = { header: { alg: "HS256" } };
 * ```
 */
export interface SignInWithAppleTestSignOptions {
  /** The `kid` of the key that signs and that the header names. Default: the newest key. */
  kid?: string | undefined;
  /** Header parameters merged over `{ kid, alg: "RS256" }`; `undefined` removes one. */
  header?: Record<string, unknown> | undefined;
}

/**
 * Apple's side of Sign in with Apple, made by {@link createSignInWithAppleTestKit}.
 *
 * @example
 * ```ts
 * import { createSignInWithAppleTestKit } from "asc-token/testing";
 * const apple = await createSignInWithAppleTestKit();
 * const idToken = await apple.signIdToken({ email: "user@example.com" });
 * ```
 */
export interface SignInWithAppleTestKit {
  /** The `aud` of what the kit signs. */
  readonly clientId: string;
  /** The public key set, as Apple's endpoint serves it (a fresh copy). */
  jwks(): { keys: JsonWebKey[] };
  /** The `kid`s of the set, oldest first. */
  kids(): string[];
  /** A `fetch` that answers every request with the key set's JSON, and counts them. */
  readonly fetch: FetchLike;
  /** How many requests {@link SignInWithAppleTestKit.fetch} answered. */
  fetchCount(): number;
  /**
   * An identity token: Apple's claims for `clientId` (iss, aud, sub, iat, exp ten minutes on,
   * email, email_verified and is_private_email as strings, real_user_status 2, auth_time),
   * overridden by `claims` (`undefined` removes one).
   */
  signIdToken(
    claims?: Record<string, unknown>,
    options?: SignInWithAppleTestSignOptions,
  ): Promise<string>;
  /**
   * A server-to-server notification's POST body, `{"payload":"<JWS>"}`, for `event` (a
   * {@link SignInWithAppleEvent} or anything else to test with; its `sub` and `event_time`
   * default), its `events` claim a JSON string as Apple sends it; `claims`
   * override the payload's claims.
   */
  signNotification(
    event: { type: string; [field: string]: unknown },
    claims?: Record<string, unknown>,
    options?: SignInWithAppleTestSignOptions,
  ): Promise<string>;
  /** Rotates: adds a key and drops the oldest. Resolves to the new key's `kid`. */
  rotate(): Promise<string>;
}

const SUB = "001234.0123456789abcdef0123456789abcdef.0123";

/** Copies `base` with `changes` applied, a change to `undefined` removing the name. */
const merged = (base: Record<string, unknown>, changes: Record<string, unknown> = {}) =>
  Object.fromEntries(
    Object.entries({ ...base, ...changes }).filter(
      ([name]) => !(Object.hasOwn(changes, name) && changes[name] === undefined),
    ),
  );

/**
 * Makes a {@link SignInWithAppleTestKit}: a throwaway set of 2048-bit RSA keys, and identity
 * tokens and notifications signed with it, for tests of code that verifies Sign in with Apple.
 * Hand `kit.fetch` (or `kit.jwks()` as `keys`) to {@link createSignInWithAppleVerifier}.
 *
 * @example
 * ```ts
 * import { createSignInWithAppleVerifier } from "asc-token";
 * import { createSignInWithAppleTestKit } from "asc-token/testing";
 * const apple = await createSignInWithAppleTestKit({ clientId: "com.example.app" });
 * const verifier = createSignInWithAppleVerifier({
 *   clientId: "com.example.app",
 *   fetchImpl: apple.fetch,
 * });
 * const user = await verifier.verifyIdToken(await apple.signIdToken({ nonce: "n-1" }), {
 *   nonce: "n-1",
 * });
 * ```
 */
export const createSignInWithAppleTestKit = async (
  options: SignInWithAppleTestKitOptions = {},
): Promise<SignInWithAppleTestKit> => {
  const read = readOptions(options, ["clientId", "keys", "now"], "{ clientId }");
  const clientId = read.clientId ?? "com.example.app";
  if (typeof clientId !== "string" || !clientId) {
    throw fail("INVALID_OPTIONS", `clientId must be a string; got ${showValue(clientId)}`);
  }
  const count = read.keys ?? 2;
  if (!Number.isSafeInteger(count) || (count as number) < 1 || (count as number) > 5) {
    throw fail("INVALID_OPTIONS", `keys must be a whole number 1..5; got ${showValue(count)}`);
  }
  const now = read.now as Clock | undefined;
  epochSeconds(now);

  let made = 0;
  let fetched = 0;
  const set: { kid: string; pair: CryptoKeyPair; jwk: JsonWebKey }[] = [];
  const addKey = async (): Promise<string> => {
    const pair = await subtle().generateKey(
      { ...RS256, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
      true,
      ["sign", "verify"],
    );
    const { n, e } = await subtle().exportKey("jwk", pair.publicKey);
    const kid = `TestKey${++made}`;
    set.push({ kid, pair, jwk: { kty: "RSA", kid, use: "sig", alg: "RS256", n, e } as JsonWebKey });
    return kid;
  };
  for (let i = 0; i < (count as number); i++) await addKey();

  const jwks = () => ({ keys: set.map((entry) => ({ ...entry.jwk })) });
  const sign = async (claims: Record<string, unknown>, signOptions = {}): Promise<string> => {
    const given = readOptions(signOptions, ["kid", "header"], "{ kid, header }");
    const kid = (given.kid as string | undefined) ?? set[set.length - 1]?.kid;
    const entry = set.find((candidate) => candidate.kid === kid);
    if (!entry) throw fail("INVALID_OPTIONS", `kid ${showValue(kid)} is not in the kit's set`);
    const header = merged({ kid, alg: "RS256" }, given.header as Record<string, unknown>);
    const input = `${encodeText(JSON.stringify(header))}.${encodeText(JSON.stringify(claims))}`;
    const signature = await subtle().sign(RS256, entry.pair.privateKey, utf8(input));
    return `${input}.${encodeBytes(new Uint8Array(signature))}`;
  };

  return {
    clientId,
    jwks,
    kids: () => set.map((entry) => entry.kid),
    fetch: () => {
      fetched++;
      return Promise.resolve(
        new Response(JSON.stringify(jwks()), { headers: { "Content-Type": "application/json" } }),
      );
    },
    fetchCount: () => fetched,
    signIdToken: (claims, signOptions) => {
      const iat = epochSeconds(now);
      const base = {
        iss: "https://appleid.apple.com",
        aud: clientId,
        exp: iat + 600,
        iat,
        sub: SUB,
        email: "user@privaterelay.appleid.com",
        email_verified: "true",
        is_private_email: "true",
        auth_time: iat,
        nonce_supported: true,
        real_user_status: 2,
      };
      return sign(merged(base, claims), signOptions);
    },
    signNotification: async (event, claims, signOptions) => {
      const iat = epochSeconds(now);
      const events = JSON.stringify({ sub: SUB, event_time: iat * 1000, ...event });
      const base = {
        iss: "https://appleid.apple.com",
        aud: clientId,
        iat,
        exp: iat + 86_400,
        jti: `jti-${iat}-${made}`,
        events,
      };
      return JSON.stringify({ payload: await sign(merged(base, claims), signOptions) });
    },
    rotate: async () => {
      const kid = await addKey();
      set.shift();
      return kid;
    },
  };
};
