// settings: where the CLI's options come from. Pure (no I/O of its own: files are read through
// the injected `readFile`), so every precedence rule is unit-testable.
//
// Precedence, highest first: command-line flags, --api-key-json, ASC_* variables, fastlane's
// APP_STORE_CONNECT_API_KEY_* variables.

import type { AscTokenOptions } from "../index.js";
import { misplaced, safeEcho, type Expected } from "./echo.js";

/**
 * Every flag the CLI takes, in node:util parseArgs form. The one list: the parser, the help test
 * and the no-key-material test all read it.
 */
export const FLAGS = {
  "key-id": { type: "string" },
  "issuer-id": { type: "string" },
  "key-file": { type: "string" },
  individual: { type: "boolean" },
  "expires-in": { type: "string" },
  scope: { type: "string", multiple: true },
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
  "key-id": "key ID",
  "issuer-id": "issuer ID",
  "key-file": "path",
  "expires-in": "number",
  scope: "scope entry",
  "api-key-json": "path",
};

/** Every environment variable the CLI reads (resolveSettings is typed to read no other). */
export const ENV_VARIABLES = [
  "ASC_KEY_ID",
  "ASC_ISSUER_ID",
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

/** Parsed command-line flags of the mint command (all optional). */
export interface MintFlags {
  "key-id"?: string | undefined;
  "issuer-id"?: string | undefined;
  "key-file"?: string | undefined;
  individual?: boolean | undefined;
  "expires-in"?: string | undefined;
  scope?: string[] | undefined;
  enterprise?: boolean | undefined;
  "api-key-json"?: string | undefined;
}

/** A setting that is wrong or missing: the CLI prints it and exits 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Options for createAscToken, plus where each came from (to name the setting in errors). */
export interface Settings {
  options: AscTokenOptions;
  sources: Partial<
    Record<"keyId" | "issuerId" | "privateKey" | "expiresIn" | "scope" | "audience", string>
  >;
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

/** The key ID in a file name like AuthKey_2X9R4HXF34.p8. */
export const keyIdFromFileName = (path: string): string | undefined =>
  /AuthKey_([A-Z0-9]{10})\.p8$/.exec(path)?.[1];

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

/**
 * Resolves the mint command's options from flags, an optional fastlane JSON file and the
 * environment.
 */
export const resolveSettings = (flags: MintFlags, env: Env, readFile: ReadFile): Settings => {
  const jsonFile = flags["api-key-json"];
  const json = jsonFile ? readJson(jsonFile, readFile) : {};
  const sources: Settings["sources"] = {};

  // The key, first found wins: a file flag, then content or a path from each source in turn.
  const keyCandidates: [source: string, value: unknown, isPath: boolean][] = [
    ["--key-file", flags["key-file"], true],
    ["api-key-json key", json.key, false],
    ["ASC_PRIVATE_KEY", env.ASC_PRIVATE_KEY, false],
    ["ASC_PRIVATE_KEY_PATH", env.ASC_PRIVATE_KEY_PATH, true],
    ["APP_STORE_CONNECT_API_KEY_KEY", env.APP_STORE_CONNECT_API_KEY_KEY, false],
    ["APP_STORE_CONNECT_API_KEY_KEY_FILEPATH", env.APP_STORE_CONNECT_API_KEY_KEY_FILEPATH, true],
  ];
  const found = keyCandidates.find(([, value]) => typeof value === "string" && value.trim() !== "");
  let privateKey: string | undefined;
  let keyFile: string | undefined;
  if (found) {
    const [source, value, isPath] = found as [string, string, boolean];
    if (isPath) {
      expect(source, value, "path");
      keyFile = value;
      sources.privateKey = `${source} ${safeEcho(value, "path")}`;
      try {
        privateKey = readFile(value);
      } catch {
        throw new UsageError(
          `cannot read the key file ${safeEcho(value, "path")} (from ${source}): check the path`,
        );
      }
    } else {
      // A path where the contents belong is a common slip: say so, rather than "not PEM".
      if (!value.includes("-----") && /^\s*(~|\.{1,2})?\/\S*\s*$|\.p8\s*$/i.test(value)) {
        throw new UsageError(
          `${source} holds a file path, not the key: put the path in ASC_PRIVATE_KEY_PATH (or ` +
            `pass --key-file), or the file's contents in ${source}`,
        );
      }
      sources.privateKey = source;
      privateKey = value;
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
      ["APP_STORE_CONNECT_API_KEY_KEY_ID", env.APP_STORE_CONNECT_API_KEY_KEY_ID],
    ) ?? (fileKeyId ? (["the key file name", fileKeyId] as [string, string]) : undefined);
  if (!keyId) {
    throw new UsageError(
      "no key ID: pass --key-id or set ASC_KEY_ID (or keep the key file's name AuthKey_<KEYID>.p8)",
    );
  }
  sources.keyId = keyId[0];
  const warnings: string[] = [];
  if (fileKeyId && fileKeyId !== keyId[1].trim()) {
    // Apple answers a key ID that is not the key's with a bare 401.
    warnings.push(
      `the key ID ${safeEcho(keyId[1].trim(), "key ID")} (from ${keyId[0]}) is not the one in ` +
        `the key file's name, ${fileKeyId}: Apple refuses a token whose kid is not the key's ID`,
    );
  }

  const issuer = flags.individual
    ? undefined
    : pick(
        "issuer ID",
        ["--issuer-id", flags["issuer-id"]],
        ["api-key-json issuer_id", json.issuer_id],
        ["ASC_ISSUER_ID", env.ASC_ISSUER_ID],
        ["APP_STORE_CONNECT_API_KEY_ISSUER_ID", env.APP_STORE_CONNECT_API_KEY_ISSUER_ID],
      );
  if (flags.individual && flags["issuer-id"])
    throw new UsageError(
      "--individual and --issuer-id contradict each other: an individual key has no issuer ID",
    );
  if (!issuer && !flags.individual) {
    throw new UsageError(
      "no issuer ID: pass --issuer-id or set ASC_ISSUER_ID, or pass --individual for an " +
        "individual key",
    );
  }
  if (issuer) sources.issuerId = issuer[0];

  const duration = pick(
    "number",
    ["--expires-in", flags["expires-in"]],
    ["api-key-json duration", json.duration],
    ["APP_STORE_CONNECT_API_KEY_DURATION", env.APP_STORE_CONNECT_API_KEY_DURATION],
  );
  let expiresIn: number | undefined;
  if (duration) {
    if (!/^\d+$/.test(duration[1].trim()))
      throw new UsageError(`${duration[0]} must be a whole number of seconds, e.g. 600`);
    expiresIn = Number(duration[1]);
    sources.expiresIn = duration[0];
  }

  const inHouse =
    flags.enterprise ??
    (json.in_house === true ||
      truthy(typeof json.in_house === "string" ? json.in_house : undefined) ||
      truthy(env.APP_STORE_CONNECT_API_KEY_IN_HOUSE));
  if (inHouse) sources.audience = flags.enterprise ? "--enterprise" : "in_house";
  const scope = flags.scope?.map((entry) => expect("--scope", entry, "scope entry"));
  if (scope?.length) sources.scope = "--scope";

  return {
    options: {
      keyId: keyId[1].trim(),
      // Left out, not undefined, for --individual: createAscToken refuses an undefined issuerId.
      ...(issuer && { issuerId: issuer[1].trim() }),
      privateKey,
      expiresIn,
      scope: scope?.length ? scope : undefined,
      audience: inHouse ? "apple-developer-enterprise-v1" : undefined,
    },
    sources,
    keyFile,
    jsonKeyFile: typeof json.key === "string" && json.key.trim() !== "" ? jsonFile : undefined,
    warnings,
  };
};
