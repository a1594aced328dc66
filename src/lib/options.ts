// options: how every public function reads its options object: each declared name read once,
// own or inherited (a getter runs once), into a snapshot; any other name refused as a typo.

import { fail, invalid } from "./errors.js";
import { showValue } from "./redact.js";

/**
 * Whether `a` and `b` differ, case ignored, in at most two characters in one place: what their
 * common start and end leave is at most two characters on each side (`knd` and `kind`, `leaseMS`
 * and `leaseMs`, `privteKey` and `privateKey`, two letters swapped). One pass over each.
 */
const near = (a: string, b: string): boolean => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let start = 0;
  while (start < x.length && x[start] === y[start]) start++;
  // After the common start, up to two characters dropped from each leave the same end.
  return [0, 1, 2].some((i) => [0, 1, 2].some((j) => x.slice(start + i) === y.slice(start + j)));
};

/**
 * The error for an option name nobody declared, naming the declared one it is near to
 * (`issuerID`, `privatekey`, `knd`, `leaseMS`): a slip of case, or a letter or two.
 */
const unknownOption = (name: string, names: readonly string[]): Error => {
  const guess = names.find((known) => near(known, name));
  return fail(
    "UNKNOWN_OPTION",
    `options has no ${showValue(name)}${guess ? `: did you mean ${guess}?` : ""}`,
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
