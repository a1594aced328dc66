// base64url and base64 with TextEncoder for UTF-8: no Buffer, no dependencies.

/** UTF-8 bytes of `text`. */
export const utf8 = (text: string): Uint8Array<ArrayBuffer> => new TextEncoder().encode(text);

/** base64url's digits in value order. */
const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * base64url without padding (RFC 7515 §2) of `bytes`. A token's few hundred bytes go by table, a
 * digit at a time: no binary string, no `btoa` and no replacing of `+`, `/` and `=` afterwards,
 * which together cost twice as much on the path every token takes (bench/RESULTS.md). A string
 * built a character at a time costs more than linear time once it is long (its pieces pile up
 * for the garbage collector), so longer input goes through `btoa` in slices.
 */
export const encodeBytes = (bytes: Uint8Array): string => {
  if (bytes.length > 4096) {
    let binary = "";
    // Slices: fromCharCode takes its arguments on the stack.
    for (let i = 0; i < bytes.length; i += 4096) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
    }
    return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  }
  let text = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const group = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    // Four digits per three bytes, less those that would only carry padding bits.
    for (let shift = 18; shift >= 0 && i + (18 - shift) / 8 < bytes.length; shift -= 6) {
      text += DIGITS.charAt((group >> shift) & 63);
    }
  }
  return text;
};

/** base64url without padding of the UTF-8 bytes of `text`. */
export const encodeText = (text: string): string => encodeBytes(utf8(text));

/** Standard base64 with padding (RFC 4648 §4) of `bytes`: base64url's digits put back. */
export const encodeBase64 = (bytes: Uint8Array): string =>
  encodeBytes(bytes)
    .replace(/[-_]/g, (digit) => (digit === "-" ? "+" : "/"))
    .padEnd(Math.ceil(bytes.length / 3) * 4, "=");

/**
 * Decodes base64 or base64url (padding optional, no whitespace) to bytes.
 * Returns undefined when `text` is not valid base64 in either alphabet.
 */
export const decodeBase64 = (text: string): Uint8Array<ArrayBuffer> | undefined => {
  const data = text.replace(/={1,2}$/, "");
  // Digits of either alphabet only: atob would also skip whitespace. It refuses 4n+1 digits.
  if (/[^\w+/-]/.test(data)) return undefined;
  let binary: string;
  try {
    binary = atob(data.replace(/-/g, "+").replace(/_/g, "/"));
  } catch {
    return undefined;
  }
  // A plain loop: Uint8Array.from(binary, fn) takes several times as long.
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};
