#!/usr/bin/env node
// The asc-token command. The only file (with src/cli/) that may use Node APIs.

import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { type CheckKind, guessKind, KINDS as CHECK_KINDS } from "../inspect/doctor.js";
import { checkAscToken, decodeToken, isAscTokenError } from "../index.js";
import { terminalSafe } from "../lib/redact.js";
import { parseArguments } from "./args.js";
import { demo } from "./demo.js";
import { misplaced, safeEcho } from "./echo.js";
import { describeToken } from "./format.js";
import { HELP } from "./help.js";
import { isKindName, KIND_NAMES, type KindName, MINT_KINDS } from "./kinds.js";
import { KEY_VARIABLES, resolveSettings, UsageError, type Settings } from "./settings.js";
import { didYouMean } from "./suggest.js";

const USAGE = 2;
const FAILURE = 1;

const out = (text: string) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(`asc-token: ${text}\n`);

const readText = (path: string) => readFileSync(path, "utf8");

/** The token argument of decode/doctor: the text itself, or "-" for stdin. */
const tokenArgument = (args: string[], command: string): string => {
  const [arg] = args;
  if (arg === undefined || args.length > 1)
    throw new UsageError(`${command} takes one token, or - to read it from stdin`);
  const token = (arg === "-" ? readFileSync(0, "utf8") : arg).trim();
  const problem = misplaced(token, command, "token");
  if (problem) throw new UsageError(problem);
  return token;
};

/** Warns, as ssh does, when a file holding the key can be read by group or others. */
const checkPermissions = (path: string) => {
  if (process.platform === "win32") return;
  try {
    if ((statSync(path).mode & 0o077) !== 0) {
      const shown = safeEcho(path, "path");
      const fix = shown.startsWith('"') ? `chmod 600 ${shown}` : "chmod 600 on it";
      err(`warning: ${shown} holds the private key and is readable by group or others; run ${fix}`);
    }
  } catch {
    // unreadable files were reported already
  }
};

const mint = async (settings: Settings, kind: KindName, format: "token" | "json" | "header") => {
  if (settings.keyFile) checkPermissions(settings.keyFile);
  if (settings.jsonKeyFile) checkPermissions(settings.jsonKeyFile);
  for (const warning of settings.warnings) err(`warning: ${warning}`);
  const token = await MINT_KINDS[kind].create(settings.options);
  if (format === "json") {
    const { claims } = decodeToken(token);
    out(JSON.stringify({ token, issuedAt: claims.iat, expiresAt: claims.exp }));
  } else {
    out(format === "header" ? `Authorization: Bearer ${token}` : token);
  }
};

/** The setting behind an error code, to name it in the message. */
const settingFor = (code: string, sources: Settings["sources"]): string | undefined => {
  if (code.startsWith("KEY_")) return sources.privateKey;
  const field = (
    {
      INVALID_KEY_ID: "keyId",
      INVALID_ISSUER_ID: "issuerId",
      INVALID_TEAM_ID: "teamId",
      INVALID_BUNDLE_ID: "bundleId",
      INVALID_CLIENT_ID: "clientId",
      INVALID_SERVICE_ID: "serviceId",
      INVALID_ORIGIN: "origin",
      INVALID_EXPIRES_IN: "expiresIn",
      INVALID_CLOCK_TOLERANCE: "expiresIn",
      LIFETIME_TOO_LONG: "expiresIn",
      INVALID_SCOPE: "scope",
      INVALID_AUDIENCE: "audience",
    } as const
  )[code];
  return field && sources[field];
};

/** The kind named by `--kind <value>`, among `names`; a usage error for any other value. */
const kindFlag = <K extends string>(value: string, names: readonly K[]): K => {
  if ((names as readonly string[]).includes(value)) return value as K;
  const shown = safeEcho(value, "command");
  const hint = shown.startsWith('"') ? didYouMean(value, names) : "";
  throw new UsageError(`--kind ${shown} is not a kind${hint || `: use ${names.join(", ")}`}`);
};

/** Flags the mint command takes and decode, doctor and demo do not. */
const onlyFor = (values: Record<string, unknown>, command: string, allowed: readonly string[]) => {
  const extra = Object.keys(values).find(
    (name) => values[name] !== undefined && !allowed.includes(name),
  );
  if (extra !== undefined) {
    const takes = allowed.length ? `; it takes ${allowed.map((n) => `--${n}`).join(", ")}` : "";
    throw new UsageError(`--${extra} does not apply to ${command}${takes}`);
  }
};

