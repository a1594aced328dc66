// options: how every public function reads its options object: each declared name read once,
// own or inherited (a getter runs once), into a snapshot; any other name refused as a typo.

import { fail, invalid, summarize } from "./errors.js";

/**
 * The error for an option name nobody declared, naming the declared one it matches but for case
 * (`issuerID`, `privatekey`, `expiresin`), the usual slip.
 */
const unknownOption = (name: string, names: readonly string[]): Error => {
  const near = names.find((known) => known.toLowerCase() === name.toLowerCase());
  return fail(
    "UNKNOWN_OPTION",
    `options has no ${summarize(name)}${near ? `: did you mean ${near}?` : ""}`,
  );
};

/**
 * A snapshot of `options` holding the `names` it has, each read once (own or inherited), so that
 * what is validated is what is used. A name given as `undefined` stays in the snapshot, apart
 * from one left out, so a kind can refuse `issuerId: process.env.UNSET`. Refuses a non-object
 * (`shape` names the required options) and any enumerable name not in `names`.
 */
export const readOptions = (
  options: unknown,
  names: readonly string[],
  shape: string,
): Record<string, unknown> => {
  if (typeof options !== "object" || options === null) {
    throw invalid("INVALID_OPTIONS", "options", `an object ${shape}`, options);
  }
  for (const name in options) if (!names.includes(name)) throw unknownOption(name, names);
  const snapshot: Record<string, unknown> = {};
  for (const name of names) {
    if (name in options) snapshot[name] = (options as Record<string, unknown>)[name];
  }
  return snapshot;
};
