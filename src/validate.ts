// validate: option checks every token kind shares, App Store Connect's and the other Apple APIs'.

import { invalid } from "./errors.js";

/** Apple's 10-character identifiers: key IDs (e.g. `2X9R4HXF34`) and Team IDs. */
export const TEN_CHARS = /^[A-Z0-9]{10}$/;
/** A UUID (8-4-4-4-12 hex digits, either case): issuer IDs and nonces. */
export const UUID = /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;

/** True when `value` is a string `pattern` matches. */
export const matches = (value: unknown, pattern: RegExp): value is string =>
  typeof value === "string" && pattern.test(value);

/** Refuses anything but an object; `shape` names the required options for the message. */
export const checkOptions = (options: unknown, shape: string): void => {
  if (typeof options !== "object" || options === null) {
    throw invalid("INVALID_OPTIONS", "options", `an object ${shape}`, options);
  }
};

/**
 * The issuer ID, checked: a UUID. `expected` says what it should be, for the message; a
 * 10-character ID (the key ID or the Team ID, given for the issuer ID) is named as such.
 */
export const checkIssuerId = (issuerId: unknown, expected: string): string => {
  if (!matches(issuerId, UUID)) {
    throw invalid(
      "INVALID_ISSUER_ID",
      "issuerId",
      expected,
      issuerId,
      matches(issuerId, TEN_CHARS) ? "a key ID or Team ID" : undefined,
    );
  }
  return issuerId;
};

/** The key ID, checked: it goes into every header's `kid`. */
export const checkKeyId = (keyId: unknown): string => {
  if (!matches(keyId, TEN_CHARS)) {
    // A key ID in the wrong case is a common slip: say so (a key ID is not a secret).
    const got = matches(keyId, /^[A-Za-z0-9]{10}$/) ? "lower case" : undefined;
    throw invalid(
      "INVALID_KEY_ID",
      "keyId",
      "the 10-character key ID (A-Z, 0-9) of the .p8 key",
      keyId,
      got,
    );
  }
  return keyId;
};
