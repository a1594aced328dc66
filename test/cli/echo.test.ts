// echo.ts (what the CLI shows of a value), and linear time for every value the CLI reads.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArguments } from "../../src/cli/args.js";
import { describeValue, misplaced, safeEcho, type Expected } from "../../src/cli/echo.js";
import {
  ENV_VARIABLES,
  FLAG_EXPECTS,
  resolveSettings,
  UsageError,
} from "../../src/cli/settings.js";
import { makeP256 } from "../helpers/keys.js";

const key = makeP256();
const body = key.appleDer.toString("base64");
const EXPECTED: Expected[] = [
  "path",
  "key ID",
  "issuer ID",
  "option",
  "argument",
  "command",
  "number",
  "scope entry",
  "token",
  "message",
];

describe("safeEcho", () => {
  it.each([
    ["/keys/AuthKey_2X9R4HXF34.p8", "path"],
    ["/Users/runner/work/MyApp/MyApp/fastlane/keys/AuthKey_2X9R4HXF34.p8", "path"],
    ["C:\\Users\\me\\Downloads\\AuthKey_2X9R4HXF34.p8", "path"],
    ["~/clés/AuthKey_2X9R4HXF34.p8", "path"],
    ["2X9R4HXF34", "key ID"],
    ["2x9r4hxf34 ", "key ID"],
    ["57246542-96fe-1a63-e053-0824d011072a", "issuer ID"],
    ["--kid", "option"],
    ["mint", "command"],
    ["20m", "number"],
    ["GET /v1/apps", "scope entry"],
  ] as [string, Expected][])("echoes %j as a %s, quoted", (value, expected) => {
    if (value.endsWith(" ")) {
      // Not shaped like a key ID (the space), so described: the space is not lost silently.
      expect(safeEcho(value, expected)).toBe("a 11-character value");
    } else {
      expect(safeEcho(value, expected)).toBe(JSON.stringify(value));
    }
  });

  const PEM_LIKE = "that looks like a PEM private key";
  const BASE64_LIKE = "that looks like base64 text (a private key?)";
  it.each([
    ["a PEM key", key.applePem, PEM_LIKE],
    ["its bare body", body, BASE64_LIKE],
    ["base64 of the PEM", Buffer.from(key.applePem).toString("base64"), BASE64_LIKE],
    [
      "an API key JSON",
      JSON.stringify({ key_id: "2X9R4HXF34", key: "x" }),
      "that looks like JSON (an API key file's contents?)",
    ],
    ["a raw P-256 scalar", key.appleDer.subarray(7, 39).toString("base64"), BASE64_LIKE],
    ["an ANSI escape", "/keys/\u001b[2Jx.p8", ""],
    ["a CSI (U+009B)", "/keys/\u009b2Jx.p8", ""],
    ["a bidi override", "/keys/\u202ex.p8", ""],
    ["a long path", `/${"dir-name/".repeat(14)}AuthKey.p8`, ""],
  ])("describes %s instead of echoing it", (_, value, like) => {
    const lines = value.trimEnd().split("\n").length + (value.endsWith("\n") ? 1 : 0);
    const description = [
      `a ${String(value.length)}-character value`,
      lines > 1 ? ` on ${String(lines)} lines` : "",
      like ? ` ${like}` : "",
    ].join("");
    for (const expected of EXPECTED) expect(safeEcho(value, expected)).toBe(description);
  });

  it("never echoes a token, even a well-formed one", () => {
    const jwt = "eyJhbGciOiJFUzI1NiJ9.e30.c2ln";
    expect(safeEcho(jwt, "token")).toBe(`a ${String(jwt.length)}-character value`);
  });

  it("describeValue gives words and numbers only, never the value's text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", minLength: 1, maxLength: 400 }), (value) => {
        expect(describeValue(value)).toMatch(
          /^a \d+-character value( on \d+ lines)?( that looks like (a PEM private key|JSON \(an API key file's contents\?\)|base64 text \(a private key\?\)))?$/,
        );
      }),
    );
  });
});

