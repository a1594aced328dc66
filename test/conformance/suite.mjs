// The portable conformance suite: plain ESM that runs unchanged in every runtime of the matrix
// (Node, Deno, Bun, browsers, workerd, edge-runtime, a bundle). No test-runner globals, no Node
// APIs: only the library handed in, `crypto.subtle` (to import a CryptoKey) and `atob`.
//
// It exercises the public API only (createAscToken, importAppleKey, isAscTokenError, AscTokenError,
// createAppleVerifier, and asc-token/testing's createAppleTestKit)
// on key data generated in Node (test/runtimes/fixtures.mjs) and passed in as plain strings. It
// reports what it saw; the tokens go back to Node, which verifies them with node:crypto and checks
// their claims against TOKEN_CASES (test/runtimes/grade.mjs): a runtime never grades its own tokens.

/**
 * Every token the suite mints. `key` names the fixture key pair ("team" or "individual"), `form`
 * a string form of it in `fixtures[key].text`, `bytes` a DER form in `fixtures[key].der` (base64)
 * handed over `as` a given byte container, `cryptoKey` how a CryptoKey is made from the Apple PEM.
 * `options` are passed to createAscToken as they are; `clock: "system"` leaves `now` out.
 */
export const TOKEN_CASES = [
  { name: "team key: Apple 150-byte PKCS#8 PEM", key: "team", form: "applePem" },
  { name: "team key: Node 138-byte PKCS#8 PEM", key: "team", form: "pkcs8Pem" },
  { name: "PEM with CRLF line endings", key: "team", form: "crlfPem" },
  { name: "PEM with literal \\n escapes (env var)", key: "team", form: "escapedPem" },
  { name: "bare base64 body, no armor", key: "team", form: "body" },
  { name: "base64 of the whole .p8 file", key: "team", form: "wholeFileBase64" },
  { name: "SEC1 EC PRIVATE KEY PEM", key: "team", form: "sec1Pem" },
  { name: "DER Uint8Array (Node 138-byte)", key: "team", bytes: "pkcs8", as: "Uint8Array" },
  { name: "DER ArrayBuffer (Apple 150-byte)", key: "team", bytes: "apple", as: "ArrayBuffer" },
  { name: "DER DataView (SEC1)", key: "team", bytes: "sec1", as: "DataView" },
  { name: "file bytes of the .p8 (UTF-8 PEM)", key: "team", form: "applePem", as: "utf8" },
  { name: "CryptoKey from importAppleKey", key: "team", cryptoKey: "importAppleKey" },
  { name: "CryptoKey from crypto.subtle.importKey", key: "team", cryptoKey: "subtle" },
  {
    name: "individual key: sub user, no iss",
    key: "individual",
    form: "applePem",
    individual: true,
  },
  {
    name: "lifetime 1200 s is accepted",
    key: "team",
    form: "applePem",
    options: { expiresIn: 1200 },
  },
  {
    name: "enterprise audience",
    key: "team",
    form: "applePem",
    options: { audience: "apple-developer-enterprise-v1" },
  },
  {
    name: "scope",
    key: "team",
    form: "applePem",
    options: { scope: ["GET /v1/apps?filter[platform]=IOS", "GET /v1/builds"] },
  },
  {
    name: "long-lived scoped token (30 days)",
    key: "team",
    form: "applePem",
    options: { expiresIn: 2_592_000, scope: ["GET /v1/ciProducts"] },
  },
  { name: "system clock (no now option)", key: "team", form: "applePem", clock: "system" },
];

