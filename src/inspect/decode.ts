// decode: a compact JWT → its header, claims and signature, without verifying anything.

import { decodeBase64 } from "../lib/base64url.js";
import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";

/**
 * What {@link decodeToken} returns. Fresh objects: changing them changes nothing else.
 *
 * @example
 * ```ts
 * const { claims }: DecodedToken = decodeToken(token);
 * ```
 */
export interface DecodedToken {
  /** The JOSE header, e.g. `{ alg: "ES256", kid: "2X9R4HXF34", typ: "JWT" }`. */
  header: Record<string, unknown>;
  /** The claims, e.g. `{ iss, iat, exp, aud }`. */
  claims: Record<string, unknown>;
  /**
   * The signature part as the token carries it, base64url text (checked to decode), so the
   * result is plain JSON: 86 characters for a correct ES256 token, whose bytes are the raw
   * 64-byte `r||s` (decode it with any base64url decoder).
   */
  signature: string;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

const tokenMalformed = (why: string) =>
  fail("TOKEN_MALFORMED", `${why}; pass the whole token as issued, without "Bearer "`);

/** base64url (RFC 7515: `A-Z a-z 0-9 - _`, no padding) of one part, or TOKEN_MALFORMED. */
const partBytes = (part: string, name: string): Uint8Array<ArrayBuffer> => {
  const bytes = BASE64URL.test(part) ? decodeBase64(part) : undefined;
  if (!bytes)
    throw tokenMalformed(
      `the token's ${name} is not base64url (A-Z, a-z, 0-9, "-", "_", no padding)`,
    );
  return bytes;
};

/** The JSON object a part holds, or TOKEN_MALFORMED. */
const objectOf = (part: string, name: string): Record<string, unknown> => {
  const bytes = partBytes(part, name);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw tokenMalformed(`the token's ${name} is not UTF-8 JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind =
      typeof value === "number" || typeof value === "boolean"
        ? `a ${typeof value}`
        : showValue(value);
    throw tokenMalformed(`the token's ${name} is JSON but not an object (it is ${kind})`);
  }
  return value as Record<string, unknown>;
};

/**
 * Splits a JWT and decodes its header, claims and signature **without verifying** it: use it to
 * look inside a token, never to trust one. Throws an {@link AscTokenError} with code
 * `TOKEN_MALFORMED` when the token does not have three base64url parts whose first two are JSON
 * objects. The message says which part is wrong and never contains the token.
 *
 * @example
 * ```ts
 * import { createAscToken, decodeToken } from "asc-token";
 * const { header, claims, signature } = decodeToken(await createAscToken(options));
 * console.log(header.kid, claims.exp, signature.length); // "2X9R4HXF34" 1764331080 86
 * console.log(JSON.stringify(decodeToken(token))); // {"header":{…},"claims":{…},"signature":"…"}
 * ```
 */
export const decodeToken = (token: string): DecodedToken => {
  if (typeof token !== "string")
    throw tokenMalformed(`token must be a string; got ${showValue(token)}`);
  const parts = token.split(".");
  const [header = "", claims = "", signature = ""] = parts;
  if (parts.length !== 3)
    throw tokenMalformed(
      `token has ${String(parts.length)} part${parts.length === 1 ? "" : "s"}; a JWT has 3 ` +
        "(header.claims.signature)",
    );
  const decoded = { header: objectOf(header, "header"), claims: objectOf(claims, "claims") };
  // Checked, and kept as the token's text: the result stays plain JSON.
  partBytes(signature, "signature");
  return { ...decoded, signature };
};
