// signer: keys that never leave a key service (AWS KMS, Google Cloud KMS, Azure Key Vault, Vault
// transit, an HSM). The service signs; asc-token takes its signature in either form services
// return, DER or raw r||s, and checks it before it goes into a token. `signerKey` wraps a signer
// with those checks into a `privateKey`, so they ship only in programs that use a signer.

import { derToRawSignature, hex } from "../lib/der.js";
import { fail, invalid } from "../lib/errors.js";
import { redactCause } from "../lib/redact.js";

/**
 * A private key held by a key service or HSM: an object whose `sign` signs `data` with ECDSA
 * P-256 and SHA-256 (the service hashes `data`, or the signer hashes it first where the service
 * takes a digest) and resolves to the signature, DER or the raw 64-byte `r||s`. Wrapped by
 * {@link signerKey}, it serves as `privateKey` wherever a `.p8` key does; docs/signers.md has
 * recipes for AWS KMS, Google Cloud KMS, Azure Key Vault and Vault transit.
 *
 * @example
 * ```ts
 * import { KMSClient, SignCommand } from "@aws-sdk/client-kms";
 * const kms = new KMSClient({});
 * const signer: AppleSigner = {
 *   sign: async (data) => {
 *     const command = new SignCommand({
 *       KeyId: "alias/asc",
 *       Message: data,
 *       MessageType: "RAW",
 *       SigningAlgorithm: "ECDSA_SHA_256",
 *     });
 *     return (await kms.send(command)).Signature!;
 *   },
 * };
 * const token = await createAscToken({ keyId, issuerId, privateKey: signerKey(signer) });
 * ```
 */
export interface AppleSigner {
  /** Signs `data` (ECDSA P-256, SHA-256 over `data`); resolves to DER or raw `r||s`. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** The brand of a {@link SignerKey} for the compiler; at run time, {@link SIGNER_KEY}'s symbol. */
declare const signerKeyBrand: unique symbol;

/** What a {@link SignerKey} signs with: `data` in, its checked raw `r||s` out. */
type CheckedSign = (data: Uint8Array) => Promise<Uint8Array>;

/**
 * An {@link AppleSigner} wrapped by {@link signerKey}: a `privateKey` that signs through the
 * signer and checks what it returns. Only `signerKey` makes one.
 *
 * @example
 * ```ts
 * const privateKey: SignerKey = signerKey({ sign: async (data) => kmsSign(data) });
 * ```
 */
export interface SignerKey {
  /** @internal */
  readonly [signerKeyBrand]: CheckedSign;
}

/**
 * The registered symbol's name a {@link SignerKey} keeps its signing function under: registered
 * (`Symbol.for`), so a key wrapped by the ESM build signs in the CJS build too.
 */
const SIGNER_KEY = "asc-token.signerKey";

/**
 * @internal The checked signing function of a {@link SignerKey}; undefined for anything else
 * (text, bytes, a CryptoKey, or a signer not wrapped by {@link signerKey}).
 */
export const signerOf = (key: unknown): CheckedSign | undefined => {
  const sign = (key as Record<symbol, unknown> | null | undefined)?.[Symbol.for(SIGNER_KEY)];
  return typeof sign === "function" ? (sign as CheckedSign) : undefined;
};

/**
 * Makes a key service's {@link AppleSigner} a `privateKey`, for every token kind, provider and
 * the promotional offer signature. What `sign` returns is read as DER, else as raw `r||s`, and
 * refused (`SIGNER_OUTPUT_INVALID`) unless it is a P-256 signature a verifier accepts; an error it
 * throws becomes `SIGN_FAILED`, keeping only the error's class and message.
 *
 * @example
 * ```ts
 * import { createAscToken, signerKey } from "asc-token";
 * const privateKey = signerKey({ sign: async (data) => kmsSign(data) }); // DER or raw r||s
 * const token = await createAscToken({ keyId: "2X9R4HXF34", issuerId, privateKey });
 * ```
 */
export const signerKey = (signer: AppleSigner): SignerKey => {
  if (typeof (signer as AppleSigner | null | undefined)?.sign !== "function") {
    throw invalid("KEY_MALFORMED", "signer", "an object with a sign(data) method", signer);
  }
  const sign: CheckedSign = (data) => signWithSigner(signer, data);
  return Object.freeze({ [Symbol.for(SIGNER_KEY)]: sign }) as unknown as SignerKey;
};

/**
 * The order n of P-256's base point, in lower-case hex: r and s of a signature lie in [1, n − 1].
 */
const ORDER = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551";

/**
 * @internal `raw` when it is a P-256 signature JWS can carry: 64 bytes, `r` and `s` each in
 * [1, n − 1] (FIPS 186-5 6.4.2: anything else no verifier accepts). Throws `invalid()` otherwise.
 */
export const validRawSignature = (raw: Uint8Array, invalid: () => Error): Uint8Array => {
  if (raw.length !== 64) throw invalid();
  const digits = hex(raw);
  // Equal-length hex compares as the numbers do.
  const outOfRange = (half: string) => half >= ORDER || !/[^0]/.test(half);
  if (outOfRange(digits.slice(0, 64)) || outOfRange(digits.slice(64))) throw invalid();
  return raw;
};

/**
 * @internal Signs `data` with `signer` and returns the raw `r||s`, checked. Its output is read
 * as strict DER first, else as raw 64 bytes: a raw signature that also reads as strict DER, or a
 * DER one exactly 64 bytes long, has a chance below 2^-40, and no service makes either on purpose.
 * The signer gets a copy of `data`, so it cannot change the bytes asc-token reuses.
 */
export const signWithSigner = async (
  signer: AppleSigner,
  data: Uint8Array,
): Promise<Uint8Array> => {
  let output: unknown;
  try {
    const pending: unknown = signer.sign(Uint8Array.from(data));
    // A signature returned as it is, not in a Promise, is refused below: `sign` is async.
    if (typeof (pending as PromiseLike<unknown> | null)?.then === "function")
      output = await pending;
  } catch (cause) {
    // A KMS or HSM client's error can hold its request: the cause keeps its class and message.
    throw fail("SIGN_FAILED", "the signer's sign() failed", redactCause(cause));
  }
  const invalid = () =>
    fail(
      "SIGNER_OUTPUT_INVALID",
      "the signer's sign() must resolve to a P-256 signature, DER or 64-byte r||s, with " +
        "0 < r, s < n",
    );
  if (Object.prototype.toString.call(output) !== "[object Uint8Array]") throw invalid();
  let raw = output as Uint8Array;
  try {
    raw = derToRawSignature(raw, 32, invalid);
  } catch {
    // Not DER: the raw form, if it is that.
  }
  return validRawSignature(raw, invalid);
};
