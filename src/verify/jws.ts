// jws: splits what Apple signs (a compact JWS) into its parts and refuses every header that is not
// Apple's: ES256 with an x5c chain of three certificates and nothing that changes how to verify.

import { decodeBase64, encodeBytes, utf8 } from "../base64url.js";
import { fail } from "../errors.js";

/** A compact JWS, split and decoded, not yet verified. */
export interface SignedParts {
  /** The header's `x5c`: leaf, intermediate, root, as base64 DER (checked later, in chain.ts). */
  readonly x5c: readonly [string, string, string];
  readonly payload: Record<string, unknown>;
  /** `header.payload` as bytes: what the signature covers. */
  readonly signingInput: Uint8Array<ArrayBuffer>;
  readonly signature: Uint8Array<ArrayBuffer>;
}

/** Header parameters that would name another key, fetch one, or change what is signed. */
const REFUSED = ["jwk", "jku", "x5u", "crit", "b64", "zip", "enc"];

const malformed = (why: string) =>
  fail("SIGNED_DATA_MALFORMED", `${why}: pass the signed string exactly as Apple sent it`);

const refused = (why: string) =>
  fail(
    "SIGNED_DATA_HEADER_INVALID",
    `the signed data's header ${why}; Apple signs with ES256 and x5c`,
  );

/**
 * base64url without padding in its one canonical spelling (unused bits zero), or undefined: two
 * spellings of one signature or payload would make one signed value look like two.
 */
const fromBase64url = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  const bytes = /^[\w-]*$/.test(text) ? decodeBase64(text) : undefined;
  return bytes && encodeBytes(bytes) === text ? bytes : undefined;
};

/** Standard base64 with padding (RFC 7515 §4.1.6 for x5c), in its canonical spelling only. */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const bytes = decodeBase64(text);
  return bytes && toBase64(bytes) === text ? bytes : undefined;
};

/** Standard base64 with padding of `bytes`. */
export const toBase64 = (bytes: Uint8Array): string => {
  const text = encodeBytes(bytes).replace(/[-_]/g, (digit) => (digit === "-" ? "+" : "/"));
  return text + "=".repeat((4 - (text.length % 4)) % 4);
};

/** The JSON object in one base64url part, or SIGNED_DATA_MALFORMED. */
const objectOf = (part: string, name: string): Record<string, unknown> => {
  const bytes = fromBase64url(part);
  if (!bytes) throw malformed(`the signed data's ${name} is not canonical base64url`);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw malformed(`the signed data's ${name} is not UTF-8 JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(`the signed data's ${name} is not a JSON object`);
  }
  return value as Record<string, unknown>;
};

/**
 * Splits `signed` into header, payload and signature and checks the header: `alg` exactly
 * `ES256`, `x5c` exactly three strings, none of the parameters in {@link REFUSED}. A `kid` is
 * ignored: the key is always the leaf certificate's.
 */
export const splitSignedData = (signed: unknown): SignedParts => {
  if (typeof signed !== "string") throw malformed("the signed data is not a string");
  const parts = signed.split(".");
  if (parts.length !== 3) throw malformed("the signed data is not a compact JWS (three parts)");
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = objectOf(headerPart, "header");
  if (header.alg !== "ES256") throw refused("alg is not ES256");
  const present = REFUSED.find((name) => Object.hasOwn(header, name));
  if (present) throw refused(`has ${JSON.stringify(present)}`);
  const { x5c } = header;
  if (!Array.isArray(x5c) || x5c.length !== 3 || !x5c.every((cert) => typeof cert === "string")) {
    throw refused("x5c is not three certificates (leaf, intermediate, root)");
  }
  const payload = objectOf(payloadPart, "payload");
  const signature = fromBase64url(signaturePart);
  if (!signature) throw malformed("the signed data's signature is not canonical base64url");
  return {
    x5c: x5c as [string, string, string],
    payload,
    signingInput: utf8(`${headerPart}.${payloadPart}`),
    signature,
  };
};
