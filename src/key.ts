// key: turns whatever the caller holds into a non-extractable ECDSA P-256 CryptoKey, once.

import { describe, fail, missing } from "./errors.js";
import { bytesToDer, textToDer } from "./pem.js";
import { toPkcs8 } from "./pkcs8.js";
import { ES256, subtle } from "./subtle.js";

/**
 * An Apple `.p8` private key in any form it usually reaches a program in: the PEM text (LF, CRLF,
 * or literal `\n` escapes from an env var; quoted or not), the bare base64 body, base64 of the
 * whole file, SEC1 `EC PRIVATE KEY` PEM, DER or file bytes, or an imported `CryptoKey`.
 */
export type AscPrivateKey = string | ArrayBuffer | ArrayBufferView | CryptoKey;

const CACHE_SIZE = 16;
/** Imports by fingerprint of the input (never the key text itself), most recently used last. */
const cache = new Map<string, Promise<CryptoKey>>();

/**
 * Two independent 32-bit FNV-1a style hashes with different seeds, as a cache key. Keeping a
 * fingerprint rather than the key text means the cache holds no readable key material.
 */
const fingerprint = (input: string | Uint8Array): string => {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  const text = typeof input === "string";
  for (let i = 0; i < input.length; i++) {
    const unit = text ? input.charCodeAt(i) : (input[i] ?? 0);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `${String(input.length)}:${String(a >>> 0)}:${String(b >>> 0)}:${text ? "s" : "b"}`;
};

const checkCryptoKey = (key: CryptoKey): CryptoKey => {
  // Look-alike objects (null fields, usages not an array) must get this error too, not a TypeError.
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm> | null;
  if (
    key.type !== "private" ||
    algorithm?.name !== "ECDSA" ||
    algorithm.namedCurve !== "P-256" ||
    !Array.isArray(key.usages) ||
    !key.usages.includes("sign")
  ) {
    throw fail("KEY_INVALID_CRYPTOKEY", 'privateKey must be a private ECDSA P-256 CryptoKey with "sign" usage');
  }
  return key;
};

const isCryptoKey = (value: object): value is CryptoKey =>
  "algorithm" in value && "usages" in value && "type" in value;

const load = async (source: string | Uint8Array): Promise<CryptoKey> => {
  const der = toPkcs8(typeof source === "string" ? textToDer(source) : bytesToDer(source));
  const crypto = subtle();
  try {
    return await crypto.importKey("pkcs8", der, ES256, false, ["sign"]);
  } catch (cause) {
    throw fail("KEY_IMPORT_FAILED", "WebCrypto could not import privateKey: the key data is damaged", cause);
  }
};

/**
 * Imports an Apple `.p8` private key once, for callers who sign many tokens. The result is a
 * non-extractable `CryptoKey` usable as `privateKey` in every asc-token function. Imports are
 * cached (up to 16 distinct keys), so passing the same key text again costs no re-import.
 *
 * @example
 * ```ts
 * import { importAscKey, createAscToken } from "asc-token";
 * const privateKey = await importAscKey(process.env.ASC_PRIVATE_KEY!);
 * const token = await createAscToken({ keyId: "2X9R4HXF34", issuerId, privateKey });
 * ```
 */
export const importAscKey = async (privateKey: AscPrivateKey): Promise<CryptoKey> => {
  if (typeof privateKey === "object" && privateKey !== null && isCryptoKey(privateKey)) {
    return checkCryptoKey(privateKey);
  }
  let source: string | Uint8Array;
  if (typeof privateKey === "string") source = privateKey;
  else if (privateKey instanceof ArrayBuffer) source = new Uint8Array(privateKey);
  else if (ArrayBuffer.isView(privateKey)) {
    source = new Uint8Array(privateKey.buffer, privateKey.byteOffset, privateKey.byteLength);
  } else {
    throw privateKey == null ? missing() : fail("KEY_MALFORMED", `privateKey must be .p8 text, bytes or a CryptoKey; got ${describe(privateKey)}`);
  }
  const id = fingerprint(source);
  let pending = cache.get(id);
  if (pending) {
    cache.delete(id); // re-inserted below: most recently used last
  } else {
    pending = load(source);
    void pending.catch(() => cache.get(id) === pending && cache.delete(id));
  }
  cache.set(id, pending);
  const oldest = cache.keys().next().value;
  if (cache.size > CACHE_SIZE && oldest !== undefined) cache.delete(oldest);
  return pending;
};
