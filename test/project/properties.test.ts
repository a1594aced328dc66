// Property tests (fast-check) through the public API, checked against references we did not
// write: Buffer's base64url, node:crypto's verify and ECDH. About 13,000 runs in a few seconds.
import {
  createECDH,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  webcrypto,
} from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type ApplePrivateKey,
  type AscTokenOptions,
  checkAscToken,
  createAscToken,
  decodeToken,
  importAppleKey,
  isAscTokenError,
} from "../../src/index.js";
import { allErrorCodes } from "../helpers/codes.js";
import { makeP256, type P256Fixture } from "../helpers/keys.js";
import { verifies } from "../helpers/verify.js";

/** Any single call may take at most this long: a hang or a slow path fails the property. */
const CALL_LIMIT_MS = 1000;

const CODES = new Set(allErrorCodes());
const KEY_ID = "2X9R4HXF34";
const ISSUER_ID = "57246542-96fe-1a63-e053-0824d011072a";

let keys: P256Fixture[];
let cryptoKeys: CryptoKey[];
beforeAll(async () => {
  keys = [makeP256(), makeP256(), makeP256()];
  cryptoKeys = await Promise.all(
    keys.map((k) =>
      webcrypto.subtle.importKey(
        "pkcs8",
        k.pkcs8Der,
        { name: "ECDSA", namedCurve: "P-256" },
        false,
        ["sign"],
      ),
    ),
  );
});

/** Runs `call`, and returns its token or its error; fails on anything but an AscTokenError, or when slow. */
const outcome = async (
  call: () => Promise<string>,
): Promise<{ token: string } | { code: string }> => {
  const started = performance.now();
  let result: { token: string } | { code: string };
  try {
    result = { token: await call() };
  } catch (error) {
    if (!isAscTokenError(error))
      throw new Error(`not an AscTokenError: ${String(error)}`, { cause: error });
    expect(CODES.has(error.code), `unknown code ${error.code}`).toBe(true);
    result = { code: error.code };
  }
  expect(performance.now() - started, "a single call took too long").toBeLessThan(CALL_LIMIT_MS);
  return result;
};

const payloadText = (token: string): string =>
  Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8");
const headerText = (token: string): string =>
  Buffer.from(token.split(".")[0] ?? "", "base64url").toString("utf8");

