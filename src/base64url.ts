// base64url and base64 by hand, with TextEncoder for UTF-8: no Buffer, no dependencies.

/** The base64 digits in value order, then base64url's two (62 and 63 again: index − 2). */
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_";

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/**
 * base64url without padding (RFC 7515 §2) of `bytes`, by table: no binary string, no `btoa`, no
 * replacing of `+`, `/` and `=` afterwards (for a signature, half the JS time spent after
 * WebCrypto answers).
 */
export const encodeBytes = (bytes: Uint8Array): string => {
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const group = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    // Four digits per three bytes, less those that would only carry padding bits.
    for (let shift = 18; shift >= 0 && i + (18 - shift) / 8 < bytes.length; shift -= 6) {
      const digit = (group >> shift) & 63;
      text += DIGITS.charAt(digit < 62 ? digit : digit + 2);
    }
  }
  return text;
};

/** base64url without padding of the UTF-8 bytes of `text`. */
export const encodeText = (text: string): string => encodeBytes(utf8(text));

/**
 * Decodes base64 or base64url (padding optional, no whitespace) to bytes.
 * Returns undefined when `text` is not valid base64 in either alphabet.
 */
export const decodeBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  const data = text.replace(/={1,2}$/, "");
  // Digits of either alphabet only, and never 4n+1 of them (padding is optional, as for Node).
  if (/[^\w+/-]/.test(data) || data.length % 4 === 1) return undefined;
  // By hand, not atob: Node 20 runs atob in JavaScript with an array search per character, a third
  // of the JS work of a cold import.
  const bytes = new Uint8Array((data.length * 3) >> 2);
  for (let i = 0, bits = 0, at = 0; i < data.length; i++) {
    const value = DIGITS.indexOf(data.charAt(i));
    bits = (bits << 6) | (value > 63 ? value - 2 : value);
    // Each digit but the first of a group of four completes a byte (the array keeps its low 8 bits).
    if (i % 4) bytes[at++] = bits >> (6 - 2 * (i % 4));
  }
  return bytes;
};
