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

/** The shortest run read as key material: longer than a UUID (36), shorter than 32 random bytes. */
const KEY_RUN = 40;

/**
 * Whether `text` holds key material or a token: a run of {@link KEY_RUN} or more base64 or
 * base64url characters (letters, digits, `+`, `/`, `=`, `-`, `_`), at least half of them letters
 * or digits, that reads as one value, not as a path: it holds `+` or `=` (only standard base64
 * does), or has fewer than one `/` in 12 characters (a path has one per name; base64 one in 64).
 * A key's body, a JWT's signature and 32 bytes in base64, base64url or hex are such runs; a UUID,
 * an ID, a class name or `/tmp/asc-x_y/AuthKey_2X9R4HXF34.p8` are not. One pass over `text`.
 */
export const hasKeyMaterial = (text: string): boolean => {
  let run = 0;
  let alnum = 0;
  let slashes = 0;
  let padded = false;
  // A space after the end closes the last run.
  for (const char of `${text} `) {
    if (/[A-Za-z0-9]/.test(char)) alnum++;
    else if (char === "/") slashes++;
    else if (char === "+" || char === "=") padded = true;
    else if (char !== "-" && char !== "_") {
      if (run >= KEY_RUN && alnum * 2 >= run && (padded || slashes * 12 < run)) return true;
      run = alnum = slashes = 0;
      padded = false;
      continue;
    }
    run++;
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
