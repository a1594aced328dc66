// redact: the one policy for what of a value any output (an error message, a doctor finding, the
// CLI) may show. A value is quoted only when it is short, safe on a terminal and not shaped like
// key material or a token; anything else is only measured. Causes that may carry a secret (a
// store client's error holding the command it sent, a signer's SDK error holding its request)
// are replaced by one holding only their class and a redacted message.

/** Longest value ever quoted: shorter than any key file's body (160+ characters). */
export const MAX_SHOWN = 128;

/**
 * Characters a terminal obeys rather than shows: C0 and C1 controls (ESC, CSI U+009B), DEL, the
 * bidi marks, embeddings, overrides and isolates that reorder what is displayed (U+061C, U+200E,
 * U+200F, U+202A–U+202E, U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029).
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\0-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** The shortest base64 or base64url run read as key material: longer than a UUID (36). */
const KEY_RUN = 40;
/** The shortest word of letters and digits read as key material: an ID's is shorter (UUID 12). */
const KEY_WORD = 16;

/** Whether a run is key material: long enough, at least half of it letters and digits. */
const long = (length: number, alnum: number): boolean => length >= KEY_RUN && alnum * 2 >= length;

/**
 * Whether `text` holds key material or a token: a word of {@link KEY_WORD} or more letters and
 * digits holding both (hex, base64, `sk_live_0123456789abcdef`; a word of English or a class
 * name has no digit), or a run of {@link KEY_RUN} or more base64url characters, `+` and `=`, at
 * least half of them letters or digits. A `/` ends a run, as in a path, except in a run holding
 * `+` or `=`: standard base64, where `/` is one more digit. So a key's body, a JWT's signature
 * and 32 bytes in base64, base64url or hex are key material; a UUID, an ID, a class name and
 * `/tmp/asc-token-x_y/AuthKey_2X9R4HXF34.p8` are not. One pass over `text`.
 */
export const hasKeyMaterial = (text: string): boolean => {
  // The word, the base64url run ("/" ends it) and the base64 run ("/" included) being read.
  let word = 0;
  let wordDigits = 0;
  let url = 0;
  let urlAlnum = 0;
  let b64 = 0;
  let b64Alnum = 0;
  let padded = false;
  // A space after the end closes the last word and runs.
  for (const char of `${text} `) {
    const digit = char >= "0" && char <= "9";
    if (digit || (char >= "A" && char <= "Z") || (char >= "a" && char <= "z")) {
      word++;
      if (digit) wordDigits++;
      url++;
      urlAlnum++;
      b64++;
      b64Alnum++;
      continue;
    }
    if (word >= KEY_WORD && wordDigits > 0 && wordDigits < word) return true;
    word = wordDigits = 0;
    if ("+=-_".includes(char)) {
      url++;
      b64++;
      if (char === "+" || char === "=") padded = true;
      continue;
    }
    if (long(url, urlAlnum)) return true;
    url = urlAlnum = 0;
    if (char === "/") {
      b64++;
      continue;
    }
    if (padded && long(b64, b64Alnum)) return true;
    b64 = b64Alnum = 0;
    padded = false;
  }
  return false;
};

/** Whether `text` is free of the characters a terminal obeys (see {@link terminalSafe}). */
export const isTerminalSafe = (text: string): boolean => terminalSafe(text) === text;

/**
 * `text` with every character a terminal obeys rather than shows written as `\uXXXX`. Applied
 * to JSON text, the result is the same JSON (these characters can only be inside strings).
 */
export const terminalSafe = (text: string): string =>
  text.replace(UNSAFE, (char) => `\\u${(char.charCodeAt(0) | 0x10000).toString(16).slice(1)}`);

/**
 * Whether a value may be quoted: a string of at most {@link MAX_SHOWN} printable ASCII characters
 * but `"` and `\` (nothing a terminal obeys, no look-alike letters, nothing to escape) holding no
 * key material.
 */
const quotable = (value: unknown): value is string =>
  typeof value === "string" &&
  value.length <= MAX_SHOWN &&
  /^[ !#-[\]-~]*$/.test(value) &&
  !hasKeyMaterial(value);

/**
 * A value as any message may show it: a string JSON-quoted when it is quotable (at most
 * {@link MAX_SHOWN} printable ASCII characters, no key material), else only its length; a number
 * as written; anything else by its type.
 */
export const showValue = (value: unknown): string =>
  quotable(value)
    ? `"${value}"`
    : typeof value === "string"
      ? `a string of ${value.length} characters`
      : typeof value === "number"
        ? String(value)
        : value === null
          ? "null"
          : Array.isArray(value)
            ? value.length
              ? "an array"
              : "an empty array"
            : typeof value;

/**
 * A stand-in for a `cause` that may carry a secret: an `Error` with only the original's class
 * name and message, the message as {@link showValue} would show it, unquoted. Drops every other
 * property (ioredis's `command.args` holds the token it was writing) and the original stack (an
 * SDK may write its request into it).
 */
export const redactCause = (cause: unknown): Error => {
  const { name, message } = Object(cause) as { name?: unknown; message?: unknown };
  // A class name (`ReplyError`) is kept; any other name as a message would be.
  return Object.assign(new Error(quotable(message) ? message : showValue(message)), {
    name: quotable(name) ? name : "Error",
  });
};
