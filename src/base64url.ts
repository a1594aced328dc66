// base64url and base64 with the Web's btoa/atob and TextEncoder for UTF-8: no Buffer, no
// dependencies.

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** Standard base64 with padding (RFC 4648 §4) of `bytes`. */
export const encodeBase64 = (bytes: Uint8Array): string => {
  // One character a byte, in a loop: spreading a large array into fromCharCode overflows the stack.
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
};

/** base64url without padding (RFC 7515 §2) of `bytes`. */
export const encodeBytes = (bytes: Uint8Array): string =>
  encodeBase64(bytes).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");

/** base64url without padding of the UTF-8 bytes of `text`. */
export const encodeText = (text: string): string => encodeBytes(utf8(text));

/**
 * Decodes base64 or base64url (padding optional, no whitespace) to bytes.
 * Returns undefined when `text` is not valid base64 in either alphabet.
 */
export const decodeBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  const data = text.replace(/={1,2}$/, "");
  // Digits of either alphabet only: atob would also skip whitespace. It refuses 4n+1 digits.
  if (/[^\w+/-]/.test(data)) return undefined;
  try {
    return Uint8Array.from(atob(data.replace(/-/g, "+").replace(/_/g, "/")), (char) =>
      char.charCodeAt(0),
    );
  } catch {
    return undefined;
  }
};
