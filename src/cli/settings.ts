// settings: where the CLI's options come from. Pure (no I/O of its own: files are read through
// the injected `readFile`), so every precedence rule is unit-testable.
//
// Precedence, highest first: command-line flags, --api-key-json, ASC_* variables, fastlane's
// APP_STORE_CONNECT_API_KEY_* variables.

import { misplaced, safeEcho, type Expected } from "./echo.js";
import { TEN_CHARS, UUID } from "../lib/validate.js";
import { type KindFlag, type KindName, MINT_KINDS, kindsTaking } from "./kinds.js";

/**
 * Every flag the CLI takes, in node:util parseArgs form. The one list: the parser, the help test
 * and the no-key-material test all read it. Which kind takes which is in kinds.ts.
 */
export const FLAGS = {
  kind: { type: "string" },
  "key-id": { type: "string" },
  "issuer-id": { type: "string" },
  "team-id": { type: "string" },
  "key-file": { type: "string" },
  individual: { type: "boolean" },
  "bundle-id": { type: "string" },
  "client-id": { type: "string" },
  "service-id": { type: "string" },
  "expires-in": { type: "string" },
  scope: { type: "string", multiple: true },
  origin: { type: "string", multiple: true },
  enterprise: { type: "boolean" },
  "api-key-json": { type: "string" },
  json: { type: "boolean" },
  header: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

/** What each string flag expects, to tell a misplaced key from a mistyped value. */
export const FLAG_EXPECTS: Record<
  {
    [F in keyof typeof FLAGS]: (typeof FLAGS)[F]["type"] extends "string" ? F : never;
  }[keyof typeof FLAGS],
  Expected
> = {
  kind: "command",
  "key-id": "key ID",
  "issuer-id": "issuer ID",
  "team-id": "team ID",
  "key-file": "path",
  "bundle-id": "identifier",
  "client-id": "identifier",
  "service-id": "identifier",
  "expires-in": "number",
  scope: "scope entry",
  origin: "origin",
  "api-key-json": "path",
};

/** Every environment variable the CLI reads (resolveSettings is typed to read no other). */
export const ENV_VARIABLES = [
  "ASC_KEY_ID",
  "ASC_ISSUER_ID",
  "ASC_TEAM_ID",
  "ASC_BUNDLE_ID",
  "ASC_CLIENT_ID",
  "ASC_SERVICE_ID",
  "ASC_PRIVATE_KEY",
  "ASC_PRIVATE_KEY_PATH",
  "APP_STORE_CONNECT_API_KEY_KEY_ID",
  "APP_STORE_CONNECT_API_KEY_ISSUER_ID",
  "APP_STORE_CONNECT_API_KEY_KEY",
  "APP_STORE_CONNECT_API_KEY_KEY_FILEPATH",
  "APP_STORE_CONNECT_API_KEY_DURATION",
  "APP_STORE_CONNECT_API_KEY_IN_HOUSE",
] as const;

/** The variables that hold a key or its path; with one set, `demo` mints with the real key. */
export const KEY_VARIABLES = [
  "ASC_PRIVATE_KEY",
  "ASC_PRIVATE_KEY_PATH",
  "APP_STORE_CONNECT_API_KEY_KEY",
  "APP_STORE_CONNECT_API_KEY_KEY_FILEPATH",
] as const satisfies readonly (typeof ENV_VARIABLES)[number][];

/**
 * The identifier flags of the kinds other than App Store Connect's: the option each sets, its
 * variable, what it is (for messages).
 */
const IDENTIFIERS = [
  ["team-id", "teamId", "ASC_TEAM_ID", "team ID"],
  ["bundle-id", "bundleId", "ASC_BUNDLE_ID", "identifier"],
  ["client-id", "clientId", "ASC_CLIENT_ID", "identifier"],
  ["service-id", "serviceId", "ASC_SERVICE_ID", "identifier"],
] as const;

/** What each identifier is, for "no Team ID: pass --team-id or set ASC_TEAM_ID". */
const IDENTIFIER_NAMES: Record<(typeof IDENTIFIERS)[number][0], string> = {
  "team-id":
    "Team ID (10 characters A-Z0-9, from developer.apple.com → Account → Membership details)",
  "bundle-id": "bundle ID (your app's, e.g. com.example.app)",
  "client-id": "client ID (the App ID or Services ID you send as client_id)",
  "service-id": "WeatherKit Services ID (e.g. com.example.weather)",
};

/** Parsed command-line flags of the mint command (all optional). */
export interface MintFlags {
  "key-id"?: string | undefined;
  "issuer-id"?: string | undefined;
  "team-id"?: string | undefined;
  "key-file"?: string | undefined;
  individual?: boolean | undefined;
  "bundle-id"?: string | undefined;
  "client-id"?: string | undefined;
  "service-id"?: string | undefined;
  "expires-in"?: string | undefined;
  scope?: string[] | undefined;
  origin?: string[] | undefined;
  enterprise?: boolean | undefined;
  "api-key-json"?: string | undefined;
}

/** Where the settings are read: the kind (default App Store Connect's) and the home directory. */
export interface ResolveContext {
  kind?: KindName | undefined;
  /** The home directory a key path's leading ~ stands for (the shell did not expand it). */
  home?: string | undefined;
}

/** A setting that is wrong or missing: the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Options for the kind's create function, plus where each came from (to name it in errors). */
export interface Settings {
  /** The kind's options: AscTokenOptions for App Store Connect, ApnsTokenOptions for APNs, ... */
  options: Record<string, unknown> & { keyId: string; privateKey: string };
  /** The setting each option came from, by option name: `{ keyId: "--key-id" }`. */
  sources: Partial<Record<string, string>>;
  /** The key file read, if any (the CLI checks its permissions). */
  keyFile?: string | undefined;
  /** The --api-key-json file, when it holds a key: the CLI checks its permissions too. */
  jsonKeyFile?: string | undefined;
  /** Likely mistakes that do not stop the token from being minted; the CLI prints them. */
  warnings: string[];
}

/** The environment, as far as the CLI reads it. */
export type Env = Readonly<Partial<Record<(typeof ENV_VARIABLES)[number], string>>>;
type ReadFile = (path: string) => string;

/** Throws when a value that is not a key (an ID, a path, a number) looks like key material. */
const expect = (source: string, value: string, expected: Expected): string => {
  const problem = misplaced(value, source, expected);
  if (problem) throw new UsageError(problem);
  return value;
};

/** First defined, non-empty value with its source name, checked to look like `expected`. */
const pick = (
  expected: Expected,
  ...candidates: [string, unknown][]
): [string, string] | undefined => {
  for (const [source, value] of candidates) {
    if (typeof value === "string" && value.trim() !== "")
      return [source, expect(source, value, expected)];
    if (typeof value === "number" || typeof value === "boolean") return [source, String(value)];
  }
  return undefined;
};

const truthy = (value: string | undefined): boolean =>
  value !== undefined && /^(1|true|yes)$/i.test(value.trim());

/**
 * The key ID in a key file's name as Apple downloads it: AuthKey_2X9R4HXF34.p8 (API, APNs and
 * the other developer keys) or SubscriptionKey_2X9R4HXF34.p8 (In-App Purchase keys), at the end
 * of a path in either style (/ or Windows's \\).
 */
export const keyIdFromFileName = (path: string): string | undefined =>
  /(?:AuthKey|SubscriptionKey)_([A-Z0-9]{10})\.p8$/.exec(path)?.[1];

/**
 * A key path with a leading ~ taken as the home directory, as a shell would have: the shell
 * leaves ~ alone in quotes, after "=" (--key-file=~/…), and in a variable's value.
 */
export const expandHome = (path: string, home: string | undefined): string => {
  if (home === undefined || home === "") return path;
  if (path === "~") return home;
  if (path.startsWith("~/") || path.startsWith("~\\")) return home + path.slice(1);
  return path;
};

const readJson = (path: string, readFile: ReadFile): Record<string, unknown> => {
  expect("--api-key-json", path, "path");
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (error) {
    // Never the parser's message: it quotes the file's text.
    const problem = error instanceof SyntaxError ? "not valid JSON" : "cannot be read";
    throw new UsageError(`--api-key-json ${safeEcho(path, "path")}: ${problem}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(
      `--api-key-json ${safeEcho(path, "path")}: expected an object like { "key_id": …, ` +
        '"issuer_id": …, "key": … }',
    );
  }
  return parsed as Record<string, unknown>;
};

/** A path-looking value: Unix (/, ~/, ./), Windows (C:\\, \\\\server), or a .p8 file name. */
const PATH_LIKE = /^\s*(?:(?:~|\.{1,2})?\/\S*|[A-Za-z]:[\\/].*|\\\\.*|.*\.p8)\s*$/i;

/** The flags given that `kind` does not take: each a usage error naming the kinds that do. */
const checkKindFlags = (flags: MintFlags, kind: KindName) => {
  const takes: readonly KindFlag[] = MINT_KINDS[kind].flags;
  for (const [name, value] of Object.entries(flags)) {
    if (value === undefined || !kindsTaking(name as KindFlag).length) continue;
    if (takes.includes(name as KindFlag)) continue;
    const title = MINT_KINDS[kind].title;
    const hint =
      name === "team-id" && takes.includes("issuer-id")
        ? ", which carry the issuer ID (a UUID, from App Store Connect → Users and Access → " +
          "Integrations): pass --issuer-id"
        : name === "issuer-id" && takes.includes("team-id")
          ? ", which carry your Team ID: pass --team-id"
          : name === "expires-in"
            ? ", which have no exp: Apple accepts one for an hour after its iat"
            : `; it is for ${kindsTaking(name as KindFlag).join(", ")}`;
    throw new UsageError(`--${name} does not apply to ${title}${hint}`);
  }
};

/**
 * Swapped or misplaced IDs of a developer account's key (10-character key ID and Team ID, UUID
 * issuer ID), each a usage error that names the fix. A portal's key (Apple Business Manager,
 * Apple Ads) has IDs of other shapes, which its kind checks.
 */
const checkIds = (
  keyId: [string, string],
  id: [string, string] | undefined,
  idName: "issuer ID" | "Team ID",
  fileKeyId: string | undefined,
) => {
  const [keySource, key] = keyId;
  if (id) {
    const [idSource, value] = id;
    if (UUID.test(key) && TEN_CHARS.test(value)) {
      throw new UsageError(
        `${keySource} holds a UUID, like an issuer ID, and ${idSource} a 10-character ID, like ` +
          `a key ID: did you swap ${keySource} and ${idSource}?`,
      );
    }
    if (idName === "Team ID" && value === fileKeyId) {
      const swap = key === value ? "" : `: did you swap ${keySource} and ${idSource}?`;
      throw new UsageError(
        `${idSource} holds ${fileKeyId}, the key ID in the key file's name, not your Team ID ` +
          `(developer.apple.com → Account → Membership details)${swap}`,
      );
    }
    if (idName === "Team ID" && key === value) {
      throw new UsageError(
        `the key ID (from ${keySource}) and the Team ID (from ${idSource}) are the same, ` +
          `${safeEcho(key, "key ID")}: they are two different IDs; the Team ID is on ` +
          "developer.apple.com → Account → Membership details",
      );
    }
    if (idName === "Team ID" && UUID.test(value)) {
      throw new UsageError(
        `${idSource} holds a UUID, which is an issuer ID, not a Team ID: the Team ID is 10 ` +
          "characters (A-Z, 0-9), on developer.apple.com → Account → Membership details",
      );
    }
    if (idName === "issuer ID" && TEN_CHARS.test(value)) {
      throw new UsageError(
        `${idSource} holds a 10-character ID (a key ID or a Team ID), not an issuer ID: the ` +
          "issuer ID is a UUID, from App Store Connect → Users and Access → Integrations",
      );
    }
  }
  if (UUID.test(key)) {
    throw new UsageError(
      `${keySource} holds a UUID, which is an issuer ID, not a key ID: the key ID is 10 ` +
        "characters (A-Z, 0-9), as in the key file's name AuthKey_<KEYID>.p8",
    );
  }
};

/**
 * Resolves the options of `kind`'s create function (default App Store Connect's) from flags, an
 * optional fastlane JSON file and the environment.
 */
export const resolveSettings = (
  flags: MintFlags,
  env: Env,
  readFile: ReadFile,
  context: ResolveContext = {},
): Settings => {
  const { kind = "app-store-connect", home } = context;
  checkKindFlags(flags, kind);
  const asc = kind === "app-store-connect";
  // A portal's key (Apple Business Manager, Apple Ads): its kind has its own key ID check.
  const portal = MINT_KINDS[kind].kind.keyId !== undefined;
  // fastlane's variables and JSON file describe an App Store Connect API key, and nothing else.
  const fastlane: Env = asc ? env : {};
  const jsonFile = flags["api-key-json"];
  const json = jsonFile ? readJson(expandHome(jsonFile, home), readFile) : {};
  const sources: Settings["sources"] = {};

  // The key, first found wins: a file flag, then content or a path from each source in turn.
  const keyCandidates: [source: string, value: unknown, isPath: boolean][] = [
    ["--key-file", flags["key-file"], true],
    ["api-key-json key", json.key, false],
    ["ASC_PRIVATE_KEY", env.ASC_PRIVATE_KEY, false],
    ["ASC_PRIVATE_KEY_PATH", env.ASC_PRIVATE_KEY_PATH, true],
    ["APP_STORE_CONNECT_API_KEY_KEY", fastlane.APP_STORE_CONNECT_API_KEY_KEY, false],
    [
      "APP_STORE_CONNECT_API_KEY_KEY_FILEPATH",
      fastlane.APP_STORE_CONNECT_API_KEY_KEY_FILEPATH,
      true,
    ],
  ];
  const found = keyCandidates.find(([, value]) => typeof value === "string" && value.trim() !== "");
  let privateKey: string | undefined;
  let keyFile: string | undefined;
  if (found) {
    const [source, given, isPath] = found as [string, string, boolean];
    if (isPath) {
      expect(source, given, "path");
      const value = expandHome(given.trim(), home);
      keyFile = value;
      sources.privateKey = `${source} ${safeEcho(given, "path")}`;
      try {
        privateKey = readFile(value);
      } catch {
        const tilde =
          given.trim().startsWith("~") && value.startsWith("~")
            ? " (~ is not expanded here: write the home directory out)"
            : "";
        throw new UsageError(
          `cannot read the key file ${safeEcho(given, "path")} (from ${source}): check the ` +
            `path${tilde}`,
        );
      }
    } else {
      // A path where the contents belong is a common slip: say so, rather than "not PEM".
      if (!given.includes("-----") && PATH_LIKE.test(given)) {
        throw new UsageError(
          `${source} holds a file path, not the key: put the path in ASC_PRIVATE_KEY_PATH (or ` +
            `pass --key-file), or the file's contents in ${source}`,
        );
      }
      sources.privateKey = source;
      privateKey = given;
    }
  }
  if (privateKey === undefined) {
    throw new UsageError(
      "no private key: pass --key-file AuthKey_XXXXXXXXXX.p8, or set ASC_PRIVATE_KEY (the .p8 " +
        "contents) or ASC_PRIVATE_KEY_PATH",
    );
  }

  const fileKeyId = keyFile && keyIdFromFileName(keyFile);
  const keyId =
    pick(
      "key ID",
      ["--key-id", flags["key-id"]],
      ["api-key-json key_id", json.key_id],
      ["ASC_KEY_ID", env.ASC_KEY_ID],
      ["APP_STORE_CONNECT_API_KEY_KEY_ID", fastlane.APP_STORE_CONNECT_API_KEY_KEY_ID],
    ) ?? (fileKeyId ? (["the key file name", fileKeyId] as [string, string]) : undefined);
  if (!keyId) {
    throw new UsageError(
      portal
        ? "no key ID: pass --key-id or set ASC_KEY_ID (the Key ID the portal shows beside the key)"
        : "no key ID: pass --key-id or set ASC_KEY_ID (or keep the key file's name " +
            "AuthKey_<KEYID>.p8)",
    );
  }
  keyId[1] = keyId[1].trim();
  sources.keyId = keyId[0];
  const options: Settings["options"] = { keyId: keyId[1], privateKey };

  if (MINT_KINDS[kind].flags.some((flag) => flag === "issuer-id")) {
    const issuer = flags.individual
      ? undefined
      : pick(
          "issuer ID",
          ["--issuer-id", flags["issuer-id"]],
          ["api-key-json issuer_id", json.issuer_id],
          ["ASC_ISSUER_ID", env.ASC_ISSUER_ID],
          ["APP_STORE_CONNECT_API_KEY_ISSUER_ID", fastlane.APP_STORE_CONNECT_API_KEY_ISSUER_ID],
        );
    if (flags.individual && flags["issuer-id"])
      throw new UsageError(
        "--individual and --issuer-id contradict each other: an individual key has no issuer ID",
      );
    if (!issuer && !flags.individual) {
      throw new UsageError(
        asc
          ? "no issuer ID: pass --issuer-id or set ASC_ISSUER_ID, or pass --individual for an " +
              "individual key"
          : "no issuer ID: pass --issuer-id or set ASC_ISSUER_ID (a UUID, from App Store Connect " +
              "→ Users and Access → Integrations)",
      );
    }
    if (issuer) {
      issuer[1] = issuer[1].trim();
      checkIds(keyId, issuer, "issuer ID", fileKeyId);
      sources.issuerId = issuer[0];
      options.issuerId = issuer[1];
    } else {
      checkIds(keyId, undefined, "issuer ID", fileKeyId);
    }
  }
  for (const [flag, option, variable, expected] of IDENTIFIERS) {
    if (!MINT_KINDS[kind].flags.some((taken) => taken === flag)) continue;
    const value = pick(expected, [`--${flag}`, flags[flag]], [variable, env[variable]]);
    if (!value) {
      const what = portal
        ? `${flag.slice(0, -3)} ID (the one the portal shows, like PREFIX.<id>)`
        : IDENTIFIER_NAMES[flag];
      throw new UsageError(`no ${what}: pass --${flag} or set ${variable}`);
    }
    value[1] = value[1].trim();
    if (flag === "team-id" && !portal) checkIds(keyId, value, "Team ID", fileKeyId);
    sources[option] = value[0];
    options[option] = value[1];
  }

  const warnings: string[] = [];
  if (fileKeyId && fileKeyId !== keyId[1] && TEN_CHARS.test(keyId[1])) {
    // Apple answers a key ID that is not the key's with a bare 401.
    warnings.push(
      `the key ID ${safeEcho(keyId[1], "key ID")} (from ${keyId[0]}) is not the one in ` +
        `the key file's name, ${fileKeyId}: Apple refuses a token whose kid is not the key's ID`,
    );
  }

  const duration = MINT_KINDS[kind].flags.some((flag) => flag === "expires-in")
    ? pick(
        "number",
        ["--expires-in", flags["expires-in"]],
        ["api-key-json duration", json.duration],
        ["APP_STORE_CONNECT_API_KEY_DURATION", fastlane.APP_STORE_CONNECT_API_KEY_DURATION],
      )
    : undefined;
  if (duration) {
    if (!/^\d+$/.test(duration[1].trim()))
      throw new UsageError(`${duration[0]} must be a whole number of seconds, e.g. 600`);
    options.expiresIn = Number(duration[1]);
    sources.expiresIn = duration[0];
  }

  if (asc) {
    const inHouse =
      flags.enterprise ??
      (json.in_house === true ||
        truthy(typeof json.in_house === "string" ? json.in_house : undefined) ||
        truthy(env.APP_STORE_CONNECT_API_KEY_IN_HOUSE));
    if (inHouse) {
      sources.audience = flags.enterprise ? "--enterprise" : "in_house";
      options.audience = "apple-developer-enterprise-v1";
    }
  }
  const scope = flags.scope?.map((entry) => expect("--scope", entry, "scope entry"));
  if (scope?.length) {
    sources.scope = "--scope";
    options.scope = scope;
  }
  const origin = flags.origin?.map((entry) => expect("--origin", entry, "origin"));
  if (origin?.length) {
    sources.origin = "--origin";
    options.origin = origin;
  }

  return {
    options,
    sources,
    keyFile,
    jsonKeyFile: typeof json.key === "string" && json.key.trim() !== "" ? jsonFile : undefined,
    warnings,
  };
};