/** Inputs that must be refused, with the `code` the library must give. */
export const REJECT_CASES = [
  { name: "RSA key", code: "KEY_UNSUPPORTED_TYPE", privateKey: "rsa" },
  { name: "P-384 key", code: "KEY_UNSUPPORTED_CURVE", privateKey: "p384" },
  { name: "public key", code: "KEY_NOT_PRIVATE", privateKey: "publicKey" },
  { name: "encrypted key", code: "KEY_ENCRYPTED", privateKey: "encrypted" },
  { name: "garbage", code: "KEY_MALFORMED", privateKey: "garbage" },
  { name: "empty string", code: "KEY_MISSING", privateKey: "empty" },
  { name: "lifetime 1201 s", code: "LIFETIME_TOO_LONG", options: { expiresIn: 1201 } },
  { name: "keyId not 10 characters", code: "INVALID_KEY_ID", options: { keyId: "ABC" } },
  {
    name: "CryptoKey for verifying, not signing",
    code: "KEY_INVALID_CRYPTOKEY",
    cryptoKey: "public",
  },
];

/**
 * Apple-signed data the suite verifies (test/runtimes/fixtures.mjs signs it in Node with a test
 * PKI shaped like Apple's): `signed` names the JWS in `fixtures.verify.signed`, `roots` whether the
 * test root is trusted ("test") or the built-in Apple Root CA G3 ("apple"), `code` the error
 * expected (none: the payload must come back). "apple" cases carry Apple's real chain with a
 * signature that is not Apple's: every chain check passes, then the signature fails.
 */
export const VERIFY_CASES = [
  { name: "a notification verifies", signed: "valid", roots: "test" },
  { name: "a second notification of the same chain verifies", signed: "valid2", roots: "test" },
  { name: "tampered payload", signed: "tampered", roots: "test", code: "SIGNATURE_INVALID" },
  {
    name: "root not trusted",
    signed: "untrustedRoot",
    roots: "test",
    code: "CHAIN_UNTRUSTED_ROOT",
  },
  { name: "leaf without Apple's OID", signed: "wrongOid", roots: "test", code: "CHAIN_INVALID" },
  {
    name: "signed after the leaf expired",
    signed: "expired",
    roots: "test",
    code: "CERTIFICATE_EXPIRED",
  },
  { name: "alg none", signed: "algNone", roots: "test", code: "SIGNED_DATA_HEADER_INVALID" },
  { name: "another bundle ID", signed: "wrongBundle", roots: "test", code: "UNEXPECTED_BUNDLE_ID" },
  {
    name: "Apple's real chain passes, the forged signature fails",
    signed: "appleChain",
    roots: "apple",
    code: "SIGNATURE_INVALID",
  },
  {
    name: "Apple's real chain outside its validity",
    signed: "appleChainExpired",
    roots: "apple",
    code: "CERTIFICATE_EXPIRED",
  },
];

/**
 * Sign in with Apple, fetch-based parts included, with no network: `signed` names a token (or a
 * notification body) of `fixtures.siwa.signed` (signed in Node, test/runtimes/siwa-fixtures.mjs),
 * verified with the key set handed over by an injected `fetch` (`keys: "fetch"`), pinned
 * (`"pinned"`), or answered as garbage or 503; `oauth` calls a token endpoint through an injected
 * `fetch` that checks Apple's URL and form fields exactly. `code` is the error expected.
 */
export const SIWA_CASES = [
  { name: "identity token, key set fetched", signed: "idToken", keys: "fetch" },
  { name: "identity token, key set pinned", signed: "idToken", keys: "pinned" },
  { name: "notification, events parsed", signed: "notification", keys: "fetch" },
  {
    name: "tampered identity token",
    signed: "tampered",
    keys: "fetch",
    code: "SIWA_SIGNATURE_INVALID",
  },
  {
    name: "HS256 with the modulus as secret",
    signed: "hs256",
    keys: "fetch",
    code: "SIWA_TOKEN_HEADER_INVALID",
  },
  { name: "kid not in the set", signed: "unknownKid", keys: "pinned", code: "SIWA_KEY_NOT_FOUND" },
  { name: "expired", signed: "expired", keys: "pinned", code: "SIWA_TOKEN_EXPIRED" },
  {
    name: "another app's token",
    signed: "otherAudience",
    keys: "pinned",
    code: "SIWA_AUDIENCE_MISMATCH",
  },
  { name: "key set garbage", signed: "idToken", keys: "garbage", code: "SIWA_KEYS_MALFORMED" },
  { name: "key set down", signed: "idToken", keys: "down", code: "SIWA_KEYS_UNAVAILABLE" },
  { name: "code exchange posts Apple's form", oauth: "exchange" },
  { name: "refresh posts Apple's form", oauth: "refresh" },
  { name: "revoke posts Apple's form", oauth: "revoke" },
  { name: "invalid_grant", oauth: "exchange", error: "invalid_grant", code: "SIWA_INVALID_GRANT" },
];

