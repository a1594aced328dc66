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

/**
 * A word of 16 or more letters and digits: a key's or a token's is longer, an ID's shorter (a
 * UUID's longest part has 12).
 */
const KEY_WORD = /[A-Za-z\d]{16,}/g;
/** A run of 40 or more base64url characters, `+` and `=`: longer than a UUID (36). */
const URL_RUN = /[\w+=-]{40,}/g;
/** The same run with `/`, which standard base64 uses as one more digit. */
const BASE64_RUN = /[\w+/=-]{40,}/g;

/** Whether a run is dense enough to be key material: at least half of it letters and digits. */
const dense = (run: string): boolean => run.replace(/[^A-Za-z\d]/g, "").length * 2 >= run.length;

/**
 * Whether `text` holds key material or a token: a word of 16 or more letters and digits holding
 * both (hex, base64, `sk_live_0123456789abcdef`; a word of English or a class name has no digit),
 * or a run of 40 or more base64url characters, `+` and `=`, at least half of them letters or
 * digits. A `/` ends a run, as in a path, except in a run holding `+` or `=`: standard base64. So
 * a key's body, a JWT's signature and 32 bytes in base64, base64url or hex are key material; a
 * UUID, an ID, a class name and `/tmp/asc-token-x_y/AuthKey_2X9R4HXF34.p8` are not. Linear time:
 * each pattern is one character class repeated, so a match attempt reads at most 40 characters
 * past its start before it fails, and a match is never read again.
 */
export const hasKeyMaterial = (text: string): boolean =>
  (text.match(KEY_WORD) ?? []).some((word) => /\d/.test(word) && /\D/.test(word)) ||
  (text.match(URL_RUN) ?? []).some(dense) ||
  (text.match(BASE64_RUN) ?? []).some((run) => /[+=]/.test(run) && dense(run));

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
