// base64 and base64url on top of the Web-standard btoa/atob: no Buffer, no dependencies.

let encoder: TextEncoder | undefined;

/** UTF-8 bytes of `text` (one shared TextEncoder, created on first use, not at import). */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => (encoder ??= new TextEncoder()).encode(text);

/** base64url without padding (RFC 7515 §2) of a binary string (one character per byte). */
const fromBinary = (binary: string): string =>
  btoa(binary).replaceAll("=", "").replaceAll("+", "-").replaceAll("/", "_");

/** base64url without padding of `bytes`. */
export const encodeBytes = (bytes: Uint8Array): string => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return fromBinary(binary);
};

/**
 * base64url without padding of the UTF-8 bytes of `text`. ASCII text (every JSON this library
 * builds, unless a scope holds non-ASCII) is its own UTF-8, so it skips the TextEncoder.
 */
export const encodeText = (text: string): string =>
  /^[\0-\x7f]*$/.test(text) ? fromBinary(text) : encodeBytes(utf8(text));

/** base64url of the JSON of `value`. */
export const encodeJson = (value: unknown): string => encodeText(JSON.stringify(value));

/**
 * Decodes base64 or base64url (padding optional, no whitespace) to bytes.
 * Returns undefined when `text` is not valid base64 in either alphabet.
 */
export const decodeBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  // atob checks the rest: the length, and that `=` comes only as padding at the end.
  if (/^[\w+/-]*={0,2}$/.test(text)) {
    try {
      return Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0));
    } catch {
      // not base64 after all
    }
  }
  return undefined;
};
