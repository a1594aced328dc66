// Sign in with Apple: identity tokens and server-to-server notifications verified against a key
// set that a local HTTP server serves as https://appleid.apple.com/auth/keys would (no test
// reaches the internet). The tokens come from the test kit; jose, which we did not write, checks
// that the kit signs as Apple does, and node:crypto forges the alg-confusion tokens.
import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign as nodeSign,
} from "node:crypto";
import { type Server, createServer } from "node:http";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AscTokenErrorCode,
  type SignInWithAppleVerifierOptions,
  createSignInWithAppleVerifier,
} from "../../src/index.js";
import {
  type SignInWithAppleTestKit,
  createSignInWithAppleTestKit,
} from "../../src/testing/sign-in-with-apple.js";
import { refusal } from "../helpers/codes.js";
import { listen, replyJson } from "../helpers/server.js";

const clientId = "com.example.app";
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const nowS = NOW / 1000;

/** What the local server answers GET /auth/keys with, set per test. */
let answer: (respond: (status: number, body: string, delayMs?: number) => void) => void;
let requests = 0;
let server: Server;
let keysUrl: string;
let kit: SignInWithAppleTestKit;

beforeAll(async () => {
  kit = await createSignInWithAppleTestKit({ clientId, keys: 3, now: () => NOW });
  server = createServer((request, response) => {
    requests++;
    if (request.url !== "/auth/keys" || request.method !== "GET") {
      response.writeHead(404).end();
      return;
    }
    answer(replyJson(response));
  });
  keysUrl = `${await listen(server)}/auth/keys`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Serves the kit's current key set. */
const serveKit = () => {
  answer = (respond) => {
    respond(200, JSON.stringify(kit.jwks()));
  };
};

const verifier = (options: Partial<SignInWithAppleVerifierOptions> = {}) =>
  createSignInWithAppleVerifier({ clientId, jwksUrl: keysUrl, now: () => NOW, ...options });

describe("the test kit signs as Apple does", () => {
  it("jose verifies its identity tokens with its key set, RS256, by kid", async () => {
    const token = await kit.signIdToken({}, { kid: kit.kids()[0] });
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(kit.jwks()), {
      issuer: "https://appleid.apple.com",
      audience: clientId,
      algorithms: ["RS256"],
      currentDate: new Date(NOW),
    });
    expect(protectedHeader).toStrictEqual({ kid: kit.kids()[0], alg: "RS256" });
    expect(payload.email_verified).toBe("true");
  });

  it("its key set is shaped like Apple's: kty, kid, use, alg, n, e", () => {
    for (const jwk of kit.jwks().keys) {
      expect(Object.keys(jwk)).toStrictEqual(["kty", "kid", "use", "alg", "n", "e"]);
      expect(jwk).toMatchObject({ kty: "RSA", use: "sig", alg: "RS256", e: "AQAB" });
    }
  });
});

describe("verifyIdToken", () => {
  it("verifies a token and normalises the string flags to booleans", async () => {
    serveKit();
    const user = await verifier().verifyIdToken(
      await kit.signIdToken({ is_private_email: false, transfer_sub: "001.old.0001" }),
    );
    expect(user).toStrictEqual({
      iss: "https://appleid.apple.com",
      aud: clientId,
      exp: nowS + 600,
      iat: nowS,
      sub: "001234.0123456789abcdef0123456789abcdef.0123",
      email: "user@privaterelay.appleid.com",
      email_verified: true,
      is_private_email: false,
      auth_time: nowS,
      nonce_supported: true,
      real_user_status: 2,
      transfer_sub: "001.old.0001",
    });
  });

  it("chooses the key by kid, never by position: every key of the set verifies its tokens", async () => {
    serveKit();
    const apple = verifier();
    for (const kid of kit.kids()) {
      await expect(apple.verifyIdToken(await kit.signIdToken({}, { kid }))).resolves.toMatchObject({
        aud: clientId,
      });
    }
  });

  it("refuses a token whose kid names another key of the set than the one that signed", async () => {
    serveKit();
    const [first, second] = kit.kids();
    const token = await kit.signIdToken({}, { kid: first, header: { kid: second } });
    await refusal(verifier().verifyIdToken(token), "SIWA_SIGNATURE_INVALID");
  });

  it("accepts a list of client IDs, and refuses a token for another", async () => {
    serveKit();
    const token = await kit.signIdToken({ aud: "com.example.web" });
    await expect(
      verifier({ clientId: [clientId, "com.example.web"] }).verifyIdToken(token),
    ).resolves.toMatchObject({ aud: "com.example.web" });
    await refusal(verifier().verifyIdToken(token), "SIWA_AUDIENCE_MISMATCH");
  });

  it.each([
    ["iss another issuer", { iss: "https://appleid.apple.com/" }, "SIWA_CLAIM_INVALID"],
    ["iss missing", { iss: undefined }, "SIWA_CLAIM_INVALID"],
    ["aud missing", { aud: undefined }, "SIWA_AUDIENCE_MISMATCH"],
    ["aud an array", { aud: [clientId] }, "SIWA_AUDIENCE_MISMATCH"],
    ["exp passed beyond the tolerance", { exp: nowS - 60 }, "SIWA_TOKEN_EXPIRED"],
    ["exp a string", { exp: String(nowS + 600) }, "SIWA_CLAIM_INVALID"],
    ["exp missing", { exp: undefined }, "SIWA_CLAIM_INVALID"],
    ["iat beyond the tolerance ahead", { iat: nowS + 61 }, "SIWA_CLAIM_INVALID"],
    ["iat missing", { iat: undefined }, "SIWA_CLAIM_INVALID"],
    ["sub missing", { sub: undefined }, "SIWA_CLAIM_INVALID"],
    ["sub empty", { sub: "" }, "SIWA_CLAIM_INVALID"],
    ["email_verified yes", { email_verified: "yes" }, "SIWA_CLAIM_INVALID"],
    ["is_private_email 1", { is_private_email: 1 }, "SIWA_CLAIM_INVALID"],
    ["email a number", { email: 1 }, "SIWA_CLAIM_INVALID"],
    ["real_user_status a string", { real_user_status: "2" }, "SIWA_CLAIM_INVALID"],
    ["auth_time a string", { auth_time: "now" }, "SIWA_CLAIM_INVALID"],
    ["transfer_sub a number", { transfer_sub: 1 }, "SIWA_CLAIM_INVALID"],
  ] as const)("%s → %s", async (_, claims, code) => {
    serveKit();
    await refusal(verifier().verifyIdToken(await kit.signIdToken(claims)), code);
  });

  it("allows clockTolerance of skew on exp and iat, and none with 0", async () => {
    serveKit();
    const late = await kit.signIdToken({ exp: nowS - 59, iat: nowS + 60 });
    await expect(verifier().verifyIdToken(late)).resolves.toMatchObject({ exp: nowS - 59 });
    await refusal(verifier({ clockTolerance: 0 }).verifyIdToken(late), "SIWA_TOKEN_EXPIRED");
    const atExp = await kit.signIdToken({ exp: nowS });
    await refusal(verifier({ clockTolerance: 0 }).verifyIdToken(atExp), "SIWA_TOKEN_EXPIRED");
  });

  it("checks the nonce when one is given, exactly", async () => {
    serveKit();
    const apple = verifier();
    const token = await kit.signIdToken({ nonce: "n-0123" });
    await expect(apple.verifyIdToken(token, { nonce: "n-0123" })).resolves.toMatchObject({
      nonce: "n-0123",
    });
    await expect(apple.verifyIdToken(token)).resolves.toMatchObject({ nonce: "n-0123" });
    await refusal(apple.verifyIdToken(token, { nonce: "n-0124" }), "SIWA_NONCE_MISMATCH");
    await refusal(
      apple.verifyIdToken(await kit.signIdToken(), { nonce: "n-0123" }),
      "SIWA_NONCE_MISMATCH",
    );
    await refusal(apple.verifyIdToken(token, { nonce: "" }), "INVALID_OPTIONS");
    await refusal(apple.verifyIdToken(token, { nonse: "n" } as never), "UNKNOWN_OPTION");
  });

  it("refuses a tampered payload", async () => {
    serveKit();
    const [head, , seal] = (await kit.signIdToken()).split(".");
    const forged = Buffer.from(JSON.stringify({ iss: "https://appleid.apple.com" })).toString(
      "base64url",
    );
    await refusal(verifier().verifyIdToken(`${head}.${forged}.${seal}`), "SIWA_SIGNATURE_INVALID");
  });

  it.each([
    ["not a string", 42],
    ["two parts", "a.b"],
    ["a part not base64url", "a+b.c.d"],
    ["a header that is not JSON", `${Buffer.from("{").toString("base64url")}.e30.AA`],
    ["a header that is an array", `${Buffer.from("[]").toString("base64url")}.e30.AA`],
    ["over 16,384 characters", `eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.${"e".repeat(16_400)}.AA`],
  ])("a token %s → SIWA_TOKEN_MALFORMED", async (_, token) => {
    await refusal(verifier().verifyIdToken(token as string), "SIWA_TOKEN_MALFORMED");
  });
});

describe("alg confusion: RS256 only", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const claims = () => ({
    iss: "https://appleid.apple.com",
    aud: clientId,
    sub: "001.a.1",
    iat: nowS,
    exp: nowS + 600,
  });

  it("refuses HS256 with the RSA public key (its modulus, its JWK, its PEM) as the secret", async () => {
    serveKit();
    const jwk = kit.jwks().keys[0]!;
    const kid = (jwk as { kid?: string }).kid;
    const input = `${b64({ alg: "HS256", kid })}.${b64(claims())}`;
    const pem = createPublicKey({ key: jwk as never, format: "jwk" }).export({
      type: "spki",
      format: "pem",
    });
    for (const secret of [Buffer.from(jwk.n!, "base64url"), JSON.stringify(jwk), pem]) {
      const mac = createHmac("sha256", secret).update(input).digest("base64url");
      await refusal(verifier().verifyIdToken(`${input}.${mac}`), "SIWA_TOKEN_HEADER_INVALID");
    }
  });

  it("refuses alg none, with or without a signature", async () => {
    const input = `${b64({ alg: "none", kid: kit.kids()[0] })}.${b64(claims())}`;
    await refusal(verifier().verifyIdToken(`${input}.`), "SIWA_TOKEN_HEADER_INVALID");
    await refusal(verifier().verifyIdToken(`${input}.AAAA`), "SIWA_TOKEN_HEADER_INVALID");
  });

  it("refuses ES256 naming an RSA key of the set", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const input = `${b64({ alg: "ES256", kid: kit.kids()[0] })}.${b64(claims())}`;
    const signature = nodeSign("sha256", Buffer.from(input), {
      key: privateKey,
      dsaEncoding: "ieee-p1363",
    }).toString("base64url");
    await refusal(verifier().verifyIdToken(`${input}.${signature}`), "SIWA_TOKEN_HEADER_INVALID");
  });

  it("refuses RS256 signed by an RSA key not in Apple's set, under a kid of the set", async () => {
    serveKit();
    const stranger = await createSignInWithAppleTestKit({ clientId, keys: 1, now: () => NOW });
    const token = await stranger.signIdToken({}, { header: { kid: kit.kids()[0] } });
    await refusal(verifier().verifyIdToken(token), "SIWA_SIGNATURE_INVALID");
  });

  it.each(["jwk", "jku", "x5u", "x5c", "crit"])(
    "refuses a header with %s, whatever it names",
    async (name) => {
      serveKit();
      const token = await kit.signIdToken({}, { header: { [name]: "https://evil.example" } });
      await refusal(verifier().verifyIdToken(token), "SIWA_TOKEN_HEADER_INVALID");
    },
  );

  it("refuses a header without a kid", async () => {
    const token = await kit.signIdToken({}, { header: { kid: undefined } });
    await refusal(verifier().verifyIdToken(token), "SIWA_TOKEN_HEADER_INVALID");
  });
});