describe("base64url against Buffer (the reference)", () => {
  // Any non-whitespace text is a valid scope query, so the claims carry arbitrary Unicode (lone
  // surrogates included) through JSON, UTF-8 and base64url.
  const queryText = fc
    .oneof(
      fc.string({ unit: "grapheme", maxLength: 40 }),
      fc.string({ unit: "binary", maxLength: 40 }),
    )
    .map((s) => s.replace(/\s/g, "_"));

  it("token segments are exactly Buffer's base64url of the JSON, and decode back to it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(queryText, { minLength: 1, maxLength: 3 }), async (queries) => {
        const scope = queries.map((q) => `GET /v1/apps?filter[name]=${q}`);
        const now = Date.UTC(2026, 10, 28);
        const token = await createAscToken({
          keyId: KEY_ID,
          issuerId: ISSUER_ID,
          privateKey: cryptoKeys[0]!,
          scope,
          now: () => now,
        });
        const [header, payload, signature] = token.split(".");
        const expected = {
          iss: ISSUER_ID,
          iat: now / 1000 - 60,
          exp: now / 1000 + 1080,
          aud: "appstoreconnect-v1",
          scope,
        };
        expect(payload).toBe(Buffer.from(JSON.stringify(expected), "utf8").toString("base64url"));
        expect(JSON.parse(payloadText(token))).toStrictEqual(expected);
        expect(header).toBe(
          Buffer.from(`{"alg":"ES256","kid":"${KEY_ID}","typ":"JWT"}`).toString("base64url"),
        );
        expect(Buffer.from(signature!, "base64url").toString("base64url")).toBe(signature);
        expect(Buffer.from(signature!, "base64url")).toHaveLength(64);
      }),
      { numRuns: 2000 },
    );
  });

  it("key bodies in any base64 spelling Buffer writes are read back to the same key", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 }),
        fc.constantFrom("appleDer", "pkcs8Der", "sec1Der"),
        fc.constantFrom("base64", "base64url"),
        fc.boolean(),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom("\n", "\r\n"),
        fc.boolean(),
        async (index, form, alphabet, unpadded, width, eol, armored) => {
          const key = keys[index]!;
          let body = key[form].toString(alphabet);
          if (unpadded) body = body.replace(/=+$/, "");
          if (width > 0)
            body = (body.match(new RegExp(`.{1,${String(width)}}`, "g")) ?? []).join(eol);
          const label = form === "sec1Der" ? "EC PRIVATE KEY" : "PRIVATE KEY";
          const text = armored
            ? `-----BEGIN ${label}-----${eol}${body}${eol}-----END ${label}-----${eol}`
            : body;
          const result = await outcome(() => createAscToken({ keyId: KEY_ID, privateKey: text }));
          expect(result).toHaveProperty("token");
          expect(verifies((result as { token: string }).token, key.publicKey)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

// --- Random valid options ---------------------------------------------------------------------

const scopeEntry = fc.stringMatching(
  /^(GET|POST|PATCH|DELETE|PUT) \/v[1-9]\/[A-Za-z]{1,12}(\/[A-Za-z0-9_-]{1,12}){0,3}(\?[A-Za-z0-9_[\]=&,.-]{0,30})?$/,
);
const LONG_LIVED_PATHS = [
  "ciBuildActions",
  "ciBuildRuns",
  "scmGitReferences",
  "ciIssues",
  "ciMacOsVersions",
  "ciProducts",
  "scmProviders",
  "scmPullRequests",
  "scmRepositories",
  "ciTestResults",
  "ciWorkflows",
  "ciXcodeVersions",
  "ciArtifacts",
];
const longLivedEntry = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...LONG_LIVED_PATHS),
      fc.stringMatching(/^(\/[A-Za-z0-9-]{1,12}){0,2}(\?limit=[0-9]{1,3})?$/),
    )
    .map(([r, rest]) => `GET /v1/${r}${rest}`),
  fc
    .tuple(fc.constantFrom("apps", "builds"), fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/))
    .map(([r, id]) => `GET /v1/${r}/${id}/perfPowerMetrics`),
  fc
    .stringMatching(/^[A-Za-z0-9-]{1,12}$/)
    .map((id) => `GET /v1/builds/${id}/diagnosticSignatures`),
  fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/).map((id) => `GET /v1/diagnosticSignatures/${id}/logs`),
);

const validOptions = fc.record({
  keyId: fc.stringMatching(/^[A-Z0-9]{10}$/),
  issuerId: fc.option(
    fc.tuple(fc.uuid(), fc.boolean()).map(([u, upper]) => (upper ? u.toUpperCase() : u)),
    { nil: undefined },
  ),
  lifetime: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        expiresIn: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }),
        scope: fc.option(fc.array(scopeEntry, { minLength: 1, maxLength: 4 }), { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        expiresIn: fc.integer({ min: 1201, max: 15_777_000 }),
        scope: fc.option(fc.array(longLivedEntry, { minLength: 1, maxLength: 4 }), {
          nil: undefined,
        }),
      }),
    },
  ),
  toleranceSeed: fc.option(fc.nat(), { nil: undefined }),
  audience: fc.option(
    fc.constantFrom<"appstoreconnect-v1" | "apple-developer-enterprise-v1">(
      "appstoreconnect-v1",
      "apple-developer-enterprise-v1",
    ),
    { nil: undefined },
  ),
  nowMs: fc.oneof(
    fc.integer({ min: Date.UTC(2018, 0), max: 8.64e15 }),
    fc.integer({ min: Date.UTC(2018, 0), max: Date.UTC(2018, 1) }),
    fc.integer({ min: Date.UTC(2020, 0), max: Date.UTC(2040, 0) }),
  ),
  clockAsDate: fc.boolean(),
  keyIndex: fc.nat({ max: 2 }),
  form: fc.constantFrom(
    "applePem",
    "pkcs8Pem",
    "sec1Pem",
    "appleDer",
    "body",
    "crlf",
    "escaped",
    "cryptoKey",
  ),
});