/**
 * Apple's OAuth services (Apple Business/School Manager, Apple Ads) through an injected `fetch`
 * that plays Apple's token endpoint in the runtime itself: the exact form, the client assertion or
 * secret verified with crypto.subtle, caching, and Apple's refusals as codes.
 */
export const OAUTH_CASES = [
  { name: "Apple Business Manager: the exchange Apple documents", service: "abm" },
  { name: "Apple Ads: the exchange Apple documents, SEC1 key", service: "ads" },
  { name: "one exchange for concurrent callers", service: "ads", concurrent: true },
  {
    name: "429 with Retry-After: OAUTH_RATE_LIMITED, then no request",
    service: "abm",
    status: 429,
  },
  { name: "400 invalid_client: OAUTH_INVALID_CLIENT", service: "ads", status: 400 },
  { name: "200 that is not JSON: OAUTH_RESPONSE_MALFORMED", service: "abm", status: 200 },
];

/** Checks run once per runtime, beside the token and reject cases. */
export const OTHER_CHECKS = [
  "public API exports",
  "importAppleKey returns a non-extractable private key",
  "test kit: a notification it signs verifies with the kit's root",
  "test kit: what it signs is refused under Apple's root",
];

/** Every result name a complete run reports, in order. */
export const RESULT_NAMES = [
  ...OTHER_CHECKS,
  ...TOKEN_CASES.map((c) => `token: ${c.name}`),
  ...REJECT_CASES.map((c) => `reject: ${c.name}`),
  ...VERIFY_CASES.map((c) => `verify: ${c.name}`),
  ...SIWA_CASES.map((c) => `siwa: ${c.name}`),
  ...OAUTH_CASES.map((c) => `oauth: ${c.name}`),
];

const ES256 = { name: "ECDSA", namedCurve: "P-256" };

const fromBase64 = (text) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

/** The key as `testCase` hands it over: a string, some byte container, or a CryptoKey. */
const privateKeyFor = async (lib, testCase, set) => {
  if (testCase.cryptoKey === "importAppleKey") return lib.importAppleKey(set.text.applePem);
  if (testCase.cryptoKey === "subtle") {
    return crypto.subtle.importKey("pkcs8", fromBase64(set.der.apple), ES256, false, ["sign"]);
  }
  if (testCase.cryptoKey === "public") {
    return crypto.subtle.importKey("spki", fromBase64(set.der.spki), ES256, true, ["verify"]);
  }
  if (testCase.as === "utf8") return new TextEncoder().encode(set.text[testCase.form]);
  if (testCase.bytes !== undefined) {
    const bytes = fromBase64(set.der[testCase.bytes]);
    if (testCase.as === "ArrayBuffer") return bytes.buffer;
    if (testCase.as === "DataView") return new DataView(bytes.buffer);
    return bytes;
  }
  return set.text[testCase.form];
};

const PORTAL_KEY_ID = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";
const ABM_CLIENT = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
const ADS_CLIENT = "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577";
const ADS_TEAM = "SEARCHADS.9703f56c-10ce-4876-8f59-e78e5e23a152";
const ABM_FIELDS = "grant_type,client_id,client_assertion_type,client_assertion,scope";
const ADS_FIELDS = "grant_type,client_id,client_secret,scope";

const fromBase64Url = (text) => fromBase64(text.replace(/-/g, "+").replace(/_/g, "/"));

