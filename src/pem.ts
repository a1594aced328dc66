// Turns the many ways a .p8 key reaches a program (a file, an env var, a CI secret) into the
// DER bytes of the key: PEM with LF or CRLF, literal "\n" escapes, a BOM, surrounding quotes or
// whitespace, the bare base64 body without armor, base64 of the whole PEM file, or DER bytes.

import { decodeBase64 } from "./base64url.js";
import { encrypted, fail, missing, notPrivate } from "./errors.js";

// The body may not contain "-----", so each BEGIN scans only up to the next armor line: linear
// time, where a lazy `[\s\S]*?` took seconds on 1 MB of BEGIN lines without an END.
const ARMOR = /-----BEGIN ([A-Z0-9 ]+)-----((?:(?!-----)[\s\S])*)-----END ([A-Z0-9 ]+)-----/g;

const malformed = (why: string) => fail("KEY_MALFORMED", `privateKey ${why}: paste the whole .p8 file`);
const badBase64 = () => malformed("is not valid PEM, base64 or DER");

/** Finds the key block in PEM text and returns its DER bytes. */
const fromPem = (text: string): Uint8Array<ArrayBuffer> => {
  for (const [, label = "", body = "", endLabel] of text.matchAll(ARMOR)) {
    if (label === "EC PARAMETERS") continue; // `openssl ecparam -genkey` writes this block first
    if (label !== endLabel) {
      throw malformed("has BEGIN and END lines that differ");
    }
    if (label.includes("ENCRYPTED") || body.includes("ENCRYPTED")) {
      throw encrypted();
    }
    if (!label.endsWith("PRIVATE KEY")) {
      throw notPrivate();
    }
    const der = decodeBase64(body.replace(/\s+/g, ""));
    if (!der) throw badBase64();
    return der;
  }
  throw malformed("has no complete BEGIN...END block");
};

/** DER bytes of a private key given as text in any of the forms listed at the top of this file. */
export const textToDer = (input: string): Uint8Array<ArrayBuffer> => {
  let text = input
    .replace(/^\uFEFF/, "")
    .trim()
    .replace(/^(["'`])([\s\S]*)\1$/, "$2")
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    .trim();
  if (!text) throw missing();
  if (!text.includes("-----")) {
    // No armor: the bare base64 body, or base64 of the whole PEM file (one level deep).
    const der = decodeBase64(text.replace(/\s+/g, ""));
    if (!der) throw badBase64();
    if (der[0] === 0x30) return der;
    text = new TextDecoder().decode(der).replace(/^\uFEFF/, "");
    if (!text.includes("-----BEGIN")) throw badBase64();
  }
  return fromPem(text);
};

/** DER bytes of a private key given as bytes: DER itself, or the bytes of a PEM/base64 text file. */
export const bytesToDer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes[0] === 0x30 ? bytes.slice() : textToDer(new TextDecoder().decode(bytes));