const main = async (argv: string[]): Promise<number> => {
  let parsed;
  try {
    parsed = parseArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\nRun asc-token --help for the options.`);
    return USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;

  if (values.help) return (out(HELP), 0);
  if (values.version) {
    const { version } = createRequire(import.meta.url)("../package.json") as { version: string };
    return (out(version), 0);
  }

  let sources: Settings["sources"] = {};
  try {
    switch (command === undefined || isKindName(command) ? "mint" : command) {
      case "mint": {
        const [extra] = rest;
        if (extra !== undefined) {
          throw new UsageError(
            misplaced(extra, "the argument after the kind", "argument") ??
              `${command ?? "minting"} takes options only, not ${safeEcho(extra, "argument")}`,
          );
        }
        const named = values.kind === undefined ? undefined : kindFlag(values.kind, KIND_NAMES);
        if (named && command && named !== command)
          throw new UsageError(`the kind is ${command} or ${named}, not both: pick one`);
        const kind = named ?? (command as KindName | undefined) ?? "app-store-connect";
        if (values.json && values.header)
          throw new UsageError("--json and --header cannot be used together");
        if (values.header && kind === "sign-in-with-apple") {
          throw new UsageError(
            "--header does not apply to Sign in with Apple client secrets: the secret goes in " +
              "the client_secret form field of the request to https://appleid.apple.com/auth/token",
          );
        }
        // resolveSettings reads the mint flags and leaves --json, --header and --kind alone.
        const settings = resolveSettings(values, process.env, readText, { kind, home: homedir() });
        sources = settings.sources;
        await mint(settings, kind, values.json ? "json" : values.header ? "header" : "token");
        return 0;
      }
      case "decode": {
        onlyFor(values, "decode", []);
        // Line by line: the indentation's line breaks stay, any control inside a string is escaped.
        const json = JSON.stringify(describeToken(tokenArgument(rest, "decode")), null, 2);
        out(json.split("\n").map(terminalSafe).join("\n"));
        return 0;
      }
      case "doctor": {
        onlyFor(values, "doctor", ["kind"]);
        const token = tokenArgument(rest, "doctor");
        const named = values.kind === undefined ? undefined : kindFlag(values.kind, CHECK_KINDS);
        const { header, claims } = decodeToken(token);
        const guess = guessKind(header, claims);
        const kind: CheckKind = named ?? guess.kind;
        const why = named
          ? "as --kind says"
          : guess.because
            ? `guessed from ${guess.because}; pass --kind to say otherwise`
            : "the default; pass --kind for another kind";
        out(`Checked as kind ${kind} (${why}).`);
        const findings = checkAscToken(token, { kind });
        if (findings.length === 0)
          return (out("No problems found: Apple should accept this token's shape and times."), 0);
        for (const finding of findings) out(`${finding.code}: ${finding.message}`);
        return FAILURE;
      }
      case "demo": {
        onlyFor(values, "demo", []);
        // With a key configured in the environment, the demo is the real thing: print a real token.
        if (KEY_VARIABLES.some((name) => process.env[name])) {
          const settings = resolveSettings({}, process.env, readText, { home: homedir() });
          sources = settings.sources;
          await mint(settings, "app-store-connect", "token");
          const from = settings.sources.privateKey ?? "the environment";
          err(`demo: minted a real token with the key from ${from}`);
          return 0;
        }
        const result = await demo();
        out(result.text);
        return result.ok ? 0 : FAILURE;
      }
      default: {
        const unknown = command ?? "";
        const known = [...KIND_NAMES, "decode", "doctor", "demo"];
        const shown = safeEcho(unknown, "command");
        const hint = shown.startsWith('"') ? didYouMean(unknown, known) : "";
        const use = `: use a kind (${KIND_NAMES.join(", ")}), decode, doctor or demo`;
        throw new UsageError(
          misplaced(unknown, "the command argument", "command") ??
            `unknown command ${shown}${hint || use}`,
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\nRun asc-token --help for the options.`);
      return USAGE;
    }
    if (isAscTokenError(error)) {
      const setting = settingFor(error.code, sources);
      err(`${error.message} (${error.code})${setting ? `\n  check ${setting}` : ""}`);
      // A value the library refuses (an ID of the wrong shape, a lifetime over Apple's limit) is
      // a setting to fix, as a missing one is; a key that cannot be used is a runtime failure.
      const usage = error.code.startsWith("INVALID_") || error.code === "LIFETIME_TOO_LONG";
      return usage ? USAGE : FAILURE;
    }
    // Not an error this CLI made: its message may quote anything, so it goes through echo too.
    const message = error instanceof Error ? error.message : String(error);
    err(`unexpected error: ${safeEcho(message, "message")}`);
    return FAILURE;
  }
};

process.exitCode = await main(process.argv.slice(2));
