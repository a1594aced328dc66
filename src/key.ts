// key: turns whatever the caller holds into a non-extractable ECDSA P-256 CryptoKey, once.

import { fail, invalid, keyError, missing } from "./errors.js";
import { bytesToDer, textToDer } from "./pem.js";
import { toPkcs8 } from "./pkcs8.js";
import { type AscSigner, isSigner } from "./signer.js";
import { ES256, subtle } from "./subtle.js";

/**
 * An Apple `.p8` private key in any form it usually reaches a program in: the PEM text (LF, CRLF,
 * or literal `\n` escapes from an env var; quoted or not), the bare base64 body, base64 of the
 * whole file, SEC1 `EC PRIVATE KEY` PEM, DER or file bytes, an imported `CryptoKey`, or an
 * {@link AscSigner} for a key kept in a key service or HSM.
 *
 * @example
 * ```ts
 * const privateKey: AscPrivateKey = readFileSync("AuthKey_2X9R4HXF34.p8"); // or the text, or a CryptoKey
 * ```
 */
export type AscPrivateKey = string | ArrayBuffer | ArrayBufferView | CryptoKey | AscSigner;

/** CryptoKeys already checked: a key's type, algorithm and usages never change. */
const checked = new WeakSet<CryptoKey>();

/**
 * Imports by fingerprint of the input (never the key text itself): the pending import, then the
 * CryptoKey once it is done, so that a cached key costs no promise. The least recently used goes first.
 */
const cache = new Map<string, CryptoKey | Promise<CryptoKey>>();
/** The fingerprint last put at the end of `cache`: using that key again needs no reordering. */
let newest = "";

/**
 * Two 32-bit FNV-1a style hashes with different multipliers, the length and the input's kind, as
 * a cache key. Keeping a fingerprint rather than the key text means the cache holds no readable
 * key material. Two characters (or bytes) per step: half the multiplies of one at a time.
 */
const fingerprint = (input: string | Uint8Array): string => {
  let a = 0x811c9dc5;
  let b = 0;
  const text = typeof input === "string";
  for (let i = 0; i < input.length; i += 2) {
    // Past the end, charCodeAt gives NaN and a Uint8Array undefined: both shift to 0.
    const unit = text
      ? input.charCodeAt(i) | (input.charCodeAt(i + 1) << 16)
      : (input[i] ?? 0) | ((input[i + 1] ?? 0) << 8);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995) ^ (b >>> 15);
  }
  return `${typeof input}${a}.${b}.${input.length}`;
};

/**
 * The bytes of an ArrayBuffer, SharedArrayBuffer or view of one, from this realm or another (a
 * `vm` context, an iframe: where `instanceof ArrayBuffer` is false); undefined for anything else.
 * A detached buffer, or a view of one, reads as no bytes (the "empty key" error), not a TypeError.
 */
const bytesOf = (value: unknown): Uint8Array | undefined => {
  try {
    // DataView takes an ArrayBuffer or SharedArrayBuffer of any realm, and throws for anything
    // else; both throw for a detached buffer.
    return ArrayBuffer.isView(value)
      ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
      : new Uint8Array(new DataView(value as ArrayBuffer).buffer);
  } catch {
    return ArrayBuffer.isView(value) ||
      Object.prototype.toString.call(value).endsWith("ArrayBuffer]")
      ? new Uint8Array(0)
      : undefined;
  }
};

/**
 * Imports an Apple `.p8` private key once, for callers who sign many tokens. The result is a
 * non-extractable `CryptoKey` usable as `privateKey` in every asc-token function. Imports are
 * cached (up to 16 distinct keys), so passing the same key text again costs no re-import. A
 * signer ({@link AscSigner}) is returned as it is.
 *
 * @example
 * ```ts
 * import { importAscKey, createAscToken } from "asc-token";
 * const privateKey = await importAscKey(process.env.ASC_PRIVATE_KEY!);
 * const token = await createAscToken({ keyId: "2X9R4HXF34", issuerId, privateKey });
 * ```
 */
export const importAscKey = async <K extends AscPrivateKey>(
  privateKey: K,
): Promise<K extends AscSigner ? K : CryptoKey> =>
  (await keyFor(privateKey)) as K extends AscSigner ? K : CryptoKey;

/**
 * @internal What {@link importAscKey} does, but synchronous where it can be: the CryptoKey at
 * once when `privateKey` is one or was imported before, otherwise a promise of it. Throws (does
 * not reject) on input it can tell is wrong without WebCrypto.
 */
export const keyFor = (privateKey: AscPrivateKey): CryptoKey | AscSigner | Promise<CryptoKey> => {
  // A CryptoKey: checked once (its getters cost; Node's `usages` copies an array each time).
  const given = privateKey as CryptoKey;
  if (checked.has(given)) return given;
  if (isSigner(privateKey)) return privateKey;
  if (typeof given === "object" && given !== null && "usages" in given) {
    // Look-alike objects (null fields, usages not an array) must get this error too, not a TypeError.
    const algorithm = given.algorithm as Partial<EcKeyAlgorithm> | null;
    if (
      `${given.type} ${algorithm?.name} ${algorithm?.namedCurve}` !== "private ECDSA P-256" ||
      !Array.isArray(given.usages) ||
      !given.usages.includes("sign")
    ) {
      throw keyError(
        "KEY_INVALID_CRYPTOKEY",
        "is not a private P-256 ECDSA CryptoKey with sign usage",
      );
    }
    checked.add(given);
    return given;
  }
  const source = typeof privateKey === "string" ? privateKey : bytesOf(privateKey);
  if (source === undefined) {
    throw privateKey == null
      ? missing()
      : invalid("KEY_MALFORMED", "privateKey", "text, bytes, a CryptoKey or a signer", privateKey);
  }
  const id = fingerprint(source);
  let key = cache.get(id);
  if (key) {
    // Most recently used last: eviction takes the least recently used.
    if (id !== newest) {
      cache.delete(id);
      cache.set((newest = id), key);
    }
  } else {
    // Read and check the key before anything is cached: bad input never evicts a good key.
    const der = toPkcs8(typeof source === "string" ? textToDer(source) : bytesToDer(source));
    const pending = subtle()
      .importKey("pkcs8", der, ES256, false, ["sign"])
      .then(
        (imported) => {
          if (cache.get(id) === pending) cache.set(id, imported);
          return imported;
        },
        (cause: unknown) => {
          cache.delete(id);
          throw fail("KEY_IMPORT_FAILED", "privateKey is damaged: WebCrypto refused it", cause);
        },
      );
    if (cache.size > 15) cache.delete(cache.keys().next().value ?? "");
    cache.set((newest = id), (key = pending));
  }
  return key;
};
