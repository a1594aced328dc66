// chain: checks an x5c chain the way Apple's libraries do, with WebCrypto alone. The leaf is
// signed by the intermediate, and the intermediate by a trusted root: a trust anchor, a name and
// a key (RFC 5280 6.1.1) that the verifier holds. The root that x5c carries is never read, as in
// Apple's libraries: trust comes from the anchor's key, not from bytes the data brings. The
// intermediate is a CA with Apple's WWDR OID, the leaf carries Apple's receipt-signing OID, key
// usages allow both. The dates are checked by the caller: they change with every payload.

import { derToRawSignature } from "../lib/der.js";
import { type AscTokenErrorCode, fail } from "../lib/errors.js";
import { subtle } from "../lib/subtle.js";
import { fromBase64 } from "./jws.js";
import { type Certificate, KEY_USAGE, OID, parseCertificate, sameBytes } from "./x509.js";

/** A trusted root: its certificate, and its key, imported once per verifier when first needed. */
export interface Anchor {
  readonly certificate: Certificate;
  key?: Promise<CryptoKey>;
}

/** What a checked chain gives: the leaf's key, and each certificate's validity for every date. */
export interface CheckedChain {
  /** The leaf's P-256 public key, for `verify` with ES256. */
  readonly key: CryptoKey;
  /** Leaf, intermediate, trusted root: validity in epoch ms, both ends included. */
  readonly validity: readonly { role: string; notBefore: number; notAfter: number }[];
}

/**
 * Clock skew accepted on certificate validity, as Apple's libraries accept (`MAX_SKEW`, 60 s):
 * a payload signed in the last minute of a certificate's life still verifies.
 */
const SKEW = 60_000;

const ROLES = ["leaf", "intermediate", "trusted root"];

const invalid = (why: string, cause?: unknown) =>
  fail("CHAIN_INVALID" satisfies AscTokenErrorCode, `the x5c chain is not Apple's: ${why}`, cause);

const untrusted = () =>
  fail(
    "CHAIN_UNTRUSTED_ROOT",
    "the x5c intermediate is not signed by a trusted root (Apple Root CA - G3 by default)",
  );

/** The public key of `cert`, or CHAIN_INVALID naming `role`. */
const importKey = async (cert: Certificate, role: string): Promise<CryptoKey> => {
  const { curve, point } = cert;
  // An uncompressed point (SEC 1 2.3.3), the only form Apple's certificates hold.
  if (!curve || point.length !== 1 + 2 * curve.size || point[0] !== 4) {
    throw invalid(`the ${role} key is not an ECDSA P-256 or P-384 point`);
  }
  try {
    return await subtle().importKey(
      "raw",
      point,
      { name: "ECDSA", namedCurve: curve.name },
      false,
      ["verify"],
    );
  } catch (cause) {
    throw invalid(`the ${role} key cannot be imported`, cause);
  }
};

/** The key of `anchor`, imported on first use and kept with it. */
const anchorKey = (anchor: Anchor): Promise<CryptoKey> =>
  (anchor.key ??= importKey(anchor.certificate, "trusted root"));

/** True when `issuer`'s key verifies `cert`'s signature; CHAIN_INVALID if it cannot be checked. */
const signedBy = async (
  cert: Certificate,
  role: string,
  issuer: Certificate,
  key: Promise<CryptoKey>,
): Promise<boolean> => {
  let signature: Uint8Array<ArrayBuffer> | undefined;
  try {
    signature = derToRawSignature(cert.signature, issuer.curve?.size ?? 0, Error);
  } catch {
    signature = undefined;
  }
  try {
    // The key is awaited even for a malformed signature: a key that fails to import must reject
    // here, observed, never unhandled (which would end a Node process).
    const issuerKey = await key;
    if (!signature) return false;
    return await subtle().verify(
      { name: "ECDSA", hash: cert.signatureHash ?? "" },
      issuerKey,
      signature,
      cert.tbs,
    );
  } catch (cause) {
    throw invalid(`the ${role}'s signature cannot be checked`, cause);
  }
};

/** The certificate in base64 `text`, or an error naming `role`. */
const certificateOf = (text: string, role: string): Certificate => {
  const der = fromBase64(text);
  if (!der) {
    throw fail("SIGNED_DATA_MALFORMED", `the ${role} certificate in x5c is not canonical base64`);
  }
  return parseCertificate(der, role);
};

/** A chain being checked: the leaf's key as soon as it is imported, and the whole check. */
export interface ChainCheck {
  /** The leaf's key, before the chain is known good: only to start a payload's verify early. */
  readonly leafKey: Promise<CryptoKey>;
  readonly checked: Promise<CheckedChain>;
}