/** The claims of `jwt` if crypto.subtle verifies its ES256 signature with the SPKI `spki`. */
const verifiedClaims = async (jwt, spki) => {
  const [header, claims, signature] = jwt.split(".");
  const key = await crypto.subtle.importKey("spki", fromBase64(spki), ES256, false, ["verify"]);
  const ok = await crypto.subtle.verify(
    { name: "ECDSA", hash: "SHA-256" },
    key,
    fromBase64Url(signature),
    new TextEncoder().encode(`${header}.${claims}`),
  );
  expect(ok, "the signature does not verify");
  return JSON.parse(new TextDecoder().decode(fromBase64Url(claims)));
};

/** One OAuth case: a provider over a `fetch` that answers as Apple would (or as `status` says). */
const oauthCase = async (lib, fixtures, testCase) => {
  const set = fixtures.team;
  const asked = [];
  const fetchImpl = async (url, init) => {
    asked.push({
      url: String(url),
      type: new Headers(init.headers).get("content-type"),
      body: String(init.body),
    });
    if (testCase.status === 429)
      return new Response("", { status: 429, headers: { "Retry-After": "60" } });
    if (testCase.status === 400) return new Response('{"error":"invalid_client"}', { status: 400 });
    if (testCase.status === 200) return new Response("<html>", { status: 200 });
    const body = { access_token: `access-${asked.length}`, token_type: "Bearer", expires_in: 3600 };
    return new Response(JSON.stringify(body), { status: 200 });
  };
  const common = { keyId: PORTAL_KEY_ID, fetchImpl, now: new Date(fixtures.now) };
  const provider =
    testCase.service === "abm"
      ? lib.createAppleBusinessManagerTokenProvider({
          ...common,
          clientId: ABM_CLIENT,
          privateKey: set.text.applePem,
          scope: "business.api",
        })
      : lib.createAppleAdsTokenProvider({
          ...common,
          clientId: ADS_CLIENT,
          teamId: ADS_TEAM,
          privateKey: set.text.sec1Pem,
        });
  if (testCase.status !== undefined) {
    const codes = [];
    for (let i = 0; i < 2; i++) await provider.getToken().catch((error) => codes.push(error.code));
    const code = {
      429: "OAUTH_RATE_LIMITED",
      400: "OAUTH_INVALID_CLIENT",
      200: "OAUTH_RESPONSE_MALFORMED",
    }[testCase.status];
    expect(
      codes.length === 2 && codes.every((c) => c === code),
      `codes ${codes.join(",")}, expected ${code}`,
    );
    const requests = testCase.status === 429 ? 1 : 2;
    expect(asked.length === requests, `${asked.length} requests, expected ${requests}`);
    return { code };
  }
  const tokens = await Promise.all(
    Array.from({ length: testCase.concurrent ? 10 : 1 }, () => provider.getToken()),
  );
  expect(
    tokens.every((t) => t === "access-1"),
    `tokens ${tokens.join(",")}`,
  );
  expect(asked.length === 1, `${asked.length} exchanges, expected 1`);
  const [{ url, type, body }] = asked;
  const form = new URLSearchParams(body);
  expect(type === "application/x-www-form-urlencoded", `content-type ${type}`);
  expect(form.get("grant_type") === "client_credentials", "grant_type");
  const abm = testCase.service === "abm";
  expect(url === `https://${abm ? "account" : "appleid"}.apple.com/auth/oauth2/token`, url);
  expect([...form.keys()].join(",") === (abm ? ABM_FIELDS : ADS_FIELDS), [...form.keys()].join());
  const jwt = form.get(abm ? "client_assertion" : "client_secret");
  const claims = await verifiedClaims(jwt, set.der.spki);
  const expected = abm
    ? { iss: ABM_CLIENT, sub: ABM_CLIENT, aud: "https://account.apple.com/auth/oauth2/v2/token" }
    : { iss: ADS_TEAM, sub: ADS_CLIENT, aud: "https://appleid.apple.com" };
  for (const [name, value] of Object.entries(expected)) {
    expect(claims[name] === value, `${name} is ${String(claims[name])}`);
  }
  expect(form.get("scope") === (abm ? "business.api" : "searchadsorg"), "scope");
  return {};
};

