// base64 and base64url on top of the Web-standard btoa/atob: no Buffer, no dependencies.

let encoder: TextEncoder | undefined;

/** UTF-8 bytes of `text` (one shared TextEncoder, created on first use, not at import). */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => (encoder ??= new TextEncoder()).encode(text);

/** base64url without padding (RFC 7515 §2) of `bytes`. */
export const encodeBytes = (bytes: Uint8Array): string => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
};

/** base64url without padding of the UTF-8 bytes of `text`. */
export const encodeText = (text: string): string => encodeBytes(utf8(text));

/** base64url of the JSON of `value`. */
export const encodeJson = (value: unknown): string => encodeText(JSON.stringify(value));

/**
 * Decodes base64 or base64url (padding optional, no whitespace) to bytes.
 * Returns undefined when `text` is not valid base64 in either alphabet.
 */
export const decodeBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  const std = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  let binary: string;
  try {
    binary = atob(std + "===".slice((std.length + 3) % 4));
  } catch {
    return undefined;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
};
