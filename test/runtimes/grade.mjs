// Grades what a runtime reported, in Node: every result the suite must report is there and
// passed, every reject carries the expected code, and every token verifies with node:crypto
// (`dsaEncoding: "ieee-p1363"`) against the fixture's public key, with exactly the header and
// claims Node computes for its case. The runtime's own verdict on a token counts for nothing.
import { verify } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import {
  REJECT_CASES,
  RESULT_NAMES,
  SIWA_CASES,
  TOKEN_CASES,
  VERIFY_CASES,
} from "../conformance/suite.mjs";

/** Apple's documented defaults as the README states them: iat backdated 60 s, exp − iat = 1140 s. */
const CLOCK_TOLERANCE = 60;
const EXPIRES_IN = 1140;

const decodePart = (part) => JSON.parse(Buffer.from(part, "base64url").toString("utf8"));

/**
 * The claims Node expects for `testCase`. With the fixed clock `iat` is known in advance; with
 * the system clock it must fall inside the run's time window (`window` in epoch ms), widened by 2 s.
 */
const expectedClaims = (testCase, fixtures, actualIat, window) => {
  let iat = Math.floor(fixtures.now / 1000) - CLOCK_TOLERANCE;
  if (testCase.clock === "system") {
    const earliest = Math.floor(window.start / 1000) - CLOCK_TOLERANCE - 2;
    const latest = Math.floor(window.end / 1000) - CLOCK_TOLERANCE + 2;
    if (!(Number.isInteger(actualIat) && actualIat >= earliest && actualIat <= latest)) {
      throw new Error(
        `iat ${String(actualIat)} is not within [${String(earliest)}, ${String(latest)}]`,
      );
    }
    iat = actualIat;
  }
  const { expiresIn = EXPIRES_IN, audience = "appstoreconnect-v1", scope } = testCase.options ?? {};
  return {
    ...(testCase.individual ? { sub: "user" } : { iss: fixtures.issuerId }),
    iat,
    exp: iat + expiresIn,
    aud: audience,
    ...(scope && { scope }),
  };
};

/** Throws unless `token` is a compact ES256 JWS by `publicKey` with exactly `header` and claims. */
export const checkToken = (token, publicKey, header, claimsFor) => {
  const parts = typeof token === "string" ? token.split(".") : [];
  if (parts.length !== 3 || !parts.every((part) => /^[A-Za-z0-9_-]+$/.test(part))) {
    throw new Error("not a compact JWS with unpadded base64url parts");
  }
  const [headerPart, claimsPart, signaturePart] = parts;
  const signature = Buffer.from(signaturePart, "base64url");
  const signed = Buffer.from(`${headerPart}.${claimsPart}`);
  if (
    signature.length !== 64 ||
    !verify("sha256", signed, { key: publicKey, dsaEncoding: "ieee-p1363" }, signature)
  ) {
    throw new Error("node:crypto does not verify the signature with the fixture's public key");
  }
  const actualHeader = decodePart(headerPart);
  if (!isDeepStrictEqual(actualHeader, header))
    throw new Error(`header ${JSON.stringify(actualHeader)}`);
  const claims = decodePart(claimsPart);
  const expected = claimsFor(claims.iat);
  if (!isDeepStrictEqual(claims, expected)) {
    throw new Error(`claims ${JSON.stringify(claims)}, expected ${JSON.stringify(expected)}`);
  }
};

/**
 * @typedef {{ name: string, ok: boolean, error?: string }} Check
 * @param {string} name
 * @param {() => void} body
 * @returns {Check}
 */
const attempt = (name, body) => {
  try {
    body();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
};

/**
 * Grades one runtime's `outcome` ({ results, tokens } from the suite). Returns one check per
 * expected result and one per expected token, so a partial run cannot pass with fewer checks.
 * `window` is { start, end } in epoch ms around the run.
 * @returns {Check[]}
 */
export const grade = (outcome, fixtures, publicKeys, window) => {
  const results = Array.isArray(outcome?.results) ? outcome.results : [];
  const tokens = Array.isArray(outcome?.tokens) ? outcome.tokens : [];
  const checks = RESULT_NAMES.map((name) =>
    attempt(name, () => {
      const result = results.find((r) => r.name === name);
      if (!result) throw new Error("not reported");
      if (result.ok !== true)
        throw new Error(`${result.error ?? "failed"}${result.code ? ` (${result.code})` : ""}`);
      const reject =
        REJECT_CASES.find((c) => `reject: ${c.name}` === name) ??
        VERIFY_CASES.find((c) => c.code !== undefined && `verify: ${c.name}` === name) ??
        SIWA_CASES.find((c) => c.code !== undefined && `siwa: ${c.name}` === name);
      if (reject && result.code !== reject.code)
        throw new Error(`code ${String(result.code)}, expected ${reject.code}`);
    }),
  );
  for (const testCase of TOKEN_CASES) {
    checks.push(
      attempt(`verified in Node: ${testCase.name}`, () => {
        const entry = tokens.find((t) => t.name === testCase.name);
        if (!entry) throw new Error("no token came back");
        const set = fixtures[testCase.key];
        checkToken(
          entry.token,
          publicKeys[testCase.key],
          { alg: "ES256", kid: set.keyId, typ: "JWT" },
          (iat) => expectedClaims(testCase, fixtures, iat, window),
        );
      }),
    );
  }
  return checks;
};
