#!/usr/bin/env node
// The asc-token command. The only file (with src/cli/) that may use Node APIs.

import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { terminalSafe } from "./redact.js";
import { checkAscToken, createAscToken, decodeToken, isAscTokenError } from "./index.js";
import { parseArguments } from "./cli/args.js";
import { demo } from "./cli/demo.js";
import { misplaced, safeEcho } from "./cli/echo.js";
import { describeToken } from "./cli/format.js";
import { HELP } from "./cli/help.js";
import { KEY_VARIABLES, resolveSettings, UsageError, type Settings } from "./cli/settings.js";

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

const mint = async (settings: Settings, format: "token" | "json" | "header") => {
  if (settings.keyFile) checkPermissions(settings.keyFile);
  if (settings.jsonKeyFile) checkPermissions(settings.jsonKeyFile);
  for (const warning of settings.warnings) err(`warning: ${warning}`);
  const token = await createAscToken(settings.options);
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
      INVALID_EXPIRES_IN: "expiresIn",
      INVALID_CLOCK_TOLERANCE: "expiresIn",
      LIFETIME_TOO_LONG: "expiresIn",
      INVALID_SCOPE: "scope",
      INVALID_AUDIENCE: "audience",
    } as const
  )[code];
  return field && sources[field];
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
    switch (command) {
      case undefined: {
        if (values.json && values.header)
          throw new UsageError("--json and --header cannot be used together");
        const settings = resolveSettings(values, process.env, readText);
        sources = settings.sources;
        await mint(settings, values.json ? "json" : values.header ? "header" : "token");
        return 0;
      }
      case "decode": {
        // Line by line: the indentation's line breaks stay, any control inside a string is escaped.
        const json = JSON.stringify(describeToken(tokenArgument(rest, "decode")), null, 2);
        out(json.split("\n").map(terminalSafe).join("\n"));
        return 0;
      }
      case "doctor": {
        const findings = checkAscToken(tokenArgument(rest, "doctor"));
        if (findings.length === 0)
          return (out("No problems found: Apple should accept this token's shape and times."), 0);
        for (const finding of findings) out(`${finding.code}: ${finding.message}`);
        return FAILURE;
      }
      case "demo": {
        // With a key configured in the environment, the demo is the real thing: print a real token.
        if (KEY_VARIABLES.some((name) => process.env[name])) {
          const settings = resolveSettings({}, process.env, readText);
          sources = settings.sources;
          await mint(settings, "token");
          const from = settings.sources.privateKey ?? "the environment";
          err(`demo: minted a real token with the key from ${from}`);
          return 0;
        }
        const result = await demo();
        out(result.text);
        return result.ok ? 0 : FAILURE;
      }
      default:
        throw new UsageError(
          misplaced(command, "the command argument", "command") ??
            `unknown command ${safeEcho(command, "command")}: use decode, doctor, demo, or no ` +
              "command to mint",
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\nRun asc-token --help for the options.`);
      return USAGE;
    }
    if (isAscTokenError(error)) {
      const setting = settingFor(error.code, sources);
      err(`${error.message} (${error.code})${setting ? `\n  check ${setting}` : ""}`);
      return FAILURE;
    }
    // Not an error this CLI made: its message may quote anything, so it goes through echo too.
    const message = error instanceof Error ? error.message : String(error);
    err(`unexpected error: ${safeEcho(message, "message")}`);
    return FAILURE;
  }
};

process.exitCode = await main(process.argv.slice(2));
