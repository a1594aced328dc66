// echo: the one way the CLI shows a value the user gave it. A value is echoed only when it is
// short and shaped like what the slot expects; anything else is described in words, so a key
// pasted where a path, an ID, a command or an option belongs never reaches a terminal or a CI log.
//
// What may be shown (length, terminal safety, key material) is redact.ts's one rule; this file adds
// the CLI's slots and advice. Every check is linear in the value (no pattern can backtrack), so a
// megabyte of crafted text costs a megabyte's scan.

import { hasKeyMaterial, isTerminalSafe, MAX_SHOWN } from "../lib/redact.js";

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

/**
 * One printable line: nothing a terminal obeys rather than shows (redact.ts's rule: C0 and C1
 * controls, bidi marks, overrides and isolates, line and paragraph separators).
 */
const isPrintableLine = (value: string): boolean => value !== "" && isTerminalSafe(value);

const matches = (pattern: RegExp) => (value: string) => pattern.test(value);

/** The shape each expected kind of value must have to be echoed (after the MAX_SHOWN check). */
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

/** What `value` looks like when it holds something that must not be echoed, else undefined. */
const looksLike = (value: string): { what: string; advice: string } | undefined => {
  if (value.includes("PRIVATE KEY") || value.includes("-----BEGIN")) {
    return { what: "a PEM private key", advice: ADVICE.key };
  }
  const start = value.trimStart();
  if (start.startsWith("{")) {
    return { what: "JSON (an API key file's contents?)", advice: ADVICE.json };
  }
  if (hasKeyMaterial(value)) {
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
export const describeValue = (
  value: string,
  like: { what: string } | null | undefined = looksLike(value),
): string => {
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
  // A token is never echoed, but is no key: it is described without advice.
  const like = expected === "token" && isJwtShaped(value) ? undefined : looksLike(value);
  return value.length <= MAX_SHOWN && SHAPES[expected](value) && !like
    ? JSON.stringify(value)
    : describeValue(value, like ?? null);
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
