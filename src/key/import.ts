// key: turns whatever the caller holds into a non-extractable ECDSA P-256 CryptoKey, once.

import { fail, invalid, keyError, missing } from "../lib/errors.js";
import { bytesToDer, textToDer } from "../lib/pem.js";
import { toPkcs8 } from "../lib/pkcs8.js";
import { cachedImport } from "../lib/key-cache.js";
import { type SignerKey, signerOf } from "./signer.js";
import { ES256, subtle } from "../lib/subtle.js";

/**
 * An Apple `.p8` private key in any form it usually reaches a program in: the PEM text (LF, CRLF,
 * or literal `\n` escapes from an env var; quoted or not), the bare base64 body, base64 of the
 * whole file, SEC1 `EC PRIVATE KEY` PEM, DER or file bytes, an imported `CryptoKey`, or a
 * {@link SignerKey} for a key kept in a key service or HSM.
 *
 * @example
 * ```ts
 * // The file's bytes, or its text, or a CryptoKey:
 * const privateKey: ApplePrivateKey = readFileSync("AuthKey_2X9R4HXF34.p8");
 * ```
 */
export type ApplePrivateKey = string | ArrayBuffer | ArrayBufferView | CryptoKey | SignerKey;

/**
 * The bytes of an ArrayBuffer, SharedArrayBuffer or view of one, from this realm or another (a
 * `vm` context, an iframe: where `instanceof ArrayBuffer` is false); undefined for anything else.
 * A detached buffer, or a view of one, reads as no bytes (the "empty key" error), not a TypeError.
 */
const bufferBytes = (value: unknown): Uint8Array | undefined => {
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

/** Refuses a CryptoKey (or look-alike) that cannot sign ES256. */
const validCryptoKey = (key: CryptoKey): CryptoKey => {
  // Look-alike objects (null fields, usages not an array) get this error too, not a TypeError.
  const algorithm = key.algorithm as Partial<EcKeyAlgorithm> | null;
  if (
    `${key.type} ${algorithm?.name} ${algorithm?.namedCurve}` !== "private ECDSA P-256" ||
    !Array.isArray(key.usages) ||
    !key.usages.includes("sign")
  ) {
    throw keyError("KEY_INVALID_CRYPTOKEY", "is not a private P-256 ECDSA signing CryptoKey");
  }
  return key;
};

/** A signer as it is, a CryptoKey checked, anything else read and imported (through the cache). */
const importKey = async (privateKey: ApplePrivateKey): Promise<CryptoKey | SignerKey> => {
  if (signerOf(privateKey)) return privateKey as SignerKey;
  if (typeof privateKey === "object" && privateKey !== null && "usages" in privateKey) {
    return validCryptoKey(privateKey);
  }
  const source = typeof privateKey === "string" ? privateKey : bufferBytes(privateKey);
  if (source === undefined) {
    throw privateKey == null
      ? missing()
      : invalid(
          "KEY_MALFORMED",
          "privateKey",
          "text, bytes, a CryptoKey or signerKey(signer)",
          privateKey,
        );
  }
  return cachedImport(source, () => {
    const der = toPkcs8(typeof source === "string" ? textToDer(source) : bytesToDer(source));
    return subtle()
      .importKey("pkcs8", der, ES256, false, ["sign"])
      .catch((cause: unknown) => {
        throw fail("KEY_IMPORT_FAILED", "WebCrypto refused privateKey: it is damaged", cause);
      });
  });
};

/**
 * Imports an Apple `.p8` private key, for callers who sign many tokens. The result is a
 * non-extractable `CryptoKey` usable as `privateKey` in every asc-token function. Imports are
 * cached (up to 16 distinct keys), so passing the same key text again costs no re-import. A
 * signer ({@link SignerKey}) is returned as it is.
 *
 * @example
 * ```ts
 * import { importAppleKey, createAscToken } from "asc-token";
 * const privateKey = await importAppleKey(process.env.ASC_PRIVATE_KEY!);
 * const token = await createAscToken({ keyId: "2X9R4HXF34", issuerId, privateKey });
 * ```
 */
export const importAppleKey = importKey as <K extends ApplePrivateKey>(
  privateKey: K,
) => Promise<K extends SignerKey ? K : CryptoKey>;
