// jws: splits what Apple signs (a compact JWS) into its parts and refuses every header that is not
// Apple's: ES256 with an x5c chain of three certificates and nothing that changes how to verify.
// Every base64 part has one spelling only (canonical, no stray padding).

import { decodeBase64, utf8 } from "../lib/base64url.js";
import { fail } from "../lib/errors.js";

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
 * True when the last digit of unpadded base64 `data` (in either alphabet) leaves no unused bit
 * set: the one canonical spelling. Two spellings of one value would make one signed value look
 * like two. Checking the last digit is enough, and costs nothing on a 4 kB header.
 */
const canonicalEnd = (data: string): boolean => {
  const last = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".indexOf(
    data.charAt(data.length - 1),
  );
  const rest = data.length % 4;
  return rest === 0 || (last & (rest === 2 ? 15 : 3)) === 0;
};

/** base64url without padding, canonical, or undefined. */
const fromBase64url = (text: string): Uint8Array<ArrayBuffer> | undefined =>
  /^[\w-]*$/.test(text) && canonicalEnd(text) ? decodeBase64(text) : undefined;

/** Standard base64 with its padding (RFC 7515 §4.1.6 for x5c), canonical, or undefined. */
export const fromBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  const data = text.replace(/={1,2}$/, "");
  // The padding must be exactly what the data needs: 4n digits in all.
  return /^[A-Za-z0-9+/]*$/.test(data) && text.length % 4 === 0 && canonicalEnd(data)
    ? decodeBase64(data)
    : undefined;
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

/** The three parts of a compact JWS (header, payload, signature), still encoded. */
export const splitCompact = (signed: unknown): [string, string, string] => {
  if (typeof signed !== "string") throw malformed("the signed data is not a string");
  const parts = signed.split(".");
  if (parts.length !== 3) throw malformed("the signed data is not a compact JWS (three parts)");
  return parts as [string, string, string];
};

/**
 * The `x5c` of an encoded header (leaf, intermediate, root as base64 DER), after checking the
 * header: `alg` exactly `ES256`, `x5c` exactly three strings, none of the parameters in
 * {@link REFUSED}. A `kid` is ignored: the key is always the leaf certificate's.
 */
export const readHeader = (part: string): [string, string, string] => {
  const header = objectOf(part, "header");
  if (header.alg !== "ES256") throw refused("alg is not ES256");
  const present = REFUSED.find((name) => Object.hasOwn(header, name));
  if (present) throw refused(`has ${JSON.stringify(present)}`);
  const { x5c } = header;
  if (!Array.isArray(x5c) || x5c.length !== 3 || !x5c.every((cert) => typeof cert === "string")) {
    throw refused("x5c is not three certificates (leaf, intermediate, root)");
  }
  return x5c as [string, string, string];
};

/** The payload object of an encoded payload part. */
export const readPayload = (part: string): Record<string, unknown> => objectOf(part, "payload");

/** The signature bytes of an encoded signature part. */
export const readSignature = (part: string): Uint8Array<ArrayBuffer> => {
  const signature = fromBase64url(part);
  if (!signature) throw malformed("the signed data's signature is not canonical base64url");
  return signature;
};

/** What the signature covers: `header.payload` as bytes. */
export const signingInput = (header: string, payload: string): Uint8Array<ArrayBuffer> =>
  utf8(`${header}.${payload}`);
