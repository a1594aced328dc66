// der: the small part of DER (ITU-T X.690) that keys, ECDSA signatures and X.509 certificates
// use. Elements are read one after another: a tag, a definite length in its shortest form, the
// contents. Every read is bounds-checked and each byte is read once, so reading is linear time;
// a read makes an element only for the fields its caller asks for, so memory is bounded too.
// On anything that is not DER, or not the expected shape, a read throws what the caller's
// `invalid()` returns: each caller names its own error (a damaged key, a damaged certificate).

// Universal tags used by keys, signatures and certificates (constants, so bundlers inline them).
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OBJECT_IDENTIFIER = 0x06;
export const SEQUENCE = 0x30;

/**
 * A context-specific tag: `[n]` in ASN.1. Constructed (0xa0 + n) for what holds elements, as SEC1's
 * `[0] parameters`; primitive (0x80 + n) for an IMPLICIT string, as PKCS#8's `[1] publicKey`.
 */
export const contextTag = (n: number, constructed = true): number =>
  (constructed ? 0xa0 : 0x80) + n;

/**
 * One element: its tag and its contents. Its whole encoding, where a caller needs it, is
 * `encodeDer(tag, contents)`: DER has one encoding per value, and only that one is read.
 */
export interface DerElement {
  readonly tag: number;
  readonly contents: Uint8Array;
}

/**
 * The first `most` elements `bytes` holds, in order (fewer if it holds fewer): the whole encoding,
 * or the contents of a SEQUENCE. Reading stops there, so input of many tiny elements costs no
 * more than `most` of them; ask for one more than allowed to tell "too many".
 */
export const readDer = (bytes: Uint8Array, invalid: () => Error, most: number): DerElement[] => {
  const elements: DerElement[] = [];
  let at = 0;
  const next = (): number => {
    const byte = bytes[at++];
    if (byte === undefined) throw invalid();
    return byte;
  };
  while (at < bytes.length && elements.length < most) {
    const tag = next();
    let length = next();
    // A long length: 0x81..0x84, then that many bytes. 0x80 is BER's indefinite length, and
    // more than four bytes exceeds any input here.
    if (length > 0x7f) {
      const count = length - 0x80;
      if (count < 1 || count > 4) throw invalid();
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + next();
      // Shortest form: a long form only for 128 and up, and no leading zero byte.
      if (length < 0x80 || length < 256 ** (count - 1)) throw invalid();
    }
    // High tag numbers (0x1f) appear in none of the structures read here.
    if ((tag & 0x1f) === 0x1f || length > bytes.length - at) throw invalid();
    elements.push({ tag, contents: bytes.subarray(at, (at += length)) });
  }
  return elements;
};

/** A field of {@link readFields} that is OPTIONAL: it may be left out. */
export type Optional = number & { readonly optional: true };

/** Marks the field with tag `tag` as OPTIONAL for {@link readFields}. */
export const optional = (tag: number): Optional => (tag | 0x100) as Optional;

/** What {@link readFields} returns for `tags`: an element per tag, maybe undefined if OPTIONAL. */
export type Fields<T extends readonly number[]> = {
  [K in keyof T]: T[K] extends Optional ? DerElement | undefined : DerElement;
};

/**
 * The elements of `bytes`, which must have the tags `tags` in that order (an `optional(tag)`
 * field may be missing) and nothing after them: one entry per tag, undefined for a missing
 * OPTIONAL field. Reads a SEQUENCE's contents, or `[SEQUENCE]` for a whole encoding.
 */
export const readFields = <const T extends readonly number[]>(
  bytes: Uint8Array,
  invalid: () => Error,
  tags: T,
): Fields<T> => {
  // One element past the fields is enough to refuse what follows them: the rest is never read.
  const elements = readDer(bytes, invalid, tags.length + 1);
  let at = 0;
  const fields = tags.map((tag) => {
    const element = elements[at];
    if (element?.tag === (tag & 0xff)) {
      at++;
      return element;
    }
    if (tag & 0x100) return undefined;
    throw invalid();
  });
  if (at !== elements.length) throw invalid();
  return fields as Fields<T>;
};