describe("misplaced", () => {
  it("says what a key given where a path belongs looks like, and where it goes", () => {
    expect(misplaced(key.applePem, "--key-file", "path")).toBe(
      `--key-file holds a ${String(key.applePem.length)}-character value on 7 lines that looks like a PEM private key, not a path: pass the key's contents in ASC_PRIVATE_KEY, or its path with --key-file`,
    );
    expect(misplaced('{"key_id":"X"}', "--api-key-json", "path")).toMatch(
      /not a path: pass the API key JSON file's path with --api-key-json$/,
    );
  });

  it("lets a path, an ID and a JWT through, but not a key given as a token", () => {
    expect(misplaced("/keys/AuthKey_2X9R4HXF34.p8", "--key-file", "path")).toBeUndefined();
    expect(misplaced("2X9R4HXF34", "ASC_KEY_ID", "key ID")).toBeUndefined();
    const jwt = `eyJhbGciOiJFUzI1NiIsImtpZCI6IjJYOVI0SFhGMzQiLCJ0eXAiOiJKV1QifQ.${"e".repeat(200)}.${"s".repeat(86)}`;
    expect(misplaced(jwt, "decode", "token")).toBeUndefined();
    expect(misplaced(body, "decode", "token")).toMatch(/^decode holds a 200-character value/);
  });
});

describe("every value the CLI reads takes linear time", () => {
  // Runs of the characters a crafted value would use against a backtracking pattern. A megabyte
  // cannot go through argv or the environment (Linux caps one string at 128 KiB), so the CLI's
  // parsing code is called in-process with the same lists the command uses.
  const PATTERNS = [
    "\\",
    "-",
    "=",
    " ",
    '"',
    "\\n",
    "-----BEGIN PRIVATE KEY-----\n",
    "A",
    ".p8 ",
    "AuthKey_AAAAAAAAA",
  ];
  const fill = (unit: string, length: number) =>
    unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  const readFile = () => "not read";
  const stringFlags = Object.keys(FLAG_EXPECTS) as (keyof typeof FLAG_EXPECTS)[];

  const base = { ASC_ISSUER_ID: "57246542-96fe-1a63-e053-0824d011072a", ASC_KEY_ID: "2X9R4HXF34" };
  const attempt = (read: () => unknown) => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
    }
  };

  /** Every way the CLI's own code reads `value`: each flag, the command slot, each variable. */
  const readers = (value: string): (() => unknown)[] => [
    ...stringFlags.map((name) => () => parseArguments([`--${name}=${value}`])),
    ...stringFlags.map((name) => () => {
      const flags = { [name]: name === "scope" ? [value] : value };
      return resolveSettings(flags, { ...base, ASC_PRIVATE_KEY: "k" }, readFile);
    }),
    () => parseArguments([value]),
    ...ENV_VARIABLES.map(
      (name) => () =>
        resolveSettings({}, { ...base, ASC_PRIVATE_KEY: "k", [name]: value }, readFile),
    ),
    () => misplaced(value, "decode", "token"),
  ];

  /** Milliseconds for all readers of `value`; Infinity as soon as they pass `budget`. */
  const timed = (value: string, budget = Infinity) => {
    const start = performance.now();
    for (const read of readers(value)) {
      attempt(read);
      if (performance.now() - start > budget) return Infinity;
    }
    return performance.now() - start;
  };

  // A step of ten in size may cost at most LIMIT times as much (linear is ten); the floor keeps
  // a fast refusal (and the allocator's cost for 1 MB strings) from reading as a ratio. The
  // budget stops a super-linear reader at the first step it fails, rather than after minutes.
  const LIMIT = 30;
  const FLOOR = 10;
  const step = (from: number, to: number, unit: string): number => {
    const budget = LIMIT * Math.max(from, FLOOR);
    const time = Math.min(timed(fill(unit, to), budget), timed(fill(unit, to), budget));
    expect(time, `${String(to)} characters of ${JSON.stringify(unit)}`).toBeLessThan(budget);
    return time;
  };

  it.each(PATTERNS)("1 MB of %j costs about ten times 100 KB", (unit) => {
    timed(fill(unit, 1_000)); // warm up the JIT
    const oneKB = Math.min(timed(fill(unit, 1_000)), timed(fill(unit, 1_000)));
    step(step(step(oneKB, 10_000, unit), 100_000, unit), 1_000_000, unit);
  });
});
