// echo: the one way the CLI shows a value the user gave it. A value is echoed only when it is
// short and shaped like what the slot expects; anything else is described in words, so a key
// pasted where a path, an ID, a command or an option belongs never reaches a terminal or a CI log.
//
// Every check here is a single pass over the value (no regular expression can backtrack), so a
// megabyte of crafted text costs a megabyte's scan.

/** What a slot expects; each has a shape a value must match to be echoed. */
export type Expected =
  | "path"
  | "key ID"
  | "issuer ID"
  | "team ID"
  | "identifier"
  | "origin"
  | "option"
  | "argument"
  | "command"
  | "number"
  | "scope entry"
  | "token"
  | "message";

/** Longest value echoed: shorter than any encoding of a P-256 key (a bare SEC1 body is 160+). */
const MAX_ECHO = 128;

/**
 * One printable line: no C0 or C1 control characters (ESC, CSI U+009B) and no bidi controls,
 * which could rewrite what the terminal shows.
 */
const isPrintableLine = (value: string): boolean => {
  if (value === "") return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false;
    if (code === 0x200e || code === 0x200f) return false;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return false;
  }
  return true;
};

const matches = (pattern: RegExp) => (value: string) => pattern.test(value);

/** The shape each expected kind of value must have to be echoed (after the MAX_ECHO check). */
const SHAPES: Record<Expected, (value: string) => boolean> = {
  path: isPrintableLine,
  "key ID": matches(/^[\w-]{1,15}$/),
  "issuer ID": matches(/^[\w-]{1,40}$/),
  "team ID": matches(/^[\w-]{1,15}$/),
  identifier: matches(/^[\w.-]{1,100}$/),
  origin: matches(/^[\w.:/*-]{1,100}$/),
  option: matches(/^--?[A-Za-z][\w-]{0,30}$/),
  argument: matches(/^-{0,2}[A-Za-z][\w-]{0,30}$/),
  command: matches(/^[A-Za-z][\w-]{0,30}$/),
  number: matches(/^[\w.+-]{1,15}$/),
  "scope entry": matches(/^[A-Za-z]{1,10} \/[\w/.-]{0,100}$/),
  // A token is never echoed: it is a credential too.
  token: () => false,
  message: isPrintableLine,
};

/** Where key material and API key files belong, for a value that looks like one. */
const ADVICE = {
  key: "pass the key's contents in ASC_PRIVATE_KEY, or its path with --key-file",
  json: "pass the API key JSON file's path with --api-key-json",
} as const;

const isBase64Char = (code: number): boolean =>
  (code >= 0x41 && code <= 0x5a) || // A-Z
  (code >= 0x61 && code <= 0x7a) || // a-z
  (code >= 0x30 && code <= 0x39) || // 0-9
  code === 0x2b || // +
  code === 0x3d; // =

/** "n" or "r", as in a literal \n or \r escape. */
const isEscapeLetter = (code: number): boolean => code === 0x6e || code === 0x72;

/**
 * Runs this long read as encoded key material rather than a name: a raw P-256 scalar is 44
 * base64 characters, and every key file body is 160 or more (slashes included).
 */
const SEGMENT_RUN = 44;
const BODY_RUN = 100;

/**
 * Whether `value` holds a run of base64 that reads as key material: SEGMENT_RUN characters
 * without a "/", or BODY_RUN with them. Runs continue across line breaks and literal \n escapes
 * (a wrapped body). Counting "/" apart keeps a long path's segments from reading as a key, while
 * a key body is one run wherever its "/" fall. One pass, stopping at the first such run.
 */
const hasBase64Run = (value: string): boolean => {
  let segment = 0;
  let body = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isBase64Char(code)) {
      if (++segment >= SEGMENT_RUN || ++body >= BODY_RUN) return true;
    } else if (code === 0x2f) {
      segment = 0;
      if (++body >= BODY_RUN) return true;
    } else if (code === 0x5c && isEscapeLetter(value.charCodeAt(i + 1))) {
      i++; // a literal \n or \r escape
    } else if (code !== 0x0a && code !== 0x0d) {
      segment = 0;
      body = 0;
    }
  }
  return false;
};

/** What `value` looks like when it holds something that must not be echoed, else undefined. */
const looksLike = (value: string): { what: string; advice: string } | undefined => {
  if (value.includes("PRIVATE KEY") || value.includes("-----BEGIN")) {
    return { what: "a PEM private key", advice: ADVICE.key };
  }
  const start = value.trimStart();
  if (start.startsWith("{")) {
    return { what: "JSON (an API key file's contents?)", advice: ADVICE.json };
  }
  if (hasBase64Run(value)) {
    return { what: "base64 text (a private key?)", advice: ADVICE.key };
  }
  return undefined;
};

const isJwtShaped = (value: string): boolean => {
  let dots = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0x2e) dots++;
    else if (!isBase64Char(code) && code !== 0x2d && code !== 0x5f) return false;
  }
  return dots === 2;
};

const lines = (value: string): number => {
  let count = 1;
  for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) count++;
  return count;
};

/** `value` in words: its length, line count and what it looks like. Never any of its text. */
export const describeValue = (value: string, like = looksLike(value)): string => {
  const count = lines(value);
  const where = count > 1 ? ` on ${String(count)} lines` : "";
  const size = `a ${String(value.length)}-character value${where}`;
  return like ? `${size} that looks like ${like.what}` : size;
};

/**
 * `value` itself, JSON-quoted, when it is short and shaped as `expected`; otherwise its
 * description from describeValue().
 */
export const safeEcho = (value: string, expected: Expected): string => {
  const like = looksLike(value);
  return value.length <= MAX_ECHO && SHAPES[expected](value) && !like
    ? JSON.stringify(value)
    : describeValue(value, like);
};

/** What belongs in each kind of slot, for messages. */
const NOUNS: Record<Expected, string> = {
  path: "a path",
  "key ID": "a key ID",
  "issuer ID": "an issuer ID",
  "team ID": "a Team ID",
  identifier: "an identifier",
  origin: "an origin",
  option: "an option",
  argument: "a command or an option",
  command: "a command",
  number: "a number of seconds",
  "scope entry": "a scope entry",
  token: "a token",
  message: "a message",
};

/**
 * For a value that looks like key material or an API key file where something else belongs: a
 * sentence saying so and where it goes. Undefined when the value looks like what was expected.
 */
export const misplaced = (value: string, slot: string, expected: Expected): string | undefined => {
  // A JWT is three base64url runs joined by dots; only a JWT may look like that.
  if (expected === "token" && isJwtShaped(value)) return undefined;
  const like = looksLike(value);
  if (!like) return undefined;
  return `${slot} holds ${describeValue(value, like)}, not ${NOUNS[expected]}: ${like.advice}`;
};