/** Byte arrays one after another, in a new array. */
const concat = (...parts: (Uint8Array | number[])[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** The DER encoding of one element: `tag`, the length in its shortest form, then `contents`. */
export const encodeDer = (tag: number, ...contents: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const body = concat(...contents);
  // One byte below 128, else 0x80 + the count of the big-endian bytes that follow.
  const length: number[] = [];
  for (let rest = body.length; rest > 0; rest = Math.floor(rest / 256)) length.unshift(rest % 256);
  return concat(
    [tag, ...(body.length < 0x80 ? [body.length] : [0x80 | length.length, ...length])],
    body,
  );
};

/** Lower-case hex of `bytes`, two digits each: equal-length hex compares as the numbers do. */
export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => (byte | 256).toString(16).slice(1)).join("");

/** The bytes of the hex text `text` (an even number of hex digits). */
export const fromHex = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(text.match(/../g) ?? [], (pair) => parseInt(pair, 16));

/**
 * The dotted text of an OBJECT IDENTIFIER's contents, like `1.2.840.10045.2.1`; the empty string
 * for contents that are not a minimally encoded OID (a padded or unfinished subidentifier).
 */
export const oidText = (contents: Uint8Array): string => {
  const arcs: number[] = [];
  let value = 0;
  let start = true;
  for (const byte of contents) {
    if (start && byte === 0x80) return "";
    value = value * 128 + (byte & 0x7f);
    start = !(byte & 0x80);
    if (!start) continue;
    // The first subidentifier packs two arcs: 40 × first + second (first is 0, 1 or 2).
    if (arcs.length > 0) arcs.push(value);
    else if (value < 80) arcs.push(Math.floor(value / 40), value % 40);
    else arcs.push(2, value - 80);
    value = 0;
  }
  return start ? arcs.join(".") : "";
};

/** The DER OBJECT IDENTIFIER of dotted text like `1.2.840.10045.2.1`: {@link oidText} reversed. */
export const encodeOid = (text: string): Uint8Array<ArrayBuffer> => {
  const [first = 0, second = 0, ...rest] = text.split(".").map(Number);
  const bytes: number[] = [];
  for (const arc of [40 * first + second, ...rest]) {
    // Base 128, most significant group first, every group but the last with its high bit set.
    const groups = [arc % 128];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128)) {
      groups.unshift(0x80 | (value % 128));
    }
    bytes.push(...groups);
  }
  return encodeDer(OBJECT_IDENTIFIER, Uint8Array.from(bytes));
};

/**
 * An ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, what X.509, OpenSSL and most
 * key services produce) as the raw `r||s` of `size`-byte halves that JWS and WebCrypto use (32 for
 * P-256, 48 for P-384). Strict: minimal non-negative integers that fit in `size` bytes, no
 * trailing bytes. Throws what `invalid()` returns otherwise.
 */
export const derToRawSignature = (
  der: Uint8Array,
  size: number,
  invalid: () => Error,
): Uint8Array<ArrayBuffer> => {
  // The longest DER: two INTEGERs of a zero byte and `size` bytes, in a short-form SEQUENCE
  // (72 bytes for P-256, 104 for P-384). Anything longer is refused unread.
  if (der.length > 2 * size + 8) throw invalid();
  const [pair] = readFields(der, invalid, [SEQUENCE]);
  const raw = new Uint8Array(2 * size);
  readFields(pair.contents, invalid, [INTEGER, INTEGER]).forEach(({ contents }, i) => {
    // DER puts a 0x00 in front only of a value whose high bit is set (it would read negative):
    // without the 0x00 the high bit must be clear, after it set.
    const value = contents[0] === 0 && contents.length > 1 ? contents.subarray(1) : contents;
    const first = value[0] ?? 0x80;
    if (value.length > size || (value === contents ? first & 0x80 : !(first & 0x80))) {
      throw invalid();
    }
    raw.set(value, (i + 1) * size - value.length);
  });
  return raw;
};

/** The minimal DER INTEGER contents of the unsigned big-endian number `bytes`. */
const integerContents = (bytes: Uint8Array): Uint8Array => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = bytes.subarray(start);
  // A set high bit would make the number negative: DER adds one zero byte in front.
  return (value[0] ?? 0) & 0x80 ? concat([0], value) : value;
};

/** A raw `r||s` ECDSA signature (two equal halves) as DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export const rawToDerSignature = (raw: Uint8Array): Uint8Array<ArrayBuffer> => {
  const half = raw.length / 2;
  return encodeDer(
    SEQUENCE,
    encodeDer(INTEGER, integerContents(raw.subarray(0, half))),
    encodeDer(INTEGER, integerContents(raw.subarray(half))),
  );
};

/**
 * True when `bytes` is a DER ECDSA signature of `size`-byte halves, as {@link derToRawSignature}
 * reads them.
 */
export const isDerSignature = (bytes: Uint8Array, size: number): boolean => {
  try {
    derToRawSignature(bytes, size, () => new Error("not a DER signature"));
    return true;
  } catch {
    return false;
  }
};
