// Every parser runs in linear time. Each public function gets 1 MB of adversarial text (runs of
// backslashes, dashes, "=", spaces, quotes, BEGIN lines, nested base64...) in each string it
// reads, and must take no more than 5 times as long as it takes for ten inputs of 100 KB: a
// ratio of 50 for ten times the input, where a quadratic parser shows 100 and more (the backslash
// runs of pem.ts showed thousands). The margin over 10 is for the garbage collector, which
// handles a 1 MB string and a megabyte-long token apart from small ones and, on a busy machine,
// doubles their cost. A ratio, not a wall time, so a slow machine does not fail it. The list of functions is checked against the
// exports of src/index.ts: a new export fails here until it has a row.
import { beforeAll, describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";

const KB100 = 100_000;
const MB = 1_000_000;
const keyId = "2X9R4HXF34";
const teamId = "DEF123GHIJ";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const now = () => Date.UTC(2026, 10, 28, 12, 0, 0);
const verifierOptions = { bundleId: "com.example.app", environment: "Sandbox" } as const;

/** `unit` repeated to exactly `size` characters. */
const fill = (unit: string, size: number): string =>
  unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const b64url = (text: string): string => Buffer.from(text).toString("base64url");

/** Adversarial text of `size` characters, by name. */
const payloads: Record<string, (size: number) => string> = {
  backslashes: (size) => fill("\\", size - 1) + "x",
  "backslash n escapes": (size) => fill("\\\\\\n", size),
  dashes: (size) => fill("-", size),
  equals: (size) => fill("=", size),
  spaces: (size) => fill(" ", size - 1) + "x",
  "an open quote": (size) => '"' + fill("a", size - 1),
  quotes: (size) => fill("\"'`", size),
  "BEGIN lines": (size) => fill("-----BEGIN PRIVATE KEY-----\n", size),
  "one long BEGIN label": (size) => "-----BEGIN " + fill("A ", size - 11),
  "BEGIN and END of other labels": (size) =>
    fill("-----BEGIN A-----\nQUFB\n-----END B-----\n", size),
  "nested base64": (size) => {
    let text = "-----BEGIN PRIVATE KEY-----\n";
    while (text.length < size) text = Buffer.from(text).toString("base64");
    return text.slice(0, size);
  },
  "dots and letters": (size) => fill("a.", size),
  "C1 controls and bidi overrides": (size) => fill("\u009b\u202e\u2066x", size),
  "a JWT with long claims": (size) => {
    const long = fill("\u009bA", size / 3);
    const header = b64url(JSON.stringify({ alg: "ES256", kid: long, typ: long }));
    const claims = b64url(JSON.stringify({ iss: long, aud: long, scope: [long], iat: 1, exp: 2 }));
    return `${header}.${claims}.${fill("A", 86)}`;
  },
};

let signingKey: CryptoKey;
beforeAll(async () => {
  signingKey = await api.importAppleKey(makeP256().applePem);
});

type Call = (text: string) => unknown;
type Slots = Record<string, Call>;

/**
 * A slot for each string the options hold (and for the first entry of each array), filled with
 * the text while everything else stays valid. A slot for `privateKey` too.
 */
const optionSlots = (
  fn: (options: never) => unknown,
  valid: () => Record<string, unknown>,
): Slots => {
  const slots: Slots = {
    privateKey: (text) => fn({ ...valid(), privateKey: text } as never),
  };
  for (const [name, value] of Object.entries(valid())) {
    if (typeof value === "string")
      slots[name] = (text) => fn({ ...valid(), [name]: text } as never);
    if (Array.isArray(value))
      slots[`${name}[0]`] = (text) =>
        fn({ ...valid(), [name]: [text, ...(value as unknown[])] } as never);
  }
  return slots;
};

const ascOptions = () => ({
  keyId,
  issuerId,
  privateKey: signingKey,
  scope: ["GET /v1/apps"],
  audience: "appstoreconnect-v1",
  now,
});
const teamOptions = () => ({ keyId, teamId, privateKey: signingKey, now });
/** The slots of a Team ID kind whose options are teamOptions' and `extra` (copied each call). */
const teamSlots = (fn: (options: never) => unknown, extra: Record<string, unknown>) =>
  optionSlots(fn, () => ({ ...teamOptions(), ...structuredClone(extra) }));
const portalOptions = () => ({
  keyId: "d136aa66-0c3b-4bd4-9892-c20e8db024ab",
  privateKey: signingKey,
  now,
});
const adsOptions = () => ({
  ...portalOptions(),
  clientId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
  teamId: "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577",
});
/** Apple's token endpoint, down: every exchange ends in an error at once. */
const down = () => Promise.resolve(new Response("{}", { status: 503 }));

/** Every export of src/index.ts: its slots, or why it reads no text. */
const table: Record<keyof typeof api, Slots | string> = {
  createAscToken: optionSlots(api.createAscToken, ascOptions),
  importAppleKey: { privateKey: (text) => api.importAppleKey(text) },
  AscTokenError: { message: (text) => new api.AscTokenError("INVALID_OPTIONS", text) },
  isAscTokenError: { value: (text) => api.isAscTokenError(text) },
  createTokenProvider: optionSlots(
    (options) => api.createTokenProvider(api.createAscToken, options).getToken(),
    ascOptions,
  ),
  createAscTokenProvider: optionSlots(
    (options) => api.createAscTokenProvider(options).getToken(),
    ascOptions,
  ),
  DEFAULT_REFRESH_BEFORE: "a number",
  createAuthorizedFetch: {
    input: (text) =>
      api.createAuthorizedFetch(
        {
          getToken: () => Promise.resolve("t"),
          getTokenInfo: never,
          invalidate: () => undefined,
          authorization: never,
        },
        () => Promise.resolve(new Response(text, { status: 401 })),
      )(text, { headers: { "X-Text": text.replace(/[^\x20-\x7e]/g, "") } }),
  },
  decodeToken: { token: (text) => api.decodeToken(text) },
  checkAscToken: { token: (text) => api.checkAscToken(text, { now }) },
  createAppStoreServerToken: optionSlots(api.createAppStoreServerToken, () => ({
    keyId,
    issuerId,
    bundleId: "com.example.app",
    privateKey: signingKey,
    now,
  })),
  createInAppSignature: {
    ...optionSlots(api.createInAppSignature, () => ({
      keyId,
      issuerId,
      bundleId: "com.example.app",
      audience: "promotional-offer",
      nonce: "b2c9e2b4-7d1a-4d3e-9f3b-0c6a3f2d1e5a",
      privateKey: signingKey,
      now,
    })),
    "a claim's value": (text) => inApp({ productId: text, nested: [[[{ text }]]] }),
    "a claim's name": (text) => inApp({ [text]: 1 }),
  },
  createApnsToken: optionSlots(api.createApnsToken, teamOptions),
  createApnsTokenProvider: {
    ...optionSlots((options) => api.createApnsTokenProvider(options).getToken(), teamOptions),
    "handleResponse's token": (text) =>
      api.createApnsTokenProvider(teamOptions()).handleResponse(text, 403, text),
  },
  TOKEN_KINDS: "data: the list of kinds; reads no text",
  createSignInWithAppleSecret: teamSlots(api.createSignInWithAppleSecret, {
    clientId: "com.example.web",
  }),
  createMusicKitToken: teamSlots(api.createMusicKitToken, { origin: ["https://example.com"] }),
  createWeatherKitToken: teamSlots(api.createWeatherKitToken, { serviceId: "com.example.weather" }),
  createMapKitToken: teamSlots(api.createMapKitToken, {
    origin: ["https://example.com"],
    scope: ["server_api"],
  }),
  createDeviceCheckToken: optionSlots(api.createDeviceCheckToken, teamOptions),
  createPromotionalOfferSignature: optionSlots(api.createPromotionalOfferSignature, () => ({
    keyId,
    privateKey: signingKey,
    bundleId: "com.example.app",
    productId: "com.example.monthly",
    offerIdentifier: "WINBACK50",
    nonce: "b2c9e2b4-7d1a-4d3e-9f3b-0c6a3f2d1e5a",
    now,
  })),
  toPromotionalOfferSignatureV1: {
    signature: (text) =>
      api.toPromotionalOfferSignatureV1({
        keyIdentifier: keyId,
        nonce: "b2c9e2b4-7d1a-4d3e-9f3b-0c6a3f2d1e5a",
        timestamp: 0,
        signature: text,
        productId: text,
        offerIdentifier: text,
      }),
  },
  createMapsAccessTokenProvider: optionSlots(
    (options) =>
      api
        .createMapsAccessTokenProvider({
          ...(options as object),
          fetchImpl: () => Promise.resolve(new Response("{}", { status: 500 })),
        } as never)
        .getToken(),
    () => ({ ...teamOptions(), scope: ["server_api"] }),
  ),
  // Each method of one verifier, on the same text.
  createAppleVerifier: Object.fromEntries(
    (
      [
        "verify",
        "verifyNotification",
        "verifyTransaction",
        "verifyRenewalInfo",
        "verifyAppTransaction",
        "verifyRealtimeRequest",
      ] as const
    ).map((method) => [
      method,
      (text: string) => api.createAppleVerifier(verifierOptions)[method](text),
    ]),
  ),
  createAppleBusinessManagerAssertion: optionSlots(api.createAppleBusinessManagerAssertion, () => ({
    ...portalOptions(),
    clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
  })),
  createAppleAdsClientSecret: optionSlots(api.createAppleAdsClientSecret, adsOptions),
  createAppleBusinessManagerTokenProvider: optionSlots(
    (options) =>
      api
        .createAppleBusinessManagerTokenProvider({
          ...(options as object),
          fetchImpl: down,
        } as never)
        .getToken(),
    () => ({
      ...portalOptions(),
      clientId: "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152",
      scope: "business.api",
    }),
  ),
  createAppleAdsTokenProvider: optionSlots(
    (options) =>
      api
        .createAppleAdsTokenProvider({ ...(options as object), fetchImpl: down } as never)
        .getToken(),
    adsOptions,
  ),
  APPLE_ROOT_CA_G3: "a constant",
  signatureFromDer: { der: (text) => api.signatureFromDer(new TextEncoder().encode(text)) },
  signerKey: {
    signature: (text) =>
      api.createAscToken({
        keyId,
        issuerId,
        privateKey: api.signerKey({ sign: () => Promise.resolve(new TextEncoder().encode(text)) }),
      }),
  },
  signatureToDer: { raw: (text) => api.signatureToDer(new TextEncoder().encode(text)) },
  createMemoryStore: { key: (text) => api.createMemoryStore().get(text) },
  createSignInWithAppleVerifier: {
    idToken: (text) => siwa(() => new Response("{}")).verifyIdToken(text),
    nonce: (text) => siwa(() => new Response("{}")).verifyIdToken(SIWA_TOKEN, { nonce: text }),
    "notification body": (text) => siwa(() => new Response("{}")).verifyNotification(text),
    "the key set's answer": (text) => siwa(() => new Response(text)).verifyIdToken(SIWA_TOKEN),
  },
  exchangeSignInWithAppleCode: {
    ...optionSlots(
      (options) =>
        api.exchangeSignInWithAppleCode({
          ...(options as object),
          fetchImpl: () => Promise.resolve(new Response("{}", { status: 500 })),
        } as never),
      () => ({ clientId: "com.example.web", clientSecret: "secret", code: "c" }),
    ),
    "Apple's answer": (text) =>
      api.exchangeSignInWithAppleCode({
        clientId: "com.example.web",
        clientSecret: "secret",
        code: "c",
        fetchImpl: () => Promise.resolve(new Response(text, { status: 400 })),
      }),
  },
  refreshSignInWithAppleToken: {
    "Apple's answer": (text) =>
      api.refreshSignInWithAppleToken({
        clientId: "com.example.web",
        clientSecret: () => text,
        refreshToken: text,
        fetchImpl: () => Promise.resolve(new Response(text)),
      }),
  },
  revokeSignInWithAppleToken: {
    token: (text) =>
      api.revokeSignInWithAppleToken({
        clientId: "com.example.web",
        clientSecret: "secret",
        token: text,
        fetchImpl: () => Promise.resolve(new Response(text, { status: 400 })),
      }),
  },
  redisStore: "wraps the caller's client; reads no text itself",
  workersKvStore: "wraps the caller's namespace; reads no text itself",
  durableObjectStore: "wraps the caller's storage; reads no text itself",
};

/** A verifier whose key set is what `answer` returns. */
const siwa = (answer: () => Response) =>
  api.createSignInWithAppleVerifier({
    clientId: "com.example.app",
    fetchImpl: () => Promise.resolve(answer()),
  });
/** A token of the right shape whose key is looked up, signature nonsense. */
const SIWA_TOKEN = [
  b64url(JSON.stringify({ alg: "RS256", kid: "k" })),
  b64url(JSON.stringify({ iss: "https://appleid.apple.com", aud: "com.example.app" })),
  "AAAA",
].join(".");
function never(): never {
  throw new Error("not called");
}

const inApp = (claims: Record<string, unknown>) =>
  api.createInAppSignature({
    keyId,
    issuerId,
    bundleId: "com.example.app",
    audience: "promotional-offer",
    privateKey: signingKey,
    now,
    claims,
  });

/** Milliseconds `calls` runs take, errors and rejections included. */
const timed = async (calls: (() => unknown)[]): Promise<number> => {
  const started = performance.now();
  for (const call of calls) {
    try {
      await call();
    } catch {
      // Refusing the input is fine; only the time counts.
    }
  }
  return performance.now() - started;
};
const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const cases = Object.entries(table).flatMap(([fn, slots]) =>
  typeof slots === "string"
    ? []
    : Object.entries(slots).flatMap(([slot, call]) =>
        Object.keys(payloads).map(
          (payload) => [`${fn} ${slot}: ${payload}`, call, payload] as const,
        ),
      ),
);

describe("linear time on 1 MB of adversarial text", () => {
  it("covers every export of src/index.ts", () => {
    expect(Object.keys(table).sort()).toStrictEqual(Object.keys(api).sort());
    expect(cases.length).toBeGreaterThan(300);
  });

  const texts = new Map<string, { small: string[]; big: string }>();
  const textsOf = (payload: string) => {
    let entry = texts.get(payload);
    if (!entry) {
      const make = payloads[payload] ?? never;
      // Ten different texts (the last character differs), so that no cache answers a repeat.
      const small = Array.from({ length: 10 }, (_, i) => make(KB100 - 1) + "ABCDEFGHIJ".charAt(i));
      texts.set(payload, (entry = { small, big: make(MB - 1) + "K" }));
    }
    return entry;
  };

  it.each(cases)("%s", async (_, call, payload) => {
    const { small, big } = textsOf(payload);
    await timed(small.slice(0, 2).map((text) => () => call(text))); // warm up
    const smallRuns: number[] = [];
    const bigRuns: number[] = [];
    for (let run = 0; run < 3; run++) {
      smallRuns.push(await timed(small.map((text) => () => call(text))));
      bigRuns.push(await timed([() => call(big)]));
    }
    // One 1 MB input against ten of 100 KB: the same amount of text, so linear work gives 10 and
    // quadratic work 100. The fastest of the runs: a shared machine only ever adds time. Ten
    // small inputs that take under 5 ms count as 5 ms: below that, a pause of a few ms in the
    // 1 MB run is noise, and quadratic work on 100 KB takes far longer than that.
    const fastest = (runs: number[]) => Math.min(...runs);
    const ratio = (10 * fastest(bigRuns)) / Math.max(fastest(smallRuns), 5);
    expect(ratio, `1 MB took ${median(bigRuns).toFixed(1)} ms`).toBeLessThanOrEqual(50);
  });
});