describe("random valid options", () => {
  it("always give a token that node:crypto verifies, with exactly the claims asked for", async () => {
    await fc.assert(
      fc.asyncProperty(validOptions, async (o) => {
        const key = keys[o.keyIndex]!;
        const privateKey: ApplePrivateKey =
          o.form === "cryptoKey"
            ? cryptoKeys[o.keyIndex]!
            : o.form === "crlf"
              ? key.applePem.replace(/\n/g, "\r\n")
              : o.form === "escaped"
                ? key.applePem.replace(/\n/g, "\\n")
                : key[o.form];
        const { expiresIn, scope } = o.lifetime;
        const clockTolerance =
          o.toleranceSeed === undefined ? undefined : o.toleranceSeed % (expiresIn ?? 1140);
        const options: AscTokenOptions = {
          keyId: o.keyId,
          privateKey,
          now: o.clockAsDate ? new Date(o.nowMs) : () => o.nowMs,
          ...(o.issuerId !== undefined && { issuerId: o.issuerId }),
          ...(expiresIn !== undefined && { expiresIn }),
          ...(clockTolerance !== undefined && { clockTolerance }),
          ...(scope !== undefined && { scope }),
          ...(o.audience !== undefined && { audience: o.audience }),
        };
        const result = await outcome(() => createAscToken(Object.freeze(options)));

        const lifetime = expiresIn ?? 1140;
        const tolerance = clockTolerance ?? 60;
        // Long-lived tokens are for App Store Connect: the Enterprise Program API allows 20 minutes.
        const tooLong =
          lifetime > 1200 &&
          (scope === undefined || o.audience === "apple-developer-enterprise-v1");
        const secondsClock = !o.clockAsDate && o.nowMs >= 1e9 && o.nowMs < 1e11;
        if (tooLong || tolerance >= lifetime || secondsClock) {
          // The three ways valid-looking options are still refused, checked in this order: a long
          // lifetime without a long-lived scope, the default 60 s tolerance with expiresIn <= 60,
          // and a clock function in 1970-01-12 .. 1973-03-03 (taken for one returning seconds).
          expect(result).toStrictEqual({
            code: tooLong
              ? "LIFETIME_TOO_LONG"
              : tolerance >= lifetime
                ? "INVALID_CLOCK_TOLERANCE"
                : "INVALID_NOW",
          });
          return;
        }
        expect(result).toHaveProperty("token");
        const { token } = result as { token: string };
        const iat = Math.floor(o.nowMs / 1000) - tolerance;
        const expected = {
          ...(o.issuerId === undefined ? { sub: "user" } : { iss: o.issuerId }),
          iat,
          exp: iat + lifetime,
          aud: o.audience ?? "appstoreconnect-v1",
          ...(scope !== undefined && { scope }),
        };
        expect(headerText(token)).toBe(`{"alg":"ES256","kid":"${o.keyId}","typ":"JWT"}`);
        expect(payloadText(token)).toBe(JSON.stringify(expected));
        expect(verifies(token, key.publicKey), "node:crypto does not verify the token").toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

// --- Mutated keys -----------------------------------------------------------------------------

type Mutation =
  | { kind: "replace"; at: number; text: string }
  | { kind: "flip"; at: number; bit: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "eol"; to: string }
  | { kind: "duplicateLine"; at: number };

const insertion = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 3 }),
  fc.constantFrom(
    "-----",
    "-----BEGIN PRIVATE KEY-----\n",
    "-----END PRIVATE KEY-----\n",
    "-----BEGIN EC PARAMETERS-----",
    "\n",
    "\r\n",
    "\\n",
    "=",
    "==",
    '"',
    "'",
    "\uFEFF",
    " ",
    "\t",
    "ENCRYPTED",
    "Proc-Type: 4,ENCRYPTED\n",
    "A",
    "+",
    "/",
    "_",
    "-",
  ),
);
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("replace" as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom("A", "/", "+", "-", "_", "=", " ", "\n", "*", "é"),
      fc.string({ minLength: 1, maxLength: 1 }),
    ),
  }),
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: insertion }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 20 }),
  }),
  fc.record({
    kind: fc.constant("eol" as const),
    to: fc.constantFrom("\r\n", "\r", " ", "", "\\n", "\\r\\n", "\n\n", "\t", "\n "),
  }),
  fc.record({ kind: fc.constant("duplicateLine" as const), at: fc.nat() }),
);

const mutateText = (text: string, m: Mutation): string => {
  const at = "at" in m ? m.at % (text.length + 1) : 0;
  switch (m.kind) {
    case "replace":
      return text.slice(0, at) + m.text + text.slice(at + 1);
    case "flip":
      return at < text.length
        ? text.slice(0, at) +
            String.fromCharCode(text.charCodeAt(at) ^ (1 << m.bit)) +
            text.slice(at + 1)
        : text;
    case "truncate":
      return text.slice(0, at);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "eol":
      return text.replace(/\n/g, m.to);
    case "duplicateLine": {
      const lines = text.split("\n");
      const i = at % lines.length;
      lines.splice(i, 0, lines[i] ?? "");
      return lines.join("\n");
    }
  }
};

