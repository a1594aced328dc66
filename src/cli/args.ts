// args: the command line, parsed by node:util parseArgs and checked here rather than by
// parseArgs' strict mode, whose messages quote the offending argument whole (a key pasted as an
// argument would be printed back). Every message names the flag and shows values through echo.ts.

import { parseArgs } from "node:util";
import { misplaced, safeEcho } from "./echo.js";
import { FLAG_EXPECTS, FLAGS, UsageError } from "./settings.js";
import { didYouMean } from "./suggest.js";

const isFlag = (name: string): name is keyof typeof FLAGS => Object.hasOwn(FLAGS, name);

/** The parsed command line: flag values and positional arguments (command and its operands). */
export const parseArguments = (args: string[]) => {
  const { values, positionals, tokens } = parseArgs({
    args,
    options: FLAGS,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const { name, rawName, value, inlineValue } = token;
    if (!isFlag(name)) {
      // The whole argument, not just the option name parseArgs cut from it: "-MIGH…" is a key.
      const arg = args[token.index] ?? rawName;
      const shown = safeEcho(rawName, "option");
      // Only a name that could be echoed is compared: anything else may be key material.
      const hint = shown.startsWith('"') ? didYouMean(name, Object.keys(FLAGS), "--") : "";
      throw new UsageError(
        misplaced(arg, `argument ${String(token.index + 1)}`, "argument") ??
          `unknown option ${shown}${hint}`,
      );
    }
    const flag = `--${name}`;
    if (FLAGS[name].type === "boolean") {
      if (value !== undefined) throw new UsageError(`${flag} takes no value`);
      continue;
    }
    const expected = FLAG_EXPECTS[name as keyof typeof FLAG_EXPECTS];
    if (value === undefined) throw new UsageError(`${flag} needs a value (${expected})`);
    const problem = misplaced(value, flag, expected);
    if (problem) throw new UsageError(problem);
    // As in strict mode: "--key-id --issuer-id X" is a forgotten value, not a key ID "--issuer-id".
    if (!inlineValue && value.length > 1 && value.startsWith("-")) {
      throw new UsageError(
        `${flag} needs a value (${expected}), but is followed by ${safeEcho(value, "option")}; ` +
          `for a value that starts with "-", write ${flag}=<value>`,
      );
    }
  }
  return {
    values: values as {
      [F in keyof typeof FLAGS]?: (typeof FLAGS)[F] extends { multiple: true }
        ? string[]
        : (typeof FLAGS)[F]["type"] extends "string"
          ? string
          : boolean;
    },
    positionals,
  };
};
