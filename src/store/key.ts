// key: the store key of a token, from what makes two providers' tokens interchangeable.

import { invalid } from "../lib/errors.js";
import { subtle } from "../lib/subtle.js";
import { validKeyId } from "../lib/validate.js";

/**
 * Options that never go into a store key: the key itself (its text must never reach a store),
 * the clock, and what only the provider or the store layer reads. Functions are left out by
 * JSON anyway.
 */
const NOT_IN_KEY: readonly string[] = [
  "privateKey",
  "now",
  "keyId",
  "refreshBefore",
  "maxAge",
  "store",
  "storeKey",
  "kind",
  "storeKind",
  "onStoreError",
  "onError",
  "mintTimeout",
];

const KIND = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** JSON with every plain object's keys sorted, so equal options give equal text. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_name, inner: unknown) =>
    isPlainObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");

/**
 * The store key two providers share a token under when, and only when, their tokens are
 * interchangeable: `asc-token:v1:<kind>:<keyId>:<sha256>`, the hash (hex) over the canonical
 * JSON of every mint option but `privateKey`, `now` and the provider's own options (issuer or
 * Team ID, audience, scope, bundle ID, lifetime, ...). Never derived from the private key.
 * `kind` names the token kind (`"createApnsToken"`): APNs and MusicKit tokens of one key take the
 * same options but are not interchangeable.
 *
 * @example
 * ```ts
 * const key = await storeKeyFor("createAscToken", { keyId, issuerId, privateKey });
 * // "asc-token:v1:createAscToken:2X9R4HXF34:9f86d081…"
 * ```
 */
export const storeKeyFor = async (
  kind: string,
  options: { readonly keyId: string } & Readonly<Record<string, unknown>>,
): Promise<string> => {
  if (typeof kind !== "string" || !KIND.test(kind)) {
    throw invalid(
      "INVALID_OPTIONS",
      "kind",
      "a name like createApnsToken (letters, digits, - and _, up to 64)",
      kind,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw invalid("INVALID_OPTIONS", "options", "an object { keyId, … }", options);
  }
  const keyId = validKeyId(options.keyId);
  const rest = Object.fromEntries(
    Object.entries(options).filter(([name]) => !NOT_IN_KEY.includes(name)),
  );
  const digest = await subtle().digest("SHA-256", new TextEncoder().encode(canonicalJson(rest)));
  return ["asc-token", "v1", kind, keyId, hex(digest)].join(":");
};
