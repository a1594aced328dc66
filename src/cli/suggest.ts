// suggest: "did you mean …?" for a mistyped flag, kind or command. A name is suggested when it is
// the same but for case, dashes and underscores (--keyid, --key_id, --KeyId), a known other name
// for it (--kid, --p8), the start of it (--issuer), or within two edits of it (--isuer-id).

/** Names users reach for from other tools, each with the flag that does that job here. */
const ALIASES: Readonly<Record<string, string>> = {
  kid: "key-id",
  iss: "issuer-id",
  issuer: "issuer-id",
  team: "team-id",
  bid: "bundle-id",
  bundle: "bundle-id",
  "app-identifier": "bundle-id",
  client: "client-id",
  "services-id": "service-id",
  key: "key-file",
  p8: "key-file",
  "private-key": "key-file",
  "key-path": "key-file",
  "key-filepath": "key-file",
  "api-key-path": "api-key-json",
  "api-key": "api-key-json",
  duration: "expires-in",
  exp: "expires-in",
  expires: "expires-in",
  expiry: "expires-in",
  ttl: "expires-in",
  lifetime: "expires-in",
  "in-house": "enterprise",
  type: "kind",
};

const fold = (name: string): string => name.toLowerCase().replace(/[-_]/g, "");

/** Edit distance, stopping early: names here are short (under 40 characters). */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(
        Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
};

/** The one name of `names` that `given` most likely meant, or undefined. */
export const suggest = (given: string, names: readonly string[]): string | undefined => {
  if (given.length > 40) return undefined;
  const folded = fold(given);
  const alias = ALIASES[given.toLowerCase()];
  if (alias !== undefined && names.includes(alias)) return alias;
  const same = names.find((name) => fold(name) === folded);
  if (same) return same;
  if (folded.length >= 3) {
    const starts = names.filter((name) => fold(name).startsWith(folded));
    if (starts.length === 1) return starts[0];
  }
  let best: string | undefined;
  let bestDistance = folded.length >= 5 ? 3 : 2;
  for (const name of names) {
    const d = distance(folded, fold(name));
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
};

/** "; did you mean --key-id?" for a flag, or "". */
export const didYouMean = (given: string, names: readonly string[], prefix = ""): string => {
  const name = suggest(given, names);
  return name === undefined ? "" : `; did you mean ${prefix}${name}?`;
};