const mutateBytes = (bytes: Uint8Array, m: Mutation): Uint8Array => {
  const at = "at" in m ? m.at % (bytes.length + 1) : 0;
  const copy = Array.from(bytes);
  switch (m.kind) {
    case "flip":
      if (at < copy.length) copy[at] = (copy[at] ?? 0) ^ (1 << m.bit);
      break;
    case "replace":
    case "insert":
      copy.splice(at, m.kind === "replace" ? 1 : 0, ...Buffer.from(m.text));
      break;
    case "truncate":
      copy.length = at;
      break;
    case "delete":
      copy.splice(at, m.length);
      break;
    default: // line endings and lines mean nothing in DER: duplicate a byte instead
      copy.splice(at, 0, copy[at] ?? 0);
  }
  return Uint8Array.from(copy);
};

/** The public key of a P-256 private scalar, computed by node:crypto's ECDH, not by asc-token. */
const publicKeyOfScalar = (d: Buffer): KeyObject | undefined => {
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(d);
    const point = ecdh.getPublicKey();
    const jwk = {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    };
    return createPublicKey({ key: jwk, format: "jwk" });
  } catch {
    return undefined;
  }
};

/**
 * Every P-256 key that node:crypto itself finds in `input` (the text between any two armor
 * lines, or the whole input, as base64; or the bytes as DER): when asc-token accepts a mutated key, its token must verify with
 * one of these.
 */
const referenceKeys = (input: string | Uint8Array): KeyObject[] => {
  const ders: Buffer[] = typeof input === "string" ? [] : [Buffer.from(input)];
  const text = (typeof input === "string" ? input : Buffer.from(input).toString("utf8")).replace(
    /\\r\\n|\\n|\\r/g,
    "\n",
  );
  for (const body of [text, ...text.split(/-----[^\n]*?-----/)])
    ders.push(Buffer.from(body.replace(/[^A-Za-z0-9+/_-]/g, ""), "base64"));
  const found: KeyObject[] = [];
  for (const der of ders) {
    for (const type of ["pkcs8", "sec1"] as const) {
      try {
        const { d } = createPrivateKey({ key: der, format: "der", type }).export({ format: "jwk" });
        const publicKey =
          d === undefined ? undefined : publicKeyOfScalar(Buffer.from(d, "base64url"));
        if (publicKey) found.push(publicKey);
      } catch {
        // not a key of this type
      }
    }
  }
  return found;
};

/**
 * The smallest PKCS#8 WebCrypto imports: the private scalar alone, no public key. A flipped bit in
 * its scalar is usually another valid key (where a key carrying its public key fails to import),
 * which exercises the "signed by the key the input holds" branch below.
 */
const minimalPem = (key: P256Fixture): string => {
  const d = Buffer.from(key.privateKey.export({ format: "jwk" }).d ?? "", "base64url");
  const seq = (...parts: Buffer[]) => {
    const content = Buffer.concat(parts);
    return Buffer.concat([Buffer.from([0x30, content.length]), content]);
  };
  const ecPrivateKey = seq(Buffer.from([0x02, 0x01, 0x01, 0x04, d.length]), d);
  const algorithm = Buffer.from("301306072a8648ce3d020106082a8648ce3d030107", "hex");
  const der = seq(
    Buffer.from("020100", "hex"),
    algorithm,
    Buffer.from([0x04, ecPrivateKey.length]),
    ecPrivateKey,
  );
  return `-----BEGIN PRIVATE KEY-----\n${der.toString("base64")}\n-----END PRIVATE KEY-----\n`;
};