const check = async (results, name, body) => {
  try {
    const detail = await body();
    results.push({ name, ok: true, ...detail });
  } catch (error) {
    const code = typeof error?.code === "string" ? error.code : undefined;
    results.push({
      name,
      ok: false,
      error: String(error?.message ?? error),
      ...(code && { code }),
    });
  }
};

const expect = (condition, message) => {
  if (!condition) throw new Error(message);
};

/**
 * Runs every case against `lib` (the library module as the runtime loaded it) and `testing` (the
 * asc-token/testing module, loaded the same way) with `fixtures` (plain data from
 * test/runtimes/fixtures.mjs). Never throws: each failure is a result.
 * @returns {Promise<{ results: { name: string, ok: boolean, error?: string, code?: string }[],
 *   tokens: { name: string, token: string }[] }>}
 */
export async function run(lib, fixtures, testing) {
  const results = [];
  const tokens = [];
  const fixedNow = new Date(fixtures.now);

  await check(results, OTHER_CHECKS[0], () => {
    for (const name of ["createAscToken", "importAppleKey", "isAscTokenError", "AscTokenError"]) {
      expect(typeof lib[name] === "function", `${name} is not exported as a function`);
    }
  });
  await check(results, OTHER_CHECKS[1], async () => {
    const key = await lib.importAppleKey(fixtures.team.text.applePem);
    expect(
      key.type === "private" && key.extractable === false,
      "the key is extractable or not private",
    );
    expect(
      key.algorithm.name === "ECDSA" && key.algorithm.namedCurve === "P-256",
      "the key is not ECDSA P-256",
    );
    expect(
      key.usages.length === 1 && key.usages[0] === "sign",
      `usages are ${key.usages.join(",")}, not sign`,
    );
  });

  // The test kit makes its PKI here, with this runtime's WebCrypto, and this runtime's verifier
  // checks what it signs.
  const bundleId = "com.example.kit";
  let kitSigned;
  await check(results, OTHER_CHECKS[2], async () => {
    expect(typeof testing?.createAppleTestKit === "function", "asc-token/testing is not loaded");
    const kit = await testing.createAppleTestKit({ bundleId, environment: "Sandbox" });
    const verifier = lib.createAppleVerifier({
      bundleId,
      environment: "Sandbox",
      rootCertificates: [kit.rootCertificatePem],
    });
    kitSigned = await kit.signNotification({
      notification: { notificationType: "DID_RENEW", subtype: undefined },
      transaction: { transactionReason: "RENEWAL" },
    });
    const { notificationType, data } = await verifier.verifyNotification(kitSigned);
    expect(notificationType === "DID_RENEW", `notificationType ${String(notificationType)}`);
    const transaction = await verifier.verifyTransaction(data.signedTransactionInfo);
    const renewalInfo = await verifier.verifyRenewalInfo(data.signedRenewalInfo);
    expect(
      transaction.transactionReason === "RENEWAL" &&
        transaction.bundleId === bundleId &&
        renewalInfo.originalTransactionId === transaction.originalTransactionId,
      "the transaction or renewal info is not the one signed",
    );
  });
  await check(results, OTHER_CHECKS[3], async () => {
    expect(kitSigned !== undefined, "the kit signed nothing");
    let error;
    try {
      await lib
        .createAppleVerifier({ bundleId, environment: "Sandbox" })
        .verifyNotification(kitSigned);
    } catch (caught) {
      error = caught;
    }
    expect(lib.isAscTokenError(error), `not refused with an AscTokenError: ${String(error)}`);
    expect(/^CHAIN_/.test(error.code), `code ${String(error.code)}, expected a CHAIN_ code`);
    return { code: error.code };
  });

  for (const testCase of TOKEN_CASES) {
    await check(results, `token: ${testCase.name}`, async () => {
      const set = fixtures[testCase.key];
      const token = await lib.createAscToken({
        keyId: set.keyId,
        ...(!testCase.individual && { issuerId: fixtures.issuerId }),
        privateKey: await privateKeyFor(lib, testCase, set),
        ...(testCase.clock !== "system" && { now: fixedNow }),
        ...testCase.options,
      });
      expect(
        typeof token === "string" && token.split(".").length === 3,
        "did not return a compact JWS",
      );
      tokens.push({ name: testCase.name, token });
    });
  }

  for (const testCase of REJECT_CASES) {
    await check(results, `reject: ${testCase.name}`, async () => {
      const privateKey = testCase.cryptoKey
        ? await privateKeyFor(lib, testCase, fixtures.team)
        : (fixtures.reject[testCase.privateKey] ?? fixtures.team.text.applePem);
      let error;
      try {
        await lib.createAscToken({
          keyId: fixtures.team.keyId,
          issuerId: fixtures.issuerId,
          privateKey,
          now: fixedNow,
          ...testCase.options,
        });
      } catch (caught) {
        error = caught;
      }
      expect(error !== undefined, "was accepted");
      expect(
        lib.isAscTokenError(error),
        `threw something other than an AscTokenError: ${String(error)}`,
      );
      expect(error instanceof lib.AscTokenError, "is not an instance of the build's AscTokenError");
      expect(error.code === testCase.code, `code ${String(error.code)}, expected ${testCase.code}`);
      const secret =
        typeof privateKey === "string"
          ? privateKey.replace(/-----[^-]+-----|\s/g, "").slice(20, 60)
          : "";
      expect(secret === "" || !error.message.includes(secret), "the message echoes key material");
      return { code: error.code };
    });
  }

  // One verifier for all cases: the second valid notification takes the kept chain.
  const verifiers = {
    test: lib.createAppleVerifier({
      rootCertificates: [fixtures.verify.root],
      bundleId: fixtures.verify.bundleId,
      environment: "Sandbox",
    }),
    apple: lib.createAppleVerifier({ bundleId: fixtures.verify.bundleId, environment: "Sandbox" }),
  };
  for (const testCase of VERIFY_CASES) {
    await check(results, `verify: ${testCase.name}`, async () => {
      const signed = fixtures.verify.signed[testCase.signed];
      let error;
      let payload;
      try {
        payload = await verifiers[testCase.roots].verifyNotification(signed);
      } catch (caught) {
        error = caught;
      }
      if (testCase.code === undefined) {
        expect(error === undefined, `refused: ${String(error?.code ?? error)}`);
        const expected = fixtures.verify.payloads[testCase.signed];
        expect(
          JSON.stringify(payload) === JSON.stringify(expected),
          "the payload is not the one signed",
        );
        return {};
      }
      expect(error !== undefined, "was accepted");
      expect(
        lib.isAscTokenError(error),
        `threw something other than an AscTokenError: ${String(error)}`,
      );
      expect(error.code === testCase.code, `code ${String(error.code)}, expected ${testCase.code}`);
      expect(!error.message.includes(signed.slice(0, 40)), "the message echoes the signed data");
      return { code: error.code };
    });
  }
  await runSiwa(lib, fixtures.siwa, results);
  for (const testCase of OAUTH_CASES) {
    await check(results, `oauth: ${testCase.name}`, () => oauthCase(lib, fixtures, testCase));
  }
  return { results, tokens };
}

