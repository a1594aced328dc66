// Independent checks of a token: node:crypto does the verifying, not asc-token.
import { type KeyObject, verify } from "node:crypto";

export const decodePart = (part: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;

/** Splits a compact JWS, checks its shape, and decodes header and claims. */
export const decodeToken = (token: string) => {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) {
    throw new Error("not a compact JWS with unpadded base64url parts");
  }
  const [header = "", claims = "", signature = ""] = parts;
  return {
    header: decodePart(header),
    claims: decodePart(claims),
    signature: Buffer.from(signature, "base64url"),
    headerText: Buffer.from(header, "base64url").toString(),
  };
};

/** True when node:crypto verifies the raw P1363 ES256 signature with `publicKey`. */
export const verifies = (token: string, publicKey: KeyObject): boolean => {
  const [header = "", claims = "", signature = ""] = token.split(".");
  const sig = Buffer.from(signature, "base64url");
  return (
    sig.length === 64 &&
    verify(
      "sha256",
      Buffer.from(`${header}.${claims}`),
      { key: publicKey, dsaEncoding: "ieee-p1363" },
      sig,
    )
  );
};