describe("the key set: cache, rotation, failures", () => {
  it("fetches once for many tokens, and once for concurrent first calls", async () => {
    serveKit();
    const apple = verifier();
    const tokens = await Promise.all(kit.kids().map((kid) => kit.signIdToken({}, { kid })));
    const before = requests;
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => apple.verifyIdToken(tokens[i % tokens.length]!)),
    );
    await apple.verifyIdToken(tokens[0]!);
    expect(requests - before).toBe(1);
  });

  it("after a rotation, a new kid refetches once (concurrent callers share it); the old kid is gone", async () => {
    const rotating = await createSignInWithAppleTestKit({ clientId, keys: 2, now: () => NOW });
    answer = (respond) => {
      respond(200, JSON.stringify(rotating.jwks()));
    };
    let clock = NOW;
    const apple = verifier({ now: () => clock });
    const oldKid = rotating.kids()[0]!;
    const old = await rotating.signIdToken({}, { kid: oldKid });
    await apple.verifyIdToken(old);
    const newKid = await rotating.rotate();
    expect(rotating.kids()).not.toContain(oldKid);
    const fresh = await rotating.signIdToken({}, { kid: newKid });
    clock += 60_000; // the set was fetched a refetchInterval ago
    const before = requests;
    await Promise.all(Array.from({ length: 20 }, () => apple.verifyIdToken(fresh)));
    expect(requests - before).toBe(1);
    // The refetched set no longer holds the old key.
    await refusal(apple.verifyIdToken(old), "SIWA_KEY_NOT_FOUND");
    expect(requests - before).toBe(1);
  });

  it("an unknown kid refetches at most once per refetchInterval", async () => {
    serveKit();
    let clock = NOW;
    const apple = verifier({ now: () => clock, refetchInterval: 60 });
    await apple.verifyIdToken(await kit.signIdToken());
    const stranger = await kit.signIdToken({}, { header: { kid: "NotAppleKey" } });
    const before = requests;
    await refusal(apple.verifyIdToken(stranger), "SIWA_KEY_NOT_FOUND");
    expect(requests - before).toBe(0); // fetched just now: no refetch within the interval
    clock += 60_000;
    for (let i = 0; i < 10; i++) await refusal(apple.verifyIdToken(stranger), "SIWA_KEY_NOT_FOUND");
    expect(requests - before).toBe(1);
  });

  it("a kid holding a token or steering a terminal is measured in the message, not quoted", async () => {
    serveKit();
    const apple = verifier();
    const secret = randomBytes(32).toString("base64url");
    for (const kid of [secret, "\u202eyek\u001b[2J"]) {
      const token = await kit.signIdToken({}, { header: { kid } });
      const error = await refusal(apple.verifyIdToken(token), "SIWA_KEY_NOT_FOUND");
      expect(error.message).toContain(`key a string of ${kid.length} characters`);
      expect(error.message).not.toContain(kid.slice(0, 3));
    }
  });

  it("refetches the set once cacheMaxAge has passed", async () => {
    serveKit();
    let clock = NOW;
    const apple = verifier({ now: () => clock, cacheMaxAge: 600, clockTolerance: 300 });
    const token = await kit.signIdToken({ exp: nowS + 3600 });
    const before = requests;
    await apple.verifyIdToken(token);
    clock += 599_000;
    await apple.verifyIdToken(token);
    expect(requests - before).toBe(1);
    clock += 1000;
    await apple.verifyIdToken(token);
    expect(requests - before).toBe(2);
  });

  it("a slow key set fails with SIWA_KEYS_UNAVAILABLE after timeout, not later", async () => {
    answer = (respond) => {
      respond(200, JSON.stringify(kit.jwks()), 3000);
    };
    const started = performance.now();
    await refusal(
      verifier({ timeout: 200 }).verifyIdToken(await kit.signIdToken()),
      "SIWA_KEYS_UNAVAILABLE",
    );
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("a fetch that ignores the abort signal is not waited for", async () => {
    const hung = () => new Promise<Response>(() => undefined);
    const started = performance.now();
    await refusal(
      createSignInWithAppleVerifier({
        clientId,
        fetchImpl: hung,
        timeout: 100,
        now: () => NOW,
      }).verifyIdToken(await kit.signIdToken()),
      "SIWA_KEYS_UNAVAILABLE",
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("a key set that is down fails with SIWA_KEYS_UNAVAILABLE, and the next call tries again", async () => {
    answer = (respond) => {
      respond(503, "");
    };
    const apple = verifier();
    const token = await kit.signIdToken();
    const error = await refusal(apple.verifyIdToken(token), "SIWA_KEYS_UNAVAILABLE");
    expect(error.message).toContain("503");
    serveKit();
    await expect(apple.verifyIdToken(token)).resolves.toMatchObject({ aud: clientId });
  });

  it("a refused connection fails with SIWA_KEYS_UNAVAILABLE", async () => {
    await refusal(
      verifier({ jwksUrl: "http://127.0.0.1:9/auth/keys" }).verifyIdToken(await kit.signIdToken()),
      "SIWA_KEYS_UNAVAILABLE",
    );
  });

  const jwk = () => kit.jwks().keys[0]!;
  it.each([
    ["not JSON", () => "<html>"],
    ["JSON without keys", () => "{}"],
    ["keys not an array", () => '{"keys":{}}'],
    ["no keys", () => '{"keys":[]}'],
    [
      "21 keys",
      () =>
        JSON.stringify({
          keys: Array.from({ length: 21 }, (_, i) => ({ ...jwk(), kid: `k${i}` })),
        }),
    ],
    ["two keys with one kid", () => JSON.stringify({ keys: [jwk(), jwk()] })],
    ["a key without kid", () => JSON.stringify({ keys: [{ ...jwk(), kid: undefined }] })],
    ["a key that is a string", () => JSON.stringify({ keys: ["k"] })],
    [
      "a 1024-bit modulus",
      () => JSON.stringify({ keys: [{ ...jwk(), n: jwk().n!.slice(0, 171) }] }),
    ],
    ["an 8192-bit modulus", () => JSON.stringify({ keys: [{ ...jwk(), n: "w".repeat(1366) }] })],
    ["n not base64url", () => JSON.stringify({ keys: [{ ...jwk(), n: "a+b/" }] })],
    ["an even exponent", () => JSON.stringify({ keys: [{ ...jwk(), e: "AQAA" }] })],
    ["an exponent of 1", () => JSON.stringify({ keys: [{ ...jwk(), e: "AQ" }] })],
    ["over 64 KiB", () => JSON.stringify({ keys: [jwk()], padding: "x".repeat(70_000) })],
  ])("a key set %s → SIWA_KEYS_MALFORMED", async (_, body) => {
    const text = body();
    answer = (respond) => {
      respond(200, text);
    };
    await refusal(verifier().verifyIdToken(await kit.signIdToken()), "SIWA_KEYS_MALFORMED");
  });

  it("an endless answer is cut off at 64 KiB", async () => {
    const endless = () =>
      Promise.resolve(
        new Response(
          new ReadableStream({
            pull: (controller) => {
              controller.enqueue(new Uint8Array(16_384).fill(32));
            },
          }),
        ),
      );
    await refusal(
      createSignInWithAppleVerifier({ clientId, fetchImpl: endless, now: () => NOW }).verifyIdToken(
        await kit.signIdToken(),
      ),
      "SIWA_KEYS_MALFORMED",
    );
  });

  it("a key that is not RS256 is skipped, and a token naming it is told why", async () => {
    const ec = { kty: "EC", kid: "EcKey", crv: "P-256", x: "AA", y: "AA" };
    answer = (respond) => {
      respond(200, JSON.stringify({ keys: [ec, ...kit.jwks().keys] }));
    };
    const apple = verifier();
    await expect(apple.verifyIdToken(await kit.signIdToken())).resolves.toBeDefined();
    const error = await refusal(
      apple.verifyIdToken(await kit.signIdToken({}, { header: { kid: "EcKey" } })),
      "SIWA_KEY_NOT_FOUND",
    );
    expect(error.message).toContain("not an RSA key");
  });

  it("pinned keys are used as they are, and never fetched", async () => {
    const before = requests;
    const apple = createSignInWithAppleVerifier({ clientId, keys: kit.jwks(), now: () => NOW });
    await expect(apple.verifyIdToken(await kit.signIdToken())).resolves.toBeDefined();
    const asText = createSignInWithAppleVerifier({
      clientId,
      keys: JSON.stringify(kit.jwks()),
      now: () => NOW,
    });
    await expect(asText.verifyIdToken(await kit.signIdToken())).resolves.toBeDefined();
    await refusal(
      apple.verifyIdToken(await kit.signIdToken({}, { header: { kid: "Gone" } })),
      "SIWA_KEY_NOT_FOUND",
    );
    expect(requests).toBe(before);
    await refusal(
      createSignInWithAppleVerifier({ clientId, keys: { keys: [] } }).verifyIdToken("a.b.c"),
      "SIWA_TOKEN_MALFORMED",
    );
    await refusal(
      createSignInWithAppleVerifier({ clientId, keys: { keys: [] }, now: () => NOW }).verifyIdToken(
        await kit.signIdToken(),
      ),
      "SIWA_KEYS_MALFORMED",
    );
  });
});

describe("verifyNotification", () => {
  it.each(["consent-revoked", "account-delete"] as const)(
    "reads a %s event from the events JSON string",
    async (type) => {
      serveKit();
      const body = await kit.signNotification({ type });
      const notification = await verifier().verifyNotification(body);
      expect(typeof notification.jti).toBe("string");
      expect(notification).toStrictEqual({
        iss: "https://appleid.apple.com",
        aud: clientId,
        iat: nowS,
        exp: nowS + 86_400,
        jti: notification.jti,
        events: { type, sub: "001234.0123456789abcdef0123456789abcdef.0123", event_time: NOW },
      });
    },
  );

  it.each(["email-disabled", "email-enabled"] as const)(
    "reads a %s event with its email and is_private_email as a boolean",
    async (type) => {
      serveKit();
      const body = await kit.signNotification({
        type,
        email: "x@privaterelay.appleid.com",
        is_private_email: "true",
      });
      const { events } = await verifier().verifyNotification(JSON.parse(body));
      expect(events).toStrictEqual({
        type,
        sub: "001234.0123456789abcdef0123456789abcdef.0123",
        event_time: NOW,
        email: "x@privaterelay.appleid.com",
        is_private_email: true,
      });
    },
  );

  it("narrows by type", async () => {
    serveKit();
    const { events } = await verifier().verifyNotification(
      await kit.signNotification({ type: "email-enabled", email: "a@b.c" }),
    );
    if (events.type === "email-enabled") expect(events.email).toBe("a@b.c");
    else expect.fail("not narrowed");
  });

  it.each([
    ["a body that is not JSON", () => "payload=x", "SIWA_NOTIFICATION_MALFORMED"],
    ["a body without payload", () => "{}", "SIWA_NOTIFICATION_MALFORMED"],
    ["a payload that is a number", () => '{"payload":1}', "SIWA_NOTIFICATION_MALFORMED"],
    ["null", () => null, "SIWA_NOTIFICATION_MALFORMED"],
    [
      "a body over the limit",
      () => JSON.stringify({ payload: "a".repeat(17_000) }),
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    ["a payload that is no JWS", () => '{"payload":"abc"}', "SIWA_TOKEN_MALFORMED"],
  ])("%s → %s", async (_, body, code) => {
    await refusal(verifier().verifyNotification(body()), code as AscTokenErrorCode);
  });

  it.each([
    ["an unknown event type", { type: "account-deleted" }, {}, "SIWA_NOTIFICATION_MALFORMED"],
    [
      "events not JSON",
      { type: "consent-revoked" },
      { events: "{" },
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    [
      "events an array",
      { type: "consent-revoked" },
      { events: "[]" },
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    [
      "events missing",
      { type: "consent-revoked" },
      { events: undefined },
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    [
      "an event without sub",
      { type: "consent-revoked", sub: "" },
      {},
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    [
      "event_time a string",
      { type: "consent-revoked", event_time: "1" as never },
      {},
      "SIWA_NOTIFICATION_MALFORMED",
    ],
    [
      "is_private_email maybe",
      { type: "email-enabled", is_private_email: "maybe" as never },
      {},
      "SIWA_CLAIM_INVALID",
    ],
    [
      "another app's",
      { type: "consent-revoked" },
      { aud: "com.other.app" },
      "SIWA_AUDIENCE_MISMATCH",
    ],
    ["expired", { type: "consent-revoked" }, { exp: nowS - 3600 }, "SIWA_TOKEN_EXPIRED"],
    [
      "another issuer",
      { type: "consent-revoked" },
      { iss: "https://example.com" },
      "SIWA_CLAIM_INVALID",
    ],
    ["jti a number", { type: "consent-revoked" }, { jti: 1 }, "SIWA_CLAIM_INVALID"],
  ] as const)("%s → %s", async (_, event, claims, code) => {
    serveKit();
    const body = await kit.signNotification(event, claims);
    await refusal(verifier().verifyNotification(body), code);
  });

  it("accepts events sent as an object, and a notification without jti", async () => {
    serveKit();
    const events = { type: "consent-revoked", sub: "001.a.1", event_time: NOW };
    const body = await kit.signNotification(
      { type: "consent-revoked" },
      { events, jti: undefined },
    );
    const notification = await verifier().verifyNotification(body);
    expect(notification.events).toStrictEqual(events);
    expect(notification).not.toHaveProperty("jti");
  });

  it("refuses a forged payload", async () => {
    serveKit();
    const stranger = await createSignInWithAppleTestKit({ clientId, keys: 1, now: () => NOW });
    const body = await stranger.signNotification(
      { type: "account-delete" },
      {},
      { header: { kid: kit.kids()[0] } },
    );
    await refusal(verifier().verifyNotification(body), "SIWA_SIGNATURE_INVALID");
  });
});

describe("createSignInWithAppleVerifier's options", () => {
  it.each([
    ["not an object", null, "INVALID_OPTIONS"],
    ["a typo", { clientId, clientID: clientId }, "UNKNOWN_OPTION"],
    ["clientId missing", {}, "INVALID_CLIENT_ID"],
    ["clientId an empty list", { clientId: [] }, "INVALID_CLIENT_ID"],
    ["clientId a URL", { clientId: "https://example.com" }, "INVALID_CLIENT_ID"],
    ["keys with fetchImpl", { clientId, keys: { keys: [] }, fetchImpl: fetch }, "INVALID_OPTIONS"],
    [
      "keys with jwksUrl",
      { clientId, keys: { keys: [] }, jwksUrl: "https://a.b" },
      "INVALID_OPTIONS",
    ],
    ["jwksUrl not a URL", { clientId, jwksUrl: "appleid.apple.com" }, "INVALID_OPTIONS"],
    ["fetchImpl not a function", { clientId, fetchImpl: "fetch" }, "INVALID_OPTIONS"],
    ["timeout 0", { clientId, timeout: 0 }, "INVALID_OPTIONS"],
    ["timeout over a minute", { clientId, timeout: 60_001 }, "INVALID_OPTIONS"],
    ["cacheMaxAge over a day", { clientId, cacheMaxAge: 86_401 }, "INVALID_OPTIONS"],
    ["refetchInterval 0.5", { clientId, refetchInterval: 0.5 }, "INVALID_OPTIONS"],
    ["clockTolerance over 5 minutes", { clientId, clockTolerance: 301 }, "INVALID_OPTIONS"],
    ["now in seconds", { clientId, now: () => nowS }, "INVALID_NOW"],
  ])("%s → %s", (_, options, code) => {
    let error: unknown;
    try {
      createSignInWithAppleVerifier(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ name: "AscTokenError", code });
  });

  it("no message holds the token", async () => {
    serveKit();
    const token = await kit.signIdToken({ exp: nowS - 3600 });
    const error = await refusal(verifier().verifyIdToken(token), "SIWA_TOKEN_EXPIRED");
    for (const part of token.split(".")) expect(error.message).not.toContain(part.slice(0, 20));
  });
});