/**
 * Checks the leaf and intermediate of an x5c (base64 DER) against the trusted `anchors`. Every
 * check here holds for all dates, so a verifier caches the result per chain. What needs no
 * cryptography is checked first, and throws; then the key imports and both certificate
 * signatures run at once, and `checked` resolves to the leaf's key only when all of them pass.
 */
export const checkChain = (
  leafText: string,
  intermediateText: string,
  anchors: readonly Anchor[],
): ChainCheck => {
  const leaf = certificateOf(leafText, "leaf");
  const intermediate = certificateOf(intermediateText, "intermediate");
  // The anchors named as the intermediate's issuer (Apple: `intermediate.issuer === root.subject`).
  const named = anchors.filter((anchor) =>
    sameBytes(anchor.certificate.subject, intermediate.issuer),
  );
  if (!named.length) throw untrusted();
  if (!sameBytes(leaf.issuer, intermediate.subject)) {
    throw invalid("the leaf's issuer is not the intermediate's subject");
  }
  if (!leaf.signatureHash || !intermediate.signatureHash) {
    throw invalid("a certificate is not signed with ECDSA SHA-256 or SHA-384");
  }
  if (leaf.curve?.name !== "P-256") throw invalid("the leaf key is not ECDSA P-256 (ES256)");
  if (!intermediate.isCA) throw invalid("the intermediate is not a CA");
  if (!intermediate.extensions.has(OID.appleWwdrIntermediate)) {
    throw invalid(`the intermediate lacks Apple's WWDR OID ${OID.appleWwdrIntermediate}`);
  }
  // Without a keyUsage extension a key's use is not restricted (RFC 5280 4.2.1.3), as in the
  // intermediate of Apple's test PKI; with one, it must allow what the certificate does.
  if (!((intermediate.keyUsage ?? KEY_USAGE.keyCertSign) & KEY_USAGE.keyCertSign)) {
    throw invalid("the intermediate's key usage does not allow signing certificates");
  }
  if (!leaf.extensions.has(OID.appleReceiptSigning)) {
    throw invalid(`the leaf lacks Apple's receipt-signing OID ${OID.appleReceiptSigning}`);
  }
  if (!((leaf.keyUsage ?? KEY_USAGE.digitalSignature) & KEY_USAGE.digitalSignature)) {
    throw invalid("the leaf's key usage does not allow signatures");
  }
  const leafKey = importKey(leaf, "leaf");
  const intermediateKey = importKey(intermediate, "intermediate");
  const byAnchor = named.map((anchor) =>
    signedBy(intermediate, "intermediate", anchor.certificate, anchorKey(anchor)),
  );
  const leafSigned = signedBy(leaf, "leaf", intermediate, intermediateKey);
  const checked = (async (): Promise<CheckedChain> => {
    // Every promise is observed, so that none rejects unhandled; the anchor is judged first.
    const results = await Promise.allSettled([leafKey, leafSigned, ...byAnchor]);
    const anchored = results.slice(2);
    const anchorIndex = anchored.findIndex((r) => r.status === "fulfilled" && r.value);
    if (anchorIndex < 0) {
      const failed = anchored.find((r) => r.status === "rejected");
      throw failed ? failed.reason : untrusted();
    }
    for (const result of results) if (result.status === "rejected") throw result.reason;
    if (!(await leafSigned)) throw invalid("the leaf is not signed by the intermediate");
    const root = named[anchorIndex]?.certificate ?? intermediate;
    return {
      key: await leafKey,
      validity: [leaf, intermediate, root].map(({ notBefore, notAfter }, i) => ({
        role: ROLES[i] ?? "",
        notBefore,
        notAfter,
      })),
    };
  })();
  return { leafKey, checked };
};

/** An epoch-ms time as ISO text, for messages. */
const iso = (time: number) => new Date(time).toISOString();

/**
 * Throws CERTIFICATE_NOT_YET_VALID or CERTIFICATE_EXPIRED unless every certificate is valid at
 * `time` (a time in the Date range), give or take {@link SKEW}.
 */
export const checkValidity = (chain: CheckedChain, time: number): void => {
  for (const { role, notBefore, notAfter } of chain.validity) {
    if (time + SKEW < notBefore) {
      throw fail(
        "CERTIFICATE_NOT_YET_VALID",
        `the ${role} certificate is not valid before ${iso(notBefore)} (checked at ${iso(time)})`,
      );
    }
    if (time - SKEW > notAfter) {
      throw fail(
        "CERTIFICATE_EXPIRED",
        `the ${role} certificate expired ${iso(notAfter)} (checked at ${iso(time)})`,
      );
    }
  }
};
