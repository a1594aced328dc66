// der: the small part of DER (ITU-T X.690) that keys, ECDSA signatures and X.509 certificates
// use. Read a tag, read a length, expect a tag: every read is bounds-checked, and only definite,
// minimally encoded lengths are accepted, so each element is read once, in linear time.

/** Universal tags used by keys, signatures and certificates. */
export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/**
 * A context-specific tag: `[n]` in ASN.1. Constructed (0xa0 + n) for what holds elements, as SEC1's
 * `[0] parameters`; primitive (0x80 + n) for an IMPLICIT string, as PKCS#8's `[1] publicKey`.
 */
export const contextTag = (n: number, constructed = true): number =>
  (constructed ? 0xa0 : 0x80) + n;

/** One element: its tag, its contents, and the whole encoding (tag, length and contents). */
export interface DerElement {
  readonly tag: number;
  readonly contents: Uint8Array;
  readonly encoded: Uint8Array;
}

/**
 * Reads DER elements one after another from `bytes`. On anything that is not DER, or not what is
 * expected, it throws what `invalid()` returns: each caller names its own error (a damaged key, a
 * damaged certificate), so the reader knows nothing of error codes.
 */
export class DerReader {
  readonly #bytes: Uint8Array;
  readonly #invalid: () => Error;
  #at = 0;

  constructor(bytes: Uint8Array, invalid: () => Error) {
    this.#bytes = bytes;
    this.#invalid = invalid;
  }

  /** True when every byte has been read. */
  get done(): boolean {
    return this.#at === this.#bytes.length;
  }

  /** The tag of the next element, without reading it; undefined at the end. */
  peek(): number | undefined {
    return this.#bytes[this.#at];
  }

  /** The next element, whatever its tag. */
  read(): DerElement {
    const start = this.#at;
    const tag = this.#byte();
    // High tag numbers (0x1f) appear in none of the structures read here.
    if ((tag & 0x1f) === 0x1f) throw this.#invalid();
    const length = this.#length();
    if (length > this.#bytes.length - this.#at) throw this.#invalid();
    const contents = this.#bytes.subarray(this.#at, (this.#at += length));
    return { tag, contents, encoded: this.#bytes.subarray(start, this.#at) };
  }

  /** The contents of the next element, which must have tag `tag`. */
  expect(tag: number): Uint8Array {
    return this.expectElement(tag).contents;
  }

  /** The next element, which must have tag `tag`. */
  expectElement(tag: number): DerElement {
    if (this.peek() !== tag) throw this.#invalid();
    return this.read();
  }

  /** A reader over the contents of the next element, which must have tag `tag` (a SEQUENCE...). */
  enter(tag: number): DerReader {
    return new DerReader(this.expect(tag), this.#invalid);
  }

  /** The next element if it has tag `tag`, else undefined (for OPTIONAL and DEFAULT fields). */
  optional(tag: number): DerElement | undefined {
    return this.peek() === tag ? this.read() : undefined;
  }

  /** Throws unless every byte has been read: trailing data is never ignored. */
  end(): void {
    if (!this.done) throw this.#invalid();
  }

  #byte(): number {
    const byte = this.#bytes[this.#at++];
    if (byte === undefined) throw this.#invalid();
    return byte;
  }

  /** A definite length in its shortest form: one byte below 128, else 0x81..0x84 and the bytes. */
  #length(): number {
    const first = this.#byte();
    if (first < 0x80) return first;
    const count = first & 0x7f;
    // 0x80 is BER's indefinite length; more than four length bytes exceeds any input here.
    if (count === 0 || count > 4) throw this.#invalid();
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + this.#byte();
    // Minimal: a long form only for 128 and up, and no leading zero byte.
    if (length < 0x80 || length < 256 ** (count - 1)) throw this.#invalid();
    return length;
  }
}

/** A DER length: one byte below 128, else 0x80 + the count of big-endian bytes that follow. */
const encodeLength = (length: number): number[] => {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return [0x80 | bytes.length, ...bytes];
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
  return concat([tag, ...encodeLength(body.length)], body);
};

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

/** The contents of the OBJECT IDENTIFIER with the dotted text `text`: the inverse of `oidText`. */
export const oidContents = (text: string): Uint8Array<ArrayBuffer> => {
  const [first = 0, second = 0, ...rest] = text.split(".").map(Number);
  const bytes: number[] = [];
  for (const arc of [40 * first + second, ...rest]) {
    // Base 128, most significant group first, the high bit set on all groups but the last.
    const groups = [arc % 128];
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      groups.unshift(0x80 | (value % 128));
    bytes.push(...groups);
  }
  return Uint8Array.from(bytes);
};

/**
 * The value of a non-negative DER INTEGER as exactly `size` big-endian bytes, for the `r` and `s`
 * of an ECDSA signature. Refuses what DER forbids (a leading 0x00 not needed for the sign, a
 * negative number) and values that do not fit in `size` bytes; undefined then.
 */
const unsignedInteger = (contents: Uint8Array, size: number): Uint8Array | undefined => {
  const [first = 0, second = 0] = contents;
  if (contents.length === 0 || first & 0x80) return undefined;
  if (first === 0 && contents.length > 1 && !(second & 0x80)) return undefined;
  const value = first === 0 && contents.length > 1 ? contents.subarray(1) : contents;
  if (value.length > size) return undefined;
  const out = new Uint8Array(size);
  out.set(value, size - value.length);
  return out;
};

/** The minimal DER INTEGER contents of the unsigned big-endian number `bytes`. */
const integerContents = (bytes: Uint8Array): Uint8Array => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const value = bytes.subarray(start);
  // A set high bit would make the number negative: DER adds one zero byte in front.
  return (value[0] ?? 0) & 0x80 ? concat([0], value) : value;
};

/**
 * An ECDSA signature in DER (`SEQUENCE { INTEGER r, INTEGER s }`, what X.509, OpenSSL and most
 * key services produce) as the raw `r||s` of `size`-byte halves that JWS and WebCrypto use (32 for
 * P-256, 48 for P-384). Strict: minimal integers, no trailing bytes. Throws what `invalid()`
 * returns otherwise.
 */
export const derToRawSignature = (
  der: Uint8Array,
  size: number,
  invalid: () => Error,
): Uint8Array<ArrayBuffer> => {
  const outer = new DerReader(der, invalid);
  const pair = outer.enter(TAG.SEQUENCE);
  outer.end();
  const r = unsignedInteger(pair.expect(TAG.INTEGER), size);
  const s = unsignedInteger(pair.expect(TAG.INTEGER), size);
  pair.end();
  if (!r || !s) throw invalid();
  const raw = new Uint8Array(2 * size);
  raw.set(r);
  raw.set(s, size);
  return raw;
};

/** A raw `r||s` ECDSA signature (two equal halves) as DER `SEQUENCE { INTEGER r, INTEGER s }`. */
export const rawToDerSignature = (raw: Uint8Array): Uint8Array<ArrayBuffer> => {
  const half = raw.length / 2;
  return encodeDer(
    TAG.SEQUENCE,
    encodeDer(TAG.INTEGER, integerContents(raw.subarray(0, half))),
    encodeDer(TAG.INTEGER, integerContents(raw.subarray(half))),
  );
};

/** True when `bytes` is a DER ECDSA signature of `size`-byte halves (what {@link derToRawSignature} reads). */
export const isDerSignature = (bytes: Uint8Array, size: number): boolean => {
  try {
    derToRawSignature(bytes, size, () => new Error("not a DER signature"));
    return true;
  } catch {
    return false;
  }
};
