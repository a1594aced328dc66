// Turns the many ways a .p8 key reaches a program (a file, an env var, a CI secret) into the
// DER bytes of the key: PEM with LF or CRLF, literal "\n" escapes, a BOM, surrounding quotes or
// whitespace, the bare base64 body without armor, base64 of the whole PEM file, or DER bytes.
// What the DER holds (PKCS#8, SEC1, RSA, a certificate...) is pkcs8.ts's business.

import { decodeBase64 } from "./base64url.js";
import { encrypted, keyError, malformed, missing } from "./errors.js";

/**
 * The first PEM block whose BEGIN and END labels match, skipping the `EC PARAMETERS` block that
 * `openssl ecparam -genkey` writes before the key. Group 2 is the base64 body. The body may not
 * contain "-----", so each BEGIN scans only up to the next armor line: linear time, where a lazy
 * `[^]*?` took seconds on 1 MB of BEGIN lines without an END.
 */
const BLOCK = /-----BEGIN ((?!EC PARAMETERS)[A-Z0-9 ]+)-----((?:(?!-----)[^])*)-----END \1-----/;

/**
 * The BEGIN line of a private key of any kind. The label may not contain "-", so each match scans
 * one armor line: linear time.
 */
const PRIVATE_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/g;

/**
 * A run of backslashes, with the letter after it when that is `n` or `r`. The whole run is one
 * match, so each backslash is read once: `\\+[nr]` alone retries the rest of the run from every
 * backslash in it, quadratic time on a long run.
 */
const ESCAPES = /\\+([nr]?)/g;

/** DER bytes of a private key given as text in any of the forms listed at the top of this file. */
export const textToDer = (input: string): Uint8Array<ArrayBuffer> => {
  // trim() also drops a BOM; then surrounding quotes, then literal \n and \r escapes.
  const text = input
    .trim()
    .replace(/^(["'`])([^]*)\1$/, "$2")
    .replace(ESCAPES, (run, letter: string) => (letter ? "\n" : run))
    .trim();
  if (!text) throw missing();
  const armored = text.includes("-----");
  // "ENCRYPTED PRIVATE KEY", or the "Proc-Type: 4,ENCRYPTED" header of an encrypted SEC1 PEM.
  if (armored && text.includes("ENCRYPTED")) throw encrypted();
  // Two keys (two .p8 files pasted together, a pooled Node Buffer's whole `.buffer`): signing
  // with whichever comes first could sign as the wrong team.
  if (armored && (text.match(PRIVATE_BEGIN)?.length ?? 0) > 1) {
    throw keyError(
      "KEY_AMBIGUOUS",
      "holds more than one private key",
      "pass one .p8 file's contents (for a Node Buffer, the Buffer, not its .buffer)",
    );
  }
  const der = decodeBase64((armored ? (BLOCK.exec(text)?.[2] ?? "?") : text).replace(/\s+/g, ""));
  if (!der) throw malformed();
  // Without armor: the base64 body itself, or base64 of the whole PEM file.
  return armored ? der : bytesToDer(der);
};

/**
 * DER bytes of a private key given as bytes: DER itself, or the bytes of a PEM/base64 text file.
 */
export const bytesToDer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  // Copies: WebCrypto and browsers' TextDecoder refuse views of a SharedArrayBuffer.
  bytes[0] === 0x30 ? bytes.slice() : textToDer(new TextDecoder().decode(bytes.slice()));
