// chain: checks an x5c chain (leaf, intermediate, root) the way Apple's libraries do, with
// WebCrypto alone: names chain, each certificate is signed by the next, the intermediate is a CA
// with Apple's WWDR OID, the leaf carries Apple's receipt-signing OID, key usages allow it. The
// root's trust (byte identity with a trusted root) and the dates are checked by the caller: the
// first needs no parsing, the second changes with every payload.

import { derToRawSignature } from "../der.js";
import { type AscTokenErrorCode, fail } from "../errors.js";
import { subtle } from "../subtle.js";
import { fromBase64 } from "./jws.js";
import { type Certificate, KEY_USAGE, OID, parseCertificate, sameBytes } from "./x509.js";

/** What a checked chain gives: the leaf's key, and each certificate's validity for every date. */
export interface CheckedChain {
  /** The leaf's P-256 public key, for `verify` with ES256. */
  readonly key: CryptoKey;
  /** Leaf, intermediate, root: validity in epoch ms, both ends included. */
  readonly validity: readonly { role: string; notBefore: number; notAfter: number }[];
}

const ROLES = ["leaf", "intermediate", "root"] as const;

const invalid = (why: string, cause?: unknown) =>
  fail("CHAIN_INVALID" satisfies AscTokenErrorCode, `the x5c chain is not Apple's: ${why}`, cause);

/** The public key of `cert` for `usage`, or CHAIN_INVALID naming `role`. */
const importKey = async (cert: Certificate, role: string): Promise<CryptoKey> => {
  if (!cert.curve) throw invalid(`the ${role} key is not ECDSA P-256 or P-384`);
  try {
    return await subtle().importKey(
      "spki",
      cert.spki,
      { name: "ECDSA", namedCurve: cert.curve.name },
      false,
      ["verify"],
    );
  } catch (cause) {
    throw invalid(`the ${role} key cannot be imported`, cause);
  }
};

/** Throws CHAIN_INVALID unless `issuer`'s key verifies `cert`'s signature. */
const checkSignature = async (
  cert: Certificate,
  role: string,
  issuer: Certificate,
  key: CryptoKey,
) => {
  const size = issuer.curve?.size ?? 0;
  const notSigned = () => invalid(`the ${role} is not signed by the next certificate`);
  if (!cert.signatureHash) throw invalid(`the ${role} is not signed with ECDSA SHA-256 or SHA-384`);
  const signature = derToRawSignature(cert.signature, size, notSigned);
  let valid: boolean;
  try {
    valid = await subtle().verify(
      { name: "ECDSA", hash: cert.signatureHash },
      key,
      signature,
      cert.tbs,
    );
  } catch (cause) {
    throw invalid(`the ${role}'s signature cannot be checked`, cause);
  }
  if (!valid) throw notSigned();
};

/**
 * Checks the chain `x5c` (base64 DER: leaf, intermediate, root) and returns the leaf's key. Every
 * check here holds for all dates, so a verifier caches the result per chain.
 */
export const checkChain = async (x5c: readonly string[]): Promise<CheckedChain> => {
  const [leaf, intermediate, root] = ROLES.map((role, i) => {
    const der = fromBase64(x5c[i] ?? "");
    if (!der) {
      throw fail("SIGNED_DATA_MALFORMED", `the ${role} certificate in x5c is not canonical base64`);
    }
    return parseCertificate(der, role);
  }) as [Certificate, Certificate, Certificate];
  if (
    !sameBytes(leaf.issuer, intermediate.subject) ||
    !sameBytes(intermediate.issuer, root.subject)
  ) {
    throw invalid("an issuer is not the next certificate's subject");
  }
  if (leaf.curve?.name !== "P-256") throw invalid("the leaf key is not ECDSA P-256 (ES256)");
  const [leafKey, intermediateKey, rootKey] = await Promise.all([
    importKey(leaf, "leaf"),
    importKey(intermediate, "intermediate"),
    importKey(root, "root"),
  ]);
  await checkSignature(intermediate, "intermediate", root, rootKey);
  await checkSignature(leaf, "leaf", intermediate, intermediateKey);
  if (!intermediate.isCA) throw invalid("the intermediate is not a CA");
  if (!intermediate.extensions.has(OID.appleWwdrIntermediate)) {
    throw invalid(`the intermediate lacks Apple's WWDR OID ${OID.appleWwdrIntermediate}`);
  }
  if (!((intermediate.keyUsage ?? 0) & KEY_USAGE.keyCertSign)) {
    throw invalid("the intermediate's key usage does not allow signing certificates");
  }
  if (!leaf.extensions.has(OID.appleReceiptSigning)) {
    throw invalid(`the leaf lacks Apple's receipt-signing OID ${OID.appleReceiptSigning}`);
  }
  if (!((leaf.keyUsage ?? 0) & KEY_USAGE.digitalSignature)) {
    throw invalid("the leaf's key usage does not allow signatures");
  }
  return {
    key: leafKey,
    validity: [leaf, intermediate, root].map(({ notBefore, notAfter }, i) => ({
      role: ROLES[i] ?? "",
      notBefore,
      notAfter,
    })),
  };
};

/**
 * Throws CERTIFICATE_NOT_YET_VALID or CERTIFICATE_EXPIRED unless every certificate is valid at
 * `time`.
 */
export const checkValidity = (chain: CheckedChain, time: number): void => {
  for (const { role, notBefore, notAfter } of chain.validity) {
    const at = new Date(time).toISOString();
    if (time < notBefore) {
      throw fail(
        "CERTIFICATE_NOT_YET_VALID",
        `the ${role} certificate is not valid before ${new Date(notBefore).toISOString()} ` +
          `(checked at ${at})`,
      );
    }
    if (time > notAfter) {
      throw fail(
        "CERTIFICATE_EXPIRED",
        `the ${role} certificate expired ${new Date(notAfter).toISOString()} (checked at ${at})`,
      );
    }
  }
};