/** A JSON text of `value` with its top-level names sorted, to compare objects in any order. */
const sorted = (value) => JSON.stringify(value, Object.keys(value).sort());

/** What each oauth case sends, and the form Apple must receive, field by field, in order. */
const OAUTH = {
  exchange: {
    url: "https://appleid.apple.com/auth/token",
    call: (lib, client) =>
      lib.exchangeSignInWithAppleCode({
        ...client,
        code: "c0.0.code",
        redirectUri: "https://example.com/cb",
      }),
    form: "client_id=com.example.web&client_secret=secret.jwt&code=c0.0.code&grant_type=authorization_code&redirect_uri=https%3A%2F%2Fexample.com%2Fcb",
  },
  refresh: {
    url: "https://appleid.apple.com/auth/token",
    call: (lib, client) =>
      lib.refreshSignInWithAppleToken({ ...client, refreshToken: "r0.0.refresh" }),
    form: "client_id=com.example.web&client_secret=secret.jwt&grant_type=refresh_token&refresh_token=r0.0.refresh",
  },
  revoke: {
    url: "https://appleid.apple.com/auth/revoke",
    call: (lib, client) =>
      lib.revokeSignInWithAppleToken({
        ...client,
        token: "r0.0.refresh",
        tokenTypeHint: "refresh_token",
      }),
    form: "client_id=com.example.web&client_secret=secret.jwt&token=r0.0.refresh&token_type_hint=refresh_token",
  },
};

