// The portable conformance suite and the Node-side grader of the runtime matrix
// (test/runtimes/run-matrix.mjs): the suite passes on src/, and the grader fails every way a
// runtime could get it wrong (wrong key, wrong claims, a missing token or result, a wrong code).
import { createPrivateKey, sign } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import * as lib from "../../src/index.js";
import * as testing from "../../src/testing.js";
import { RESULT_NAMES, TOKEN_CASES, run } from "../conformance/suite.mjs";
import { makeFixtures } from "../runtimes/fixtures.mjs";
import { grade } from "../runtimes/grade.mjs";

type Fixtures = ReturnType<typeof makeFixtures>;
type Outcome = Awaited<ReturnType<typeof run>>;

let made: Fixtures;
let outcome: Outcome;
let window: { start: number; end: number };
const total = RESULT_NAMES.length + TOKEN_CASES.length;

beforeAll(async () => {
  made = makeFixtures();
  const start = Date.now();
  outcome = await run(lib, made.fixtures, testing);
  window = { start, end: Date.now() };
});

const gradeOf = (changed: Outcome) => grade(changed, made.fixtures, made.publicKeys, window);
const failures = (changed: Outcome) => gradeOf(changed).filter((c) => !c.ok);
const copy = (): Outcome => structuredClone(outcome);
const tokenOf = (o: Outcome, name: string) => o.tokens.find((t) => t.name === name)!;

/** A token signed by the fixture's team key (so the signature verifies) over `claims`. */
const signedByTeam = (claims: object): string => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${part({ alg: "ES256", kid: made.fixtures.team.keyId, typ: "JWT" })}.${part(claims)}`;
  const key = createPrivateKey(made.fixtures.team.text.pkcs8Pem);
  return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
};

describe("conformance suite on src/", () => {
  it("passes every check, graded in Node", () => {
    const checks = gradeOf(outcome);
    expect(checks.filter((c) => !c.ok)).toStrictEqual([]);
    expect(checks).toHaveLength(total);
    expect(outcome.tokens).toHaveLength(TOKEN_CASES.length);
  });

  it("hands the runtime only plain data, no key objects", () => {
    expect(JSON.parse(JSON.stringify(made.fixtures))).toStrictEqual(made.fixtures);
  });
});

describe("the grader", () => {
  it("fails a token signed by another key", () => {
    const changed = copy();
    tokenOf(changed, "individual key: sub user, no iss").token = tokenOf(outcome, "scope").token;
    expect(failures(changed).map((c) => c.name)).toStrictEqual([
      "verified in Node: individual key: sub user, no iss",
    ]);
  });

  it("fails a validly signed token whose claims are not the expected ones", () => {
    const changed = copy();
    const iat = Math.floor(made.fixtures.now / 1000) - 60;
    tokenOf(changed, "lifetime 1200 s is accepted").token = signedByTeam({
      iss: made.fixtures.issuerId,
      iat,
      exp: iat + 1201,
      aud: "appstoreconnect-v1",
    });
    const bad = failures(changed);
    expect(bad.map((c) => c.name)).toStrictEqual(["verified in Node: lifetime 1200 s is accepted"]);
    expect(bad[0]?.error).toMatch(/^claims /);
  });

  it("fails a signature that is not raw r||s", () => {
    const changed = copy();
    const entry = tokenOf(changed, "scope");
    entry.token = `${entry.token.slice(0, entry.token.lastIndexOf("."))}.${Buffer.alloc(70, 1).toString("base64url")}`;
    expect(failures(changed).map((c) => c.name)).toStrictEqual(["verified in Node: scope"]);
  });

  it("fails a system-clock token dated outside the run", () => {
    const changed = copy();
    const iat = Math.floor(window.start / 1000) - 3600;
    tokenOf(changed, "system clock (no now option)").token = signedByTeam({
      iss: made.fixtures.issuerId,
      iat,
      exp: iat + 1140,
      aud: "appstoreconnect-v1",
    });
    expect(failures(changed)[0]?.error).toMatch(/^iat \d+ is not within/);
  });

  it("fails a reject reported with the wrong code, or a failed result", () => {
    const changed = copy();
    const rsa = changed.results.find((r) => r.name === "reject: RSA key")!;
    rsa.code = "KEY_MALFORMED";
    const minted = changed.results.find((r) => r.name === "token: scope")!;
    Object.assign(minted, { ok: false, error: "boom" });
    expect(failures(changed).map((c) => c.name)).toStrictEqual(["token: scope", "reject: RSA key"]);
  });

  it("fails a verify case reported with the wrong code", () => {
    const changed = copy();
    changed.results.find((r) => r.name === "verify: tampered payload")!.code = "CHAIN_INVALID";
    expect(failures(changed).map((c) => c.name)).toStrictEqual(["verify: tampered payload"]);
  });

  it("fails a partial run with the same number of checks", () => {
    const changed = copy();
    changed.results.splice(0, 3);
    changed.tokens.pop();
    const checks = gradeOf(changed);
    expect(checks).toHaveLength(total);
    expect(checks.filter((c) => !c.ok)).toHaveLength(4);
    expect(gradeOf({ results: [], tokens: [] }).every((c) => !c.ok)).toBe(true);
  });
});