describe("random mutations of a valid key", () => {
  const checkMutated = async (input: string | Uint8Array, original: KeyObject) => {
    const imported = await outcome(async () => (await importAppleKey(input), "imported"));
    const minted = await outcome(() =>
      createAscToken({ keyId: KEY_ID, issuerId: ISSUER_ID, privateKey: input }),
    );
    expect("code" in imported, "importAppleKey and createAscToken disagree").toBe("code" in minted);
    if ("code" in minted) {
      expect(imported).toStrictEqual(minted);
      return;
    }
    const candidates = [original, ...referenceKeys(input)];
    expect(
      candidates.some((publicKey) => verifies(minted.token, publicKey)),
      "accepted, but signed with no key the input holds",
    ).toBe(true);
  };

  it("PEM and base64 text: only AscTokenError, or a token signed by the key the text holds", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 }),
        fc.constantFrom("applePem", "pkcs8Pem", "sec1Pem", "body", "wholeFile", "minimalPem"),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (index, form, mutations, asBytes) => {
          const key = keys[index]!;
          const base =
            form === "wholeFile"
              ? Buffer.from(key.applePem).toString("base64")
              : form === "minimalPem"
                ? minimalPem(key)
                : key[form];
          const text = mutations.reduce(mutateText, base);
          await checkMutated(asBytes ? Buffer.from(text) : text, key.publicKey);
        },
      ),
      { numRuns: 3000, plugins: [fc.timeout(5000)] },
    );
  });

  it("DER bytes: only AscTokenError, or a token signed by the key the bytes hold", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 2 }),
        fc.constantFrom("appleDer", "pkcs8Der", "sec1Der"),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        async (index, form, mutations) => {
          const key = keys[index]!;
          await checkMutated(
            mutations.reduce(mutateBytes, new Uint8Array(key[form as "appleDer"])),
            key.publicKey,
          );
        },
      ),
      { numRuns: 1000, plugins: [fc.timeout(5000)] },
    );
  });
});

describe("random junk", () => {
  it("random strings and bytes as the key: always an AscTokenError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.base64String({ maxLength: 300 }),
          fc.string({ unit: "grapheme", maxLength: 50 }),
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => Uint8Array.from([0x30, ...b])),
        ),
        async (input) => {
          const result = await outcome(async () => (await importAppleKey(input), "imported"));
          expect(result).toHaveProperty("code");
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("random values for every option: a verified token or an AscTokenError, nothing else", async () => {
    const anyValue = fc.oneof(fc.anything(), fc.constant(undefined));
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          keyId: fc.oneof(anyValue, fc.constant(KEY_ID)),
          issuerId: fc.oneof(anyValue, fc.uuid()),
          expiresIn: anyValue,
          clockTolerance: anyValue,
          scope: fc.oneof(anyValue, fc.array(scopeEntry, { maxLength: 2 })),
          audience: anyValue,
          now: anyValue,
          privateKey: fc.oneof(anyValue, fc.constant("key")),
        }),
        async (raw) => {
          const options = {
            ...raw,
            privateKey: raw.privateKey === "key" ? keys[0]!.applePem : raw.privateKey,
          } as unknown as AscTokenOptions;
          const result = await outcome(() => createAscToken(options));
          if ("token" in result) expect(verifies(result.token, keys[0]!.publicKey)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("random tokens into decode and the doctor", () => {
  const part = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.base64String({ maxLength: 40 }),
    fc.json().map((j) => Buffer.from(j).toString("base64url")),
  );
  const tokenish = fc.oneof(
    fc.string({ maxLength: 120 }),
    fc.array(part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(".")),
  );

  it("decodeToken and checkAscToken give objects back or TOKEN_MALFORMED, nothing else", () => {
    fc.assert(
      fc.property(tokenish, (token) => {
        for (const call of [() => decodeToken(token), () => checkAscToken(token)]) {
          try {
            const result = call();
            expect(typeof result).toBe("object");
          } catch (error) {
            expect(isAscTokenError(error)).toBe(true);
            expect(error).toMatchObject({ code: "TOKEN_MALFORMED" });
            if (token.length >= 12) expect((error as Error).message).not.toContain(token);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("every token createAscToken mints decodes to exactly what was signed and passes the doctor", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 61, max: 1200 }),
        fc.boolean(),
        async (expiresIn, team) => {
          const token = await createAscToken({
            keyId: KEY_ID,
            ...(team && { issuerId: ISSUER_ID }),
            privateKey: cryptoKeys[0]!,
            expiresIn,
          });
          const { header, claims, signature } = decodeToken(token);
          expect(header).toStrictEqual({ alg: "ES256", kid: KEY_ID, typ: "JWT" });
          expect((claims.exp as number) - (claims.iat as number)).toBe(expiresIn);
          expect(Buffer.from(signature, "base64url")).toHaveLength(64);
          expect(checkAscToken(token)).toStrictEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
