// Tokens built by hand with node:crypto, independent of src/: for the doctor and decode tests.
import { type KeyObject, sign } from "node:crypto";

const part = (value: object | string): string =>
  Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");

/**
 * A compact JWS of `header` and `claims` (objects are JSON-encoded, strings used as they are),
 * signed ES256 with `key`: raw r||s by default, DER with `{ der: true }` (the hand-rolled bug).
 */
export const handToken = (
  header: object | string,
  claims: object | string,
  key: KeyObject,
  { der = false } = {},
): string => {
  const input = `${part(header)}.${part(claims)}`;
  const signature = sign("sha256", Buffer.from(input), {
    key,
    dsaEncoding: der ? "der" : "ieee-p1363",
  });
  return `${input}.${signature.toString("base64url")}`;
};
