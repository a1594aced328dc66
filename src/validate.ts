// validate: option checks every token kind shares, App Store Connect's and the other Apple APIs'.

import { describe, fail } from "./errors.js";

/** Apple's 10-character identifiers: key IDs (e.g. `2X9R4HXF34`) and Team IDs. */
export const TEN_CHARS = /^[A-Z0-9]{10}$/;
/** A UUID (8-4-4-4-12 hex digits, either case): issuer IDs and nonces. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is a string `pattern` matches. */
export const matches = (value: unknown, pattern: RegExp): value is string => typeof value === "string" && pattern.test(value);

/** Refuses anything but an object; `shape` names the required options for the message. */
export const checkOptions = (options: unknown, shape: string): void => {
  if (typeof options !== "object" || options === null) {
    throw fail("INVALID_OPTIONS", `options must be an object ${shape}; got ${describe(options)}`);
  }
};

/** The key ID, checked: it goes into every header's `kid`. */
export const checkKeyId = (keyId: unknown): string => {
  if (!matches(keyId, TEN_CHARS)) {
    throw fail("INVALID_KEY_ID", `keyId must be the 10-character key ID (A-Z, 0-9) of the .p8 key; got ${describe(keyId)}`);
  }
  return keyId;
};