async function runSiwa(lib, siwa, results) {
  const now = Date.UTC(2026, 0, 1, 0, 0, 0, 250);
  const answers = {
    fetch: () => new globalThis.Response(JSON.stringify(siwa.jwks)),
    garbage: () => new globalThis.Response("<html>"),
    down: () => new globalThis.Response("", { status: 503 }),
  };
  for (const testCase of SIWA_CASES) {
    await check(results, `siwa: ${testCase.name}`, async () => {
      let error;
      let value;
      try {
        if (testCase.oauth) {
          const spec = OAUTH[testCase.oauth];
          const fetchImpl = async (input, init) => {
            expect(String(input) === spec.url, `posted to ${String(input)}`);
            expect(init.method === "POST", "not a POST");
            expect(
              new globalThis.Headers(init.headers).get("content-type") ===
                "application/x-www-form-urlencoded",
              "not form-encoded",
            );
            expect(init.body === spec.form, `sent the form ${String(init.body)}`);
            if (testCase.error) {
              return new globalThis.Response(JSON.stringify({ error: testCase.error }), {
                status: 400,
              });
            }
            return new globalThis.Response(
              testCase.oauth === "revoke"
                ? ""
                : JSON.stringify({ access_token: "a", token_type: "Bearer", expires_in: 3600 }),
            );
          };
          const client = {
            clientId: "com.example.web",
            clientSecret: () => "secret.jwt",
            fetchImpl,
          };
          value = await spec.call(lib, client);
          if (!testCase.code) {
            expect(
              testCase.oauth === "revoke" ? value === undefined : value.access_token === "a",
              `resolved to ${JSON.stringify(value)}`,
            );
          }
        } else {
          const verifier = lib.createSignInWithAppleVerifier({
            clientId: siwa.clientId,
            now: () => now,
            ...(testCase.keys === "pinned"
              ? { keys: siwa.jwks }
              : { fetchImpl: () => Promise.resolve(answers[testCase.keys]()) }),
          });
          const signed = siwa.signed[testCase.signed];
          value =
            testCase.signed === "notification"
              ? await verifier.verifyNotification(signed)
              : await verifier.verifyIdToken(signed, { nonce: "n-0123" });
          if (!testCase.code) {
            const expected = siwa.expected[testCase.signed];
            expect(sorted(value) === sorted(expected), `got ${JSON.stringify(value)}`);
            if (testCase.signed === "notification") {
              expect(sorted(value.events) === sorted(expected.events), "events not parsed");
            }
          }
        }
      } catch (caught) {
        error = caught;
      }
      if (!testCase.code) {
        expect(error === undefined, `refused: ${String(error?.code ?? error?.message ?? error)}`);
        return {};
      }
      expect(error !== undefined, "was accepted");
      expect(
        lib.isAscTokenError(error),
        `threw something other than an AscTokenError: ${String(error)}`,
      );
      expect(error.code === testCase.code, `code ${String(error.code)}, expected ${testCase.code}`);
      return { code: error.code };
    });
  }
}
